"""Every store (Oxigraph in memory and on disk, rdflib Memory, a real Oxigraph server) gives the same answers."""

from __future__ import annotations

import pytest

from helpers import same_value
from ldngraph.sparql.named_queries import list_queries
from ldngraph.sparql.query import run_query
from ldngraph.sparql.store import (
    EndpointError,
    EndpointStore,
    OxigraphStore,
    QueryError,
    StoreError,
    inline_values,
    open_store,
    where_group_start,
)

PARAMS = {"condition": "fibromyalgia", "source": "003_31158820d64b0034"}


def answers(store) -> dict[str, list]:
    out = {}
    for named in list_queries():
        result = run_query(store, named.name, {p.name: PARAMS[p.name] for p in named.params})
        out[named.name] = sorted(tuple(same_value(t) for t in row) for row in result.rows)
    return out


@pytest.fixture(scope="module")
def reference():
    return answers(open_store("memory"))


def test_on_disk_store_gives_the_same_answers_and_is_reused(tmp_path, reference):
    store = open_store("disk", path=tmp_path / "db")
    assert answers(store) == reference
    count = store.triple_count()
    store.close()
    del store
    again = open_store("disk", path=tmp_path / "db")
    assert again.triple_count() == count


@pytest.mark.slow
def test_rdflib_memory_store_gives_the_same_answers(reference):
    assert answers(open_store("rdflib")) == reference


@pytest.mark.slow
def test_oxigraph_server_gives_the_same_answers(oxigraph_server, reference):
    from ldngraph.sparql.push import push

    push(oxigraph_server + "/query")
    assert answers(EndpointStore(oxigraph_server + "/query")) == reference


def test_with_loads_extra_rdf_beside_the_curated_graph(tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text("<https://example.org/a> <https://example.org/p> \"x\" .\n")
    messages = []
    store = open_store("memory", extra=[extra], progress=messages.append)
    base = open_store("memory").triple_count()
    assert store.triple_count() == base + 1
    assert any("extra.ttl" in m for m in messages)


def test_with_a_missing_or_unknown_file_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no such file"):
        open_store("memory", extra=[tmp_path / "missing.nt"])
    odd = tmp_path / "data.xyz"
    odd.write_text("")
    with pytest.raises(StoreError, match="unknown RDF format"):
        open_store("memory", extra=[odd])


def test_progress_is_reported_while_loading_a_file(tmp_path):
    big = tmp_path / "big.nt"
    big.write_text("".join(f"<https://example.org/s{i}> <https://example.org/p> \"{i}\" .\n" for i in range(20000)))
    messages = []
    store = OxigraphStore()
    store.load_file(big, progress=messages.append)
    assert store.triple_count() == 20000 and messages[-1].startswith("loaded big.nt: 20,000")


def test_inline_values_escape_the_value():
    import pyoxigraph as ox

    text = inline_values("SELECT ?v WHERE { }", {"v": ox.Literal('"} ; DROP ALL #')})
    store = OxigraphStore()
    assert store.execute(text).rows[0][0].value == '"} ; DROP ALL #'


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("SELECT ?x WHERE { ?x ?p ?o }", "{ ?x ?p ?o }"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "{ ?s ?p ?o }"),
        ("construct{?s <urn:p> ?o}{?s ?p ?o}", "{?s ?p ?o}"),
        ("SELECT (EXISTS { ?a ?b ?c } AS ?e) WHERE { ?x ?y ?z }", "{ ?x ?y ?z }"),
        ("# a { in a comment\nSELECT * { ?s ?p '{' }", "{ ?s ?p '{' }"),
        ("ASK {}", "{}"),
    ],
)
def test_the_where_group_is_found_past_templates_projections_strings_and_comments(text, group):
    start = where_group_start(text)
    assert start is not None and text[start:].startswith(group)


def test_a_query_without_a_where_group_takes_no_values_block():
    import pyoxigraph as ox

    assert where_group_start("DESCRIBE <https://w3id.org/ldngraph/id/naltrexone>") is None
    with pytest.raises(QueryError, match="no WHERE group"):
        inline_values("DESCRIBE <urn:x>", {"x": ox.NamedNode("urn:x")})


def test_a_parameter_of_a_construct_binds_in_the_where_group_on_every_kind_of_store(oxigraph_server):
    from ldngraph.sparql.push import push

    text = "CONSTRUCT { ?c <urn:ldngraph:test> ?label } WHERE { ?c a ldn:Condition ; rdfs:label ?label }"
    push(oxigraph_server + "/query")
    stores = [open_store("memory"), open_store("rdflib"), EndpointStore(oxigraph_server + "/query")]
    found = [sorted(str(t) for t in run_query(store, text, {"label": "fibromyalgia"}).triples) for store in stores]
    assert found[0] == found[1] == found[2]
    assert len(found[0]) == 1 and "/id/fibromyalgia>" in found[0][0]


def test_unreachable_endpoint_is_one_line():
    with pytest.raises(EndpointError) as info:
        EndpointStore("http://127.0.0.1:9/query").execute("ASK {}")
    assert "\n" not in str(info.value) and "cannot reach" in str(info.value)
