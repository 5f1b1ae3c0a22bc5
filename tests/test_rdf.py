"""Records to RDF: the golden graph, serialisations that read back, stable IRIs, no blank nodes."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from helpers import RESOURCES, make_graph_dir
from ldngraph.core.namespaces import ID, VOCAB
from ldngraph.rdf.build import BuildConfig, build
from ldngraph.rdf.curated import load_curated
from ldngraph.rdf.triples import records_to_graph


def _fixture_graph(tmp_path: Path) -> Graph:
    curated = load_curated(make_graph_dir(tmp_path))
    return records_to_graph(curated.records, curated.metagraph)


def _diff(a: Graph, b: Graph) -> str:
    _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
    return "only built:\n" + only_a.serialize(format="nt") + "\nonly golden:\n" + only_b.serialize(format="nt")


def test_fixture_records_build_the_golden_graph(tmp_path: Path) -> None:
    built = _fixture_graph(tmp_path)
    golden = Graph().parse(RESOURCES / "expected" / "tiny.ttl", format="turtle")
    assert isomorphic(built, golden), _diff(built, golden)


def test_claim_gives_direct_triple_and_reified_evidence(tmp_path: Path) -> None:
    graph = _fixture_graph(tmp_path)
    ldn = VOCAB
    assert (URIRef(ID + "drug-x-4mg"), URIRef(ldn + "studied_for"), URIRef(ID + "condition-a")) in graph
    claim = URIRef(ID + "c-trial")
    assert graph.value(claim, URIRef(ldn + "study")) == URIRef(ID + "trial-t")
    assert str(graph.value(claim, URIRef(ldn + "evidence_level"))).endswith("/level/rct")
    assert (URIRef(ID + "trial-t"), URIRef(ldn + "reported_in"), URIRef(ID + "fixture-article")) in graph


def test_disputed_claim_gives_no_direct_triple(tmp_path: Path) -> None:
    graph_dir = make_graph_dir(tmp_path)
    claims = graph_dir / "records" / "claims.tsv"
    lines = claims.read_text().splitlines()
    header = lines[0].split("\t")
    for i, line in enumerate(lines):
        cells = line.split("\t")
        if cells[0] == "c-blocks":
            cells[header.index("status")] = "disputed"
            cells[header.index("note")] = "test: contradicted"
            lines[i] = "\t".join(cells)
    claims.write_text("\n".join(lines) + "\n")
    curated = load_curated(graph_dir)
    graph = records_to_graph(curated.records, curated.metagraph)
    assert (URIRef(ID + "drug-x"), URIRef(VOCAB + "antagonist_of"), URIRef(ID + "receptor-r")) not in graph
    assert (URIRef(ID + "c-blocks"), URIRef(VOCAB + "claim_status"), None) in graph


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_each_serialisation_reads_back_to_the_same_graph(tmp_path: Path, fmt: str, rdflib_format: str) -> None:
    graph_dir = make_graph_dir(tmp_path)
    result = build(BuildConfig(graph_dir=graph_dir, out_dir=tmp_path / "out", formats=(fmt,), shacl=False))
    read_back = Graph().parse(result.files[fmt], format=rdflib_format)
    reference = Graph().parse(result.files[fmt], format=rdflib_format)
    assert len(read_back) == result.triples
    curated = load_curated(graph_dir)
    expected = records_to_graph(curated.records, curated.metagraph)
    expected.parse(graph_dir / "vocab" / "ldngraph.ttl")
    assert isomorphic(read_back, expected), _diff(read_back, expected)
    assert isomorphic(read_back, reference)


def test_real_graph_has_no_blank_nodes_and_only_stable_iris(rdf_graph: Graph) -> None:
    records_triples = [t for t in rdf_graph if str(t[0]).startswith(ID)]
    assert records_triples
    for triple in rdf_graph:
        assert not any(isinstance(term, BNode) for term in triple), triple


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    graph_dir = make_graph_dir(tmp_path)
    first = build(BuildConfig(graph_dir=graph_dir, out_dir=tmp_path / "a", formats=("nt",), shacl=False))
    second = build(BuildConfig(graph_dir=graph_dir, out_dir=tmp_path / "b", formats=("nt",), shacl=False))
    assert first.files["nt"].read_bytes() == second.files["nt"].read_bytes()


def test_every_claim_carries_the_statement_and_finding_keys_made_from_its_parts(rdf_graph: Graph) -> None:
    from ldngraph.core.namespaces import finding_iri, statement_iri

    ldn = VOCAB
    claims = list(rdf_graph.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef(ldn + "Claim")))
    keyed = 0
    for claim in claims:
        def part(prop: str, claim: URIRef = claim) -> str | None:
            value = rdf_graph.value(claim, URIRef(ldn + prop))
            return None if value is None else str(value).removeprefix(ID).removeprefix(ldn)

        subject, predicate, obj, study = part("subject"), part("predicate"), part("object"), part("study")
        statement, finding = part("statement"), part("finding")
        if obj is None:
            assert statement is None and finding is None, claim
            continue
        keyed += 1
        assert statement == statement_iri(subject, predicate, obj), claim
        assert finding == (finding_iri(study, predicate, obj) if study else None), claim
    assert keyed > 200 and keyed < len(claims)  # value claims have no object, so no keys


def test_shapes_report_a_claim_that_lost_its_statement_or_finding_key(tmp_path: Path) -> None:
    from pyshacl import validate
    from rdflib.namespace import SH

    from ldngraph.core.paths import default_graph_dir
    from ldngraph.rdf.triples import shapes_path, vocabulary_path

    graph = _fixture_graph(tmp_path)
    graph.parse(vocabulary_path(default_graph_dir()), format="turtle")
    shapes = Graph().parse(shapes_path(default_graph_dir()))
    conforms, _, _ = validate(graph, shacl_graph=shapes, inference="rdfs")
    assert conforms
    graph.remove((URIRef(ID + "c-trial"), URIRef(VOCAB + "finding"), None))
    graph.remove((URIRef(ID + "c-blocks"), URIRef(VOCAB + "statement"), None))
    conforms, results, _ = validate(graph, shacl_graph=shapes, inference="rdfs")
    assert not conforms
    focus = {str(results.value(r, SH.focusNode)) for r in results.subjects(SH.resultSeverity, None)}
    assert focus == {ID + "c-trial", ID + "c-blocks"}
