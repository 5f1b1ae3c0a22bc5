"""Mechanism paths: chains of asserted mechanistic edges from a drug to a condition, and shared mechanisms.

A path follows asserted mechanistic edges (antagonist_of, expressed_in, mediates, contributes_to,
decreases, ..., and kind-of links between mechanisms such as microglia -> glia) of the networkx
projection from the drug through one or more mechanism nodes (proteins, cell types, molecules,
processes) to the condition, or to a broader condition it is a kind of, never through another
condition. The drug's regimens in the low band (regimen category ``ldn``) start the same paths as the
drug: their edges count as the drug's, so a path is found once. The named query ``mechanism-paths``
asks the store the same question and gives the same paths with the same hop levels
(tests/test_queries_issue13.py, tests/test_one_engine.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ldngraph.core.schema import EvidenceLevel
from ldngraph.explore.views import level_rank, resolve, view

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

#: Node kinds that carry a mechanism (what a drug acts on, on the way to a condition).
MECHANISM_KINDS: tuple[str, ...] = ("protein", "cell_type", "molecule", "process")
#: Predicates of the mechanistic layer, followed by mechanism paths.
MECHANISM_PREDICATES: tuple[str, ...] = (
    "agonist_of",
    "antagonist_of",
    "contributes_to",
    "decreases",
    "expressed_in",
    "increases",
    "mediates",
    "modulates",
    "produces",
)
#: Kind-of links followed between mechanism nodes (microglia are glia), as the named query does.
KIND_OF_PREDICATES: tuple[str, ...] = ("subclass_of",)
#: The regimen category whose regimens start the same paths as their drug (decision 0015).
LDN_CATEGORY = "ldn"
#: Evidence levels that are not in people (animal and in-vitro work).
PRECLINICAL_LEVELS = frozenset({EvidenceLevel.animal.value, EvidenceLevel.in_vitro.value})


@dataclass(frozen=True)
class Hop:
    """One step of a mechanism path: the best-supported edge between two nodes."""

    source: str
    predicate: str
    target: str
    level: str | None
    claims: tuple[str, ...]
    basis: str = ""

    @property
    def support(self) -> str:
        """What the hop rests on: established (a structural edge), clinical, preclinical or hypothesis."""
        if self.level is None:
            return "established"
        level = EvidenceLevel(self.level)
        if level.is_clinical:
            return "clinical"
        if level.value in PRECLINICAL_LEVELS:
            return "preclinical"
        return "hypothesis"


@dataclass(frozen=True)
class MechanismPath:
    """A chain of mechanistic edges from a drug (or one of its regimens) to a condition."""

    nodes: tuple[str, ...]
    labels: tuple[str, ...]
    hops: tuple[Hop, ...] = field(default_factory=tuple)

    @property
    def mechanism_hops(self) -> tuple[Hop, ...]:
        """The hops from the drug to the condition reached, without the kind-of steps between conditions."""
        return tuple(h for h in self.hops if h.predicate != "includes")

    @property
    def weakest_level(self) -> str | None:
        """The weakest evidence level on the path (None when every hop is established pharmacology)."""
        levelled = [h.level for h in self.mechanism_hops if h.level is not None]
        return max(levelled, key=level_rank) if levelled else None

    @property
    def rests_on(self) -> str:
        """What the path rests on, by its weakest hop: established, clinical, preclinical or hypothesis."""
        order = ["established", "clinical", "preclinical", "hypothesis"]
        return max((h.support for h in self.mechanism_hops), key=order.index, default="established")

    @property
    def preclinical_only(self) -> bool:
        """Whether every evidence-bearing hop rests on animal or in-vitro work alone."""
        levelled = [h for h in self.mechanism_hops if h.level is not None]
        return bool(levelled) and all(h.support == "preclinical" for h in levelled)

    def __str__(self) -> str:
        parts = [self.labels[0]]
        for hop, label in zip(self.hops, self.labels[1:], strict=True):
            parts.append(f"-[{hop.predicate}{' ' + hop.level if hop.level else ''}]-> {label}")
        return " ".join(parts)


def _mechanism_graph(graph: nx.MultiDiGraph, aliases: dict[str, str] | None = None) -> nx.DiGraph:
    """Collapse asserted mechanistic edges to one edge per (u, v) holding the best-supported hop.

    A hop's level is the best among its asserted claims; a structural edge (established pharmacology or
    cell biology) or a link with no claim makes it a hop without a level, which is stronger than any.
    ``aliases`` maps nodes to the node whose edges they count as (a drug's LDN regimens to the drug).
    """
    import networkx as nx

    aliases = aliases or {}
    simple = nx.DiGraph()
    mech = view(graph, predicates=(*MECHANISM_PREDICATES, *KIND_OF_PREDICATES))
    for u0, v, data in mech.edges(data=True):
        u = aliases.get(u0, u0)
        if data["predicate"] in KIND_OF_PREDICATES and not (
            graph.nodes[u].get("kind") in MECHANISM_KINDS and graph.nodes[v].get("kind") in MECHANISM_KINDS
        ):
            continue
        rank = data.get("level_rank", 0) if data.get("level") else 0
        current = simple.get_edge_data(u, v)
        claims = (data["claim"],) if data.get("claim") else ()
        if current is None or rank < current["rank"]:
            hop = Hop(u, data["predicate"], v, data.get("level") if rank else None, claims if rank else (),
                      data.get("basis", ""))
            simple.add_edge(u, v, rank=rank, hop=hop)
        elif rank == current["rank"] and claims and rank:
            old: Hop = current["hop"]
            merged = tuple(sorted({*old.claims, *claims}))
            current["hop"] = Hop(old.source, old.predicate, old.target, old.level, merged, old.basis)
    return simple


def ldn_regimens(graph: nx.MultiDiGraph, drug: str) -> list[str]:
    """The drug's regimens in the low band (regimen category ``ldn``): they start the drug's paths."""
    return sorted({u for u, _, d in graph.in_edges(drug, data=True)
                   if d.get("predicate") == "regimen_of" and graph.nodes[u].get("regimen_category") == LDN_CATEGORY})


def broader_conditions(graph: nx.MultiDiGraph, condition: str) -> dict[str, tuple[Hop, ...]]:
    """The conditions ``condition`` is a kind of (through asserted ``subclass_of`` links, transitively).

    Returns:
        broader condition id -> the hops leading from it down to ``condition`` (predicate
        ``includes``, at the best level of the subclass link; None when it is a structural edge).
    """
    found: dict[str, tuple[Hop, ...]] = {}
    frontier: list[tuple[str, tuple[Hop, ...]]] = [(condition, ())]
    while frontier:
        child, chain = frontier.pop()
        links: dict[str, list[dict[str, Any]]] = {}
        for _, parent, data in graph.out_edges(child, data=True):
            if data.get("predicate") != "subclass_of" or data.get("status") == "disputed":
                continue
            if graph.nodes[parent].get("kind") == "condition" and parent != condition and parent not in found:
                links.setdefault(parent, []).append(data)
        for parent, datas in sorted(links.items()):
            levelled = [d for d in datas if d.get("level")]
            best = None if len(levelled) < len(datas) else min(levelled, key=lambda d: d["level_rank"])["level"]
            claims = tuple(sorted(d["claim"] for d in levelled if d.get("claim")))
            hop = Hop(parent, "includes", child, best, claims)
            found[parent] = (hop, *chain)
            frontier.append((parent, found[parent]))
    return found


def mechanism_paths(
    graph: nx.MultiDiGraph,
    condition: str,
    *,
    drug: str = "naltrexone",
    max_hops: int = 5,
    via_broader: bool = True,
    limit: int = 200,
) -> list[MechanismPath]:
    """Mechanism paths from a drug (and its regimens in the low band) to a condition, strongest first.

    A path follows asserted mechanistic edges (antagonist_of, expressed_in, mediates, contributes_to,
    decreases, ...) and passes through at least one mechanism node (protein, cell type, molecule or
    process); a bare ``studied_for`` claim is evidence of efficacy, not a mechanism. Parallel claims
    between the same two nodes count once, at their best level.

    Args:
        graph: the graph from :func:`to_networkx`.
        condition: condition id, name or synonym.
        drug: drug id, name or synonym.
        max_hops: the longest mechanistic part searched.
        via_broader: also follow paths that reach a broader condition the condition is a kind of
            (fibromyalgia is a kind of chronic pain); they end with an ``includes`` hop that says so.
        limit: at most this many paths are returned.

    Returns:
        Paths sorted by weakest level (best first), then by length.
    """
    import networkx as nx

    target = resolve(graph, condition, "condition")
    start = resolve(graph, drug, "drug")
    simple = _mechanism_graph(graph, {r: start for r in ldn_regimens(graph, start)})
    ends: dict[str, tuple[Hop, ...]] = {target: ()}
    if via_broader:
        ends.update(broader_conditions(graph, target))
    found: list[MechanismPath] = []
    for end, chain in ends.items():
        if start not in simple or end not in simple:
            continue
        for nodes in nx.all_simple_paths(simple, start, end, cutoff=max_hops):
            middle = nodes[1:-1]
            if not middle or any(graph.nodes[n].get("kind") not in MECHANISM_KINDS for n in middle):
                continue
            hops = tuple(simple.edges[a, b]["hop"] for a, b in zip(nodes, nodes[1:], strict=False)) + chain
            full = [*nodes, *(h.target for h in chain)]
            labels = tuple(str(graph.nodes[n].get("label", n)) for n in full)
            found.append(MechanismPath(tuple(full), labels, hops))
    found.sort(key=lambda p: (level_rank(p.weakest_level) if p.weakest_level else 0, len(p.hops), p.nodes))
    return found[:limit]


def mechanism_paths_table(
    graph: nx.MultiDiGraph,
    conditions: Iterable[str] | None = None,
    *,
    drug: str = "naltrexone",
    max_hops: int = 5,
    preclinical_only: bool = False,
) -> pd.DataFrame:
    """Every mechanism path from the drug to each condition as a table, one row per path.

    Columns: condition, path (readable), hops, weakest_level, rests_on, preclinical_only, claims.
    Conditions default to every condition node; with ``preclinical_only`` only the paths whose
    evidence-bearing hops all rest on animal or in-vitro work are kept.
    """
    import pandas as pd

    if conditions is None:
        conditions = sorted(n for n, d in graph.nodes(data=True) if d.get("kind") == "condition")
    rows = []
    for condition in conditions:
        node = resolve(graph, condition, "condition")
        for path in mechanism_paths(graph, node, drug=drug, max_hops=max_hops):
            rows.append(
                {
                    "condition": graph.nodes[node].get("label", node),
                    "path": str(path),
                    "hops": len(path.hops),
                    "weakest_level": path.weakest_level or "",
                    "rests_on": path.rests_on,
                    "preclinical_only": path.preclinical_only,
                    "claims": ", ".join(c for h in path.hops for c in h.claims),
                }
            )
    columns = ["condition", "path", "hops", "weakest_level", "rests_on", "preclinical_only", "claims"]
    frame = pd.DataFrame(rows, columns=columns)
    if preclinical_only:
        frame = frame[frame["preclinical_only"]].reset_index(drop=True)
    return frame


def shared_mechanisms(
    graph: nx.MultiDiGraph, *, conditions: Iterable[str] | None = None, min_conditions: int = 2
) -> pd.DataFrame:
    """Mechanism nodes (proteins, cells, molecules, processes) that lead to more than one condition.

    A mechanism leads to a condition when a chain of asserted mechanistic edges runs from it to the
    condition (or to a broader condition it is a kind of) through mechanism nodes only.

    Args:
        graph: the graph from :func:`to_networkx`.
        conditions: restrict to these conditions (ids, names or synonyms); default all.
        min_conditions: keep mechanisms shared by at least this many conditions.

    Returns:
        One row per mechanism: mechanism (id), label, kind, n_conditions, conditions (labels,
        comma-separated), sorted by n_conditions then label.
    """
    import networkx as nx
    import pandas as pd

    simple = _mechanism_graph(graph)
    mech_nodes = [n for n in simple if graph.nodes[n].get("kind") in MECHANISM_KINDS]
    if conditions is None:
        wanted = [n for n, d in graph.nodes(data=True) if d.get("kind") == "condition"]
    else:
        wanted = [resolve(graph, c, "condition") for c in conditions]
    reach: dict[str, set[str]] = {}
    for condition in wanted:
        for end in [condition, *broader_conditions(graph, condition)]:
            if end not in simple:
                continue
            sub = simple.subgraph([*mech_nodes, end])
            for node in nx.ancestors(sub, end):
                reach.setdefault(node, set()).add(condition)
    rows = [
        {
            "mechanism": node,
            "label": graph.nodes[node].get("label", node),
            "kind": graph.nodes[node].get("kind"),
            "n_conditions": len(found),
            "conditions": ", ".join(sorted(str(graph.nodes[c].get("label", c)) for c in found)),
        }
        for node, found in reach.items()
        if len(found) >= min_conditions
    ]
    frame = pd.DataFrame(rows, columns=["mechanism", "label", "kind", "n_conditions", "conditions"])
    return frame.sort_values(["n_conditions", "label"], ascending=[False, True], ignore_index=True)
