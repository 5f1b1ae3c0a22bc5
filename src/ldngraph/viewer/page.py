"""Write the viewer: one self-contained HTML page (vis-network from the pyvis package, inlined).

The page carries vis-network 9.1.2 from the copy shipped inside the pyvis package, the graph as
JSON in a ``<script type="application/json">`` block, and a small script that builds the network,
the legend, the filters and the cards. Nothing is fetched: no CDN, no bootstrap, no ``./lib``
folder; the page opens from file:// offline. A Content-Security-Policy allows only the page's two
scripts (by hash) and no network access.

The page's template, style sheet and script are package data in ``ldngraph/viewer/assets/``
(``page.html``, ``viewer.css``, ``viewer.js``), read with :mod:`importlib.resources` and inlined;
the template's ``@NAME@`` placeholders are filled in one pass, so no inserted text is ever read
as a placeholder.

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
import functools
import hashlib
import html
import importlib.resources
import importlib.util
import json
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ldngraph.viewer.layout import LABEL_CHARS, LANE_OF_KIND, LANE_TITLES, Layout, lane_layout
from ldngraph.viewer.model import KIND_LABELS, KIND_ORDER, GraphView, ViewError, cap, gc_paused

VIS_VERSION = "9.1.2"
#: Default cap on drawn nodes; beyond it the page shows the best-connected ones and says so.
DEFAULT_MAX_NODES = 5000
#: Up to this many nodes the page draws larger nodes and labels, and spaces lanes for the labels.
SMALL_GRAPH = 1000
_ASSET = f"templates/lib/vis-{VIS_VERSION}/vis-network.min.js"
#: A placeholder in page.html: ``@NAME@``.
_PLACEHOLDER = re.compile(r"@([A-Z_]+)@")


def vis_network_js() -> str:
    """The vis-network script shipped in the installed pyvis package (found without importing pyvis)."""
    spec = importlib.util.find_spec("pyvis")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for folder in locations:
        path = Path(folder) / _ASSET
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise ViewError(f"cannot find {_ASSET} in the pyvis package; install pyvis==0.3.2 (pip install pyvis==0.3.2)")


@functools.cache
def asset_text(name: str) -> str:
    """The text of one of the viewer's package-data files in ``ldngraph/viewer/assets/``.

    Raises ViewError when the file is missing (a broken install).
    """
    try:
        resource = importlib.resources.files("ldngraph.viewer") / "assets" / name
        return resource.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise ViewError(f"the viewer's asset {name} is missing from the ldngraph package; reinstall it") from exc


#: The page's own script, in order: drawing, filters and modes; cards and the condition panel;
#: the URL fragment, exports and start-up. They share one function scope (wrapped in one IIFE).
APP_SCRIPTS = ("viewer.js", "cards.js", "share.js")


def viewer_js() -> str:
    """The viewer's own script exactly as the page inlines it (and as its CSP hash covers it)."""
    body = "".join(asset_text(name) for name in APP_SCRIPTS)
    return "\n(function () {\n'use strict';\n" + body + "})();\n"


def viewer_css() -> str:
    """The viewer's style sheet exactly as the page inlines it."""
    return "\n" + asset_text("viewer.css")


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


def _edge_rows(view: GraphView) -> tuple[list[list[Any]], list[dict[str, Any]]]:
    """One row per edge, and the claims they point to by index."""
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
    return edges, claims


def _node_rows(view: GraphView, layout: Layout) -> tuple[list[list[Any]], dict[str, Any], dict[str, int]]:
    """One row per node with its position, the cards of the nodes that have one, and counts by kind."""
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
        if node.facts:
            card["x"] = node.facts
        verdict = verdict_json(node.verdict)
        if verdict:
            card["verdict"] = verdict
        if node.details:
            card["ev"] = node.details
        if card:
            cards[node.id] = card
    return nodes, cards, kind_counts


def verdict_json(verdict: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A condition's verdict as the panel shows it, all text; else None ("No verdict computed").

    ``verdict`` is ``NodeView.verdict``: a mapping with ``statement`` (str), ``certainty`` (str), ``reasons``,
    ``review_checks`` and ``articles_claimed`` (lists of str), ``n_studies``, ``participants`` and
    ``regimens_counted`` (str) and ``roles`` (role -> study ids: counted, context, apart, lead, running).
    Without a statement there is no verdict.
    """
    if not verdict or not verdict.get("statement"):
        return None

    def texts(name: str) -> list[str]:
        value = verdict.get(name) or []
        return [value] if isinstance(value, str) else [str(v) for v in value]

    roles = verdict.get("roles")
    out = {
        "statement": str(verdict["statement"]),
        "certainty": str(verdict.get("certainty") or ""),
        "reasons": texts("reasons"),
        "review_checks": texts("review_checks"),
        "articles_claimed": texts("articles_claimed"),
        "n_studies": str(verdict.get("n_studies") or ""),
        "participants": str(verdict.get("participants") or ""),
        "regimens_counted": str(verdict.get("regimens_counted") or ""),
    }
    if isinstance(roles, Mapping):  # a verdict computed from the graph names its studies (possibly none)
        out["roles"] = {str(role): [str(s) for s in ids] for role, ids in roles.items()}
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
    edges, claims = _edge_rows(view)
    nodes, cards, kind_counts = _node_rows(view, layout)
    order = [k for k in KIND_ORDER if k in kind_counts] + sorted(set(kind_counts) - set(KIND_ORDER))
    kinds = [[k, KIND_LABELS.get(k, k.replace("_", " ")), kind_counts[k]] for k in order]
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
        "lane_of_kind": {kind: [lane, LANE_TITLES.get(lane, kind)] for kind, lane in LANE_OF_KIND.items()},
        "focus": view.focus,
        "small_limit": SMALL_GRAPH,
        "label_chars": LABEL_CHARS,
    }


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(*scripts: str) -> str:
    """The page's CSP: only these inline scripts (by the sha256 of their exact text), no network at all."""
    return (
        "default-src 'none'; "
        f"script-src {' '.join(_csp_hash(script) for script in scripts)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; "
        "base-uri 'none'; form-action 'none'; object-src 'none'"
    )


def fill_template(template: str, values: Mapping[str, str]) -> str:
    """``template`` with each ``@NAME@`` replaced by ``values[NAME]``, in one pass over the template only.

    Text that is inserted is never searched for placeholders, so a title or a script that happens to
    contain ``@DATA@`` stays as it is. Raises KeyError for a placeholder without a value.
    """
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def render_html(view: GraphView, *, max_nodes: int = DEFAULT_MAX_NODES) -> str:
    """The complete page for a view (capped at ``max_nodes`` drawn nodes, with a note when it is)."""
    with gc_paused():
        shown = cap(view, max_nodes)
        data = safe_json(view_payload(shown))
    vis_js = vis_network_js().replace("</script", "<\\/script")
    app_js = viewer_js()
    # The hashes are of the exact text placed between <script> and </script> below.
    csp = content_security_policy(vis_js, app_js)
    values = {
        "CSP": html.escape(csp, quote=False),
        "TITLE": html.escape(view.title),
        "CSS": viewer_css(),
        "DATA": data,
        "VIS_JS": vis_js,
        "APP_JS": app_js,
    }
    return fill_template(asset_text("page.html"), values)


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
