"""Which nodes are central to the network: degree, claims and betweenness."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ldngraph.explore.views import node_kinds, view

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

#: Node kinds left out of :func:`centrality` by default (bibliographic rather than biological).
BIBLIOGRAPHIC_KINDS: tuple[str, ...] = ("source", "organisation", "study")


def centrality(graph: nx.MultiDiGraph, *, kinds: Iterable[str] | None = None, top: int | None = None) -> pd.DataFrame:
    """Degree and betweenness centrality of the nodes, most central first.

    Args:
        graph: the graph from :func:`to_networkx`.
        kinds: node kinds to include; default every kind except sources, organisations and studies.
        top: keep only this many rows.

    Returns:
        Columns: id, label, kind, degree (edges, all directions), claims (evidence edges touching the
        node), betweenness (on the undirected simple graph, normalised). ``frame.attrs["subgraph"]`` says
        which subgraph was ranked: its node kinds and its numbers of nodes and edges.
    """
    import networkx as nx
    import pandas as pd

    if kinds is None:
        kinds = sorted(node_kinds(graph) - set(BIBLIOGRAPHIC_KINDS))
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    sub = view(graph, kinds=kinds)
    simple = nx.Graph(sub)
    between = nx.betweenness_centrality(simple) if simple.number_of_nodes() else {}
    rows = []
    for node, data in sub.nodes(data=True):
        edges = [*sub.in_edges(node, data=True), *sub.out_edges(node, data=True)]
        rows.append(
            {
                "id": node,
                "label": data.get("label", node),
                "kind": data.get("kind"),
                "degree": len(edges),
                "claims": sum(1 for *_, d in edges if d.get("origin") == "claim"),
                "betweenness": round(between.get(node, 0.0), 4),
            }
        )
    frame = pd.DataFrame(rows, columns=["id", "label", "kind", "degree", "claims", "betweenness"])
    order = ["betweenness", "degree", "id"]
    frame = frame.sort_values(order, ascending=[False, False, True], ignore_index=True)
    frame = frame.head(top) if top is not None else frame
    # which subgraph was ranked, so a table read later still says what it is
    frame.attrs["subgraph"] = {"kinds": sorted(kinds), "nodes": sub.number_of_nodes(), "edges": sub.number_of_edges()}
    return frame

