"""The viewer's model and page generation (no browser: see test_viz_browser.py for that)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import HOSTILE_IMG, HOSTILE_SCRIPT
from typer.testing import CliRunner

from ldngraph.viewer.layout import lane_layout
from ldngraph.viewer.model import (
    ViewError,
    apply_query,
    build_view,
    cap,
    evidence_summary,
    neighbourhood,
    resolve_node,
    synthetic_graph,
)
from ldngraph.viewer.page import fill_template, render_html, safe_json, view_payload, vis_network_js


@pytest.fixture(scope="module")
def curated_view():
    from ldngraph.curation.metagraph import load_metagraph
    from ldngraph.rdf.build import load_graph

    graph_dir = Path(__file__).resolve().parent.parent / "graph"
    return build_view(load_graph(graph_dir), load_metagraph(graph_dir).layers)


def _data_block(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="ldn-data">(.*?)</script>', page, re.S)
    assert match, "the page has no JSON data block"
    return json.loads(match.group(1))


def test_safe_json_escapes_html_breakers_and_round_trips():
    value = {"label": "</script><img src=x> & \u2028\u2029"}
    text = safe_json(value)
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in text
    assert json.loads(text) == value


def test_curated_view_has_younger_2013_with_pubmed_link(curated_view):
    study = curated_view.nodes["younger-2013"]
    assert study.kind == "study"
    urls = {link.text: link.url for link in study.links}
    assert urls["PMID:23359310"] == "https://pubmed.ncbi.nlm.nih.gov/23359310"
    assert dict(study.fields)["design"] == "randomised crossover trial"
    assert curated_view.nodes["fibromyalgia"].kind == "condition"
    assert curated_view.nodes["ldn-4.5mg"].kind == "dose_regimen"


def test_edge_carries_every_claim_with_level_direction_quote_and_source(curated_view):
    edges = [
        e
        for e in curated_view.edges
        if (e.source, e.predicate, e.target) == ("ldn-4.5mg", "studied_for", "fibromyalgia")
    ]
    assert len(edges) == 1
    claims = [c for c in edges[0].claims if c.study == "younger-2013"]
    assert claims, "the younger-2013 claim is missing from the edge"
    claim = claims[0]
    assert claim.level == "rct" and claim.rank == 1
    assert claim.direction in {"supports", "no_effect", "mixed", "contradicts"}
    assert claim.quote and claim.source and claim.source_label
    assert edges[0].layer == "clinical"


def test_claim_edges_are_not_nodes_and_vocabulary_is_not_drawn(curated_view):
    kinds = {n.kind for n in curated_view.nodes.values()}
    assert "other" not in kinds
    assert not any(n.iri.startswith("https://w3id.org/ldngraph/vocab") for n in curated_view.nodes.values())
    assert not any(n.id.startswith("a003-") for n in curated_view.nodes.values())


def test_condition_summary_counts_claims_by_level(curated_view):
    summary = evidence_summary(curated_view, "fibromyalgia")
    assert summary["claims"] >= 1
    assert "younger-2013" in summary["studies"]
    assert summary["best_level"] == "rct"


def test_links_only_from_known_prefixes(hostile_graph):
    view = build_view(hostile_graph, {})
    cond = view.nodes["evil-cond"]
    assert [link.url for link in cond.links if link.text == "javascript:alert(1)"] == [None]
    for node in view.nodes.values():
        for link in node.links:
            assert link.url is None or link.url.startswith(("https://", "http://"))


def test_page_is_self_contained_and_escapes_hostile_text(hostile_graph):
    page = render_html(build_view(hostile_graph, {}))
    assert HOSTILE_IMG not in page and HOSTILE_SCRIPT not in page
    assert "<img" not in page.split('id="ldn-data">', 1)[1].split("</script>", 1)[0]
    assert not re.search(r"<script[^>]+src=", page)
    assert "<link" not in page
    for host in ("cdn.jsdelivr", "cdnjs", "unpkg", "googleapis", "bootstrap"):
        assert host not in page
    assert len(re.findall(r"^<script", page, re.M)) == 3  # data, vis-network, viewer
    assert "Content-Security-Policy" in page and "connect-src 'none'" in page
    data = _data_block(page)
    labels = {n[0]: n[1] for n in data["nodes"]}
    assert labels["evil-cond"] == HOSTILE_IMG
    assert labels["evil-study"] == HOSTILE_SCRIPT


def test_csp_allows_exactly_the_two_inline_scripts_by_hash(hostile_graph):
    page = render_html(build_view(hostile_graph, {}))
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    allowed = re.findall(r"'sha256-([A-Za-z0-9+/=]+)'", csp)
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2  # vis-network and the viewer; the JSON block is not a script
    digests = [base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode("ascii") for s in scripts]
    assert sorted(allowed) == sorted(digests)


def test_page_inlines_the_package_data_assets_whole():
    from importlib.resources import files

    assets = files("ldngraph.viewer") / "assets"
    page = render_html(build_view(synthetic_graph(40), {}))
    for name in ("viewer.js", "viewer.css"):
        text = (assets / name).read_text(encoding="utf-8")
        assert len(text) > 1000 and text in page
    template = (assets / "page.html").read_text(encoding="utf-8")
    assert set(re.findall(r"@([A-Z_]+)@", template)) == {"CSP", "TITLE", "CSS", "DATA", "VIS_JS", "APP_JS"}
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>\n")


def test_viewer_script_is_valid_javascript():
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("no node.js to check the script's syntax (the browser tests run it)")
    from importlib.resources import as_file, files

    with as_file(files("ldngraph.viewer") / "assets" / "viewer.js") as script:
        result = subprocess.run([node, "--check", str(script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_template_is_filled_in_one_pass_so_inserted_text_stays_text():
    assert fill_template("<p>@A@</p>@B@", {"A": "@B@", "B": "1"}) == "<p>@B@</p>1"
    view = build_view(synthetic_graph(40), {}, title="@DATA@ <b>bold</b> @TITLE@")
    page = render_html(view)
    assert page.count("@DATA@ &lt;b&gt;bold&lt;/b&gt; @TITLE@") == 2  # <title> and the header
    assert page.count('id="ldn-data"') == 1
    assert _data_block(page)["title"] == "@DATA@ <b>bold</b> @TITLE@"


def test_page_uses_the_vis_network_shipped_with_pyvis():
    js = vis_network_js()
    assert "vis-network" in js[:500] and "9.1.2" in js[:500]


def test_payload_counts_equal_the_view(curated_view):
    data = view_payload(curated_view)
    assert len(data["nodes"]) == len(curated_view.nodes)
    assert len(data["edges"]) == len(curated_view.edges)
    assert sum(len(e[8]) for e in data["edges"]) == sum(len(e.claims) for e in curated_view.edges)


def test_lanes_run_from_drug_to_study(curated_view):
    layout = lane_layout([(n.id, n.kind) for n in curated_view.nodes.values()], [])
    x = {node_id: pos[0] for node_id, pos in layout.positions.items()}
    assert x["naltrexone"] < x["ldn-4.5mg"] < x["fibromyalgia"] < x["younger-2013"]
    assert len(layout.positions) == len(curated_view.nodes)


def test_focus_keeps_the_neighbourhood(curated_view):
    sub = neighbourhood(curated_view, resolve_node(curated_view, "Fibromyalgia"), 1)
    assert {"fibromyalgia", "ldn-4.5mg", "younger-2013"} <= set(sub.nodes)
    assert "naltrexone" not in sub.nodes  # two links away
    assert all(e.source in sub.nodes and e.target in sub.nodes for e in sub.edges)
    assert any("neighbourhood of fibromyalgia" in note for note in sub.notes)


def test_focus_on_unknown_node_is_a_clear_error(curated_view):
    with pytest.raises(ViewError, match="no node"):
        resolve_node(curated_view, "no-such-thing-xyz")


def test_cap_keeps_best_connected_and_says_how_to_narrow():
    view = build_view(synthetic_graph(600), {})
    sub = cap(view, 100)
    assert len(sub.nodes) == 100 and sub.subset
    assert all(n.kind != "study" or n.evidence > 0 for n in sub.nodes.values())
    note = " ".join(sub.notes)
    assert f"100 of {len(view.nodes):,} nodes" in note and "--focus" in note and "--query" in note
    assert _data_block(render_html(view, max_nodes=100))["subset"] is True


def test_construct_query_draws_its_triples(curated_view):
    from ldngraph.rdf.build import load_graph

    graph = load_graph(Path(__file__).resolve().parent.parent / "graph")
    text = "CONSTRUCT { ?s ldn:studied_for ?o } WHERE { ?s ldn:studied_for ?o }"
    sub = apply_query(curated_view, graph, text, name="t.rq")
    assert {"ldn-4.5mg", "fibromyalgia"} <= set(sub.nodes)
    assert sub.edges and all(e.predicate == "studied_for" for e in sub.edges)


def test_select_query_draws_the_nodes_it_names(curated_view):
    from ldngraph.rdf.build import load_graph

    graph = load_graph(Path(__file__).resolve().parent.parent / "graph")
    text = "SELECT ?study WHERE { ?study a ldn:Study ; ldn:investigates ldnid:fibromyalgia }"
    sub = apply_query(curated_view, graph, text)
    assert "younger-2013" in sub.nodes
    assert {n.kind for n in sub.nodes.values()} == {"study"}


def test_bad_query_is_a_clear_error(curated_view):
    from ldngraph.rdf.build import load_graph

    graph = load_graph(Path(__file__).resolve().parent.parent / "graph")
    with pytest.raises(ViewError, match="bad.rq: the query failed"):
        apply_query(curated_view, graph, "SELEKT nothing", name="bad.rq")


def test_merged_graph_nodes_become_other_kind(tmp_path):
    from ldngraph.cli.viewer import load_view_graph

    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix ex: <http://example.org/> .\n"
        "<https://w3id.org/ldngraph/id/fibromyalgia> ex:relatedTo ex:chronic-fatigue .\n"
        'ex:chronic-fatigue <http://www.w3.org/2000/01/rdf-schema#label> "chronic fatigue" .\n',
        encoding="utf-8",
    )
    graph = load_view_graph(Path(__file__).resolve().parent.parent / "graph", [extra])
    view = build_view(graph, {})
    node = view.nodes["http://example.org/chronic-fatigue"]
    assert node.kind == "other" and node.label == "chronic fatigue"
    assert any(e.source == "fibromyalgia" and e.layer == "external" for e in view.edges)


def test_cli_writes_page_for_focus(tmp_path):
    from ldngraph.cli import app

    out = tmp_path / "v.html"
    result = CliRunner().invoke(app, ["viz", "-o", str(out), "--focus", "fibromyalgia", "--depth", "1"])
    assert result.exit_code == 0, result.output
    data = _data_block(out.read_text(encoding="utf-8"))
    assert "fibromyalgia" in {n[0] for n in data["nodes"]}
    assert data["notes"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--focus", "no-such-node-xyz"], "no node"),
        (["--with", "missing.ttl"], "no such file"),
        (["--query", "missing.rq"], "no such file"),
        (["--depth", "-1"], "--depth"),
    ],
)
def test_cli_bad_input_gives_one_line_error(tmp_path, args, message):
    from ldngraph.cli import app

    result = CliRunner().invoke(app, ["viz", "-o", str(tmp_path / "v.html"), *args])
    assert result.exit_code in (1, 2)
    assert message in result.output
    assert "Traceback" not in result.output


def test_cli_with_unreadable_rdf_names_the_file(tmp_path):
    from ldngraph.cli import app

    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle <<<", encoding="utf-8")
    result = CliRunner().invoke(app, ["viz", "-o", str(tmp_path / "v.html"), "--with", str(bad)])
    assert result.exit_code == 1
    assert "bad.ttl" in result.output and "Traceback" not in result.output


def test_one_graph_gives_one_page_whatever_the_hash_seed(tmp_path):
    """rdflib iterates in an order that follows Python's string hashing; the page must not."""
    import os
    import subprocess
    import sys

    pages = []
    for seed in ("1", "2"):
        out = tmp_path / f"page{seed}.html"
        done = subprocess.run([sys.executable, "-m", "ldngraph", "viz", "-o", str(out)], capture_output=True,
                              text=True, timeout=300, env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]
