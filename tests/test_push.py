"""Push the curated graph to a real Oxigraph server with the Graph Store Protocol, and query it there."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ldngraph.sparql.push import graph_store_url, push
from ldngraph.sparql.store import EndpointStore, open_store

pytestmark = pytest.mark.slow


def test_graph_store_url_for_common_servers():
    assert graph_store_url("http://127.0.0.1:7878/query") == "http://127.0.0.1:7878/store"
    assert graph_store_url("http://h:3030/ds/sparql") == "http://h:3030/ds/data"
    assert graph_store_url("http://h:3030/ds/query") == "http://h:3030/ds/data"


def test_push_replaces_the_named_graph_so_a_repush_never_duplicates(oxigraph_server):
    endpoint = oxigraph_server + "/query"
    local = open_store("memory").triple_count()
    first = push(endpoint)
    remote = EndpointStore(endpoint)
    assert first.triples == local and remote.triple_count() == local
    push(endpoint)
    assert remote.triple_count() == local
    everything = EndpointStore(endpoint, default_graph=None)
    # the data went into the named graph, not the server's default graph
    assert everything.execute("ASK { GRAPH <https://w3id.org/ldngraph/graph/curated> { ?s ?p ?o } }").boolean


def test_cli_push_then_named_query_at_the_endpoint(oxigraph_server):
    endpoint = oxigraph_server + "/query"
    done = subprocess.run([sys.executable, "-m", "ldngraph", "push", "--endpoint", endpoint],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    done = subprocess.run([sys.executable, "-m", "ldngraph", "query", "trials", "--endpoint", endpoint, "-f", "csv"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "nct03008590" in done.stdout and "va-boston" in done.stdout


def test_parameters_sent_to_an_endpoint_stay_literals(oxigraph_server):
    endpoint = oxigraph_server + "/query"
    push(endpoint)
    remote = EndpointStore(endpoint)
    from ldngraph.sparql.query import ParameterError, run_query

    fibro = run_query(remote, "evidence-for-condition", {"condition": "Fibromyalgia"})
    assert any(str(row[1]).endswith("a003-younger2013-pain>") for row in fibro.rows)
    with pytest.raises(ParameterError):
        run_query(remote, "evidence-for-condition", {"condition": '"} UNION { ?s ?p ?o } #'})
    result = run_query(remote, "SELECT ?v WHERE { }", {"v": '"} ; DROP ALL #'})
    assert result.rows[0][0].value == '"} ; DROP ALL #'
    assert remote.triple_count() > 0
