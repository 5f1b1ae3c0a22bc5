"""The command line: exit codes 0/1/2, messages on stderr, never a traceback, --help everywhere."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import FIXTURE_SOURCES, RESOURCES, make_graph_dir
from ldngraph.cli import app

runner = CliRunner()


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ldngraph", *args], capture_output=True, text=True, timeout=120)


def test_validate_exits_0_on_clean_records(tmp_path: Path) -> None:
    graph = make_graph_dir(tmp_path)
    result = runner.invoke(app, ["validate", "-g", str(graph), "--sources", str(FIXTURE_SOURCES)])
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output


@pytest.mark.parametrize(
    "case", ["unknown-reference", "column-count", "latin1-encoding", "metagraph" if False else "edge-outside-metagraph"]
)
def test_validate_exits_1_with_located_problems_and_no_traceback(tmp_path: Path, case: str) -> None:
    graph = make_graph_dir(tmp_path, RESOURCES / "invalid" / case)
    proc = _run("validate", "-g", str(graph), "--sources", str(FIXTURE_SOURCES))
    assert proc.returncode == 1
    code, location = (RESOURCES / "invalid" / case / "expect").read_text().split()
    assert f"{location}: error {code}" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


def test_validate_json_report_has_levels_codes_and_counts(tmp_path: Path) -> None:
    graph = make_graph_dir(tmp_path, RESOURCES / "invalid" / "duplicate-id")
    result = runner.invoke(app, ["validate", "-g", str(graph), "--format", "json", "--sources", str(FIXTURE_SOURCES)])
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["ok"] is False and payload["by_code"]["duplicate-id"] == 1
    assert payload["problems"][0]["level"] == "error"


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    proc = _run("validate", "-g", str(tmp_path / "nowhere"))
    assert proc.returncode == 2
    assert "does not exist" in proc.stderr and "Traceback" not in proc.stderr
    assert _run("validate", "--format", "yaml").returncode == 2
    assert _run("no-such-command").returncode == 2


def test_build_refuses_broken_records_with_the_problems_and_exit_1(tmp_path: Path) -> None:
    graph = make_graph_dir(tmp_path, RESOURCES / "invalid" / "unknown-reference")
    proc = _run("build", "-g", str(graph), "-o", str(tmp_path / "out"))
    assert proc.returncode == 1
    assert "unknown-reference" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_build_writes_files_and_says_how_many_triples(tmp_path: Path) -> None:
    graph = make_graph_dir(tmp_path)
    result = runner.invoke(app, ["build", "-g", str(graph), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "ldngraph.ttl").exists()
    assert "triples written" in result.output


def test_evidence_unknown_condition_suggests_nearest_names(tmp_path: Path) -> None:
    graph = make_graph_dir(tmp_path)
    proc = _run("evidence", "condtion A", "-g", str(graph))
    assert proc.returncode == 1
    assert "condition A" in proc.stderr and "Traceback" not in proc.stderr


def test_evidence_shows_the_trial_with_design_n_and_level(tmp_path: Path) -> None:
    graph = make_graph_dir(tmp_path)
    result = runner.invoke(app, ["evidence", "cond A", "-g", str(graph)])
    assert result.exit_code == 0, result.output
    assert "Trial T" in result.output and "rct" in result.output and "12" in result.output


def test_lint_check_fails_on_unsorted_rows_then_lint_fixes_them(tmp_path: Path) -> None:
    graph = make_graph_dir(tmp_path)
    drugs = graph / "records" / "drugs.tsv"
    lines = drugs.read_text().splitlines()
    drugs.write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n")
    check = runner.invoke(app, ["lint", "-g", str(graph), "--check"])
    assert check.exit_code == 1 and "drugs.tsv" in check.output
    assert runner.invoke(app, ["lint", "-g", str(graph)]).exit_code == 0
    assert runner.invoke(app, ["lint", "-g", str(graph), "--check"]).exit_code == 0


def test_stats_counts_kinds_and_levels(tmp_path: Path) -> None:
    result = runner.invoke(app, ["stats", "-g", str(make_graph_dir(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "study" in result.output and "rct" in result.output


def test_every_command_has_help_with_an_example() -> None:
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example" in (command.help or ""), f"{name} has no Example in its docstring"


def test_version_flag() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("ldngraph ")


def test_public_api_names_resolve() -> None:
    import ldngraph

    for name in ldngraph.__all__:
        assert getattr(ldngraph, name) is not None, name
