"""Running queries: sources of query text, parameters bound as terms, output formats, bad input."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from ldngraph.sparql.query import ParameterError, format_result, query, read_query, run_query
from ldngraph.sparql.store import QuerySyntaxError, open_store

INJECTIONS = [
    '"} UNION { ?s ?p ?o } #',
    "fibromyalgia' } ; DROP ALL ; #",
    "<https://w3id.org/ldngraph/id/fibromyalgia>",
    "{ ?x ?y ?z }",
    'fibromyalgia"@en',
    "\\u0022 ) } SELECT * WHERE { ?s ?p ?o",
]


@pytest.fixture(scope="module")
def store():
    return open_store("memory")


def ldngraph(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ldngraph", *args], capture_output=True, text=True, input=stdin, timeout=120
    )


def test_query_text_file_and_stdin_give_the_same_rows(store, tmp_path):
    text = "SELECT ?c WHERE { ?c a ldn:Condition } ORDER BY ?c"
    file = tmp_path / "conditions.rq"
    file.write_text(text)
    by_text = run_query(store, text)
    assert run_query(store, str(file)).rows == by_text.rows
    assert read_query("-", stdin=io.StringIO(text))[0] == text
    assert any(row[0].value.endswith("/fibromyalgia") for row in by_text.rows)


def test_condition_parameter_is_resolved_by_id_name_or_case(store):
    by_id = run_query(store, "evidence-for-condition", {"condition": "fibromyalgia"})
    by_case = run_query(store, "evidence-for-condition", {"condition": "FibroMyalgia"})
    assert by_id.rows == by_case.rows and by_id.rows


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_strings_in_a_named_parameter_match_nothing_and_change_nothing(store, value):
    with pytest.raises(ParameterError):
        run_query(store, "evidence-for-condition", {"condition": value})


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_strings_in_an_adhoc_parameter_stay_one_literal(store, value):
    result = run_query(store, "SELECT ?v (STRLEN(?v) AS ?n) WHERE { }", {"v": value})
    assert len(result.rows) == 1
    assert result.rows[0][0].value == value and int(result.rows[0][1].value) == len(value)


def test_missing_parameter_is_named(store):
    with pytest.raises(ParameterError, match="'condition'"):
        run_query(store, "evidence-for-condition", {})


def test_unknown_condition_suggests_near_names(store):
    with pytest.raises(ParameterError, match="did you mean"):
        run_query(store, "evidence-for-condition", {"condition": "fibromyalga"})


def test_rows_and_dataframe_from_python(store):
    rows = query("trials", store=store)
    assert any(r["trial"].endswith("/nct03008590") for r in rows)
    frame = query("trials", store=store, dataframe=True)
    assert list(frame.columns)[:3] == ["trial", "label", "nct"] and len(frame) == len(rows)


def test_output_formats(store):
    result = run_query(store, "evidence-for-condition", {"condition": "fibromyalgia"})
    parsed = json.loads(format_result(result, "json"))
    assert parsed["head"]["vars"][0] == "condition"
    assert parsed["results"]["bindings"][0]["condition"]["value"].endswith("/fibromyalgia")
    table = list(csv.reader(io.StringIO(format_result(result, "csv"))))
    assert table[0][0] == "condition" and len(table) == len(result.rows) + 1
    tsv = format_result(result, "tsv").splitlines()
    assert tsv[0].startswith("?condition\t") and "<https://w3id.org/ldngraph/id/fibromyalgia>" in tsv[1]
    markdown = format_result(result, "markdown").splitlines()
    assert markdown[0].startswith("| condition |") and markdown[1].startswith("|---|")
    assert "younger-2013" in format_result(result, "table")


def test_construct_gives_turtle_and_ntriples(store):
    text = "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a ldn:Condition ; rdfs:label ?l }"
    result = run_query(store, text)
    assert result.kind == "graph" and result.triples
    assert "@prefix" in format_result(result, "turtle") or "PREFIX" in format_result(result, "turtle")
    nt = format_result(result, "ntriples")
    assert all(line.endswith(" .") for line in nt.strip().splitlines())


def test_malformed_query_reports_line_and_column(store):
    with pytest.raises(QuerySyntaxError, match=r"line 2, column \d+"):
        run_query(store, "SELECT ?x WHERE {\n ?x ?y }")


def test_cli_malformed_query_exits_2_without_traceback():
    done = ldngraph("query", "SELECT ?x WHERE {\n ?x ?y }")
    assert done.returncode == 2
    assert "line 2, column" in done.stderr and "Traceback" not in done.stderr


def test_cli_unknown_named_query_lists_known_ones():
    done = ldngraph("query", "no-such-query")
    assert done.returncode == 2 and "evidence-for-condition" in done.stderr


def test_cli_missing_parameter_is_named():
    done = ldngraph("query", "evidence-for-condition")
    assert done.returncode == 2 and "'condition'" in done.stderr


def test_cli_parameter_and_stdin_and_csv():
    done = ldngraph("query", "evidence-for-condition", "-p", "condition", "fibromyalgia", "-f", "csv")
    assert done.returncode == 0, done.stderr
    assert "younger-2013" in done.stdout
    done = ldngraph("query", "-", "-f", "json", stdin='ASK { ldnid:younger-2013 ldn:nct "NCT00568555" }')
    assert json.loads(done.stdout)["boolean"] is True


def test_cli_unreachable_endpoint_says_so_in_one_line():
    done = ldngraph("query", "trials", "--endpoint", "http://127.0.0.1:9/query")
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and "cannot reach" in done.stderr


def test_cli_queries_lists_every_named_query():
    done = ldngraph("queries")
    assert done.returncode == 0
    for name in ("evidence-for-condition", "mechanism-paths", "contested", "trials"):
        assert name in done.stdout


def test_short_option_shows_record_ids_and_bare_controlled_values_in_dataframes() -> None:
    """short=True gives the record files' strings (decision 0015): ``rct``, as the networkx projection does."""
    from ldngraph.core.schema import EvidenceLevel
    from ldngraph.sparql.query import query

    frame = query("evidence-for-condition", {"condition": "fibromyalgia"}, dataframe=True, short=True)
    assert "younger-2013" in set(frame["study"])
    assert set(frame["level"]) <= {level.value for level in EvidenceLevel} and "rct" in set(frame["level"])
    assert "randomised_crossover_trial" in set(frame["design"])
    full = query("evidence-for-condition", {"condition": "fibromyalgia"}, dataframe=True)
    assert full["study"].dropna().str.startswith("https://w3id.org/ldngraph/id/").all()


def test_query_file_with_param_header_binds_typed_parameters(tmp_path) -> None:
    from ldngraph.sparql.query import query

    path = tmp_path / "studies-of.rq"
    path.write_text(
        "# Which studies investigate one condition?\n"
        "# param: condition condition — a condition id, name or synonym\n"
        "PREFIX ldn: <https://w3id.org/ldngraph/vocab#>\n"
        "SELECT ?condition ?study WHERE { ?study ldn:investigates ?condition }\n"
    )
    rows = query(str(path), {"condition": "Fibromyalgia"}, short=True)
    assert {"younger-2013", "younger-2009"} <= {row["study"] for row in rows}


def test_short_form_compacts_obo_iris_as_curies():
    import pyoxigraph as ox

    from ldngraph.sparql.query import compact

    assert compact(ox.NamedNode("http://purl.obolibrary.org/obo/MONDO_0005546")) == "MONDO:0005546"
    assert compact(ox.NamedNode("http://purl.obolibrary.org/obo/CHEBI_7465")) == "CHEBI:7465"
    assert compact(ox.NamedNode("http://purl.obolibrary.org/obo/ECO_0000180")) == "ECO:0000180"
    assert compact(ox.NamedNode("http://purl.obolibrary.org/obo/")) == "<http://purl.obolibrary.org/obo/>"
    assert compact(ox.NamedNode("http://example.org/a_b")) == "<http://example.org/a_b>"
