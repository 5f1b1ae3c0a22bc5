"""The viewer's data classes: a graph view of typed nodes, and edges with the claims behind them."""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ldngraph.core.problems import LdngraphError
from ldngraph.viewer.terms import LEVEL_LABELS, LEVELS


class ViewError(LdngraphError):
    """The view cannot be made as asked (unknown focus node, bad query, unreadable merged file)."""


@dataclass
class Link:
    """An identifier shown on a card, with the URL built from its known CURIE prefix (or None)."""

    label: str
    text: str
    url: str | None


@dataclass
class ClaimView:
    """One claim behind an edge, as a card shows it."""

    id: str
    level: str
    rank: int
    direction: str
    layer: str
    status: str
    quote: str
    source: str
    source_label: str
    study: str | None = None
    study_label: str | None = None
    regimen: str | None = None
    regimen_label: str | None = None
    discrepancy: str | None = None
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class NodeView:
    """One drawn node: id, label, kind, card facts and identifier links."""

    id: str
    iri: str
    label: str
    kind: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    synonyms: list[str] = field(default_factory=list)
    description: str | None = None
    related: dict[str, list[str]] = field(default_factory=dict)
    value_claims: list[ClaimView] = field(default_factory=list)
    degree: int = 0
    evidence: int = 0
    #: Raw controlled values the page groups by (a study's ``design`` and ``status`` names, ``n``).
    facts: dict[str, str] = field(default_factory=dict)
    #: The verdict for a condition, when one is computed: ``{"statement": str, "certainty": str,
    #: "reasons": [str, ...], "review_checks": [...], "articles_claimed": [...], "roles": {role: [study id]}}``
    #: (roles: counted, context, apart, lead, running); the condition panel shows it, else "No verdict computed".
    verdict: dict[str, object] | None = None
    #: A study's arms, outcome measures (each with its results) and primary records (decision 0013):
    #: ``{"arms": [...], "outcomes": [...], "records": [...]}``, or None; its card and panel entry show them.
    details: dict[str, list[dict[str, Any]]] | None = None


@dataclass
class EdgeView:
    """One drawn edge (a distinct subject, predicate, object) with every claim behind it."""

    id: str
    source: str
    target: str
    predicate: str
    layer: str
    claims: list[ClaimView] = field(default_factory=list)
    basis: str | None = None
    predicate_iri: str = ""

    @property
    def best_rank(self) -> int:
        """Rank of the best evidence level among the claims (1 = RCT), 0 when there are none."""
        return min((c.rank for c in self.claims), default=0)

    @property
    def best_level(self) -> str | None:
        """The best evidence level among the claims, or None."""
        return min(self.claims, key=lambda c: c.rank).level if self.claims else None

    @property
    def direction(self) -> str | None:
        """Summary direction: supports, no_effect, contradicts, or mixed when the claims disagree."""
        directions = {c.direction for c in self.claims}
        if not directions:
            return None
        if len(directions) == 1:
            return next(iter(directions))
        return "mixed"

    @property
    def disputed(self) -> bool:
        """Whether every claim behind the edge is disputed (the graph does not assert it)."""
        return bool(self.claims) and all(c.status == "disputed" for c in self.claims)


@dataclass
class GraphView:
    """The nodes and edges to draw, plus what the page must say about how they were chosen."""

    nodes: dict[str, NodeView]
    edges: list[EdgeView]
    title: str = "ldngraph"
    notes: list[str] = field(default_factory=list)
    total_nodes: int = 0
    total_edges: int = 0
    subset: bool = False
    #: The node a neighbourhood view is centred on (``--focus``); the page marks it.
    focus: str | None = None
    levels: list[tuple[str, str, int]] = field(
        default_factory=lambda: [(lv, LEVEL_LABELS[lv], i + 1) for i, lv in enumerate(LEVELS)]
    )

    def neighbours(self) -> dict[str, set[str]]:
        """Undirected adjacency of the drawn edges."""
        adjacency: dict[str, set[str]] = defaultdict(set)
        for edge in self.edges:
            adjacency[edge.source].add(edge.target)
            adjacency[edge.target].add(edge.source)
        return adjacency

    def restrict(self, keep: set[str], edges: Iterable[EdgeView] | None = None) -> GraphView:
        """A view of only the nodes in ``keep`` (and the edges among them, or the ``edges`` given)."""
        nodes = {k: v for k, v in self.nodes.items() if k in keep}
        chosen = self.edges if edges is None else edges
        kept_edges = [e for e in chosen if e.source in nodes and e.target in nodes]
        return GraphView(
            nodes=nodes,
            edges=kept_edges,
            title=self.title,
            notes=list(self.notes),
            total_nodes=self.total_nodes,
            total_edges=self.total_edges,
            subset=self.subset or len(nodes) < len(self.nodes),
            focus=self.focus if self.focus in nodes else None,
            levels=self.levels,
        )


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the block runs.

    Building ~10^5 small objects next to a large rdflib graph triggers full collections again and
    again (about a third of the time at 20,000 nodes), and they find nothing to free here.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
