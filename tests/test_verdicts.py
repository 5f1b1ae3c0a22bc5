"""Verdicts, trials and "since the article": the rules, the library functions and the CLI, on fixtures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import RESOURCES, make_graph_dir
from ldngraph.cli.app import app
from ldngraph.curation.verdicts import BodyStudy, certainty_of, statement_of
from ldngraph.sparql.answers import curated_store
from ldngraph.sparql.trials import is_overdue
from ldngraph.sparql.verdicts import verdict

FIXTURE_SOURCES = RESOURCES / "sources"


def _study(finding: str, n: int, blinding: str = "double_blind", tier: str = "randomised") -> BodyStudy:
    return BodyStudy(id=f"s-{finding}-{n}", label=f"S {n}", tier=tier, n=n, category="ldn", finding=finding,
                     blinding=blinding, control="placebo", published="2020", therapy="monotherapy")


@pytest.mark.parametrize(
    ("findings", "tier", "expected"),
    [
        (["benefit", "benefit"], "randomised", "benefit_shown"),
        (["no_difference", "no_difference"], "randomised", "no_benefit_shown"),
        (["benefit", "no_difference"], "randomised", "conflicting"),
        (["benefit", "mixed"], "randomised", "mixed"),
        (["benefit"], "uncontrolled", "insufficient"),
        (["benefit"], "case_report", "insufficient"),
        ([], None, "insufficient"),
        (["uncertain"], "randomised", "insufficient"),
    ],
)
def test_statement_follows_the_findings_and_never_credits_uncontrolled_studies(
    findings: list[str], tier: str | None, expected: str
) -> None:
    assert statement_of(findings, tier) == expected


def test_certainty_is_lowered_for_imprecision_inconsistency_and_bias_with_a_reason_each() -> None:
    large = [_study("no_difference", 250), _study("no_difference", 200)]
    assert certainty_of(large, "no_benefit_shown")[0] == "high"
    small = [_study("benefit", 31), _study("no_difference", 99), _study("no_difference", 58)]
    certainty, reasons = certainty_of(small, "conflicting")
    assert certainty == "low"
    assert any("imprecision: 188 participants" in r for r in reasons)
    assert any("inconsistency" in r for r in reasons)
    tiny_open = [_study("benefit", 10, blinding="single_blind")]
    certainty, reasons = certainty_of(tiny_open, "benefit_shown")
    assert certainty == "very_low"
    assert any("risk of bias" in r and "S 10" in r for r in reasons)


@pytest.mark.parametrize(
    ("status", "completion", "posted", "published", "overdue"),
    [
        ("completed", "2022-12-27", "", "", True),
        ("completed", "2022-12-27", "", "2023-12-05", False),
        ("completed", "2022-12-27", "2023-03-01", "", False),
        ("completed", "2026-06", "", "", False),
        ("recruiting", "2020", "", "", False),
        ("withdrawn", "2022-08-25", "", "", False),
    ],
)
def test_a_trial_is_overdue_only_when_ended_over_a_year_ago_without_results(
    status: str, completion: str, posted: str, published: str, overdue: bool
) -> None:
    assert is_overdue(status, completion, posted, published, dt.date(2026, 12, 2)) is overdue


@pytest.fixture()
def fixture_graph(tmp_path: Path) -> Path:
    return make_graph_dir(tmp_path)


def test_verdict_reads_the_fixture_trial_with_its_numbers(fixture_graph: Path) -> None:
    with curated_store(fixture_graph) as store:
        answer = verdict("condition a", store)
    assert (answer.statement, answer.certainty, answer.n_studies, answer.participants) == (
        "benefit_shown", "low", 1, 12)
    [counted] = answer.of_role("counted")
    assert counted.study == "trial-t"
    [result] = counted.results
    assert (result.estimate, result.ci_low, result.ci_high, result.p) == (-1.0, -1.8, -0.2, 0.02)
    assert "95% CI -1.8 to -0.2" in result.numbers()
    frame = answer.to_dataframe()
    assert str(frame["n"].dtype) == "Int64" and frame.loc[0, "role"] == "counted"


def test_verdict_cli_prints_statement_certainty_reasons_and_numbers(fixture_graph: Path) -> None:
    result = CliRunner().invoke(app, ["verdict", "condition-a", "--graph", str(fixture_graph)])
    assert result.exit_code == 0, result.output
    assert "Verdict: benefit shown — certainty LOW" in result.output
    assert "very serious imprecision: 12 participants" in result.output
    assert "-2 vs -1 NRS points" in result.output and "p=0.02" in result.output


def test_verdict_cli_on_an_unknown_condition_is_one_line_and_exit_1(fixture_graph: Path) -> None:
    result = CliRunner().invoke(app, ["verdict", "no such thing", "--graph", str(fixture_graph)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "no such thing" in result.output


def test_trials_cli_rejects_a_malformed_as_of_date(fixture_graph: Path) -> None:
    result = CliRunner().invoke(app, ["trials", "--as-of", "yesterday", "--graph", str(fixture_graph)])
    assert result.exit_code == 2 and "--as-of" in result.output


def test_shacl_shapes_catch_a_result_without_record_and_a_p_above_one_in_raw_rdf() -> None:
    """The shapes guard graphs that did not come through the records (a user's own RDF, another tool)."""
    from pyshacl import validate as shacl_validate
    from rdflib import RDF, XSD, Graph, Literal, Namespace

    from helpers import ROOT

    ldn, data_ns = Namespace("https://w3id.org/ldngraph/vocab#"), Namespace("https://w3id.org/ldngraph/id/")
    data = Graph().parse(ROOT / "graph" / "vocab" / "ldngraph.ttl")
    result = data_ns["r-bad"]
    data.add((result, RDF.type, ldn.StudyResult))
    data.add((result, ldn.p, Literal("1.5", datatype=XSD.decimal)))
    shapes = Graph().parse(ROOT / "graph" / "shapes" / "ldngraph-shapes.ttl")
    conforms, report, _ = shacl_validate(data, shacl_graph=shapes, inference="rdfs")
    assert not conforms
    text = report.serialize(format="turtle")
    assert "primary record its numbers were read from" in text and "maxInclusive" in text


@pytest.mark.parametrize(
    ("direction", "status", "finding", "verdict_now", "expected"),
    [
        ("supports", "withdrawn", "", "", "superseded: the trial was withdrawn"),
        ("supports", "recruiting", "", "", "still unreported"),
        ("supports", "completed", "no_difference", "", "the study's own result: no difference (published 2023)"),
        ("supports", "completed", "", "", "completed; no result in the graph"),
        ("supports", "", "", "no_benefit_shown", "contradicted by the evidence now"),
        ("supports", "", "", "benefit_shown", "consistent with the evidence now"),
        ("supports", "", "", "conflicting", "unconfirmed: the evidence now is conflicting"),
        ("no_effect", "", "", "benefit_shown", "not a claim of benefit"),
    ],
)
def test_what_became_of_a_claim(direction: str, status: str, finding: str, verdict_now: str, expected: str) -> None:
    from ldngraph.sparql.trials import what_became

    published = "2023" if finding else ""
    assert what_became(direction, status, finding, verdict_now, published) == expected


def test_since_on_an_unknown_source_names_it_and_exits_1(fixture_graph: Path) -> None:
    result = CliRunner().invoke(app, ["since", "009", "--graph", str(fixture_graph)])
    assert result.exit_code == 1 and "unknown source '009'" in result.output and "Traceback" not in result.output
