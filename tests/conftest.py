"""Shared fixtures: the real curated graph, the source articles, temporary copies."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from helpers import stop_process

ROOT = Path(__file__).resolve().parent.parent
GRAPH_DIR = ROOT / "graph"
SOURCES_DIR = ROOT.parent / "shared" / "sources"
RESOURCES = Path(__file__).resolve().parent / "resources"


def missing(reason: str) -> None:
    """Skip a test whose outside input is absent, but fail it under CI, where everything must be there."""
    if os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}:
        pytest.fail(f"{reason} (under CI every check must run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def graph_dir() -> Path:
    """The real curated graph folder."""
    return GRAPH_DIR


@pytest.fixture(scope="session")
def sources_dir() -> Path:
    """The source articles (tests that need them skip when they are absent)."""
    if not SOURCES_DIR.is_dir():
        missing("../shared/sources is not present")
    return SOURCES_DIR


@pytest.fixture(scope="session")
def curated():
    """The validated real records (records + metagraph)."""
    from ldngraph.rdf.curated import load_curated

    return load_curated(GRAPH_DIR)


@pytest.fixture(scope="session")
def rdf_graph():
    """The real graph as an rdflib Graph (records + vocabulary)."""
    from ldngraph.rdf.build import load_graph

    return load_graph(GRAPH_DIR)


@pytest.fixture()
def graph_copy(tmp_path: Path) -> Path:
    """A writable copy of the real graph folder."""
    target = tmp_path / "graph"
    shutil.copytree(GRAPH_DIR, target)
    return target


# --- explore (network, evidence map, exports): the real graph plus a few synthetic "zz-" records
_EXPLORE_ROWS: dict[str, list[dict[str, object]]] = {
    "proteins.tsv": [{"id": "zz-receptor", "name": "ZZ receptor"}],
    "cell_types.tsv": [{"id": "zz-cell", "name": "ZZ cell"}],
    "processes.tsv": [{"id": "zz-process", "name": "ZZ process"}],
    "conditions.tsv": [
        {"id": "zz-condition-a", "name": "ZZ condition A", "category": "chronic_pain"},
        {"id": "zz-condition-b", "name": "ZZ condition B", "category": "autoimmune"},
        {"id": "zz-condition-c", "name": "ZZ condition C", "category": "chronic_pain"},
    ],
    "studies.tsv": [
        {"id": "zz-rct-1", "name": "ZZ RCT one", "design": "randomised_controlled_trial", "status": "published",
         "n_enrolled": 40, "conditions": "zz-condition-a", "pmid": "1"},
        {"id": "zz-rct-2", "name": "ZZ RCT two", "design": "randomised_controlled_trial", "status": "published",
         "n_enrolled": 60, "conditions": "zz-condition-a"},
        {"id": "zz-rct-3", "name": "ZZ RCT standard dose", "design": "randomised_controlled_trial",
         "status": "published", "n_enrolled": 500, "conditions": "zz-condition-a"},
        {"id": "zz-mouse", "name": "ZZ mouse study", "design": "animal_study", "status": "published",
         "species": "mouse", "n_enrolled": 60, "conditions": "zz-condition-b"},
    ],
    "edges.tsv": [
        {"id": "zz-edge-expressed", "subject": "zz-receptor", "predicate": "expressed_in", "object": "zz-cell",
         "basis": "synthetic test edge"},
        {"id": "zz-edge-subclass", "subject": "zz-condition-c", "predicate": "subclass_of", "object": "zz-condition-a",
         "basis": "synthetic test edge"},
    ],
    "claims.tsv": [
        {"id": "zz-c-antagonist", "subject": "naltrexone", "predicate": "antagonist_of", "object": "zz-receptor",
         "level": "in_vitro", "direction": "supports"},
        {"id": "zz-c-mediates", "subject": "zz-cell", "predicate": "mediates", "object": "zz-process",
         "level": "animal", "direction": "supports"},
        {"id": "zz-c-contrib-a", "subject": "zz-process", "predicate": "contributes_to", "object": "zz-condition-a",
         "level": "animal", "direction": "supports"},
        {"id": "zz-c-contrib-b", "subject": "zz-process", "predicate": "contributes_to", "object": "zz-condition-b",
         "level": "mechanism_hypothesis", "direction": "supports"},
        {"id": "zz-c-disputed", "subject": "naltrexone", "predicate": "decreases", "object": "zz-process",
         "level": "mechanism_hypothesis", "direction": "supports", "status": "disputed", "note": "synthetic"},
        {"id": "zz-c-rct1", "subject": "ldn-4.5mg", "predicate": "studied_for", "object": "zz-condition-a",
         "study": "zz-rct-1", "level": "rct", "direction": "supports", "n": 40, "regimen": "ldn-4.5mg"},
        {"id": "zz-c-rct1-again", "subject": "ldn-4.5mg", "predicate": "studied_for", "object": "zz-condition-a",
         "study": "zz-rct-1", "level": "rct", "direction": "supports", "n": 38, "discrepancy": "misreported_number",
         "primary_says": "40 randomised", "effect": "<b>38</b> & improved"},
        {"id": "zz-c-rct2", "subject": "ldn-4.5mg", "predicate": "studied_for", "object": "zz-condition-a",
         "study": "zz-rct-2", "level": "rct", "direction": "no_effect", "n": 60},
        {"id": "zz-c-rct3", "subject": "naltrexone-standard", "predicate": "studied_for", "object": "zz-condition-a",
         "study": "zz-rct-3", "level": "rct", "direction": "no_effect", "regimen": "naltrexone-standard"},
        {"id": "zz-c-mouse", "subject": "naltrexone", "predicate": "studied_for", "object": "zz-condition-b",
         "study": "zz-mouse", "level": "animal", "direction": "supports"},
        {"id": "zz-c-cost", "subject": "ldn-4.5mg", "predicate": "has_cost", "value": "12 ZZD/month",
         "level": "anecdote", "direction": "supports"},
    ],
}


def _append_rows(records: Path, file_name: str, rows: list[dict[str, object]]) -> None:
    from ldngraph.core.schema import MODEL_BY_FILE, columns

    path = records / file_name
    if path.exists():
        header = path.read_text(encoding="utf-8").splitlines()[0].split("\t")
        text = path.read_text(encoding="utf-8")
    else:
        header = columns(MODEL_BY_FILE[file_name])
        text = "\t".join(header) + "\n"
    if not text.endswith("\n"):
        text += "\n"
    defaults = {"source": "003_31158820d64b0034", "curator": "test", "date_curated": "2026-11-23"}
    for row in rows:
        full = {**(defaults if file_name == "claims.tsv" else {}), "quote": f"synthetic quote {row['id']}", **row}
        text += "\t".join(str(full.get(column, "")) for column in header) + "\n"
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="session")
def explore_graph_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real graph plus synthetic "zz-" records with known mechanism paths and evidence groups."""
    target = tmp_path_factory.mktemp("explore") / "graph"
    shutil.copytree(GRAPH_DIR, target)
    for file_name, rows in _EXPLORE_ROWS.items():
        _append_rows(target / "records", file_name, rows)
    return target


@pytest.fixture(scope="session")
def explore_network(explore_graph_dir: Path):
    """The networkx projection of :func:`explore_graph_dir`."""
    from ldngraph.explore.network import to_networkx

    return to_networkx(explore_graph_dir)


HOSTILE_IMG = '<img src=x onerror="window.__pwned=1">'
HOSTILE_SCRIPT = "<script>window.__pwned=1</script>"


@pytest.fixture()
def hostile_graph():
    """A small RDF graph whose labels, quotes and identifiers try to inject HTML and javascript: URLs."""
    from rdflib import RDF, RDFS, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS

    from ldngraph.core import namespaces as ns
    from ldngraph.rdf.triples import new_graph

    ldn, nid = Namespace(ns.VOCAB), Namespace(ns.ID)
    g = new_graph()
    nodes = [
        ("evil-cond", ldn.Condition, HOSTILE_IMG),
        ("evil-study", ldn.Study, HOSTILE_SCRIPT),
        ("evil-regimen", ldn.DoseRegimen, "LDN & co </script><script>window.__pwned=1</script>"),
        ("evil-source", ldn.SourceArticle, "line\u2028separator \u2029 and <b>bold</b>"),
    ]
    for node_id, cls, label in nodes:
        g.add((nid[node_id], RDF.type, cls))
        g.add((nid[node_id], DCTERMS.identifier, Literal(node_id)))
        g.add((nid[node_id], RDFS.label, Literal(label)))
    g.add((nid["evil-cond"], ldn.xref, Literal("javascript:alert(1)")))
    g.add((nid["evil-cond"], DCTERMS.description, Literal(HOSTILE_SCRIPT)))
    g.add((nid["evil-study"], ldn.pmid, Literal("23359310")))
    g.add((nid["evil-study"], ldn.note, Literal(HOSTILE_IMG)))
    claim = nid["evil-claim"]
    for p, o in [
        (RDF.type, ldn.Claim),
        (RDF.type, ldn.ClinicalClaim),
        (DCTERMS.identifier, Literal("evil-claim")),
        (ldn.subject, nid["evil-regimen"]),
        (ldn.predicate, ldn.studied_for),
        (ldn.object, nid["evil-cond"]),
        (ldn.source, nid["evil-source"]),
        (ldn.study, nid["evil-study"]),
        (ldn.quote, Literal('"><img src=x onerror=window.__pwned=1>')),
        (ldn.evidence_level, URIRef(ns.LEVEL + "rct")),
        (ldn.direction, URIRef(ns.DIRECTION + "supports")),
        (ldn.layer, URIRef(ns.LAYER + "clinical")),
        (ldn.claim_status, URIRef(ns.STATUS + "asserted")),
        (ldn.note, Literal("javascript:alert(1)")),
    ]:
        g.add((claim, p, o))
    g.add((nid["evil-regimen"], ldn.studied_for, nid["evil-cond"]))
    g.add((nid["evil-study"], ldn.investigates, nid["evil-cond"]))
    return g


@pytest.fixture()
def oxigraph_server(tmp_path: Path):
    """A real Oxigraph server (`oxigraph serve`) on 127.0.0.1 and a free port; yields its base URL."""
    import socket
    import subprocess
    import time
    import urllib.request

    search_path = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
    binary = shutil.which("oxigraph", path=search_path)
    if binary is None:
        missing("the `oxigraph` binary is missing (pip install oxigraph)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [binary, "serve", "--location", str(tmp_path / "oxigraph"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"oxigraph serve did not start: {process.stderr.read()!r}") from None
                time.sleep(0.1)
        yield base
    finally:
        stop_process(process)
