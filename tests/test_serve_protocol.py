"""SPARQL 1.1 Protocol details at `ldngraph serve`: `ldngraph query --endpoint` against it, the dataset
parameters, CORS preflight, the service description, ASK in CSV/TSV and methods it does not offer."""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from helpers import http, running_server
from ldngraph.core import namespaces as ns
from ldngraph.sparql.store import open_store

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"


@pytest.fixture(scope="module")
def url():
    with running_server(open_store("memory"), workers=2, timeout=10) as (_, endpoint):
        yield endpoint



def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ldngraph", *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


# --- 5. `ldngraph query --endpoint` against `ldngraph serve` ---------------------------------------------


def test_the_cli_queries_this_server_like_the_embedded_store(url):
    """Before: exit 2, the server refused the default-graph-uri the client always sends."""
    local = cli("query", "trials", "--format", "csv")
    remote = cli("query", "trials", "--format", "csv", "--endpoint", url)
    assert local.returncode == 0, local.stderr
    assert remote.returncode == 0, remote.stderr
    assert remote.stdout == local.stdout and remote.stdout.count("\n") > 5


@pytest.mark.parametrize("how", ["get", "form"])
def test_default_graph_uri_naming_this_graph_is_accepted(url, how):
    fields = {"query": "ASK { ldnid:fibromyalgia a ldn:Condition }", "default-graph-uri": ns.GRAPH}
    if how == "get":
        status, _, body = http(url + "?" + urllib.parse.urlencode(fields))
    else:
        status, _, body = http(url, urllib.parse.urlencode(fields).encode(),
                               {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and '"boolean": true' in body


@pytest.mark.parametrize("field, value", [
    ("default-graph-uri", "http://example.org/other"),
    ("named-graph-uri", ns.GRAPH),
    ("named-graph-uri", "http://example.org/other"),
])
def test_other_dataset_parameters_are_refused_with_a_clear_message(url, field, value):
    status, _, body = http(url + "?" + urllib.parse.urlencode({"query": "ASK {}", field: value}))
    assert status == 400 and ns.GRAPH in body and "\n" not in body.strip()


# --- 6. CORS, service description, ASK as CSV/TSV, other methods -----------------------------------------


def test_cors_preflight_allows_the_headers_browser_editors_send(url):
    status, headers, _ = http(url, method="OPTIONS", headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "x-requested-with, content-type, accept"})
    assert status == 204 and headers["Access-Control-Allow-Origin"] == "*"
    allowed = {h.strip().lower() for h in headers["Access-Control-Allow-Headers"].split(",")}
    assert {"x-requested-with", "content-type", "accept"} <= allowed
    status, headers, _ = http(url, method="OPTIONS", headers={"Access-Control-Request-Headers": "bad\x7fname"})
    assert "\x7f" not in headers["Access-Control-Allow-Headers"]


def test_service_description_in_turtle(url):
    from rdflib import Graph, Namespace, URIRef
    from rdflib.namespace import RDF

    sd = Namespace(SD)
    status, headers, body = http(url, headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=body, format="turtle", publicID=url)
    service = next(graph.subjects(RDF.type, sd.Service))
    assert (service, sd.endpoint, URIRef(url)) in graph
    assert set(graph.objects(service, sd.supportedLanguage)) == {sd.SPARQL11Query}
    formats = {str(f).removeprefix(FORMATS) for f in graph.objects(service, sd.resultFormat)}
    assert formats == {"SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                       "Turtle", "N-Triples", "RDF_XML"}
    assert not list(graph.objects(service, sd.feature))  # no update, no union default graph, nothing else
    dataset = graph.value(service, sd.defaultDataset)
    assert graph.value(dataset, sd.defaultGraph) == URIRef(ns.GRAPH)


def test_without_turtle_in_accept_the_plain_hint_stays(url):
    for accept in ("", "*/*", "text/html,application/xhtml+xml,*/*;q=0.8"):
        status, headers, body = http(url, headers={"Accept": accept} if accept else {})
        assert status == 200 and headers["Content-Type"].startswith("text/plain") and "query" in body


@pytest.mark.parametrize("how", [{"Accept": "text/csv"}, {"Accept": "text/tab-separated-values"}, "format=csv"])
def test_ask_as_csv_or_tsv_is_406_naming_what_it_can_return(url, how):
    query = urllib.parse.urlencode({"query": "ASK {}"})
    if isinstance(how, str):
        status, _, body = http(url + "?" + query + "&" + how)
    else:
        status, _, body = http(url + "?" + query, headers=how)
    assert status == 406 and "application/sparql-results+json" in body and "application/sparql-results+xml" in body


def test_ask_falls_back_to_a_later_choice_in_accept(url):
    query = urllib.parse.urlencode({"query": "ASK {}"})
    status, headers, body = http(url + "?" + query,
                                 headers={"Accept": "text/csv, application/sparql-results+xml;q=0.5"})
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+xml" and "<boolean>" in body


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_put_delete_patch_are_405_with_allow(url, method):
    status, headers, body = http(url, data=b"x", method=method, headers={"Content-Type": "text/turtle"})
    assert status == 405 and headers["Allow"] == "GET, POST, OPTIONS"
    assert headers["Content-Type"].startswith("text/plain") and "<html" not in body.lower()


def test_a_port_in_use_or_out_of_range_is_one_line_not_a_traceback():
    import socket
    import subprocess
    import sys

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        port = str(taken.getsockname()[1])
        for value, code, words in ((port, 1, "cannot listen on 127.0.0.1:" + port), ("99999", 2, "--port")):
            done = subprocess.run([sys.executable, "-m", "ldngraph", "serve", "--port", value],
                                  capture_output=True, text=True, timeout=120)
            assert done.returncode == code and words in done.stderr, done.stderr
            assert "Traceback" not in done.stderr
    finally:
        taken.close()
