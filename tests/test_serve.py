"""`ldngraph serve` with real SPARQL clients: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from helpers import http, running_server
from ldngraph.sparql.serve import negotiate, refusal
from ldngraph.sparql.store import open_store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def endpoint():
    with running_server(open_store("memory"), timeout=2.0, max_rows=5, workers=4, max_body=10_000) as (_, url):
        yield url



def test_sparqlwrapper_select_json_and_construct_turtle(endpoint):
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(endpoint)
    client.setQuery('SELECT ?n WHERE { ldnid:younger-2013 ldn:n_enrolled ?n }')
    client.setReturnFormat(JSON)
    result = client.query().convert()
    assert result["results"]["bindings"][0]["n"]["value"] == "31"
    client.setMethod("POST")
    client.setQuery("CONSTRUCT { ldnid:younger-2013 ldn:nct ?x } WHERE { ldnid:younger-2013 ldn:nct ?x }")
    client.setReturnFormat(TURTLE)
    assert b"NCT00568555" in client.query().convert()


def test_rdflib_sparqlstore_reads_the_endpoint(endpoint):
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(endpoint, returnFormat="json"))
    rows = list(graph.query(
        "SELECT ?nct WHERE { <https://w3id.org/ldngraph/id/nct03008590> "
        "<https://w3id.org/ldngraph/vocab#nct> ?nct }"))
    assert [str(r[0]) for r in rows] == ["NCT03008590"]


def test_update_is_refused_with_403(endpoint):
    from SPARQLWrapper import SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(endpoint)
    client.setMethod("POST")
    client.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises((SPARQLWrapperException, urllib.error.HTTPError)):
        client.query()
    status, _, body = http(endpoint, urllib.parse.urlencode({"update": "CLEAR ALL"}).encode(),
                           {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403 and "read-only" in body
    status, _, _ = http(endpoint, b"DROP ALL", {"Content-Type": "application/sparql-update"})
    assert status == 403


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "SELECT * FROM <http://127.0.0.1:1/data.ttl> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <http://127.0.0.1:1/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "LOAD <http://127.0.0.1:1/data.ttl>",
])
def test_outbound_features_are_refused(endpoint, text):
    status, _, body = http(endpoint + "?" + urllib.parse.urlencode({"query": text}))
    assert status == 403, body


def test_timeout_stops_a_runaway_query(endpoint):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    status, _, body = http(endpoint + "?" + urllib.parse.urlencode({"query": slow}))
    assert status == 503 and "timed out" in body
    status, _, _ = http(endpoint + "?" + urllib.parse.urlencode({"query": "ASK {}"}))
    assert status == 200  # the server still answers


def test_row_cap_and_content_negotiation(endpoint):
    query = urllib.parse.urlencode({"query": "SELECT ?s WHERE { ?s ?p ?o }"})
    status, headers, body = http(endpoint + "?" + query, headers={"Accept": "text/csv"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert len(body.strip().splitlines()) == 1 + 5 and headers.get("X-Ldngraph-Truncated") == "true"
    status, headers, body = http(endpoint + "?" + query, headers={"Accept": "application/sparql-results+xml"})
    assert headers["Content-Type"] == "application/sparql-results+xml" and "<sparql" in body
    status, headers, body = http(endpoint + "?" + query, headers={"Accept": "text/tab-separated-values"})
    assert body.startswith("?s\n")
    status, _, _ = http(endpoint + "?" + query, headers={"Accept": "image/png"})
    assert status == 406


def test_direct_post_body_cors_and_body_cap(endpoint):
    status, headers, body = http(endpoint, b"ASK { ldnid:fibromyalgia a ldn:Condition }",
                                 {"Content-Type": "application/sparql-query"})
    assert status == 200 and '"boolean": true' in body
    assert headers["Access-Control-Allow-Origin"] == "*"
    status, headers, _ = http(endpoint, method="OPTIONS")
    assert status == 204 and "POST" in headers["Access-Control-Allow-Methods"]
    status, _, _ = http(endpoint, b"ASK {}" + b" " * 20_000, {"Content-Type": "application/sparql-query"})
    assert status == 413


def test_malformed_query_is_400_with_position(endpoint):
    status, _, body = http(endpoint + "?" + urllib.parse.urlencode({"query": "SELECT ?x WHERE {\n ?x ?y }"}))
    assert status == 400 and "line 2" in body


def test_concurrent_clients_all_get_answers(endpoint):
    results: list[int] = []
    lock = threading.Lock()

    def ask() -> None:
        text = "SELECT ?c WHERE { ?c a ldn:Condition }"
        status, _, _ = http(endpoint + "?" + urllib.parse.urlencode({"query": text}))
        with lock:
            results.append(status)

    threads = [threading.Thread(target=ask) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results == [200] * 12


def test_negotiation_and_refusal_helpers():
    assert negotiate("", "select") == "json" and negotiate("", "graph") == "turtle"
    assert negotiate("text/csv;q=0.5, application/sparql-results+xml", "select") == "xml"
    assert negotiate("*/*", "graph") == "turtle"
    assert refusal('SELECT * WHERE { ?s ?p "SERVICE FROM LOAD" }') is None
    assert refusal("SELECT * WHERE { ?s ex:from ?o }") is None
