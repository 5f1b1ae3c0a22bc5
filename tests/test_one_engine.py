"""One engine per question: every surface that answers a question gives the same answer.

* the evidence for a condition: ``ldngraph evidence``, ``ldngraph query evidence-for-condition``,
  :func:`ldngraph.evidence_for` and :func:`ldngraph.sparql.answers.evidence_for_condition` show the same
  studies and n (the primary record's figure, the article's differing one as a note);
* the evidence table, the evidence map and its roll-up name the studies and n the verdict names (``ldngraph
  verdict``), and ``ldngraph evidence`` states that verdict above the articles' claims;
* the viewer's condition summary shows the same n for the same claims;
* mechanism paths: where the named query and the networkx search find the same path, it rests on the
  same weakest level.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from typer.testing import CliRunner

from ldngraph.cli import app
from ldngraph.core import namespaces as ns
from ldngraph.sparql.answers import curated_store, evidence_for_condition, primary_n

CONDITIONS = ["fibromyalgia", "Crohn's disease", "multiple sclerosis"]
#: (condition, study, n as the primary record gives it, n as the article gives it)
DISCREPANT = [
    ("fibromyalgia", "younger-2013", 31, 30),
    ("Crohn's disease", "smith-2011", 40, 34),
    ("multiple sclerosis", "cree-2010", 80, 60),
]
runner = CliRunner()


@pytest.fixture(scope="module")
def store():
    with curated_store() as opened:
        yield opened


@pytest.fixture(scope="module")
def answers(store):
    return {condition: evidence_for_condition(condition, store) for condition in CONDITIONS}


def _local(value: str) -> str:
    return value[len(ns.ID) :] if value.startswith(ns.ID) else re.split(r"[/#]", value)[-1] if value else ""


def _int(text: str) -> int | None:
    return int(text) if text else None


def _query_cli(condition: str) -> list[dict[str, str]]:
    """The rows of `ldngraph query evidence-for-condition -p condition CONDITION -f csv`."""
    result = runner.invoke(app, ["query", "evidence-for-condition", "-p", "condition", condition, "-f", "csv"])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def _evidence_cli(condition: str) -> tuple[str, list[dict[str, str]]]:
    """The output of `ldngraph evidence CONDITION` and its table as rows (wrapped cells joined)."""
    result = runner.invoke(app, ["evidence", condition])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("study ") and " | " in line)
    widths = [len(part) for part in lines[head + 1].split("-+-")]
    starts = [sum(widths[:i]) + 3 * i for i in range(len(widths))]
    names = [lines[head][s : s + w].strip() for s, w in zip(starts, widths, strict=True)]
    rows: list[dict[str, str]] = []
    for line in lines[head + 2 :]:
        if not line.strip():
            break
        cells = [line[s : s + w].strip() for s, w in zip(starts, widths, strict=True)]
        if cells[-1]:
            rows.append(dict(zip(names, cells, strict=True)))
        else:
            rows[-1] = {k: f"{rows[-1][k]} {cell}".strip() for k, cell in zip(names, cells, strict=True)}
    return result.stdout, rows


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("condition", CONDITIONS)
def test_the_engine_returns_the_named_query_rows_as_ldngraph_query_prints_them(answers, condition):
    printed = _query_cli(condition)
    engine = answers[condition].rows
    assert [row["claim"] for row in printed] == [ns.ID + r.claim_id for r in engine]
    for row, r in zip(printed, engine, strict=True):
        assert (_local(row["study"]), _int(row["n"]), _int(row["article_n"])) == (r.study_id, r.n, r.article_n)
        facts = (_local(row["level"]), _local(row["predicate"]), _local(row["source"]))
        assert facts == (r.level, r.predicate, r.source)


@pytest.mark.parametrize("condition", CONDITIONS)
def test_ldngraph_evidence_and_ldngraph_query_give_the_same_studies_and_n(answers, condition):
    answer = answers[condition]
    printed = _query_cli(condition)
    _, table = _evidence_cli(condition)
    shown = answer.efficacy
    assert len(table) == len(shown) and shown
    for row, r in zip(table, shown, strict=True):  # the CLI shows the efficacy rows of the query, in its order
        assert _squash(row["study"]) == _squash(r.study or "(no study)")
        assert _int(row["n"]) == r.n
    efficacy = [row for row in printed if _local(row["predicate"]) == "studied_for"
                and row["subject"] != row["condition"]]
    by_name = {r.study_id: r.study for r in answer.rows}
    from_query = [(by_name[_local(row["study"])] if row["study"] else "(no study)", _int(row["n"])) for row in efficacy]
    from_cli = [(r.study or "(no study)", _int(row["n"])) for row, r in zip(table, shown, strict=True)]
    assert from_cli == from_query
    # every study the query's efficacy rows name for the condition is in the CLI's table too
    assert {_local(row["study"]) for row in efficacy if row["study"]} == {r.study_id for r in shown if r.study_id}


@pytest.mark.parametrize(("condition", "study", "enrolled", "article"), DISCREPANT)
def test_n_is_the_primary_records_figure_with_the_articles_as_the_note(answers, condition, study, enrolled, article):
    rows = [r for r in answers[condition].rows if r.study_id == study]
    assert rows and {r.n for r in rows} == {enrolled}
    noted = [r for r in rows if r.article_n is not None]
    assert [r.article_n for r in noted] == [article]
    assert f"the article says n = {article}" in noted[0].note and noted[0].discrepancy
    _, table = _evidence_cli(condition)
    mine = [row for row in table if _squash(row["study"]) == _squash(rows[0].study)]
    assert {_int(row["n"]) for row in mine} == {enrolled}
    notes = [row["result (as the article states it)"] for row in mine]
    assert sum(f"the article says n = {article}]" in note for note in notes) == 1
    printed = [row for row in _query_cli(condition) if _local(row["study"]) == study]
    assert {_int(row["n"]) for row in printed} == {enrolled}
    assert sorted(_int(row["article_n"]) for row in printed if row["article_n"]) == [article]


def test_the_public_api_gives_the_same_rows(curated, answers):
    import ldngraph

    for condition, answer in answers.items():
        node, rows = ldngraph.evidence_for(curated.records, condition, curated.layer_of())
        assert node.id == answer.condition
        assert rows == answer.efficacy
        assert ldngraph.find_node(curated.records, condition, "condition") == answer.condition


def test_primary_n_prefers_the_primary_record_and_skips_what_is_not_a_number():
    assert primary_n(31, 30) == 31 and primary_n("80", "60") == 80
    assert primary_n(None, 12) == 12 and primary_n("", "12") == 12
    assert primary_n("<b>many</b>", None) is None and primary_n(None, None) is None


@pytest.fixture(scope="module")
def real_network(rdf_graph):
    from ldngraph.explore.network import to_networkx

    return to_networkx(rdf_graph)


def test_the_evidence_map_and_table_show_the_studies_and_n_of_the_verdict(store):
    """The evidence table, its roll-up and the map's CSV name the studies `ldngraph verdict` names, with its n."""
    from ldngraph.explore.evidence_map import evidence_rollup, evidence_table
    from ldngraph.sparql.verdicts import verdict

    table = evidence_table(store)
    rollup = evidence_rollup(table)
    for condition in ("fibromyalgia", "crohns-disease", "multiple-sclerosis"):
        found = verdict(condition, store)
        rows = table[table["condition"] == condition]
        assert {(r.role, r.study, r.n) for r in found.studies} == {
            (r.role, r.study, None if r.n is None or str(r.n) == "<NA>" else int(r.n))
            for r in rows.itertuples(index=False)}
        counted = rollup[(rollup["condition"] == condition) & (rollup["role"] == "counted")]
        assert (counted["studies"].sum(), counted["participants"].sum()) == (found.n_studies, found.participants)
        printed = runner.invoke(app, ["verdict", condition]).stdout
        for study in found.of_role("counted"):
            assert study.label in printed and f"n={study.n}" in printed


def test_the_viewer_summary_shows_the_same_n_for_the_same_claims(rdf_graph, answers):
    from ldngraph.viewer.model import build_view, evidence_summary

    view = build_view(rdf_graph)
    for condition, answer in answers.items():
        summary = evidence_summary(view, answer.condition)
        shown = {row["claim"]: (row["study"] or "", row["n"], row["article_n"]) for row in summary["rows"]}
        engine = {r.claim_id: (r.study_id, r.n, r.article_n) for r in answer.rows if r.subject != r.condition}
        assert shown == engine, condition
        assert set(summary["studies"]) == {r.study_id for r in answer.rows if r.study_id and r.subject != r.condition}


def _query_paths(store, condition: str) -> dict[tuple[str, ...], str | None]:
    """Paths of the named query mechanism-paths: start, up to four mechanism nodes, a broader condition."""
    from ldngraph.sparql.query import query

    paths = {}
    for row in query("mechanism-paths", {"condition": condition}, store=store, short=True):
        nodes = (row["start"], row["node1"], row["node2"], row["node3"], row["node4"], row["via_condition"],
                 row["condition"])
        level = row["weakest_level"]
        paths[tuple(n for n in nodes if n)] = level or None
    return paths


def _assert_networkx_agrees(network, store, condition: str) -> None:
    from ldngraph.explore.network import mechanism_paths

    found = {p.nodes: p.weakest_level for p in mechanism_paths(network, condition)}
    expected = _query_paths(store, condition)
    assert expected, condition
    for nodes, level in expected.items():
        assert nodes in found, nodes
        assert found[nodes] == level, nodes


@pytest.mark.parametrize("condition", ["fatigue", "sleep-disturbance", "neurodegenerative-disease"])
def test_mechanism_paths_the_named_query_and_networkx_both_find_rest_on_the_same_level(real_network, store,
                                                                                       condition):
    _assert_networkx_agrees(real_network, store, condition)


def test_mechanism_paths_agree_on_the_synthetic_chain(explore_graph_dir, explore_network):
    with curated_store(explore_graph_dir) as synthetic:
        for condition in ("zz-condition-a", "zz-condition-c"):
            _assert_networkx_agrees(explore_network, synthetic, condition)


def test_an_unknown_condition_names_the_nearest_ones(store):
    from ldngraph.core.problems import UnknownName

    with pytest.raises(UnknownName, match="fibromyalgia"):
        evidence_for_condition("fibromyalga", store)


def test_the_evidence_command_states_the_verdict_and_counts_independent_studies_not_claims(answers, store):
    """Fibromyalgia: many claims; the summary gives the verdict on the independent studies and points to it."""
    from ldngraph.sparql.verdicts import verdict

    answer = answers["fibromyalgia"]
    found = verdict("fibromyalgia", store)
    assert found.n_studies < len(answer.efficacy)
    printed, _ = _evidence_cli("fibromyalgia")
    assert f"certainty {found.certainty}" in printed and "conflicting" in printed
    assert f"It counts {found.n_studies} independent studies ({found.participants} participants" in printed
    assert found.regimens_counted in printed and "ldngraph verdict fibromyalgia" in printed
    assert "1 study of another dose or combination shown apart" in printed
    assert f"what the source articles claim ({len(answer.efficacy)} statements" in printed
    assert "not a verdict" not in printed and "not in the graph yet" not in printed
