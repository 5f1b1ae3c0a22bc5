"""Write the viewer: one self-contained HTML page (vis-network from the pyvis package, inlined).

The page carries vis-network 9.1.2 from the copy shipped inside the pyvis package, the graph as
JSON in a ``<script type="application/json">`` block, and a small script that builds the network,
the legend, the filters and the cards. Nothing is fetched: no CDN, no bootstrap, no ``./lib``
folder; the page opens from file:// offline. A Content-Security-Policy allows only the page's two
scripts (by hash) and no network access.

Safety: every string from the graph reaches the page only inside the JSON block, with ``<``, ``>``,
``&`` and U+2028/U+2029 escaped, and the page's script puts it in the DOM with ``textContent``
(never ``innerHTML``). Links come only from identifiers expanded through known CURIE prefixes in
:mod:`ldngraph.viewer.model`, and the page turns a URL into a link only if it starts with https:// or
http://.

Why not ``pyvis.network.Network``: its add_node/add_edge are O(N*E) (100+ s at 20,000 nodes), even
``cdn_resources="in_line"`` loads bootstrap from a CDN, and its tooltips put HTML into the page.
This module uses pyvis for its bundled vis-network asset only (docs/decisions/0003-viewer.md).
"""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.util
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ldngraph.viewer.layout import LABEL_CHARS, lane_layout
from ldngraph.viewer.model import KIND_LABELS, KIND_ORDER, GraphView, ViewError, cap, gc_paused

VIS_VERSION = "9.1.2"
#: Default cap on drawn nodes; beyond it the page shows the best-connected ones and says so.
DEFAULT_MAX_NODES = 5000
#: Up to this many nodes the page draws larger nodes and labels, and spaces lanes for the labels.
SMALL_GRAPH = 400
_ASSET = f"templates/lib/vis-{VIS_VERSION}/vis-network.min.js"


def vis_network_js() -> str:
    """The vis-network script shipped in the installed pyvis package (found without importing pyvis)."""
    spec = importlib.util.find_spec("pyvis")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for folder in locations:
        path = Path(folder) / _ASSET
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise ViewError(f"cannot find {_ASSET} in the pyvis package; install pyvis==0.3.2 (pip install pyvis==0.3.2)")


def safe_json(data: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` element: no ``<``, ``>``, ``&``, U+2028 or U+2029."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _claim_json(claim: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": claim.id,
        "level": claim.level,
        "direction": claim.direction,
        "layer": claim.layer,
        "status": claim.status,
        "quote": claim.quote,
        "source": claim.source,
        "source_label": claim.source_label,
    }
    for name in ("study", "study_label", "regimen", "regimen_label", "discrepancy"):
        value = getattr(claim, name)
        if value:
            out[name] = value
    if claim.fields:
        out["fields"] = claim.fields
    return out


def view_payload(view: GraphView) -> dict[str, Any]:
    """The JSON the page reads: nodes with positions, edges, claims, cards, filters and notes."""
    small = len(view.nodes) <= SMALL_GRAPH
    layout = lane_layout(
        [(n.id, n.kind, n.label) for n in view.nodes.values()],
        ((e.source, e.target) for e in view.edges),
        row_gap=58.0 if small else 42.0,
        char_width=9.5 if small else 0.0,
    )
    claims: list[dict[str, Any]] = []
    edges = []
    for edge in view.edges:
        indices = []
        for claim in edge.claims:
            indices.append(len(claims))
            claims.append(_claim_json(claim))
        edges.append(
            [
                edge.id,
                edge.source,
                edge.target,
                edge.predicate,
                edge.layer,
                edge.best_level,
                edge.direction,
                1 if edge.disputed else 0,
                indices,
                edge.basis,
            ]
        )
    nodes = []
    cards: dict[str, Any] = {}
    kind_counts: dict[str, int] = {}
    for node in view.nodes.values():
        x, y = layout.positions.get(node.id, (0.0, 0.0))
        nodes.append([node.id, node.label, node.kind, x, y, node.evidence])
        kind_counts[node.kind] = kind_counts.get(node.kind, 0) + 1
        card: dict[str, Any] = {}
        if node.fields:
            card["f"] = node.fields
        if node.links:
            card["l"] = [[link.label, link.text, link.url] for link in node.links]
        if node.synonyms:
            card["s"] = node.synonyms
        if node.description:
            card["d"] = node.description
        if node.value_claims:
            card["v"] = [_claim_json(c) for c in node.value_claims]
        if card:
            cards[node.id] = card
    kinds = [[k, KIND_LABELS.get(k, k), kind_counts[k]] for k in KIND_ORDER if k in kind_counts]
    levels_present = {c["level"] for c in claims}
    return {
        "title": view.title,
        "notes": view.notes,
        "subset": view.subset,
        "total": [view.total_nodes, view.total_edges],
        "kinds": kinds,
        "levels": [[name, label, rank] for name, label, rank in view.levels if name in levels_present],
        "regimens": sorted(
            ([n.id, n.label] for n in view.nodes.values() if n.kind == "dose_regimen"), key=lambda r: r[1]
        ),
        "conditions": sorted(
            ([n.id, n.label] for n in view.nodes.values() if n.kind == "condition"), key=lambda r: r[1]
        ),
        "nodes": nodes,
        "edges": edges,
        "claims": claims,
        "cards": cards,
        "lanes": layout.lanes,
        "small_limit": SMALL_GRAPH,
        "label_chars": LABEL_CHARS,
    }


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def render_html(view: GraphView, *, max_nodes: int = DEFAULT_MAX_NODES) -> str:
    """The complete page for a view (capped at ``max_nodes`` drawn nodes, with a note when it is)."""
    with gc_paused():
        shown = cap(view, max_nodes)
        data = safe_json(view_payload(shown))
    vis_js = vis_network_js().replace("</script", "<\\/script")
    app_js = _APP_JS
    csp = (
        "default-src 'none'; "
        f"script-src {_csp_hash(vis_js)} {_csp_hash(app_js)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; "
        "base-uri 'none'; form-action 'none'; object-src 'none'"
    )
    title = html.escape(view.title)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(csp, quote=False)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"{_BODY.replace('@TITLE@', title)}\n"
        f'<script type="application/json" id="ldn-data">{data}</script>\n'
        f"<script>{vis_js}</script>\n<script>{app_js}</script>\n</body>\n</html>\n"
    )


def write_html(
    view: GraphView,
    path: Path,
    *,
    max_nodes: int = DEFAULT_MAX_NODES,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Write the page for ``view`` to ``path`` atomically; return the path.

    Raises ViewError when the file cannot be written.
    """
    say = progress or (lambda _m: None)
    if len(view.nodes) > max_nodes:
        say(f"keeping the {max_nodes:,} best-connected of {len(view.nodes):,} nodes")
    say(f"laying out and writing {min(len(view.nodes), max_nodes):,} nodes")
    page = render_html(view, max_nodes=max_nodes)
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(page)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except OSError as exc:
        raise ViewError(f"cannot write {path}: {exc.strerror}") from exc
    say(f"wrote {path} ({len(page.encode('utf-8')) / 1e6:.1f} MB)")
    return path


_CSS = """
*{box-sizing:border-box}
html,body{margin:0;height:100%;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2430}
body{display:grid;grid-template-columns:250px 1fr 340px;grid-template-rows:auto 1fr;height:100vh}
header{grid-column:1/4;display:flex;align-items:center;gap:16px;padding:6px 12px;background:#243447;color:#fff}
header h1{font-size:16px;margin:0;font-weight:600}
header .counts{font-size:12px;opacity:.85}
#notes{grid-column:1/4;display:none;background:#fff4ce;border-bottom:1px solid #e0c66b;padding:6px 12px;font-size:13px}
#notes.on{display:block}
body.has-notes{grid-template-rows:auto auto 1fr}
aside{overflow:auto;padding:8px 10px;background:#f6f7f9;border-right:1px solid #d9dde3}
#card{border-right:0;border-left:1px solid #d9dde3;background:#fff;overflow-wrap:anywhere;min-width:0}
#stage{position:relative;min-width:0;min-height:0}
#net{position:absolute;inset:0;background:#fff}
#loading{position:absolute;inset:0;display:flex;align-items:center;justify-content:center;
 background:rgba(255,255,255,.85);font-size:15px;z-index:5}
#loading.done{display:none}
fieldset{border:0;margin:0 0 8px;padding:0}
legend,.h{font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:#536171;margin:6px 0 3px}
label.row{display:flex;align-items:center;gap:5px;font-size:13px;cursor:pointer;padding:1px 0}
label.row .n{margin-left:auto;color:#7a8594;font-size:11px}
.sym{display:inline-block;width:16px;text-align:center;font-size:14px}
select,input[type=search]{width:100%;font:inherit;padding:3px 5px;border:1px solid #b9c1cc;border-radius:4px}
button{font:inherit;font-size:12px;padding:2px 8px;border:1px solid #b9c1cc;border-radius:4px;background:#fff;
 cursor:pointer}
button.link{border:0;background:none;color:#1f5fbf;padding:0;text-align:left;font-size:13px;text-decoration:underline}
#results{margin:4px 0 6px;max-height:180px;overflow:auto;overflow-wrap:anywhere}
#results button.link{display:block;margin:1px 0}
.line{display:inline-block;width:34px;height:0;vertical-align:middle;margin-right:6px}
.swatch{display:flex;align-items:center;font-size:12px;margin:1px 0}
#card h2{font-size:17px;margin:4px 0}
#card .kind{display:inline-block;font-size:11px;padding:1px 6px;border-radius:8px;color:#fff;margin-right:6px}
#card dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 8px;margin:6px 0;font-size:13px}
#card dt{color:#536171}
#card dd{margin:0;overflow-wrap:anywhere}
#card blockquote{margin:4px 0;padding:4px 8px;border-left:3px solid #b9c1cc;background:#f6f7f9;font-style:italic}
.claim{border:1px solid #e1e5ea;border-radius:6px;padding:6px 8px;margin:6px 0}
.chip{display:inline-block;font-size:11px;padding:0 6px;border-radius:8px;color:#fff;margin-right:4px}
.muted{color:#7a8594;font-size:12px}
.warn{color:#a3340b}
table.sum{border-collapse:collapse;font-size:12px;margin:4px 0}
table.sum td,table.sum th{border:1px solid #e1e5ea;padding:1px 5px;text-align:left}
#tip{position:fixed;pointer-events:none;background:#243447;color:#fff;font-size:12px;padding:3px 7px;
 border-radius:4px;display:none;z-index:10;max-width:360px}
"""

_BODY = """<header><h1>@TITLE@</h1><span class="counts" id="counts"></span>
<span class="counts">click a node or edge for its evidence card</span></header>
<div id="notes" role="status"></div>
<aside id="side">
<fieldset><legend>Search</legend><input type="search" id="search" placeholder="name, id or synonym" autocomplete="off">
<div id="results"></div></fieldset>
<fieldset id="f-kind"><legend>Node kinds</legend></fieldset>
<fieldset id="f-layer"><legend>Layers</legend></fieldset>
<fieldset id="f-level"><legend>Evidence level</legend></fieldset>
<fieldset id="f-direction"><legend>Direction</legend></fieldset>
<fieldset><legend>Dose regimen</legend><select id="f-regimen"><option value="">all regimens</option></select></fieldset>
<fieldset><legend>Condition</legend><select id="f-condition"><option value="">all conditions</option></select>
</fieldset>
<fieldset><button id="reset" type="button">reset filters</button> <button id="fit" type="button">fit view</button>
<label class="row"><input type="checkbox" id="physics"> physics (let the layout relax)</label></fieldset>
<div class="h">Edges</div><div id="edge-legend"></div>
</aside>
<div id="stage"><div id="net"></div><div id="loading">Building the network…</div></div>
<aside id="card"><p class="muted">Click a node or an edge to see its card: study facts and identifiers,
the claims behind an edge with their evidence level, direction, quote and source, or a condition's
evidence summary.</p></aside>
<div id="tip"></div>"""

_APP_JS = r"""
(function () {
'use strict';
var t0 = performance.now();
var DATA = JSON.parse(document.getElementById('ldn-data').textContent);
var KIND = {
  drug: {color: '#d1495b', shape: 'diamond', sym: '\u25c6', size: 18},
  dose_regimen: {color: '#edae49', shape: 'hexagon', sym: '\u2b22', size: 16},
  protein: {color: '#00798c', shape: 'triangle', sym: '\u25b2', size: 14},
  cell_type: {color: '#30638e', shape: 'dot', sym: '\u25cf', size: 13},
  molecule: {color: '#66a182', shape: 'triangleDown', sym: '\u25bc', size: 12},
  process: {color: '#8e6c8a', shape: 'square', sym: '\u25a0', size: 12},
  condition: {color: '#e07a5f', shape: 'star', sym: '\u2605', size: 17},
  study: {color: '#3d405b', shape: 'dot', sym: '\u25cf', size: 8},
  organisation: {color: '#9a8c98', shape: 'square', sym: '\u25a0', size: 8},
  source: {color: '#b08968', shape: 'triangle', sym: '\u25b2', size: 8},
  adverse_effect: {color: '#c1121f', shape: 'triangleDown', sym: '\u25bc', size: 11},
  caution: {color: '#f77f00', shape: 'triangleDown', sym: '\u25bc', size: 11},
  biomarker: {color: '#2a9d8f', shape: 'diamond', sym: '\u25c6', size: 10},
  other: {color: '#8d99ae', shape: 'dot', sym: '\u25cf', size: 7}
};
var DIR = {supports: '#1a9850', no_effect: '#7f7f7f', mixed: '#e08a00', contradicts: '#d62728'};
var DIR_LABEL = {supports: 'supports', no_effect: 'no effect (null)', mixed: 'mixed / contested',
  contradicts: 'contradicts'};
// Width and dashes by rank on the evidence ladder (1 = RCT ... 8+ = anecdote, author statement).
var RANK_WIDTH = [7, 7, 5.5, 4, 3, 2.5, 2, 1.5, 1.5, 1.2];
var RANK_DASH = [false, false, false, [12, 5], [12, 5], [5, 5], [5, 5], [2, 6], [2, 6], [2, 6]];
var LEVEL_LABEL = {}, LEVEL_WIDTH = {}, LEVEL_DASH = {};
DATA.levels.forEach(function (l) {
  var r = Math.min(l[2], RANK_WIDTH.length - 1);
  LEVEL_LABEL[l[0]] = l[1]; LEVEL_WIDTH[l[0]] = RANK_WIDTH[r]; LEVEL_DASH[l[0]] = RANK_DASH[r];
});
var LAYERS = ['clinical', 'preclinical', 'hypothesis', 'mechanistic', 'safety', 'context', 'external'];
var EVIDENCE_LAYERS = {clinical: 1, preclinical: 1, hypothesis: 1};
var PRED = {antagonist_of: '#00798c', agonist_of: '#2a9d8f', expressed_in: '#30638e', mediates: '#6a4c93',
  contributes_to: '#8e6c8a', modulates: '#1982c4', decreases: '#4361ee', increases: '#f72585', produces: '#66a182',
  regimen_of: '#edae49', tests: '#9fa8b3', investigates: '#c7ccd3', conducted_by: '#c9bfc7', reported_in: '#d8c3a5',
  subclass_of: '#adb5bd', has_adverse_effect: '#c1121f', has_caution: '#f77f00', interacts_with: '#ef476f',
  combined_with: '#8338ec', indicated_for: '#118ab2', predicts_response: '#2a9d8f'};
var CONTEXT_PREDS = {tests: 1, investigates: 1, conducted_by: 1, reported_in: 1, regimen_of: 1, subclass_of: 1};
function predColor(p) {
  if (PRED[p]) { return PRED[p]; }
  var h = 0; for (var i = 0; i < p.length; i++) { h = (h * 31 + p.charCodeAt(i)) % 360; }
  return 'hsl(' + h + ',45%,48%)';
}

function el(tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) { e.className = cls; }
  if (text !== undefined && text !== null) { e.textContent = String(text); }
  return e;
}
function safeUrl(u) { return typeof u === 'string' && /^https?:\/\/[^\s"<>]+$/.test(u) ? u : null; }
function linkOrText(url, text) {
  var u = safeUrl(url);
  if (!u) { return el('span', null, text); }
  var a = el('a', null, text); a.href = u; a.target = '_blank'; a.rel = 'noopener noreferrer';
  return a;
}

var NODES = DATA.nodes.map(function (n) { return {id: n[0], label: n[1], kind: n[2], x: n[3], y: n[4], ev: n[5]}; });
var BY_ID = {};
NODES.forEach(function (n) { BY_ID[n.id] = n; });
var EDGES = DATA.edges.map(function (e) {
  return {id: e[0], from: e[1], to: e[2], pred: e[3], layer: e[4], level: e[5], dir: e[6], disputed: e[7],
    claims: e[8], basis: e[9]};
});
var EDGE_BY_ID = {};
EDGES.forEach(function (e) { EDGE_BY_ID[e.id] = e; });
var big = NODES.length > 1500 || EDGES.length > 4000;

// Studies' links to regimens and conditions, and claims citing each study.
var studyLinks = {}, claimsByStudy = {}, edgesOf = {};
function addLink(s, x) { (studyLinks[s] = studyLinks[s] || {})[x] = 1; }
EDGES.forEach(function (e) {
  (edgesOf[e.from] = edgesOf[e.from] || []).push(e);
  (edgesOf[e.to] = edgesOf[e.to] || []).push(e);
  if (BY_ID[e.from] && BY_ID[e.from].kind === 'study') { addLink(e.from, e.to); }
  e.claims.forEach(function (ci) {
    var c = DATA.claims[ci];
    if (c.study) {
      addLink(c.study, e.from); addLink(c.study, e.to); if (c.regimen) { addLink(c.study, c.regimen); }
      (claimsByStudy[c.study] = claimsByStudy[c.study] || []).push([e, c]);
    }
  });
});

function nodeVis(n) {
  var k = KIND[n.kind] || KIND.other;
  var size = (k.size + Math.min(10, Math.sqrt(n.ev || 0) * 2)) * (NODES.length > DATA.small_limit ? 1 : 1.4);
  var label = n.label.length > DATA.label_chars ? n.label.slice(0, DATA.label_chars - 1) + '\u2026' : n.label;
  return {id: n.id, label: label, x: n.x, y: n.y, group: n.kind, size: size, kind: n.kind, hidden: false};
}
function edgeVis(e) {
  var v = {id: e.id, from: e.from, to: e.to, hidden: false, arrows: {to: {enabled: true, scaleFactor: 0.45}}};
  if (e.claims.length && EVIDENCE_LAYERS[e.layer]) {
    var c = e.disputed ? '#d62728' : (DIR[e.dir] || '#555');
    v.color = {color: c, highlight: c, hover: c, opacity: e.disputed ? 0.6 : 0.9};
    v.width = e.disputed ? 1.5 : (LEVEL_WIDTH[e.level] || 1.5);
    v.dashes = e.disputed ? [1, 5] : (LEVEL_DASH[e.level] || false);
    if (!big) { v.smooth = {enabled: true, type: 'curvedCW', roundness: 0.18}; }
  } else {
    var pc = predColor(e.pred);
    var ctx = CONTEXT_PREDS[e.pred] || e.layer === 'context';
    v.color = {color: pc, highlight: pc, hover: pc, opacity: ctx ? 0.45 : 0.9};
    v.width = ctx ? 1 : 2.2;
    if (e.disputed) { v.dashes = [1, 5]; v.color = {color: '#d62728', opacity: 0.6}; }
    if (!big) { v.smooth = false; }
  }
  return v;
}

var groups = {};
Object.keys(KIND).forEach(function (k) {
  groups[k] = {shape: KIND[k].shape, color: {background: KIND[k].color, border: '#ffffff',
    highlight: {background: KIND[k].color, border: '#111'}, hover: {background: KIND[k].color, border: '#111'}}};
});
var nodes = new vis.DataSet(NODES.map(nodeVis));
var edges = new vis.DataSet(EDGES.map(edgeVis));
var container = document.getElementById('net');
var options = {
  autoResize: true,
  physics: {enabled: false, stabilization: false, barnesHut: {gravitationalConstant: -4000, springLength: 140,
    avoidOverlap: 0.2}},
  layout: {improvedLayout: false, randomSeed: 7},
  interaction: {hover: !big, tooltipDelay: 60, hideEdgesOnDrag: big, hideEdgesOnZoom: big, navigationButtons: false,
    keyboard: false},
  nodes: {borderWidth: 1.5, font: {size: NODES.length > DATA.small_limit ? 14 : 18, face: 'system-ui, sans-serif',
    strokeWidth: 4, strokeColor: '#ffffff'},
    scaling: {label: {drawThreshold: NODES.length > DATA.small_limit ? 6 : 4.5}}},
  edges: {smooth: big ? false : {enabled: false}, selectionWidth: 2, hoverWidth: 1.5,
    font: {size: 11, align: 'middle', strokeWidth: 3, strokeColor: '#ffffff'}},
  groups: groups
};
var network = new vis.Network(container, {nodes: nodes, edges: edges}, options);

// Lane titles above the lanes.
network.on('beforeDrawing', function (ctx) {
  ctx.save(); ctx.font = 'bold ' + (NODES.length > DATA.small_limit ? 18 : 26) + 'px system-ui, sans-serif';
  ctx.fillStyle = '#8a94a3'; ctx.textAlign = 'center';
  DATA.lanes.forEach(function (l) { ctx.fillText(String(l[0]), l[1], l[2]); });
  ctx.restore();
});

var api = window.ldnViz = {ready: false, network: network, nodes: nodes, edges: edges, data: DATA,
  counts: function () {
    return {nodes: nodes.length, edges: edges.length,
      visibleNodes: nodes.get({filter: function (n) { return !n.hidden; }}).length,
      visibleEdges: edges.get({filter: function (e) { return !e.hidden; }}).length,
      graphNodes: DATA.nodes.length, graphEdges: DATA.edges.length};
  }};
network.once('afterDrawing', function () {
  api.ready = true; api.readyMs = performance.now() - t0;
  document.getElementById('loading').className = 'done';
});
document.getElementById('loading').textContent = 'Drawing ' + NODES.length.toLocaleString() + ' nodes and ' +
  EDGES.length.toLocaleString() + ' edges\u2026';

// Notes: subset, focus, query.
var notes = document.getElementById('notes');
if (DATA.notes.length) {
  DATA.notes.forEach(function (t) { notes.appendChild(el('div', null, t)); });
  notes.className = 'on'; document.body.className = 'has-notes';
}

// Tooltip and hover labels.
var tip = document.getElementById('tip');
function showTip(text, ev) {
  tip.textContent = text; tip.style.display = 'block';
  var p = ev && ev.event && ev.event.center ? ev.event.center : (ev && ev.pointer ? ev.pointer.DOM : {x: 0, y: 0});
  var r = container.getBoundingClientRect();
  tip.style.left = (ev.pointer ? r.left + ev.pointer.DOM.x + 12 : p.x + 12) + 'px';
  tip.style.top = (ev.pointer ? r.top + ev.pointer.DOM.y + 12 : p.y + 12) + 'px';
}
function edgeSummary(e) {
  var s = (BY_ID[e.from] ? BY_ID[e.from].label : e.from) + ' \u2014 ' + e.pred.replace(/_/g, ' ') + ' \u2192 ' +
    (BY_ID[e.to] ? BY_ID[e.to].label : e.to);
  if (e.claims.length) {
    s += '  [' + e.claims.length + ' claim' + (e.claims.length > 1 ? 's' : '') + '; best: ' +
      (LEVEL_LABEL[e.level] || e.level) + '; ' + (DIR_LABEL[e.dir] || e.dir) + (e.disputed ? '; disputed' : '') + ']';
  }
  return s + '  (' + e.layer + ')';
}
network.on('hoverEdge', function (p) {
  var e = EDGE_BY_ID[p.edge]; if (!e) { return; }
  edges.update({id: e.id, label: e.pred.replace(/_/g, ' ')});
  showTip(edgeSummary(e), p);
});
network.on('blurEdge', function (p) { edges.update({id: p.edge, label: undefined}); tip.style.display = 'none'; });
network.on('hoverNode', function (p) {
  var n = BY_ID[p.node]; if (!n) { return; }
  showTip(n.label + '  (' + ((KIND_LABELS[n.kind]) || n.kind) + ')', p);
});
network.on('blurNode', function () { tip.style.display = 'none'; });
var KIND_LABELS = {};
DATA.kinds.forEach(function (k) { KIND_LABELS[k[0]] = k[1]; });

// Filters.
function checkboxes(fieldsetId, items, name) {
  var fs = document.getElementById(fieldsetId);
  items.forEach(function (it) {
    var row = el('label', 'row'); var box = el('input'); box.type = 'checkbox'; box.checked = true;
    box.value = it.value; box.name = name; box.addEventListener('change', applyFilters);
    row.appendChild(box);
    if (it.sym) { var s = el('span', 'sym', it.sym); s.style.color = it.color; row.appendChild(s); }
    else if (it.color) { var sw = el('span', 'line'); sw.style.borderTop = it.line; row.appendChild(sw); }
    row.appendChild(el('span', null, it.label));
    if (it.n !== undefined) { row.appendChild(el('span', 'n', it.n)); }
    fs.appendChild(row);
  });
}
checkboxes('f-kind', DATA.kinds.map(function (k) {
  var st = KIND[k[0]] || KIND.other; return {value: k[0], label: k[1], n: k[2], sym: st.sym, color: st.color};
}), 'kind');
var layerCount = {};
EDGES.forEach(function (e) { layerCount[e.layer] = (layerCount[e.layer] || 0) + 1; });
checkboxes('f-layer', LAYERS.filter(function (l) { return layerCount[l]; }).map(function (l) {
  return {value: l, label: l + (EVIDENCE_LAYERS[l] ? ' evidence' : ''), n: layerCount[l]};
}), 'layer');
var levelCount = {}, dirCount = {};
DATA.claims.forEach(function (c) {
  levelCount[c.level] = (levelCount[c.level] || 0) + 1; dirCount[c.direction] = (dirCount[c.direction] || 0) + 1;
});
checkboxes('f-level', DATA.levels.map(function (l) {
  return {value: l[0], label: l[1], n: levelCount[l[0]] || 0, color: '#333',
    line: (LEVEL_WIDTH[l[0]] || 1) + 'px ' +
      (LEVEL_DASH[l[0]] ? (LEVEL_WIDTH[l[0]] > 2.5 ? 'dashed' : 'dotted') : 'solid') + ' #333'};
}), 'level');
checkboxes('f-direction', Object.keys(DIR).filter(function (d) { return dirCount[d]; }).map(function (d) {
  return {value: d, label: DIR_LABEL[d], n: dirCount[d], color: DIR[d], line: '4px solid ' + DIR[d]};
}), 'direction');
function fillSelect(id, items) {
  var s = document.getElementById(id);
  items.forEach(function (it) { var o = el('option', null, it[1]); o.value = it[0]; s.appendChild(o); });
  s.addEventListener('change', applyFilters);
}
fillSelect('f-regimen', DATA.regimens);
fillSelect('f-condition', DATA.conditions);

// Edge legend.
(function () {
  var box = document.getElementById('edge-legend');
  function sw(label, border) {
    var row = el('div', 'swatch'); var l = el('span', 'line'); l.style.borderTop = border;
    row.appendChild(l); row.appendChild(el('span', null, label)); box.appendChild(row);
  }
  box.appendChild(el('div', 'muted',
    'Evidence edges: colour = direction, width and dashes = best evidence level (curved).'));
  Object.keys(DIR).forEach(function (d) { sw(DIR_LABEL[d], '4px solid ' + DIR[d]); });
  sw('disputed by the graph', '2px dotted #d62728');
  sw('RCT (thick, solid)', '7px solid #555'); sw('controlled', '5px solid #555');
  sw('open-label / case report (dashed)', '3px dashed #555'); sw('animal / in vitro', '2px dashed #555');
  sw('hypothesis / anecdote (dotted)', '2px dotted #555');
  box.appendChild(el('div', 'muted', 'Mechanistic and context edges: colour = predicate (straight).'));
  var preds = {};
  EDGES.forEach(function (e) { if (!(e.claims.length && EVIDENCE_LAYERS[e.layer])) { preds[e.pred] = 1; } });
  Object.keys(preds).sort().forEach(function (p) {
    sw(p.replace(/_/g, ' '), (CONTEXT_PREDS[p] ? '1px' : '3px') + ' solid ' + predColor(p));
  });
})();

function checkedSet(name) {
  var out = {};
  document.querySelectorAll('input[name="' + name + '"]').forEach(function (b) {
    if (b.checked) { out[b.value] = 1; }
  });
  return out;
}
function applyFilters() {
  var kinds = checkedSet('kind'), layers = checkedSet('layer'), levels = checkedSet('level'),
    dirs = checkedSet('direction');
  var reg = document.getElementById('f-regimen').value, cond = document.getElementById('f-condition').value;
  var hidden = {}, nodeUpd = [], edgeUpd = [];
  NODES.forEach(function (n) {
    var h = !kinds[n.kind];
    if (!h && cond && n.kind === 'condition' && n.id !== cond) { h = true; }
    if (!h && reg && n.kind === 'dose_regimen' && n.id !== reg) { h = true; }
    if (!h && n.kind === 'study' && (cond || reg)) {
      var ln = studyLinks[n.id] || {};
      if ((cond && !ln[cond]) || (reg && !ln[reg])) { h = true; }
    }
    hidden[n.id] = h;
    if (!!n.hidden !== h) { n.hidden = h; nodeUpd.push({id: n.id, hidden: h}); }
  });
  EDGES.forEach(function (e) {
    var h = hidden[e.from] || hidden[e.to] || !layers[e.layer];
    if (!h && e.claims.length) {
      var fromRegimen = BY_ID[e.from] && BY_ID[e.from].kind === 'dose_regimen' ? e.from : null;
      h = !e.claims.some(function (ci) {
        var c = DATA.claims[ci]; var r = c.regimen || fromRegimen;
        return levels[c.level] && dirs[c.direction] && (!reg || !r || r === reg);
      });
    }
    if (!!e.hidden !== h) { e.hidden = h; edgeUpd.push({id: e.id, hidden: h}); }
  });
  if (nodeUpd.length) { nodes.update(nodeUpd); }
  if (edgeUpd.length) { edges.update(edgeUpd); }
  updateCounts();
}
function updateCounts() {
  var c = api.counts();
  var t = 'showing ' + c.visibleNodes.toLocaleString() + ' of ' + c.nodes.toLocaleString() + ' nodes, ' +
    c.visibleEdges.toLocaleString() + ' of ' + c.edges.toLocaleString() + ' edges';
  if (DATA.subset) { t += ' (graph: ' + DATA.total[0].toLocaleString() + ' nodes)'; }
  document.getElementById('counts').textContent = t;
}
api.applyFilters = applyFilters;
document.getElementById('reset').addEventListener('click', function () {
  document.querySelectorAll('#side input[type=checkbox]:not(#physics)').forEach(function (b) { b.checked = true; });
  document.getElementById('f-regimen').value = ''; document.getElementById('f-condition').value = '';
  applyFilters();
});
document.getElementById('fit').addEventListener('click', function () { network.fit({animation: false}); });
document.getElementById('physics').addEventListener('change', function (ev) {
  network.setOptions({physics: {enabled: ev.target.checked}});
});

// Cards.
var card = document.getElementById('card');
function kindChip(kind) {
  var c = el('span', 'kind', KIND_LABELS[kind] || kind); c.style.background = (KIND[kind] || KIND.other).color;
  return c;
}
function jump(id, text) {
  var b = el('button', 'link', text || (BY_ID[id] ? BY_ID[id].label : id));
  b.type = 'button';
  b.addEventListener('click', function () { select(id); });
  if (!BY_ID[id]) { b.disabled = true; }
  return b;
}
function jumpEdge(e, text) {
  var b = el('button', 'link', text); b.type = 'button';
  b.addEventListener('click', function () { network.selectEdges([e.id]); showEdge(e.id); });
  return b;
}
function dl(pairs) {
  var d = el('dl');
  pairs.forEach(function (p) {
    if (p[1] === null || p[1] === undefined || p[1] === '') { return; }
    d.appendChild(el('dt', null, p[0]));
    var dd = el('dd'); if (p[1] instanceof Node) { dd.appendChild(p[1]); } else { dd.textContent = String(p[1]); }
    d.appendChild(dd);
  });
  return d;
}
function chip(text, color) { var c = el('span', 'chip', text); c.style.background = color; return c; }
function claimBox(c, edge) {
  var box = el('div', 'claim');
  var head = el('div');
  head.appendChild(chip(LEVEL_LABEL[c.level] || c.level.replace(/_/g, ' '), '#3d405b'));
  head.appendChild(chip(DIR_LABEL[c.direction] || c.direction, DIR[c.direction] || '#555'));
  head.appendChild(chip(c.layer, '#8d99ae'));
  if (c.status === 'disputed') { head.appendChild(chip('disputed', '#d62728')); }
  box.appendChild(head);
  if (edge) { box.appendChild(jumpEdge(edge, edgeSummary(edge).split('  [')[0])); }
  var f = c.fields || {};
  box.appendChild(dl([
    ['study', c.study ? jump(c.study, c.study_label || c.study) : null],
    ['regimen', c.regimen ? jump(c.regimen, c.regimen_label || c.regimen) : null],
    ['population', f.population], ['n', f.n], ['effect', f.effect], ['value', f.value],
    ['discrepancy', c.discrepancy], ['primary record says', f.primary_says], ['note', f.note]
  ]));
  if (c.quote) { box.appendChild(el('blockquote', null, '\u201c' + c.quote + '\u201d')); }
  var src = el('div', 'muted'); src.appendChild(document.createTextNode('source article: '));
  src.appendChild(jump(c.source, c.source_label || c.source)); box.appendChild(src);
  box.appendChild(el('div', 'muted', 'claim ' + c.id));
  return box;
}
function clearCard() { while (card.firstChild) { card.removeChild(card.firstChild); } }
function showNode(id) {
  var n = BY_ID[id]; if (!n) { return; }
  var cd = DATA.cards[id] || {};
  clearCard();
  card.dataset.node = id; delete card.dataset.edge;
  card.appendChild(kindChip(n.kind));
  card.appendChild(el('h2', null, n.label));
  card.appendChild(el('div', 'muted', 'id: ' + id));
  if (cd.d) { card.appendChild(el('p', null, cd.d)); }
  if (cd.s) { card.appendChild(dl([['also called', cd.s.join('; ')]])); }
  if (cd.f) { card.appendChild(dl(cd.f)); }
  var mine = edgesOf[id] || [];
  if (n.kind === 'study') {
    var rel = {};
    mine.forEach(function (e) { if (e.from === id) { (rel[e.pred] = rel[e.pred] || []).push(e.to); } });
    var rows = [['dose', 'tests'], ['conditions', 'investigates'], ['run by', 'conducted_by'],
      ['reported in', 'reported_in']].map(function (p) {
      if (!rel[p[1]]) { return [p[0], null]; }
      var span = el('span');
      rel[p[1]].forEach(function (t, i) {
        if (i) { span.appendChild(document.createTextNode('; ')); }
        span.appendChild(jump(t));
      });
      return [p[0], span];
    });
    card.appendChild(dl(rows));
  }
  if (cd.l) {
    card.appendChild(el('div', 'h', 'Identifiers'));
    var ul = el('ul');
    cd.l.forEach(function (l) {
      var li = el('li'); li.appendChild(el('span', 'muted', l[0] + ': ')); li.appendChild(linkOrText(l[2], l[1]));
      ul.appendChild(li);
    });
    card.appendChild(ul);
  }
  if (n.kind === 'condition') { conditionSummary(id); }
  if (claimsByStudy[id]) {
    card.appendChild(el('div', 'h', 'Claims citing this study (' + claimsByStudy[id].length + ')'));
    claimsByStudy[id].forEach(function (ec) { card.appendChild(claimBox(ec[1], ec[0])); });
  }
  if (cd.v) {
    card.appendChild(el('div', 'h', 'Stated values'));
    cd.v.forEach(function (c) { card.appendChild(claimBox(c, null)); });
  }
  if (n.kind !== 'condition' && mine.length) {
    card.appendChild(el('div', 'h', 'Links (' + mine.length + ')'));
    var list = el('ul');
    mine.slice(0, 60).forEach(function (e) {
      var li = el('li'); li.appendChild(jumpEdge(e, edgeSummary(e).split('  [')[0])); list.appendChild(li);
    });
    if (mine.length > 60) { list.appendChild(el('li', 'muted', (mine.length - 60) + ' more')); }
    card.appendChild(list);
  }
}
function conditionSummary(id) {
  var rows = [];
  (edgesOf[id] || []).forEach(function (e) {
    if (e.to !== id) { return; }
    e.claims.forEach(function (ci) { rows.push([e, DATA.claims[ci]]); });
  });
  var order = {}; DATA.levels.forEach(function (l, i) { order[l[0]] = i; });
  rows.sort(function (a, b) {
    return (order[a[1].level] - order[b[1].level]) || (a[1].direction < b[1].direction ? -1 : 1);
  });
  card.appendChild(el('div', 'h', 'Evidence summary'));
  if (!rows.length) { card.appendChild(el('p', 'muted', 'No claims about this condition in the graph.')); return; }
  var studies = {};
  rows.forEach(function (r) { if (r[1].study) { studies[r[1].study] = 1; } });
  card.appendChild(el('p', null, rows.length + ' claim' + (rows.length > 1 ? 's' : '') + ' from ' +
    Object.keys(studies).length + ' stud' + (Object.keys(studies).length === 1 ? 'y' : 'ies') +
    '; best evidence: ' + (LEVEL_LABEL[rows[0][1].level] || rows[0][1].level) + '.'));
  var table = el('table', 'sum'); var tr = el('tr'); tr.appendChild(el('th', null, 'level'));
  var dirs = Object.keys(DIR); dirs.forEach(function (d) { tr.appendChild(el('th', null, DIR_LABEL[d])); });
  table.appendChild(tr);
  DATA.levels.forEach(function (l) {
    var counts = {}; var any = false;
    rows.forEach(function (r) {
      if (r[1].level === l[0]) { counts[r[1].direction] = (counts[r[1].direction] || 0) + 1; any = true; }
    });
    if (!any) { return; }
    var row = el('tr'); row.appendChild(el('td', null, l[1]));
    dirs.forEach(function (d) { row.appendChild(el('td', null, counts[d] || '')); });
    table.appendChild(row);
  });
  card.appendChild(table);
  rows.forEach(function (r) { card.appendChild(claimBox(r[1], r[0])); });
}
function showEdge(id) {
  var e = EDGE_BY_ID[id]; if (!e) { return; }
  clearCard();
  card.dataset.edge = id; delete card.dataset.node;
  card.appendChild(chip(e.layer + (EVIDENCE_LAYERS[e.layer] && e.claims.length ? ' evidence' : ''), '#536171'));
  var h = el('h2'); h.appendChild(jump(e.from)); h.appendChild(document.createTextNode(' \u2014 ' +
    e.pred.replace(/_/g, ' ') + ' \u2192 ')); h.appendChild(jump(e.to));
  card.appendChild(h);
  if (e.claims.length) {
    card.appendChild(el('p', null, e.claims.length + ' claim' + (e.claims.length > 1 ? 's' : '') + '; best evidence: ' +
      (LEVEL_LABEL[e.level] || e.level) + '; overall: ' + (DIR_LABEL[e.dir] || e.dir) +
      (e.disputed ? '. The graph does not assert this (disputed).' : '.')));
    e.claims.forEach(function (ci) { card.appendChild(claimBox(DATA.claims[ci], null)); });
  } else {
    card.appendChild(el('p', 'muted', 'A structural edge, not itself evidence.'));
  }
  if (e.basis) { card.appendChild(dl([['basis', e.basis]])); }
}
function select(id) {
  if (!BY_ID[id]) { return; }
  network.selectNodes([id]);
  network.focus(id, {scale: Math.max(network.getScale(), 0.9), animation: false});
  showNode(id);
}
api.showNode = showNode; api.showEdge = showEdge; api.select = select;
network.on('click', function (p) {
  if (p.nodes.length) { showNode(p.nodes[0]); }
  else if (p.edges.length) { showEdge(p.edges[0]); }
});

// Search.
var search = document.getElementById('search'), results = document.getElementById('results');
var INDEX = NODES.map(function (n) {
  var cd = DATA.cards[n.id] || {};
  return [n.id, (n.label + ' ' + n.id + ' ' + (cd.s || []).join(' ')).toLowerCase()];
});
function runSearch() {
  while (results.firstChild) { results.removeChild(results.firstChild); }
  var q = search.value.trim().toLowerCase(); if (!q) { return []; }
  var hits = [];
  for (var i = 0; i < INDEX.length && hits.length < 30; i++) {
    if (INDEX[i][1].indexOf(q) >= 0) { hits.push(INDEX[i][0]); }
  }
  if (!hits.length) { results.appendChild(el('div', 'muted', 'no match')); }
  hits.forEach(function (id) {
    results.appendChild(jump(id, BY_ID[id].label + ' (' + (KIND_LABELS[BY_ID[id].kind] || '') + ')'));
  });
  return hits;
}
var timer = null;
search.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(runSearch, 120); });
search.addEventListener('keydown', function (ev) {
  if (ev.key === 'Enter') { var hits = runSearch(); if (hits.length) { select(hits[0]); } }
});

network.fit({animation: false});
updateCounts();
})();
"""
