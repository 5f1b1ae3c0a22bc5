"""The networkx projection: typed nodes, evidence on edges, views, mechanism paths, shared mechanisms."""

from __future__ import annotations

import pytest
from rdflib import RDF, Literal

from ldngraph.core import namespaces as ns
from ldngraph.explore.network import (
    UnknownValue,
    centrality,
    mechanism_paths,
    mechanism_paths_table,
    shared_mechanisms,
    to_networkx,
    view,
)
from ldngraph.rdf.triples import CLASS_BY_KIND, LDN


@pytest.fixture(scope="module")
def real_network(rdf_graph):
    return to_networkx(rdf_graph)


def test_every_entity_becomes_one_typed_node_and_literals_stay_attributes(rdf_graph, real_network):
    entities = {str(s)[len(ns.ID) :] for kind, cls in CLASS_BY_KIND.items() for s in rdf_graph.subjects(RDF.type, cls)}
    assert set(real_network.nodes) == entities
    assert real_network.nodes["naltrexone"]["kind"] == "drug"
    assert real_network.nodes["fibromyalgia"]["kind"] == "condition"
    assert real_network.nodes["younger-2013"]["kind"] == "study"
    assert real_network.nodes["younger-2013"]["n_enrolled"] == 31
    assert real_network.nodes["younger-2013"]["design"] == "randomised_crossover_trial"
    assert real_network.nodes["ldn-4.5mg"]["dose_band"] == "low"
    assert "CHEBI:7465" in real_network.nodes["naltrexone"]["xrefs"].split("|")
    # no literal (a label, a year, a dose) ever became a node
    literals = {str(o) for o in rdf_graph.objects() if isinstance(o, Literal)}
    assert not (set(real_network.nodes) & (literals - entities))


def test_each_claim_with_an_object_is_one_edge_carrying_its_evidence(rdf_graph, real_network):
    claims = {c for c in rdf_graph.subjects(RDF.type, LDN.Claim) if rdf_graph.value(c, LDN.object) is not None}
    claim_edges = [d for *_, d in real_network.edges(data=True) if d["origin"] == "claim"]
    assert len(claim_edges) == len(claims)
    data = real_network.edges["ldn-4.5mg", "fibromyalgia", "a003-younger2013-pain"]
    assert data["predicate"] == "studied_for"
    assert data["level"] == "rct" and data["level_rank"] == 1
    assert data["study"] == "younger-2013"
    assert data["layer"] == "clinical"
    assert data["status"] == "asserted"
    assert data["discrepancy"] == "misreported_number"


def test_fibromyalgia_has_clinical_evidence_from_younger_2013(real_network):
    clinical = view(real_network, layers=["clinical"], evidence_only=True)
    studies = {d.get("study") for _, v, d in clinical.in_edges("fibromyalgia", data=True)}
    assert "younger-2013" in studies


def test_naltrexone_is_an_antagonist_of_the_mu_opioid_receptor(real_network):
    predicates = {
        d["predicate"] for d in real_network.get_edge_data("naltrexone", "mu-opioid-receptor", default={}).values()
    }
    assert "antagonist_of" in predicates


def test_tlr4_is_linked_to_microglia(real_network):
    assert real_network.has_edge("tlr4", "microglia") or real_network.has_edge("microglia", "tlr4")


def test_disputed_claims_are_kept_but_left_out_of_views(explore_network):
    assert explore_network.edges["naltrexone", "zz-process", "zz-c-disputed"]["status"] == "disputed"
    assert not view(explore_network).has_edge("naltrexone", "zz-process")
    assert view(explore_network, include_disputed=True).has_edge("naltrexone", "zz-process")


def test_value_claims_become_node_attributes(explore_network):
    assert "12 ZZD/month" in explore_network.nodes["ldn-4.5mg"]["has_cost"]


def test_structural_and_record_edges_are_projected_once(explore_network):
    assert explore_network.edges["zz-receptor", "zz-cell", "zz-edge-expressed"]["origin"] == "edge"
    assert explore_network.edges["zz-receptor", "zz-cell", "zz-edge-expressed"]["layer"] == "mechanistic"
    assert len(explore_network.get_edge_data("zz-receptor", "zz-cell")) == 1
    investigates = explore_network.get_edge_data("zz-rct-1", "zz-condition-a")
    assert [d["origin"] for d in investigates.values()] == ["record"]


def test_views_filter_by_kind_layer_and_level(explore_network):
    mech = view(explore_network, kinds=["drug", "protein", "cell_type", "process", "condition"])
    assert {d["kind"] for _, d in mech.nodes(data=True)} <= {"drug", "protein", "cell_type", "process", "condition"}
    strong = view(explore_network, min_level="rct", evidence_only=True)
    assert strong.number_of_edges() > 0
    assert all(d["level_rank"] == 1 for *_, d in strong.edges(data=True))
    preclinical = view(explore_network, levels=["animal", "in_vitro"])
    assert preclinical.has_edge("zz-cell", "zz-process")
    assert not preclinical.has_edge("ldn-4.5mg", "zz-condition-a")
    safety_free = view(explore_network, layers=["mechanistic"])
    assert not safety_free.has_edge("ldn-4.5mg", "zz-condition-a")


def test_unknown_kinds_and_levels_are_reported_by_name(explore_network):
    with pytest.raises(UnknownValue, match="unknown node kind 'planet'"):
        view(explore_network, kinds=["planet"])
    with pytest.raises(UnknownValue, match="evidence level 'meta'"):
        view(explore_network, min_level="meta")
    with pytest.raises(UnknownValue, match="condition"):
        mechanism_paths(explore_network, "no such disease")


def test_an_unknown_layer_is_an_error_not_an_empty_view(explore_network):
    with pytest.raises(UnknownValue, match="layer 'clinicl'"):
        view(explore_network, layers=["clinicl"])


def test_view_takes_kind_aliases_and_any_case(explore_network):
    by_alias = view(explore_network, kinds=["Receptor", "CELL"])
    plain = view(explore_network, kinds=["protein", "cell_type"])
    assert set(by_alias.nodes) == set(plain.nodes) and len(plain) > 0
    assert set(view(explore_network, levels=["RCT"]).edges) == set(view(explore_network, levels=["rct"]).edges)
    assert view(explore_network, min_level="Animal").number_of_edges() > 0
    assert view(explore_network, layers=["Mechanistic"]).number_of_edges() > 0


def test_drop_isolated_keeps_only_nodes_with_an_edge_in_the_view(explore_network):
    full = view(explore_network, layers=["mechanistic"])
    trimmed = view(explore_network, layers=["mechanistic"], drop_isolated=True)
    assert trimmed.number_of_edges() == full.number_of_edges() > 0
    assert len(trimmed) < len(full)
    assert all(trimmed.degree(node) > 0 for node in trimmed)


def test_mechanism_path_runs_from_the_drug_through_receptor_cell_and_process(explore_network):
    paths = mechanism_paths(explore_network, "ZZ condition A")
    nodes = [p.nodes for p in paths]
    assert ("naltrexone", "zz-receptor", "zz-cell", "zz-process", "zz-condition-a") in nodes
    path = next(p for p in paths if p.nodes[1] == "zz-receptor")
    assert [h.predicate for h in path.hops] == ["antagonist_of", "expressed_in", "mediates", "contributes_to"]
    assert path.weakest_level == "in_vitro"
    assert path.rests_on == "preclinical"
    assert path.preclinical_only
    # the disputed shortcut naltrexone -decreases-> zz-process is not a path
    assert all(p.nodes[:2] != ("naltrexone", "zz-process") for p in paths)


def test_a_path_through_a_hypothesis_rests_on_the_hypothesis(explore_network):
    paths = [p for p in mechanism_paths(explore_network, "zz-condition-b") if "zz-receptor" in p.nodes]
    assert paths and all(p.rests_on == "hypothesis" and not p.preclinical_only for p in paths)


def test_mechanism_paths_table_has_one_row_per_path(explore_network):
    table = mechanism_paths_table(explore_network, ["zz-condition-a", "zz-condition-b"])
    assert set(table["condition"]) == {"ZZ condition A", "ZZ condition B"}
    assert len(table) == len(mechanism_paths(explore_network, "zz-condition-a")) + len(
        mechanism_paths(explore_network, "zz-condition-b")
    )


def test_shared_mechanisms_lists_the_process_behind_both_conditions(explore_network):
    shared = shared_mechanisms(explore_network, conditions=["zz-condition-a", "zz-condition-b"])
    rows = shared.set_index("mechanism")
    assert rows.loc["zz-process", "n_conditions"] == 2
    assert rows.loc["zz-process", "conditions"] == "ZZ condition A, ZZ condition B"
    assert {"zz-receptor", "zz-cell"} <= set(rows.index)


def test_centrality_ranks_biological_nodes_and_counts_claims(explore_network):
    table = centrality(explore_network)
    assert not ({"study", "source", "organisation"} & set(table["kind"]))
    row = table.set_index("id").loc["zz-process"]
    assert row["claims"] == 3  # mediates in, contributes_to out twice (the disputed claim is not counted)
    assert table["betweenness"].is_monotonic_decreasing


def test_a_condition_inherits_the_paths_of_the_broader_condition_it_is_a_kind_of(explore_network):
    paths = mechanism_paths(explore_network, "zz-condition-c")
    assert ("naltrexone", "zz-receptor", "zz-cell", "zz-process", "zz-condition-a", "zz-condition-c") in [
        p.nodes for p in paths
    ]
    last = paths[0].hops[-1]
    assert (last.source, last.predicate, last.target, last.level) == (
        "zz-condition-a",
        "includes",
        "zz-condition-c",
        None,
    )
    assert "-[includes]-> ZZ condition C" in str(paths[0])
    assert mechanism_paths(explore_network, "zz-condition-c", via_broader=False) == []
    shared = shared_mechanisms(explore_network).set_index("mechanism")
    assert "ZZ condition C" in shared.loc["zz-process", "conditions"]


def test_centrality_says_which_subgraph_it_ranks(explore_network):
    frame = centrality(explore_network, kinds=["process", "cell_type"])
    ranked = frame.attrs["subgraph"]
    assert ranked["kinds"] == ["cell_type", "process"]
    assert ranked["nodes"] == len(frame) and ranked["edges"] >= 0
    assert set(frame["kind"]) <= {"process", "cell_type"}
    assert "source" not in centrality(explore_network).attrs["subgraph"]["kinds"]


def test_the_inline_viewer_says_what_to_do_where_a_notebook_strips_it():
    import re

    from ldngraph.explore.notebook import inline_html

    html = inline_html("<html><body>x</body></html>").data
    outside = re.sub(r"<iframe.*?</iframe>", "", html, flags=re.S)
    assert "not trusted" in outside and "jupyter trust" in outside
    assert "srcdoc=" in html and 'sandbox="allow-scripts"' in html
