"""Validation: clean fixtures pass; each broken fixture gives its one problem, located at file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import FIXTURE_SOURCES, RESOURCES, make_graph_dir
from ldngraph.core.problems import Problem
from ldngraph.rdf.validate import validate

INVALID = sorted(p for p in (RESOURCES / "invalid").iterdir() if p.is_dir())


def test_valid_fixture_has_no_problems(tmp_path: Path) -> None:
    report = validate(make_graph_dir(tmp_path), sources_dir=FIXTURE_SOURCES).report
    assert report.problems == [], report.to_text()


def test_there_are_at_least_forty_broken_fixtures() -> None:
    assert len(INVALID) >= 40


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_broken_fixture_reports_its_defect_at_file_and_line(case: Path, tmp_path: Path) -> None:
    code, location = (case / "expect").read_text().split()
    file, line = location.rsplit(":", 1)
    report = validate(make_graph_dir(tmp_path, case), sources_dir=FIXTURE_SOURCES).report
    assert not report.ok or code in {"bom", "line-ending"}, report.to_text()
    matching = [p for p in report.problems if p.code == code]
    assert matching, f"expected {code}, got:\n{report.to_text()}"
    assert any(p.file == file and p.line == int(line) for p in matching), report.to_text()
    assert all(p.message for p in report.problems)


@pytest.mark.parametrize("case", ["bom", "windows-line-ends"])
def test_bom_and_crlf_are_errors_that_lint_can_fix(case: str, tmp_path: Path) -> None:
    from ldngraph.curation.lint import lint

    graph = make_graph_dir(tmp_path, RESOURCES / "invalid" / case)
    assert not validate(graph, sources_dir=FIXTURE_SOURCES).report.ok
    lint(graph)
    assert validate(graph, sources_dir=FIXTURE_SOURCES).report.ok


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    graph = make_graph_dir(tmp_path)
    claims = graph / "records" / "claims.tsv"
    text = claims.read_text().replace("condition-a", "condition-zz").replace("antagonist_of", "cures")
    claims.write_text(text)
    drugs = graph / "records" / "drugs.tsv"
    drugs.write_text(drugs.read_text() + drugs.read_text().splitlines()[1] + "\n")
    report = validate(graph, sources_dir=FIXTURE_SOURCES).report
    assert {"unknown-reference", "unknown-predicate", "duplicate-id"} <= report.codes()


def test_huge_file_is_refused_with_its_size(tmp_path: Path) -> None:
    graph = make_graph_dir(tmp_path)
    drugs = graph / "records" / "drugs.tsv"
    header = drugs.read_text().splitlines()[0]
    row = "\t".join(["drug-big", "x" * 200] + [""] * (len(header.split("\t")) - 2))
    drugs.write_text(header + "\n" + (row + "\n") * 30_000)
    report = validate(graph, sources_dir=FIXTURE_SOURCES).report
    assert [p.code for p in report.problems if p.file.endswith("drugs.tsv")] == ["file-too-large"]


def test_unknown_reference_suggests_the_nearest_id(tmp_path: Path) -> None:
    graph = make_graph_dir(tmp_path, RESOURCES / "invalid" / "unknown-reference")
    report = validate(graph, sources_dir=FIXTURE_SOURCES).report
    message = next(p.message for p in report.problems if p.code == "unknown-reference")
    assert "condition-zz" in message and "condition-a" in message


def test_shacl_reports_missing_clinical_evidence_at_the_claim(tmp_path: Path) -> None:
    # Bypass the record checks to prove the shapes themselves enforce evidence completeness.
    from ldngraph.curation.metagraph import load_metagraph
    from ldngraph.curation.records import load_records
    from ldngraph.rdf.shacl import check_shacl

    graph = make_graph_dir(tmp_path, RESOURCES / "invalid" / "clinical-claim-without-study")
    records, _ = load_records(graph)
    problems = check_shacl(records, load_metagraph(graph), graph)
    assert any(p.code == "shacl" and p.record_id == "c-trial" and "study" in p.message for p in problems)
    assert all(isinstance(p, Problem) for p in problems)


def test_problem_text_names_file_line_record_and_code() -> None:
    problem = Problem("graph/records/claims.tsv", 7, "unknown-reference", "object 'x' is not a known id", "c-1")
    assert str(problem) == "graph/records/claims.tsv:7: error unknown-reference [c-1]: object 'x' is not a known id"


# --- checks that need files outside the repository never pass silently (quotes need the source articles)


def _claim_count(graph: Path) -> int:
    from ldngraph.curation.records import load_records

    records, _ = load_records(graph)
    return len(records.claims)


@pytest.fixture()
def no_sources_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither CI nor a sources folder from the environment: the defaults alone decide."""
    for name in ("CI", "LDNGRAPH_SOURCES_DIR", "LDNGRAPH_SOURCES"):
        monkeypatch.delenv(name, raising=False)


def test_missing_sources_is_a_warning_with_the_count_and_exit_0(tmp_path: Path, no_sources_env: None) -> None:
    from typer.testing import CliRunner

    from ldngraph.cli import app

    graph = make_graph_dir(tmp_path / "checkout")  # ../shared/sources beside the checkout: tmp_path/shared, absent
    count = _claim_count(graph)
    assert count > 0
    result = CliRunner().invoke(app, ["validate", "-g", str(graph)])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stdout.splitlines() if "quotes-not-checked" in x)
    assert line.startswith("graph/records/claims.tsv: warning quotes-not-checked")
    assert f"{count} quote(s) not checked" in line
    assert "--sources" in line and "LDNGRAPH_SOURCES_DIR" in line
    assert "0 error(s), 1 warning(s)" in result.stdout


def test_missing_sources_under_ci_is_an_error_and_exit_1(
    tmp_path: Path, no_sources_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from typer.testing import CliRunner

    from ldngraph.cli import app

    graph = make_graph_dir(tmp_path / "checkout")
    monkeypatch.setenv("CI", "true")
    result = CliRunner().invoke(app, ["validate", "-g", str(graph), "--format", "json"])
    assert result.exit_code == 1, result.output
    payload = json.loads(result.stdout)
    assert payload["by_code"] == {"quotes-not-checked": 1}
    assert payload["problems"][0]["level"] == "error"
    assert CliRunner().invoke(app, ["validate", "-g", str(graph), "--no-strict"]).exit_code == 0


def test_strict_flag_makes_missing_sources_an_error(tmp_path: Path, no_sources_env: None) -> None:
    import subprocess
    import sys

    graph = make_graph_dir(tmp_path / "checkout")
    done = subprocess.run(
        [sys.executable, "-m", "ldngraph", "validate", "-g", str(graph), "--strict", "--no-shacl"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "error quotes-not-checked" in done.stdout and "Traceback" not in done.stderr
    report = validate(graph, strict=True).report
    assert [p.code for p in report.errors] == ["quotes-not-checked"]


def test_sources_dir_from_the_environment_is_checked(
    tmp_path: Path, no_sources_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from typer.testing import CliRunner

    from ldngraph.cli import app

    graph = make_graph_dir(tmp_path / "checkout")
    articles = tmp_path / "articles"
    shutil.copytree(FIXTURE_SOURCES, articles)
    monkeypatch.setenv("LDNGRAPH_SOURCES_DIR", str(articles))
    monkeypatch.setenv("CI", "true")
    result = CliRunner().invoke(app, ["validate", "-g", str(graph)])
    assert result.exit_code == 0, result.output
    assert "quotes-not-checked" not in result.stdout and "0 error(s), 0 warning(s)" in result.stdout
    # the quotes really are checked there: an article that no longer holds a quote is reported
    for article in articles.glob("*.txt"):
        article.write_text("nothing quotable here\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", "-g", str(graph)])
    assert result.exit_code == 1 and "quote-not-found" in result.stdout, result.output


def test_sources_beside_the_checkout_are_found_and_checked(tmp_path: Path, no_sources_env: None) -> None:
    import shutil

    graph = make_graph_dir(tmp_path / "checkout")
    shutil.copytree(FIXTURE_SOURCES, tmp_path / "shared" / "sources")
    report = validate(graph, strict=True).report
    assert report.problems == [], report.to_text()


def test_build_without_sources_succeeds_and_says_what_was_not_checked(tmp_path: Path, no_sources_env: None) -> None:
    from typer.testing import CliRunner

    from ldngraph.cli import app

    graph = make_graph_dir(tmp_path / "checkout")
    result = CliRunner().invoke(app, ["build", "-g", str(graph), "-o", str(tmp_path / "out"), "--no-shacl"])
    assert result.exit_code == 0, result.output
    assert "warning quotes-not-checked" in result.stderr and "(1 warning(s))" in result.stdout
