"""The docs match the code: README vocabulary section, every command documented, every record file described."""

from __future__ import annotations

from pathlib import Path

from ldngraph.core.schema import ALL_MODELS, columns
from ldngraph.rdf.vocab_docs import update_readme

ROOT = Path(__file__).resolve().parent.parent


def test_readme_vocabulary_section_is_up_to_date() -> None:
    changed = update_readme(ROOT / "README.md", ROOT / "graph", check=True)
    assert not changed, "README vocabulary section is stale; run `python -m ldngraph.rdf.vocab_docs`"


def test_every_cli_command_appears_in_the_readme() -> None:
    import typer.main

    from ldngraph.cli import app

    readme = (ROOT / "README.md").read_text()
    group = typer.main.get_command(app)
    missing = [name for name in group.commands if f"ldngraph {name}" not in readme]  # type: ignore[attr-defined]
    assert not missing, f"commands not shown in README.md: {missing}"


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


def _sparql_section_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text[text.index("<!-- section: sparql -->") : text.index("<!-- /section: sparql -->")]
    commands, in_block = [], False
    for line in section.splitlines():
        if line.startswith("```"):
            in_block = line.startswith("```bash")
            continue
        if in_block and ("ldngraph query" in line or "ldngraph queries" in line) and "--endpoint" not in line:
            commands.append(line)
    return commands


def test_the_readme_query_examples_run_and_answer(tmp_path: Path) -> None:
    """Every local `ldngraph query` example of the README's SPARQL section, run as written in a shell."""
    import os
    import subprocess
    import sys

    # the ldngraph script installed beside this Python, whatever PATH the test runner has
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    (tmp_path / "my-question.rq").write_text("# Which conditions?\nSELECT ?c WHERE { ?c a ldn:Condition }\n")
    commands = _sparql_section_commands()
    assert len(commands) >= 9
    for command in commands:
        done = subprocess.run(
            ["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, (command, done.stderr)
        assert done.stdout.strip() and "Traceback" not in done.stderr, command
