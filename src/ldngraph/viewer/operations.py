"""Narrowing a view: find a node by name, its neighbourhood, a cap on size, the part a query names.

Each operation returns a new :class:`~ldngraph.viewer.view.GraphView` with a note saying how its
nodes were chosen, which the page shows above the network.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from ldngraph.core import namespaces as ns
from ldngraph.viewer.terms import RDF_TYPE, node_id_of, predicate_name
from ldngraph.viewer.view import EdgeView, GraphView, ViewError


def resolve_node(view: GraphView, name: str) -> str:
    """The id of the node named by id, IRI or label (case-insensitive); ViewError if none or unclear."""
    if name in view.nodes:
        return name
    if name.startswith(ns.ID) and name[len(ns.ID) :] in view.nodes:
        return name[len(ns.ID) :]
    wanted = name.strip().casefold()
    exact = [n.id for n in view.nodes.values() if n.label.casefold() == wanted or n.id.casefold() == wanted]
    if len(exact) == 1:
        return exact[0]
    partial = sorted(n.id for n in view.nodes.values() if wanted and wanted in n.label.casefold())
    if len(partial) == 1:
        return partial[0]
    if partial:
        raise ViewError(f"--focus {name!r} matches several nodes: {', '.join(partial[:8])}; give the id")
    raise ViewError(f"--focus {name!r}: no node with that id or label")


#: In a neighbourhood, nodes with more links than this (besides the centre) are drawn but not followed:
#: through a hub such as naltrexone every node is two links from every other.
HUB_DEGREE = 20
#: Kinds drawn but not followed in a neighbourhood: they link studies, not evidence.
_NOT_FOLLOWED = frozenset({"source", "organisation"})


def neighbourhood(view: GraphView, centre: str, depth: int) -> GraphView:
    """The nodes within ``depth`` links of ``centre`` (either direction) and the edges among them.

    Hubs (more than :data:`HUB_DEGREE` links) and source articles and organisations are included when
    reached but not followed further, so a depth of 2 stays a neighbourhood; the note says so.
    The view's ``focus`` is ``centre``, which the page marks.
    """
    if depth < 0:
        raise ViewError(f"--depth must be 0 or more, not {depth}")
    adjacency = view.neighbours()
    seen = {centre}
    stopped: set[str] = set()
    frontier = deque([(centre, 0)])
    while frontier:
        current, distance = frontier.popleft()
        if distance == depth:
            continue
        node = view.nodes.get(current)
        if current != centre and (
            len(adjacency.get(current, ())) > HUB_DEGREE or (node is not None and node.kind in _NOT_FOLLOWED)
        ):
            stopped.add(current)
            continue
        for nxt in adjacency.get(current, ()):
            if nxt not in seen:
                seen.add(nxt)
                frontier.append((nxt, distance + 1))
    sub = view.restrict(seen)
    sub.focus = centre
    hubs = sorted(view.nodes[h].label for h in stopped if len(adjacency.get(h, ())) > HUB_DEGREE)
    note = (
        f"Showing the neighbourhood of {view.nodes[centre].label} ({centre}) to depth {depth}: "
        f"{len(sub.nodes)} of {view.total_nodes} nodes."
    )
    if stopped:
        note += " Not followed further: source articles, organisations" + (
            f" and hubs with more than {HUB_DEGREE} links ({', '.join(hubs[:4])})." if hubs else "."
        )
    sub.notes.append(note)
    return sub


def cap(view: GraphView, max_nodes: int) -> GraphView:
    """At most ``max_nodes`` nodes: the ones with the most evidence and links; says so in the notes."""
    if len(view.nodes) <= max_nodes:
        return view
    priority = {"drug": 3, "dose_regimen": 3, "condition": 2}
    # Organisations and source articles link many studies but carry no evidence of their own.
    weight = {"organisation": 0.2, "source": 0.2}
    ranked = sorted(
        view.nodes.values(),
        key=lambda n: (
            -((n.evidence * 3 + n.degree) * weight.get(n.kind, 1.0) + priority.get(n.kind, 0) * 1000),
            n.id,
        ),
    )
    keep = {n.id for n in ranked[:max_nodes]}
    sub = view.restrict(keep)
    sub.subset = True
    sub.notes.append(
        f"This page shows {len(sub.nodes):,} of {len(view.nodes):,} nodes and {len(sub.edges):,} of "
        f"{len(view.edges):,} edges: the ones with the most evidence and links. "
        "To see the rest, narrow the view: ldngraph viz --focus NODE --depth 2, or --query FILE.rq, "
        "or raise --max-nodes."
    )
    return sub


def apply_query(view: GraphView, graph: Any, text: str, name: str = "query") -> GraphView:
    """The part of ``view`` a SPARQL query names: a CONSTRUCT's triples, or the nodes a SELECT returns.

    The query runs with rdflib on ``graph`` with the project's prefixes bound. Claim IRIs in the result
    stand for the edge they support. Triples of a CONSTRUCT that are not edges of the view (new
    predicates) are drawn as extra edges between the nodes they link.
    """
    from rdflib import URIRef

    try:
        result = graph.query(text, initNs=dict(ns.PREFIXES))
    except Exception as exc:  # rdflib raises pyparsing and assorted errors for bad SPARQL
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ViewError(f"{name}: the query failed: {first_line}") from exc
    picked = _Picked(view)
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return _construct_view(picked, result.graph, name)
    if result.type == "SELECT":
        for row in result:
            for value in row:
                if isinstance(value, URIRef):
                    picked.take(str(value))
        sub = view.restrict(picked.keep)
        sub.notes.append(
            f"Showing the {len(sub.nodes)} nodes named by the SELECT query {name} and the edges among them."
        )
        return sub
    raise ViewError(f"{name}: an ASK query names no nodes; use SELECT or CONSTRUCT")


class _Picked:
    """The nodes and edges of a view that a query's result names (a claim IRI names its edge)."""

    def __init__(self, view: GraphView) -> None:
        self.view = view
        self.claim_edges: dict[str, EdgeView] = {}
        for edge in view.edges:
            for claim in edge.claims:
                self.claim_edges[ns.ID + claim.id] = edge
        self.keep: set[str] = set()
        self.chosen: dict[str, EdgeView] = {}

    def take(self, iri: str) -> None:
        """Keep the node with this IRI, or the edge (and its ends) of the claim with this IRI."""
        node_id = node_id_of(iri)
        if node_id in self.view.nodes:
            self.keep.add(node_id)
        elif iri in self.claim_edges:
            edge = self.claim_edges[iri]
            self.chosen[edge.id] = edge
            self.keep.update((edge.source, edge.target))


def _construct_view(picked: _Picked, triples: Any, name: str) -> GraphView:
    """The view of a CONSTRUCT's triples: their nodes, the edges they repeat and new edges they add."""
    from rdflib import URIRef

    view = picked.view
    by_key = {(e.source, e.predicate_iri, e.target): e for e in view.edges}
    extra: list[EdgeView] = []
    for s, p, o in triples:
        if not isinstance(o, URIRef):
            picked.take(str(s))
            continue
        picked.take(str(s))
        picked.take(str(o))
        key = (node_id_of(str(s)), str(p), node_id_of(str(o)))
        if key in by_key:
            picked.chosen[by_key[key].id] = by_key[key]
        elif key[0] in view.nodes and key[2] in view.nodes and str(p) != RDF_TYPE:
            extra.append(
                EdgeView(
                    id=f"q{len(extra)}",
                    source=key[0],
                    target=key[2],
                    predicate=predicate_name(str(p)),
                    layer="external",
                    predicate_iri=str(p),
                )
            )
    sub = view.restrict(picked.keep, [*picked.chosen.values(), *extra])
    sub.notes.append(
        f"Showing the result of the CONSTRUCT query {name}: {len(sub.nodes)} nodes, {len(sub.edges)} edges."
    )
    return sub
