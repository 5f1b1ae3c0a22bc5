"""The graph in a notebook: any HTML page inline, and the interactive viewer."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ldngraph.explore.projection import load_source

if TYPE_CHECKING:
    from rdflib import Graph


def inline_html(page: str, *, height: int = 650) -> Any:
    """A complete HTML page shown inline in a notebook (JupyterLab, VS Code, classic Jupyter).

    The page goes into a sandboxed ``<iframe srcdoc>`` so its scripts and styles stay inside it. An untrusted
    notebook strips the iframe, so a plain line above it says what to do instead of leaving an empty cell.
    """
    import html

    from IPython.display import HTML

    return HTML(
        f'<div class="ldngraph-inline"><p style="margin:0 0 4px;font-size:12px;color:#555">{UNTRUSTED_HINT}</p>'
        f'<iframe srcdoc="{html.escape(page, quote=True)}" sandbox="allow-scripts" '
        f'style="width:100%;height:{int(height)}px;border:1px solid #ccc"></iframe></div>'
    )


#: Shown above the inline viewer; alone when an untrusted notebook has removed the viewer.
UNTRUSTED_HINT = (
    "The ldngraph viewer appears below. If it does not, this notebook is not trusted: trust it "
    "(File &gt; Trust Notebook, or <code>jupyter trust FILE.ipynb</code>), or open the page that "
    "<code>ldngraph viz --open</code> writes."
)


def show_viewer(
    source: Graph | Path | str | None = None,
    *,
    focus: str | None = None,
    depth: int = 2,
    max_nodes: int = 400,
    height: int = 650,
) -> Any:
    """The interactive graph viewer, inline in a notebook.

    Args:
        source: an rdflib Graph, a graph folder, or None for the default graph folder.
        focus: show only the neighbourhood of this node (id, name or synonym).
        depth: how many links from ``focus`` to include.
        max_nodes: the most nodes to draw.
        height: height of the frame in pixels.
    """
    from ldngraph.viewer.model import build_view, neighbourhood
    from ldngraph.viewer.model import resolve_node as resolve_view_node
    from ldngraph.viewer.page import render_html

    graph, _ = load_source(source)
    chosen = build_view(graph)
    if focus is not None:
        chosen = neighbourhood(chosen, resolve_view_node(chosen, focus), depth)
    return inline_html(render_html(chosen, max_nodes=max_nodes), height=height)
