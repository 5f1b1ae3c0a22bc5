"""Every export read back with the reader its ecosystem uses, compared by counts and a sample of facts."""

from __future__ import annotations

import csv
import json

import networkx as nx
import pandas as pd
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from ldngraph.cli import app
from ldngraph.core import namespaces as ns
from ldngraph.explore.export import FORMATS, ExportError, export
from ldngraph.explore.network import to_networkx
from ldngraph.rdf.build import load_graph

LDN = ns.VOCAB
ID = ns.ID


@pytest.fixture(scope="module")
def rdf(explore_graph_dir):
    return load_graph(explore_graph_dir)


@pytest.fixture(scope="module")
def network(explore_network):
    return explore_network


def _edge_keys(graph: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    return {(u, v, str(k)) for u, v, k in graph.edges(keys=True)}


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_rdf_exports_read_back_with_rdflib_as_the_same_graph(tmp_path, explore_graph_dir, rdf, fmt, rdflib_format):
    (path,) = export(fmt, tmp_path / FORMATS[fmt].files[0], explore_graph_dir)
    back = Graph().parse(path, format=rdflib_format)
    assert len(back) == len(rdf)
    assert isomorphic(back, rdf)
    claim = URIRef(ID + "zz-c-rct1")
    assert (claim, URIRef(LDN + "evidence_level"), URIRef(ns.LEVEL + "rct")) in back
    assert (URIRef(ID + "younger-2013"), URIRef(LDN + "n_enrolled"), Literal(31)) in back


def test_graphml_reads_back_with_networkx_with_the_same_nodes_edges_and_attributes(
    tmp_path, explore_graph_dir, network
):
    (path,) = export("graphml", tmp_path / "g.graphml", explore_graph_dir)
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.is_directed() and back.is_multigraph()
    assert set(back.nodes) == set(network.nodes)
    assert _edge_keys(back) == _edge_keys(network)
    assert back.nodes["fibromyalgia"]["kind"] == "condition"
    assert back.nodes["younger-2013"]["n_enrolled"] == 31
    edge = back.edges["ldn-4.5mg", "zz-condition-a", "zz-c-rct1"]
    assert (edge["predicate"], edge["level"], edge["direction"], edge["study"], edge["n"]) == (
        "studied_for",
        "rct",
        "supports",
        "zz-rct-1",
        40,
    )


def test_cytoscape_json_reads_back_with_json_and_networkx(tmp_path, explore_graph_dir, network):
    (path,) = export("cytoscape-json", tmp_path / "g.cyjs", explore_graph_dir)
    document = json.loads(path.read_text(encoding="utf-8"))
    nodes, edges = document["elements"]["nodes"], document["elements"]["edges"]
    assert len(nodes) == network.number_of_nodes()
    assert len(edges) == network.number_of_edges()
    assert len({e["data"]["id"] for e in edges}) == len(edges)  # Cytoscape.js needs unique element ids
    by_id = {n["data"]["id"]: n["data"] for n in nodes}
    assert by_id["naltrexone"]["name"] == "naltrexone" and by_id["naltrexone"]["kind"] == "drug"
    edge = next(e["data"] for e in edges if e["data"]["id"] == "zz-c-antagonist")
    assert (edge["source"], edge["target"], edge["interaction"], edge["level"]) == (
        "naltrexone",
        "zz-receptor",
        "antagonist_of",
        "in_vitro",
    )
    back = nx.cytoscape_graph(document)
    assert set(back.nodes) == set(network.nodes)
    assert _edge_keys(back) == _edge_keys(network)


def test_kgx_tsv_has_biolink_categories_and_predicates_and_matches_the_graph(tmp_path, explore_graph_dir, network):
    paths = export("kgx", tmp_path / "kgx", explore_graph_dir)
    assert [p.name for p in paths] == ["ldngraph_nodes.tsv", "ldngraph_edges.tsv", "ldngraph_context.jsonld"]
    nodes = pd.read_csv(paths[0], sep="\t", dtype=str, keep_default_na=False, quoting=csv.QUOTE_NONE)
    edges = pd.read_csv(paths[1], sep="\t", dtype=str, keep_default_na=False, quoting=csv.QUOTE_NONE)
    assert len(nodes) == network.number_of_nodes()
    assert len(edges) == network.number_of_edges()
    assert nodes["id"].is_unique and edges["id"].is_unique
    assert set(edges["subject"]) | set(edges["object"]) <= set(nodes["id"])
    assert nodes["category"].str.startswith("biolink:").all()
    assert edges["predicate"].str.startswith("biolink:").all()
    for column, value in [("primary_knowledge_source", "infores:ldngraph"), ("agent_type", "manual_agent")]:
        assert (edges[column] == value).all()
    assert (edges["knowledge_level"] == "knowledge_assertion").all()
    # a node with an external id is known by it (Biolink's preferred prefix), with its curated id as an xref
    by_iri = nodes.set_index("iri")
    naltrexone = by_iri.loc[ID + "naltrexone"]
    assert (naltrexone["id"], naltrexone["category"]) == ("CHEBI:7465", "biolink:ChemicalEntity")
    assert "ldnid:naltrexone" in naltrexone["xref"].split("|") and "CHEBI:7465" not in naltrexone["xref"].split("|")
    fibromyalgia = by_iri.loc[ID + "fibromyalgia"]
    assert (fibromyalgia["id"], fibromyalgia["category"]) == ("MONDO:0005546", "biolink:DiseaseOrPhenotypicFeature")
    assert by_iri.loc[ID + "zz-condition-a", "id"] == "ldnid:zz-condition-a"  # no external id
    edge = edges.set_index("id").loc["ldnid:zz-c-rct1"]
    assert (edge["subject"], edge["predicate"], edge["object"]) == (
        "ldnid:ldn-4.5mg",
        "biolink:studied_to_treat",
        "ldnid:zz-condition-a",
    )
    assert edge["original_predicate"] == "ldn:studied_for"
    assert edge["publications"] == "PMID:1|ldnid:003_31158820d64b0034" and edge["has_evidence"] == "ECO:0000180"
    expressed = edges.set_index("id").loc["ldnid:zz-edge-expressed"]
    assert expressed["predicate"] == "biolink:expressed_in"
    assert not {"biolink:publications", "biolink:provided_by"} & set(edges["predicate"])
    context = json.loads(paths[2].read_text(encoding="utf-8"))["@context"]
    assert context["ldnid"] == ID


def test_csv_tables_read_back_with_pandas(tmp_path, explore_graph_dir, network):
    paths = export("csv", tmp_path / "tables", explore_graph_dir)
    nodes = pd.read_csv(paths[0], dtype=str, keep_default_na=False)
    edges = pd.read_csv(paths[1], dtype=str, keep_default_na=False)
    assert len(nodes) == network.number_of_nodes() and len(edges) == network.number_of_edges()
    assert list(nodes.columns[:4]) == ["id", "kind", "label", "iri"]
    counts = edges.groupby("predicate").size().to_dict()
    expected: dict[str, int] = {}
    for *_, data in network.edges(data=True):
        expected[data["predicate"]] = expected.get(data["predicate"], 0) + 1
    assert counts == expected
    row = edges.set_index("id").loc["zz-c-rct1-again"]
    assert row["effect"] == "<b>38</b> & improved"  # commas, quotes and markup survive CSV quoting
    assert nodes.set_index("id").loc["zz-rct-2", "n_enrolled"] == "60"


def test_exports_of_the_real_graph_keep_every_node_and_edge(tmp_path, rdf_graph):
    network = to_networkx(rdf_graph)
    (graphml,) = export("graphml", tmp_path / "real.graphml", rdf_graph)
    back = nx.read_graphml(graphml, force_multigraph=True)
    assert (back.number_of_nodes(), back.number_of_edges()) == (network.number_of_nodes(), network.number_of_edges())
    assert back.edges["ldn-4.5mg", "fibromyalgia", "a003-younger2013-pain"]["study"] == "younger-2013"


def test_unknown_format_and_file_instead_of_folder_are_clear_errors(tmp_path, explore_graph_dir):
    with pytest.raises(ExportError, match="unknown export format 'gexf'"):
        export("gexf", tmp_path / "x", explore_graph_dir)
    clash = tmp_path / "file"
    clash.write_text("x")
    with pytest.raises(ExportError, match="writes a folder"):
        export("kgx", clash, explore_graph_dir)


def test_export_command(tmp_path, explore_graph_dir):
    runner = CliRunner()
    result = runner.invoke(
        app, ["export", "--format", "graphml", "-o", str(tmp_path / "a.graphml"), "-g", str(explore_graph_dir)]
    )
    assert result.exit_code == 0, result.output
    assert nx.read_graphml(tmp_path / "a.graphml").number_of_nodes() > 0
    bad = runner.invoke(app, ["export", "--format", "gexf", "-g", str(explore_graph_dir)])
    assert bad.exit_code == 2
    assert "unknown format 'gexf'" in bad.output
    assert "Traceback" not in bad.output


def test_every_claim_keeps_its_article_in_every_network_export(tmp_path, rdf_graph):
    """The edge attribute `source` used to be the article and was overwritten by the start node in Cytoscape
    JSON and CSV (245 claims lost their article); the article is now `source_article` everywhere."""
    graph = to_networkx(rdf_graph)
    edges = graph.edges(keys=True, data=True)
    claims = {str(k): d["source_article"] for *_, k, d in edges if d.get("origin") == "claim"}
    assert len(claims) > 200 and all(claims.values())
    frame = nx.to_pandas_edgelist(graph)
    assert {"source", "target", "source_article"} <= set(frame.columns)
    assert set(frame["source"]) <= set(graph.nodes)
    export("cytoscape-json", tmp_path / "g.json", None)
    elements = json.loads((tmp_path / "g.json").read_text())["elements"]["edges"]
    from_json = {e["data"]["id"]: e["data"].get("source_article") for e in elements if e["data"]["id"] in claims}
    assert from_json == claims
    export("csv", tmp_path / "csv", None)
    edges = pd.read_csv(tmp_path / "csv" / "edges.csv", dtype=str)
    by_id = dict(zip(edges["id"], edges["source_article"], strict=True))
    assert {k: by_id[k] for k in claims} == claims
    export("graphml", tmp_path / "g.graphml", None)
    back = nx.read_graphml(tmp_path / "g.graphml")
    from_graphml = {d.get("id", k): d.get("source_article") for *_, k, d in back.edges(keys=True, data=True)}
    assert {k: from_graphml.get(k) for k in claims} == claims
