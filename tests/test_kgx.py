"""The KGX export against the KGX validator itself (kgx 2.x, the Biolink model of the biolink-model package).

kgx pins versions that clash with ldngraph's (sphinx, pytest, tox, pyarrow, ...) and brings about 700 MB,
so it lives in its own virtual environment: ~/.cache/ldngraph-kgx-venv (under $XDG_CACHE_HOME when set),
made here from PyPI on first use (two to four minutes), or an existing one named by $LDNGRAPH_KGX_VENV.
Without it the kgx tests skip, saying why; under CI=true they fail instead. kgx itself runs offline (see
tests/resources/kgx/validate_offline.py). The other tests here need no kgx.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from conftest import missing
from rdflib import Graph

from ldngraph.core.curies import LINKED
from ldngraph.explore.export import export
from ldngraph.explore.kgx import CONTEXT, ID_PREFIXES, INFORES, to_kgx

ROOT = Path(__file__).resolve().parent.parent
RUNNER = ROOT / "tests" / "resources" / "kgx" / "validate_offline.py"
#: What the kgx environment holds: the validator, the Biolink toolkit and the Biolink model it reads.
KGX_REQUIREMENTS = ["kgx==2.6.0", "bmt==1.5.0", "biolink-model==4.4.6"]


def kgx_venv() -> Path:
    """The kgx virtual environment's python: $LDNGRAPH_KGX_VENV as given, else the cached one, made when needed."""
    given = os.environ.get("LDNGRAPH_KGX_VENV")
    if given:  # someone else's environment: used as it is, never changed
        if not (Path(given) / "bin" / "python").exists():
            missing(f"LDNGRAPH_KGX_VENV={given} has no bin/python")
        return Path(given) / "bin" / "python"
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ldngraph-kgx-venv"
    python = root / "bin" / "python"
    marker = root / "ldngraph-kgx-requirements.txt"
    wanted = "\n".join(KGX_REQUIREMENTS) + "\n"
    if python.exists() and marker.is_file() and marker.read_text() == wanted:
        return python
    shutil.rmtree(root, ignore_errors=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(root)], check=True, capture_output=True, timeout=300)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *KGX_REQUIREMENTS],
            check=True,
            capture_output=True,
            text=True,
            timeout=1800,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", None) or str(exc)
        shutil.rmtree(root, ignore_errors=True)
        missing(f"kgx could not be installed into {root}: {str(detail).strip()[-500:]}")
    marker.write_text(wanted)
    return python


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _local(curie: str) -> str:
    return curie.split(":", 1)[1]


def _vocabulary_terms() -> set[str]:
    text = (ROOT / "graph" / "vocab" / "ldngraph.ttl").read_text(encoding="utf-8")
    found = {word.split(":", 1)[1].rstrip(" .;,") for word in text.split() if word.startswith("biolink:")}
    return found - {""}


@pytest.fixture(scope="module")
def kgx_export(tmp_path_factory, graph_dir) -> Path:
    """The real graph exported as KGX, as `ldngraph export --format kgx` writes it."""
    folder = tmp_path_factory.mktemp("kgx") / "kgx"
    export("kgx", folder, graph_dir)
    return folder


@pytest.fixture(scope="module")
def kgx_summary(kgx_export: Path, tmp_path_factory) -> dict:
    """What `kgx validate` says of the export (run offline), and the Biolink facts the tests check against."""
    python = kgx_venv()
    nodes, edges = _rows(kgx_export / "ldngraph_nodes.tsv"), _rows(kgx_export / "ldngraph_edges.tsv")
    terms = {_local(e["predicate"]) for e in edges} | {_local(n["category"]) for n in nodes}
    terms |= {_local(c) for c in ID_PREFIXES} | _vocabulary_terms()
    questions = tmp_path_factory.mktemp("kgx-questions") / "questions.json"
    questions.write_text(json.dumps({"terms": sorted(terms)}))
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8"}
    result = subprocess.run(
        [str(python), str(RUNNER), str(kgx_export), str(questions)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(x for x in reversed(result.stdout.splitlines()) if x.startswith("KGX-SUMMARY "))
    return json.loads(line[len("KGX-SUMMARY ") :])


def _messages(errors: dict) -> list[str]:
    return [message for types in errors.values() for messages in types.values() for message in messages]


def test_kgx_validate_finds_no_error_and_fetches_nothing(kgx_summary):
    assert kgx_summary["network_attempts"] == []
    assert kgx_summary["model_version"] == "4.4.6"
    assert _messages(kgx_summary["errors"]) == []


def test_without_our_context_kgx_objects_only_to_the_ldnid_prefix(kgx_summary, kgx_export):
    # every external id passes Biolink's own context; only nodes without one (ldnid:) need ours
    messages = _messages(kgx_summary["errors_biolink_context_only"])
    assert messages and all("prefix 'ldnid'" in m for m in messages)
    context = json.loads((kgx_export / "ldngraph_context.jsonld").read_text())["@context"]
    assert context["ldnid"] == "https://w3id.org/ldngraph/id/" and context == CONTEXT


def test_predicates_are_biolink_4_predicates_and_categories_are_concrete(kgx_summary, kgx_export):
    terms = kgx_summary["terms"]
    edges = _rows(kgx_export / "ldngraph_edges.tsv")
    for predicate in {e["predicate"] for e in edges}:
        term = terms[_local(predicate)]
        assert term["exists"] and term["is_predicate"] and not term["deprecated"], predicate
    assert not {"biolink:publications", "biolink:provided_by", "biolink:chemically_interacts_with"} & {
        e["predicate"] for e in edges
    }
    for category in {n["category"] for n in _rows(kgx_export / "ldngraph_nodes.tsv")}:
        term = terms[_local(category)]
        assert term["is_category"] and not term["abstract"] and not term["mixin"], category


def test_every_edge_has_knowledge_source_level_and_agent_from_the_biolink_enums(kgx_summary, kgx_export):
    enums = kgx_summary["enums"]
    edges = _rows(kgx_export / "ldngraph_edges.tsv")
    assert edges
    for edge in edges:
        assert edge["primary_knowledge_source"] == INFORES
        assert edge["knowledge_level"] in enums["KnowledgeLevelEnum"]
        assert edge["agent_type"] in enums["AgentTypeEnum"]
    claims = [e for e in edges if e["evidence_level"]]
    assert claims and all(e["publications"] for e in claims)


def test_node_ids_use_prefixes_biolink_lists_for_their_category(kgx_summary, kgx_export):
    terms, prefixes = kgx_summary["terms"], set(kgx_summary["biolink_prefixes"])
    nodes = _rows(kgx_export / "ldngraph_nodes.tsv")
    external = [n for n in nodes if not n["id"].startswith("ldnid:")]
    assert len(external) >= 25
    for node in external:
        prefix = node["id"].split(":", 1)[0]
        assert prefix in prefixes and prefix in terms[_local(node["category"])]["id_prefixes"], node["id"]
        assert f"ldnid:{Path(node['iri']).name}" in node["xref"].split("|")
    for category, ranked in ID_PREFIXES.items():
        assert set(ranked) <= set(terms[_local(category)]["id_prefixes"]), category
    assert {e.biolink for e in LINKED if e.biolink} <= prefixes


def test_every_biolink_term_of_the_vocabulary_is_in_biolink_4(kgx_summary):
    absent = sorted(t for t in _vocabulary_terms() if not kgx_summary["terms"][t]["exists"])
    assert absent == []


# --------------------------------------------------------------------------- no kgx needed


@pytest.fixture(scope="module")
def vocabulary() -> Graph:
    return Graph().parse(ROOT / "graph" / "vocab" / "ldngraph.ttl")


def _tiny(nodes: dict[str, dict], edges: list[tuple[str, str, str, dict]]) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for node, data in nodes.items():
        graph.add_node(node, label=node, iri=f"https://w3id.org/ldngraph/id/{node}", **data)
    for u, v, key, data in edges:
        graph.add_edge(u, v, key=key, **data)
    return graph


def _read(payload: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(payload.decode().splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))


def test_preferred_external_id_follows_biolink_order_and_keeps_the_curated_id(vocabulary):
    graph = _tiny(
        {
            "fibro": {"kind": "condition", "xrefs": "DOID:631|MESH:D005356|MONDO:0005546"},
            "mor": {"kind": "protein", "xrefs": "HGNC:8156|NCBIGene:4988|UniProtKB:P35372"},
            "ltx": {"kind": "drug", "xrefs": "ATC:N07BB04|CHEBI:7465"},
            "plain": {"kind": "process"},
        },
        [("ltx", "fibro", "c1", {"predicate": "studied_for", "origin": "claim", "level": "rct"})],
    )
    files = to_kgx(graph, vocabulary)
    nodes = {n["iri"].rsplit("/", 1)[1]: n for n in _read(files["ldngraph_nodes.tsv"])}
    assert nodes["fibro"]["id"] == "MONDO:0005546"
    assert nodes["mor"]["id"] == "UniProtKB:P35372"
    assert nodes["ltx"]["id"] == "CHEBI:7465"
    assert nodes["plain"]["id"] == "ldnid:plain"
    assert set(nodes["fibro"]["xref"].split("|")) == {"DOID:631", "MESH:D005356", "ldnid:fibro"}
    (edge,) = _read(files["ldngraph_edges.tsv"])
    assert (edge["subject"], edge["predicate"], edge["object"]) == (
        "CHEBI:7465",
        "biolink:studied_to_treat",
        "MONDO:0005546",
    )
    assert (edge["knowledge_level"], edge["agent_type"]) == ("knowledge_assertion", "manual_agent")
    assert json.loads(files["ldngraph_context.jsonld"])["@context"] == CONTEXT


def test_an_external_id_two_nodes_share_is_nobodys_id(vocabulary):
    graph = _tiny({"a": {"kind": "drug", "xrefs": "CHEBI:1"}, "b": {"kind": "drug", "xrefs": "CHEBI:1|MESH:D1"}}, [])
    ids = {n["id"] for n in _read(to_kgx(graph, vocabulary)["ldngraph_nodes.tsv"])}
    assert ids == {"ldnid:a", "MESH:D1"}


def test_study_ids_become_biolink_xrefs_and_edge_publications(vocabulary):
    graph = _tiny(
        {
            "s": {"kind": "study", "pmid": "123", "doi": "10.1002/art.37734", "primary_record": "NCT:NCT00568555"},
            "r": {"kind": "dose_regimen"},
            "c": {"kind": "condition"},
            "art": {"kind": "source"},
        },
        [("r", "c", "k", {"predicate": "studied_for", "origin": "claim", "study": "s", "source_article": "art"})],
    )
    files = to_kgx(graph, vocabulary)
    study = next(n for n in _read(files["ldngraph_nodes.tsv"]) if n["ldn_kind"] == "study")
    assert set(study["xref"].split("|")) == {"PMID:123", "doi:10.1002/art.37734", "CLINICALTRIALS:NCT00568555"}
    (edge,) = _read(files["ldngraph_edges.tsv"])
    assert edge["publications"] == "PMID:123|ldnid:art"
    assert (edge["study"], edge["source_article"]) == ("ldnid:s", "ldnid:art")


def test_denying_claims_are_negated_associations_in_kgx(tmp_path):
    import csv

    from ldngraph.explore.export import export

    export("kgx", tmp_path / "kgx", None)
    with open(tmp_path / "kgx" / "ldngraph_edges.tsv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    denied = [r for r in rows if r["direction"] in ("contradicts", "no_effect")]
    assert denied and all(r["negated"] == "True" for r in denied)
    assert all(r["negated"] == "False" for r in rows if r["direction"] in ("supports", "mixed", ""))
