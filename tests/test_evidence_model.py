"""What the built graph asserts: a denied or doubted statement is never a direct triple; a study of unknown
design never carries a trial's evidence level."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from ldngraph.core import namespaces as ns
from ldngraph.rdf.build import load_graph
from ldngraph.rdf.triples import asserts_directly


@pytest.fixture(scope="module")
def graph(graph_dir):
    return load_graph(graph_dir)


def node(name: str) -> URIRef:
    return URIRef(ns.ID + name)


def rel(name: str) -> URIRef:
    from ldngraph.rdf.triples import predicate_iri

    return predicate_iri(name)


VOCAB = "https://w3id.org/ldngraph/vocab#"


def claims_behind(graph, s, p, o):
    """(direction, status) of every claim whose statement is s p o."""
    query = """
        SELECT ?direction ?status WHERE {
          ?c a ldn:Claim ; ldn:subject ?s ; ldn:predicate ?p ; ldn:object ?o ;
             ldn:direction ?direction ; ldn:claim_status ?status .
        }"""
    rows = graph.query(query, initNs={"ldn": VOCAB}, initBindings={"s": s, "p": p, "o": o})
    return {(str(r.direction).rsplit("/", 1)[1], str(r.status).rsplit("/", 1)[1]) for r in rows}


@pytest.mark.parametrize("subject, predicate, obj", [
    ("ldn-4.5mg", "has_adverse_effect", "liver-toxicity"),
    ("ldn-4.5mg", "interacts_with", "ms-disease-modifying-drugs"),
    ("naltrexone-standard", "interacts_with", "acetaminophen"),
    ("ldn-band-low", "has_adverse_effect", "opioid-withdrawal"),
    ("ldn-band-low", "has_adverse_effect", "adverse-effects-general"),
    ("ldn-0.1mg-kg-paediatric", "has_adverse_effect", "adverse-effects-general"),
    ("naltrexone-standard", "has_caution", "long-term-safety-unknown"),
    ("ldn-band-low", "has_adverse_effect", "cancer-risk"),
    ("ldn-band-low", "has_adverse_effect", "infection-risk"),
    ("ldn-band-low", "has_adverse_effect", "discontinuation-symptoms"),
    ("naltrexone-standard", "has_adverse_effect", "adverse-effects-general"),
])
def test_what_the_articles_deny_or_only_theorise_is_no_direct_triple(graph, subject, predicate, obj):
    s, p, o = node(subject), rel(predicate), node(obj)
    assert ("supports", "asserted") not in claims_behind(graph, s, p, o)  # what is recorded stays reified
    assert (s, p, o) not in graph


def test_no_direct_triple_stands_only_on_denying_or_doubting_claims(graph):
    """Over the whole build: every direct triple between claim-predicate nodes has a supporting claim."""
    predicates = {row[0] for row in graph.query(
        "SELECT DISTINCT ?p WHERE { ?c a ldn:Claim ; ldn:predicate ?p }", initNs={"ldn": VOCAB})}
    checked = 0
    for p in predicates:
        for s, o in graph.subject_objects(p):
            behind = claims_behind(graph, s, p, o)
            if not behind:
                continue  # a structural edge, not a claim's statement
            checked += 1
            assert ("supports", "asserted") in behind, (s, p, o, behind)
    assert checked > 50


def test_denying_claims_are_marked_negated(graph):
    rows = list(graph.query("""
        SELECT ?c ?negated WHERE {
          ?c a ldn:Claim ; ldn:direction ?d . FILTER(?d IN (direction:contradicts, direction:no_effect))
          OPTIONAL { ?c ldn:negated ?negated }
        }""", initNs={"ldn": VOCAB, "direction": "https://w3id.org/ldngraph/vocab/direction/"}))
    assert len(rows) >= 10
    assert all(row.negated == Literal(True) for row in rows), [row.c for row in rows if row.negated is None]


def test_only_asserted_supporting_claims_assert_directly():
    from ldngraph.core.schema import Claim

    base = {"id": "c", "subject": "a", "predicate": "studied_for", "object": "b", "source": "s",
            "quote": "a quote long enough", "level": "rct", "curator": "test", "date_curated": "2026-12-02"}
    for direction, status, expected in [("supports", "asserted", True), ("supports", "disputed", False),
                                        ("contradicts", "asserted", False), ("no_effect", "asserted", False),
                                        ("mixed", "asserted", False)]:
        claim = Claim.model_validate({**base, "direction": direction, "status": status})
        assert asserts_directly(claim) is expected, (direction, status)
