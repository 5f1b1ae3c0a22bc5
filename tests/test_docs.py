"""The docs match the code: README.md and docs/*.md.

- the generated vocabulary tables (docs/vocabulary.md) are up to date;
- every command is shown in the README, every record file and claim column described in graph/README.md;
- every shell and Python example of README.md and docs/*.md runs, as written, in a sandbox (a copy of graph/
  in a temporary folder, with the venv's `ldngraph` first on PATH); a block right after a line
  ``<!-- docs-test: skip (why) -->`` is only shown (servers, make, changing the shell);
- every relative link (and #anchor) in README.md and docs/*.md points at something that exists;
- docs/architecture.md names every module of the package.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from ldngraph.core.schema import ALL_MODELS, columns
from ldngraph.rdf.vocab_docs import update_page, vocabulary_page

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SKIP_MARK = "<!-- docs-test: skip"
SHARED_SOURCES = ROOT.parent / "shared" / "sources"


def test_the_pages_are_there() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in PAGES}
    expected = {"README.md"} | {
        f"docs/{name}.md"
        for name in (
            "sparql",
            "viewer",
            "notebooks-and-api",
            "vocabulary",
            "curation",
            "performance",
            "reliability",
            "architecture",
        )
    }
    assert expected <= names, expected - names


def test_vocabulary_page_is_up_to_date() -> None:
    page = vocabulary_page(ROOT / "graph")
    assert page == ROOT / "docs" / "vocabulary.md"
    changed = update_page(page, ROOT / "graph", check=True)
    assert not changed, "docs/vocabulary.md is stale; run `python -m ldngraph.rdf.vocab_docs`"


def test_a_page_without_the_vocabulary_markers_is_an_error(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# no section here\n")
    with pytest.raises(ValueError, match="section"):
        update_page(page, ROOT / "graph", check=True)


def test_every_cli_command_appears_in_the_readme() -> None:
    import typer.main

    from ldngraph.cli import app

    readme = (ROOT / "README.md").read_text()
    group = typer.main.get_command(app)
    missing = [name for name in group.commands if f"ldngraph {name}" not in readme]  # type: ignore[attr-defined]
    assert not missing, f"commands not shown in README.md: {missing}"


def test_every_docs_page_is_linked_from_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    missing = [p.name for p in PAGES[1:] if f"(docs/{p.name})" not in readme]
    assert not missing, f"docs pages not linked from README.md: {missing}"


def test_graph_readme_describes_every_record_file_and_claim_column() -> None:
    text = (ROOT / "graph" / "README.md").read_text()
    for model in ALL_MODELS:
        assert f"`{model.file_name}`" in text, model.file_name
    claim_model = next(m for m in ALL_MODELS if m.file_name == "claims.tsv")
    for column in columns(claim_model):
        assert f"`{column}`" in text, column


def test_every_schema_field_has_a_description() -> None:
    for model in ALL_MODELS:
        for name, info in model.model_fields.items():
            assert info.description, f"{model.__name__}.{name} has no description"


# --- the examples -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    """One example from a page: a shell command line, or a whole Python block."""

    page: str
    line: int
    language: str
    code: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}"


def examples(page: Path) -> list[Example]:
    """The bash lines and python blocks of a page, except blocks right after a skip mark."""
    name = page.relative_to(ROOT).as_posix()
    found: list[Example] = []
    lines = page.read_text(encoding="utf-8").splitlines()
    previous = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        fence = re.match(r"^```(\w*)", line)
        if not fence:
            if line.strip():
                previous = line.strip()
            index += 1
            continue
        language, start = fence.group(1), index + 1
        end = start
        while end < len(lines) and not lines[end].startswith("```"):
            end += 1
        body = lines[start:end]
        skipped = previous.startswith(SKIP_MARK)
        if language == "bash" and not skipped:
            command, first = "", start
            for number, text in enumerate(body, start + 1):
                if not command:
                    first = number
                command += text[:-1] + " " if text.endswith("\\") else text
                if text.endswith("\\"):
                    continue
                if command.strip() and not command.lstrip().startswith("#"):
                    found.append(Example(name, first, "bash", command))
                command = ""
        elif language == "python" and not skipped:
            found.append(Example(name, start, "python", "\n".join(body)))
        previous, index = "", end + 1
    return found


ALL_EXAMPLES = [example for page in PAGES for example in examples(page)]


def test_the_pages_have_examples_and_the_skips_say_why() -> None:
    assert len([e for e in ALL_EXAMPLES if e.language == "bash"]) >= 30
    assert {e.page for e in ALL_EXAMPLES} >= {"README.md", "docs/sparql.md", "docs/curation.md", "docs/viewer.md"}
    for page in PAGES:
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith(SKIP_MARK):
                assert re.match(r"<!-- docs-test: skip \(.+\) -->$", line), f"{page.name}:{number}: say why"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A folder with a copy of graph/ (so builds, lint and exports stay there) and the files the examples name."""
    folder = tmp_path_factory.mktemp("docs") / "checkout"
    shutil.copytree(ROOT / "graph", folder / "graph")
    (folder / "my-question.rq").write_text("# Which conditions?\nSELECT ?c WHERE { ?c a ldn:Condition }\n")
    (folder / "my.rq").write_text(
        "PREFIX ldn: <https://w3id.org/ldngraph/vocab#>\nSELECT ?c WHERE { ?c a ldn:Condition }\n"
    )
    extra = (
        '<https://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "an extra node" .\n'
        "<https://example.org/x> <https://example.org/linked> <https://w3id.org/ldngraph/id/fibromyalgia> .\n"
    )
    (folder / "extra.ttl").write_text(extra)
    (folder / "my-extra.nt.gz").write_bytes(gzip.compress(extra.encode()))
    # the ldngraph script installed beside this Python first, whatever PATH the test runner has
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env["MPLBACKEND"] = "Agg"
    for name in ("LDNGRAPH_GRAPH_DIR", "LDNGRAPH_BUILD_DIR", "LDNGRAPH_QUERIES_DIR"):
        env.pop(name, None)
    if SHARED_SOURCES.is_dir():
        env["LDNGRAPH_SOURCES_DIR"] = str(SHARED_SOURCES)  # the quote check runs, as in CI
    else:
        env.pop("CI", None)  # without the articles, validate warns (exit 0) instead of failing the example
        env.pop("LDNGRAPH_SOURCES_DIR", None)
    return folder, env


@pytest.mark.parametrize("example", ALL_EXAMPLES, ids=str)
def test_the_example_runs(example: Example, sandbox: tuple[Path, dict[str, str]]) -> None:
    """Every example, run as written: exit 0, something on stdout (shell), no empty table, no traceback."""
    folder, env = sandbox
    if example.language == "bash":
        argv = ["bash", "-c", example.code]
    else:
        argv = [sys.executable, "-c", example.code]
    done = subprocess.run(argv, cwd=folder, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, (example.code, done.stdout[-2000:], done.stderr[-2000:])
    assert "Traceback" not in done.stderr, (example.code, done.stderr[-2000:])
    if example.language == "bash":
        assert done.stdout.strip(), f"{example}: {example.code!r} printed nothing"
        assert "(0 rows)" not in done.stdout, f"{example}: {example.code!r} documents a query that finds nothing"


# --- links ---------------------------------------------------------------------------------------

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    anchors, in_code = set(), False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and line.startswith("#"):
            anchors.add(_slug(line.lstrip("#")))
    return anchors


def _links(page: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
    return LINK.findall(text)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_points_at_something_that_exists(page: Path) -> None:
    broken = []
    for target in _links(page):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        path_part, _, anchor = target.partition("#")
        destination = (page.parent / path_part).resolve() if path_part else page
        if not destination.exists():
            broken.append(target)
        elif anchor and destination.suffix == ".md" and anchor not in _anchors(destination):
            broken.append(f"{target} (no heading #{anchor})")
    assert not broken, f"{page.name}: broken links {broken}"


def test_the_link_checker_sees_links_and_anchors() -> None:
    readme = ROOT / "README.md"
    assert "docs/sparql.md" in _links(readme)
    assert _slug("## SPARQL at 10^7 triples".lstrip("#")) == "sparql-at-107-triples"
    assert "a-read-only-sparql-endpoint" in _anchors(ROOT / "docs" / "sparql.md")


# --- architecture --------------------------------------------------------------------------------


def test_architecture_names_every_module() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    package = ROOT / "src" / "ldngraph"
    modules = sorted(p.relative_to(package).as_posix() for p in package.rglob("*.py") if "__pycache__" not in p.parts)
    missing = [m for m in modules if f"`{m}`" not in text and not m.endswith("__init__.py")]
    assert not missing, f"docs/architecture.md does not describe {missing}"
    for layer in ("core", "curation", "rdf", "sparql", "viewer", "explore", "cli"):
        assert f"`{layer}/`" in text, layer
    assert "```mermaid" in text
