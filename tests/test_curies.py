"""CURIEs: expanded, compressed and checked with the `curies` package and the Bioregistry, offline, and lazily."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import FIXTURE_SOURCES, RESOURCES, make_graph_dir
from ldngraph.core import curies as lc
from ldngraph.core import namespaces as ns

ROOT = Path(__file__).resolve().parent.parent


def test_linked_prefixes_agree_with_the_installed_bioregistry():
    assert lc.differences_from_bioregistry() == []
    assert len({e.prefix for e in lc.LINKED}) == len(lc.LINKED)


@pytest.mark.parametrize("entry", lc.LINKED, ids=[e.prefix for e in lc.LINKED])
def test_each_linked_prefix_expands_compresses_and_validates_the_bioregistry_example(entry):
    import bioregistry

    example = bioregistry.get_example(entry.bioregistry)
    curie = f"{entry.prefix}:{example}"
    assert lc.check(curie) is None
    iri = lc.expand(curie)
    assert iri == entry.uri_prefix + example
    assert lc.compress(iri) == curie
    assert ns.expand_curie(curie) == iri
    # the Bioregistry's canonical spelling reads the same
    assert lc.standardize(f"{entry.bioregistry}:{example}") == curie


def test_a_local_id_that_breaks_the_pattern_is_a_bad_curie():
    problem = lc.check("CHEBI:abc")
    assert problem is not None and problem.code == "bad-curie"
    assert "CHEBI" in problem.message and r"^\d+$" in problem.message
    assert lc.expand("CHEBI:abc") is None and ns.expand_curie("CHEBI:abc") is None
    assert lc.check("MONDO:5546").code == "bad-curie"  # MONDO ids have seven digits


def test_an_unknown_prefix_is_a_bad_curie_with_a_hint():
    problem = lc.check("NOTAPREFIX:123")
    assert problem is not None and problem.code == "bad-curie" and "unknown prefix" in problem.message
    assert "did you mean CHEBI" in lc.check("Chebi:7465").message


def test_a_valid_curie_of_a_prefix_the_project_does_not_link_is_a_warning():
    problem = lc.check("FMA:12345")
    assert problem is not None and problem.code == "curie-not-linked"
    assert "python -m ldngraph.core.curies FMA" in problem.message
    assert ns.expand_curie("FMA:12345") is None  # no link from a prefix outside LINKED


def test_biolink_spelling_of_curies():
    assert lc.biolink_curie("DOI:10.1002/art.37734") == "doi:10.1002/art.37734"
    assert lc.biolink_curie("NCT:NCT00568555") == "CLINICALTRIALS:NCT00568555"
    assert lc.biolink_curie("UniProtKB:P35372") == "UniProtKB:P35372"
    assert lc.biolink_curie("ATC:N07BB04") is None  # Biolink has no ATC prefix


@pytest.mark.parametrize(
    "text", ["javascript:alert(1)", "CHEBI:7465 onclick=x", "CHEBI:", ":7465", "NOPE:1", "PMID:1<script>"]
)
def test_viewer_links_only_from_linked_prefixes_and_safe_ids(text):
    assert ns.expand_curie(text) is None


def test_pmc_without_its_prefix_still_links():
    assert ns.expand_curie("PMC:3661907") == "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC3661907"


def test_every_xref_and_primary_record_of_the_real_graph_is_sound(curated):
    from ldngraph.curation.checks import check_curies

    assert check_curies(curated.records) == []


@pytest.mark.parametrize(
    ("case", "code", "line"),
    [("bad-curie-pattern", "bad-curie", 2), ("bad-curie-prefix", "bad-curie", 3)],
)
def test_validate_reports_a_bad_curie_at_file_line_and_record(tmp_path, case, code, line):
    from ldngraph.rdf.validate import validate

    report = validate(make_graph_dir(tmp_path, RESOURCES / "invalid" / case), sources_dir=FIXTURE_SOURCES).report
    found = [p for p in report.problems if p.code == code]
    assert len(found) == 1, report.to_text()
    assert (Path(found[0].file).name, found[0].line) == ("drugs.tsv", line)
    assert found[0].record_id.startswith("drug-")
    assert not report.ok


def test_validate_command_prints_the_bad_curie_and_fails(tmp_path):
    graph = make_graph_dir(tmp_path, RESOURCES / "invalid" / "bad-curie-pattern")
    result = subprocess.run(
        [sys.executable, "-m", "ldngraph", "validate", "-g", str(graph), "--sources", str(FIXTURE_SOURCES)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "CI": ""},
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "bad-curie" in result.stdout and "drugs.tsv:2" in result.stdout and "drug-x" in result.stdout


_NO_NETWORK = """
import socket, sys
attempts = []
def refuse(*args, **kwargs):
    attempts.append(args[1:3])
    raise OSError("network refused")
socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from ldngraph.core import curies
converter = curies.bioregistry_converter()
assert converter.expand("CHEBI:7465") == "http://purl.obolibrary.org/obo/CHEBI_7465"
assert curies.check("FMA:12345").code == "curie-not-linked"
assert curies.check("NOTAPREFIX:1").code == "bad-curie"
print("attempts", len(attempts))
"""


def test_the_bioregistry_loads_and_answers_with_no_network():
    result = subprocess.run([sys.executable, "-c", _NO_NETWORK], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "attempts 0"


def _imported(args: list[str], env: dict[str, str] | None = None) -> set[str]:
    """The modules a `python -X importtime -m ldngraph ...` run imports."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ldngraph", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}


def test_help_imports_neither_curies_nor_bioregistry():
    modules = _imported(["--help"])
    assert "ldngraph.cli" in modules
    assert not {"bioregistry", "curies"} & modules


def test_query_and_validate_do_not_load_the_bioregistry(tmp_path):
    # every CURIE of the fixture graph has a linked prefix, so nothing needs the whole Bioregistry
    graph = make_graph_dir(tmp_path)
    env = {"LDNGRAPH_GRAPH_DIR": str(graph), "LDNGRAPH_BUILD_DIR": str(tmp_path / "build"), "CI": ""}
    query = _imported(["query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"], env=env)
    assert "ldngraph.sparql.query" in query and "bioregistry" not in query
    validate = _imported(["validate", "--no-shacl", "--sources", str(FIXTURE_SOURCES)], env=env)
    assert "ldngraph.core.curies" in validate and "bioregistry" not in validate


def test_a_valid_but_unlinked_xref_is_a_warning_that_does_not_fail_validation(tmp_path):
    from ldngraph.rdf.validate import validate

    graph = make_graph_dir(tmp_path)
    drugs = graph / "records" / "drugs.tsv"
    drugs.write_text(drugs.read_text().replace("CHEBI:7465", "CHEBI:7465|FMA:12345"))
    report = validate(graph, sources_dir=FIXTURE_SOURCES).report
    (found,) = [p for p in report.problems if p.code == "curie-not-linked"]
    assert found.level.value == "warning" and found.line == 2 and report.ok
