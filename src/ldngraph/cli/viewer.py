"""Viewer commands: viz.

Keep this module light: import heavy libraries inside the command functions.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rdflib import Graph


def load_view_graph(
    graph_dir: Path, merged: list[Path] | None = None, progress: Callable[[str], None] | None = None
) -> Graph:
    """The curated graph (records + vocabulary) with any merged RDF files parsed into it.

    Raises LdngraphError (RecordsInvalid, ViewError) with a one-line message on bad input.
    """
    from rdflib.util import guess_format

    from ldngraph.rdf.build import load_graph
    from ldngraph.rdf.user_files import check_user_rdf
    from ldngraph.viewer.model import ViewError

    say = progress or (lambda _m: None)
    say(f"loading the curated graph from {graph_dir}")
    graph = load_graph(graph_dir)
    for path in merged or []:
        if not path.is_file():
            raise ViewError(f"--with {path}: no such file")
        fmt = guess_format(str(path)) or "turtle"
        say(f"merging {path} ({fmt})")
        check_user_rdf(path, {"xml": "RDF_XML", "json-ld": "JSON_LD"}.get(fmt, fmt))
        try:
            graph.parse(path, format=fmt)
        except Exception as exc:  # rdflib's parsers raise many unrelated exception types
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ViewError(f"--with {path}: cannot read it as {fmt}: {message}") from exc
    return graph


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""

    @app.command()
    def viz(
        out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path("ldngraph.html"),
        focus: Annotated[
            str | None, typer.Option("--focus", help="Draw only the neighbourhood of this node (id or name).")
        ] = None,
        depth: Annotated[int, typer.Option("--depth", help="Links from the --focus node to include.")] = 2,
        query: Annotated[
            Path | None,
            typer.Option("--query", help="SPARQL file: draw a CONSTRUCT's triples or the nodes a SELECT names."),
        ] = None,
        merged: Annotated[
            list[Path] | None,
            typer.Option("--with", help="RDF file to merge in (Turtle, N-Triples, JSON-LD...; repeatable)."),
        ] = None,
        max_nodes: Annotated[
            int, typer.Option("--max-nodes", help="Draw at most this many nodes (the best-connected).")
        ] = 5000,
        open_page: Annotated[bool, typer.Option("--open", help="Open the page in your web browser.")] = False,
        graph: Annotated[Path | None, typer.Option("--graph", "-g", help="Folder of curated records.")] = None,
    ) -> None:
        """Write the interactive viewer: one self-contained HTML page that opens offline.

        Nodes are coloured and shaped by kind; evidence edges show their strength (width and
        dashes by evidence level, colour by direction). Click a node or an edge for its card.

        Examples:
            ldngraph viz -o ldngraph.html --open
            ldngraph viz --focus fibromyalgia --depth 2
            ldngraph viz --query graph/queries/evidence.rq --with extra.ttl
        """
        from ldngraph.cli.common import fail, graph_dir, user_errors

        if depth < 0:
            raise fail("error: --depth must be 0 or more", 2)
        if max_nodes < 1:
            raise fail("error: --max-nodes must be at least 1", 2)
        if query is not None and not query.is_file():
            raise fail(f"error: --query {query}: no such file", 2)
        folder = graph_dir(graph)

        def say(message: str) -> None:
            typer.echo(f"... {message}", err=True)

        with user_errors():
            from ldngraph.curation.metagraph import load_metagraph
            from ldngraph.viewer.model import apply_query, build_view, neighbourhood, resolve_node
            from ldngraph.viewer.page import write_html

            rdf = load_view_graph(folder, merged, say)
            say(f"building the view of {len(rdf):,} triples")
            title = "ldngraph: evidence for low-dose naltrexone"
            view = build_view(rdf, load_metagraph(folder).layers, title=title)
            say(f"{len(view.nodes):,} nodes, {len(view.edges):,} edges")
            if query is not None:
                say(f"running {query}")
                view = apply_query(view, rdf, query.read_text(encoding="utf-8"), name=str(query))
            if focus is not None:
                view = neighbourhood(view, resolve_node(view, focus), depth)
            path = write_html(view, out, max_nodes=max_nodes, progress=say)
        typer.echo(str(path))
        if open_page:
            import webbrowser

            webbrowser.open(path.resolve().as_uri())
