"""Filtered views of the networkx projection, evidence-level ranks and name look-up."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ldngraph.core.problems import UnknownName
from ldngraph.core.schema import EvidenceLevel
from ldngraph.sparql.answers import match_name

if TYPE_CHECKING:
    import networkx as nx

#: A name or value that matches nothing in the graph (the same error as ldngraph.core.problems.UnknownName).
UnknownValue = UnknownName


def level_rank(level: str | EvidenceLevel) -> int:
    """Rank of an evidence level (1 = randomised controlled trial ... 8 = anecdote).

    Raises:
        UnknownValue: for a name that is not an evidence level.
    """
    try:
        return EvidenceLevel(level).rank
    except ValueError:
        raise UnknownValue("evidence level", str(level), [lv.value for lv in EvidenceLevel]) from None


def view(
    graph: nx.MultiDiGraph,
    *,
    kinds: Iterable[str] | None = None,
    layers: Iterable[str] | None = None,
    predicates: Iterable[str] | None = None,
    min_level: str | None = None,
    levels: Iterable[str] | None = None,
    evidence_only: bool = False,
    include_disputed: bool = False,
    drop_isolated: bool = False,
) -> nx.MultiDiGraph:
    """A read-only filtered view of the projected graph.

    Args:
        graph: the graph from :func:`to_networkx`.
        kinds: keep only nodes of these kinds (e.g. ``["drug", "protein", "process"]``; ``receptor``,
            ``cell``, ``regimen``, ``trial`` and ``article`` are accepted for protein, cell_type,
            dose_regimen, study and source).
        layers: keep only edges of these layers (clinical, preclinical, hypothesis, mechanistic,
            safety, context); an unknown layer is an error, not an empty view.
        predicates: keep only edges with these predicates.
        min_level: keep claims at this evidence level or stronger (e.g. ``"uncontrolled"``).
        levels: keep claims at exactly these evidence levels.
        evidence_only: drop edges that carry no evidence level (structural and record edges).
        include_disputed: keep disputed claims (left out by default).
        drop_isolated: leave out nodes that have no edge left in the view.

    Kinds, layers and levels are matched case-insensitively.

    Returns:
        A networkx subgraph view; copy it (``.copy()``) to modify it.
    """
    import networkx as nx

    kind_set = _checked(_aliased(kinds), node_kinds(graph), "node kind")
    layer_set = _checked(_lower(layers), edge_layers(graph), "layer")
    predicate_set = set(predicates) if predicates is not None else None
    level_set = _checked(_lower(levels), {lv.value for lv in EvidenceLevel}, "evidence level")
    max_rank = level_rank(min_level.strip().lower()) if min_level is not None else None

    def keep_node(node: str) -> bool:
        return kind_set is None or graph.nodes[node].get("kind") in kind_set

    def keep_edge(u: str, v: str, key: str) -> bool:
        data = graph.edges[u, v, key]
        if not include_disputed and data.get("status") == "disputed":
            return False
        if layer_set is not None and data.get("layer") not in layer_set:
            return False
        if predicate_set is not None and data.get("predicate") not in predicate_set:
            return False
        level = data.get("level")
        if level is None:
            return not evidence_only
        if level_set is not None and level not in level_set:
            return False
        return max_rank is None or data.get("level_rank", 99) <= max_rank

    edges_view = nx.subgraph_view(graph, filter_node=keep_node, filter_edge=keep_edge)
    if not drop_isolated:
        return edges_view
    linked = {node for edge in edges_view.edges() for node in edge}
    return nx.subgraph_view(graph, filter_node=lambda node: node in linked and keep_node(node), filter_edge=keep_edge)


#: Other names people use for node kinds.
KIND_ALIASES = {"receptor": "protein", "cell": "cell_type", "regimen": "dose_regimen", "trial": "study",
                "article": "source"}


def _lower(values: Iterable[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [str(v).strip().lower() for v in ([values] if isinstance(values, str) else values)]


def _aliased(kinds: Iterable[str] | None) -> list[str] | None:
    lowered = _lower(kinds)
    return None if lowered is None else [KIND_ALIASES.get(k, k) for k in lowered]


def edge_layers(graph: nx.MultiDiGraph) -> set[str]:
    """Every layer an edge can have: the claim and metagraph layers and any the graph's edges carry."""
    from ldngraph.curation.metagraph import CLAIM_LAYERS, LAYERS

    return set(CLAIM_LAYERS) | set(LAYERS) | {str(data.get("layer")) for *_, data in graph.edges(data=True)
                                                if data.get("layer")}


def node_kinds(graph: nx.MultiDiGraph) -> set[str]:
    """Every node kind: those of the schema and any other the graph's nodes carry."""
    from ldngraph.core.schema import NODE_KINDS

    return set(NODE_KINDS) | {data.get("kind", "") for _, data in graph.nodes(data=True)}


def _checked(values: Iterable[str] | None, allowed: set[str], what: str) -> set[str] | None:
    if values is None:
        return None
    chosen = {values} if isinstance(values, str) else set(values)
    bad = sorted(chosen - allowed)
    if bad:
        raise UnknownValue(what, bad[0], sorted(allowed))
    return chosen


def resolve(graph: nx.MultiDiGraph, name: str, kind: str | None = None) -> str:
    """The id of the node whose id, label or synonym is ``name`` (case-insensitive), optionally of one kind.

    Raises:
        UnknownValue: when nothing matches, with the nearest names.
    """
    candidates = (
        (str(node), str(data.get("label", "") or node), [s for s in str(data.get("synonyms", "")).split("|") if s])
        for node, data in graph.nodes(data=True)
        if kind is None or data.get("kind") == kind
    )
    return match_name(name, candidates, kind or "node")
