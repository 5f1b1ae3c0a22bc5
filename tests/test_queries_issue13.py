"""Issue 13: contested shows real contests, mechanism-paths follows any chain of mechanisms, one short form
for controlled values in Python, and the networkx projection of a merged graph (decision 0015)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ldngraph.sparql.query import query, run_query
from ldngraph.sparql.store import OxigraphStore, open_store

ROOT = Path(__file__).resolve().parent.parent
V, ID = "https://w3id.org/ldngraph/vocab#", "https://w3id.org/ldngraph/id/"


@pytest.fixture(scope="module")
def store():
    return open_store("memory")


def rows(store, name, **params):
    return query(name, params, store=store, short=True)


def _store_with(lines: list[str]) -> OxigraphStore:
    extra = OxigraphStore()
    extra.load_file(ROOT / "build" / "ldngraph.nt")
    extra.load_bytes(("\n".join(lines) + "\n").encode())
    return extra


# --- contested --------------------------------------------------------------------------------------------


def test_null_fibromyalgia_trials_are_set_against_the_earlier_positive_younger_studies(store):
    found = [r for r in rows(store, "contested") if r["reason"] == "null trial against an earlier positive study"]
    fibro = {(r["subject"], r["against"]) for r in found if r["object"] == "fibromyalgia"}
    assert {("nct04270877", "younger-2013"), ("nct04270877", "younger-2009"), ("nct02806440", "younger-2013"),
            ("nct02806440", "younger-2009")} <= fibro
    # reviews are about studies, and the 50 mg single dose is not LDN
    assert not {s for pair in fibro for s in pair} & {"yang-2023", "vatvani-2024", "younger-2009-50mg"}
    final = next(r for r in found if r["subject"] == "nct04270877" and r["against"] == "younger-2013")
    assert final["direction"] == "no_effect" and "p=0.27" in final["primary_says"]
    assert "28.8%" in final["against_says"]


def test_a_trial_hypothesis_is_set_against_the_trial_result(store):
    found = {r["claim"]: r for r in rows(store, "contested") if r["reason"] == "hypothesis against the trial's result"}
    assert found["a002-copenhagen-hypothesis"]["against"] == "nct02806440"
    assert "no clinically relevant effect" in found["a002-copenhagen-hypothesis"]["against_says"]
    assert found["a002-ldn-endogenous-pain-inhibition"]["against"] == "nct02806440"
    # the article's plain statement that the trial studies fibromyalgia is a fact, not a hypothesis
    assert "a002-copenhagen-trial-fibromyalgia" not in found


def test_the_two_proposed_mechanisms_and_younger_2009_contest_each_other(store):
    found = rows(store, "contested")
    rivals = {(r["object"], r["against"]) for r in found if r["reason"] == "competing mechanisms"}
    assert {("tlr4", "opioid-receptors"), ("opioid-receptors", "tlr4")} <= rivals
    null = [r for r in found if r["reason"] == "mechanism against a null trial"]
    assert any(r["object"] == "opioid-receptors" and r["against"] == "younger-2009-50mg" for r in null), null
    assert not any(r["object"] == "tlr4" for r in null)


def test_reassuring_safety_statements_are_not_contests_but_disputes_and_discrepancies_stay(store):
    found = rows(store, "contested")
    claims = {r["claim"] for r in found}
    for reassuring in ("a003-ldn-no-liver-effect", "a001-younger2014-well-tolerated", "a003-tolerated-well",
                       "a003-acetaminophen-not-blocked", "a000-chopra2013-no-side-effects"):
        assert reassuring not in claims, reassuring
    reasons = {r["reason"] for r in found}
    assert {"disputed statement", "departs from the primary study", "null, mixed or contradicting result"} <= reasons
    assert any(r["claim"] == "a003-younger2013-pain" and r["discrepancy"] == "misreported_number" for r in found)
    # a safety claim that misreports its study still departs from the primary study
    assert any(r["claim"] == "a003-cree2010-no-ms-drug-interactions" for r in found)


# --- mechanism-paths ----------------------------------------------------------------------------------------


def _mechanism_lines(*edges: tuple[str, str, str]) -> list[str]:
    return [f"<{ID}{s}> <{V}{p}> <{ID}{o}> ." for s, p, o in edges]


def test_crohns_disease_has_mechanism_paths_and_each_path_is_found_once(store):
    found = rows(store, "mechanism-paths", condition="Crohn's disease")
    assert found
    assert {r["start"] for r in found} == {"naltrexone"}  # a regimen's path is the drug's path, once
    keys = [(r["node1"], r["node2"], r["node3"], r["node4"], r["via_condition"]) for r in found]
    assert len(keys) == len(set(keys))
    assert any(r["node1"] == "pro-inflammatory-cytokines" and r["hops"] == 2 for r in found)
    assert all(r["weakest_hop"] and r["weakest_level"] for r in found)


def test_any_chain_of_mechanisms_is_followed_so_the_opioid_route_can_appear():
    """The endorphin route has no receptor -> cell -> process shape; with an edge to a condition it is a path."""
    extra = _store_with(_mechanism_lines(("endorphin-rebound", "contributes_to", "zz-opioid-condition"))
                        + [f"<{ID}zz-opioid-condition> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                           f"<{V}Condition> .",
                           f'<{ID}zz-opioid-condition> <http://purl.org/dc/terms/identifier> "zz-opioid-condition" .'])
    found = rows(extra, "mechanism-paths", condition="zz-opioid-condition")
    assert [(r["start"], r["node1"], r["hops"]) for r in found] == [("naltrexone", "endorphin-rebound", 2)]
    assert found[0]["hop1_level"] == "mechanism_hypothesis" and not found[0]["hop2_level"]
    assert found[0]["weakest_hop"] == "1: naltrexone -> endorphin-rebound"


def test_a_condition_is_never_reached_through_a_statement_about_another_condition(store):
    fibro = rows(store, "mechanism-paths", condition="fibromyalgia")
    assert fibro and {r["via_condition"] for r in fibro} <= {"", None, "chronic-pain"}
    nodes = {r[f"node{k}"] for r in fibro for k in range(1, 5)}
    assert not nodes & {"inflammation", "nociception", "central-pain-processing"}  # article 002's arthritis pain
    # a statement about a sibling kind of chronic pain (CRPS) does not reach fibromyalgia either
    assert "central-sensitisation" not in nodes and "glial-activation" not in nodes
    crps = rows(store, "mechanism-paths", condition="crps")
    assert any(r["node1"] == "neuroinflammation" and r["node2"] == "central-sensitisation" for r in crps)


def test_the_named_query_and_networkx_find_the_same_paths_with_the_same_weakest_level(store, rdf_graph):
    from ldngraph.explore.network import mechanism_paths, to_networkx

    network = to_networkx(rdf_graph)
    conditions = sorted(n for n, d in network.nodes(data=True) if d.get("kind") == "condition")
    compared = 0
    for condition in conditions:
        columns = ("start", "node1", "node2", "node3", "node4", "via_condition")
        named = {tuple(r[c] for c in columns if r[c]): r["weakest_level"] or None
                 for r in rows(store, "mechanism-paths", condition=condition)}
        found = {}
        for path in mechanism_paths(network, condition, limit=10**6):
            end = path.nodes.index(path.mechanism_hops[-1].target)
            found[path.nodes[: end + 1] if path.nodes[end] != condition else path.nodes[:end]] = path.weakest_level
        assert named == found, condition
        compared += len(named)
    assert compared > 50


# --- one short form for controlled values --------------------------------------------------------------------


def test_query_short_form_and_networkx_give_the_same_strings_for_level_direction_design_and_status(store, rdf_graph):
    from ldngraph.explore.network import to_networkx

    network = to_networkx(rdf_graph)
    text = """SELECT ?claim ?level ?direction ?status ?study ?design ?study_status WHERE {
      ?claim a ldn:Claim ; ldn:evidence_level ?level ; ldn:direction ?direction ; ldn:claim_status ?status ;
             ldn:study ?study ; ldn:object ?o .
      ?study ldn:design ?design ; ldn:status ?study_status }"""
    found = query(text, store=store, short=True)
    assert found
    edges = {d["claim"]: d for *_, d in network.edges(data=True) if d.get("origin") == "claim"}
    for row in found:
        edge = edges[row["claim"]]
        assert (row["level"], row["direction"], row["status"]) == (edge["level"], edge["direction"], edge["status"])
        study = network.nodes[row["study"]]
        assert (row["design"], row["study_status"]) == (study["design"], study["status"])
    assert {"rct", "supports", "asserted"} <= {v for r in found for v in r.values()}
    frame = query("evidence-for-condition", {"condition": "fibromyalgia"}, store=store, dataframe=True, short=True)
    assert "rct" in set(frame["level"]) and not any(str(v).startswith("level:") for v in frame["level"])


def test_the_terminal_table_keeps_the_sparql_terms(store):
    from ldngraph.sparql.query import compact, format_result

    result = run_query(store, "evidence-for-condition", {"condition": "fibromyalgia"})
    assert "level:rct" in {compact(t) for row in result.rows for t in row}
    assert "level:rct" in format_result(result, "table")


# --- the projection of a merged graph ---------------------------------------------------------------------------


def test_to_networkx_keeps_external_triples_and_matches_shared_identifiers(rdf_graph):
    from rdflib import Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDFS, SKOS

    from ldngraph.explore.network import to_networkx

    ex = Namespace("http://example.org/")
    merged = Graph()
    for triple in rdf_graph:
        merged.add(triple)
    chebi = URIRef("http://purl.obolibrary.org/obo/CHEBI_7465")  # naltrexone's skos:exactMatch
    merged.add((chebi, ex.treats, ex.painX))
    merged.add((ex.painX, RDFS.label, Literal("pain X")))
    merged.add((ex.drugY, SKOS.exactMatch, chebi))
    merged.add((ex.drugY, ex.binds, ex.receptorZ))
    merged.add((ex.receptorZ, URIRef(f"{V}xref"), Literal("UniProtKB:P35372")))  # the mu receptor's xref
    network = to_networkx(merged)
    report = network.graph["external"]
    assert report["triples"] == 5 and report["edges"] == 2 and report["nodes"] == 1
    assert report["matched"] == {str(chebi): "naltrexone", str(ex.drugY): "naltrexone",
                                 str(ex.receptorZ): "mu-opioid-receptor"}
    external = {(u, v, d["predicate"]) for u, v, d in network.edges(data=True) if d.get("origin") == "external"}
    assert external == {("naltrexone", str(ex.painX), "treats"), ("naltrexone", "mu-opioid-receptor", "binds")}
    assert network.nodes[str(ex.painX)]["kind"] == "external" and network.nodes[str(ex.painX)]["label"] == "pain X"
    assert to_networkx(rdf_graph).graph["external"]["triples"] == 0
