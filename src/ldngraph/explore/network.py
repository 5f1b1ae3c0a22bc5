"""The graph as a typed networkx MultiDiGraph, and the network questions asked of it.

The projection keeps what the RDF says and nothing it doesn't:

* one node per curated entity (drugs, regimens, proteins, cells, processes, conditions, studies, ...),
  keyed by its record id, with ``kind``, ``label`` and its literal facts as attributes
  (literals never become nodes);
* one edge per claim with an object (key = claim id), carrying the evidence: ``predicate``,
  ``level``, ``level_rank``, ``direction``, ``layer``, ``status``, ``study``, ``source``, ``n``, ...;
  disputed claims are kept with ``status="disputed"`` (views and paths leave them out by default);
* one edge per structural edge (key = edge id, ``origin="edge"``, with its ``basis``);
* one edge per remaining direct triple between entities (``origin="record"``: a study's
  conditions, regimens and organisations, a regimen's drug, the articles that report a study).

Value claims (a cost, a prevalence, a stated dose) become node attributes named after their
predicate, e.g. ``has_cost``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ldngraph.core.problems import UnknownName
from ldngraph.core.schema import EvidenceLevel

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    from rdflib import Graph

    from ldngraph.curation.metagraph import Metagraph

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
#: Node kinds left out of :func:`centrality` by default (bibliographic rather than biological).
BIBLIOGRAPHIC_KINDS: tuple[str, ...] = ("source", "organisation", "study")
PRECLINICAL_LEVELS = frozenset({EvidenceLevel.animal.value, EvidenceLevel.in_vitro.value})

_CLAIM_FIELDS = {
    "source": "source",
    "study": "study",
    "regimen": "regimen",
    "quote": "quote",
    "population": "population",
    "n": "n",
    "effect": "effect",
    "primary_says": "primary_says",
    "note": "note",
    "discrepancy": "discrepancy",
    "claim_status": "status",
    "direction": "direction",
    "layer": "layer",
    "evidence_level": "level",
}


#: A name or value that matches nothing in the graph (the same error as ldngraph.core.problems.UnknownName).
UnknownValue = UnknownName


def _local(term: object) -> str:
    text = str(term)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
    return text


def _python(value: Any) -> Any:
    from decimal import Decimal

    py = value.toPython() if hasattr(value, "toPython") else value
    if isinstance(py, Decimal):
        return float(py)
    if isinstance(py, (str, int, float, bool)):
        return py
    return str(py)


def _load(source: Graph | Path | str | None) -> tuple[Graph, Path | None]:
    from rdflib import Graph

    if isinstance(source, Graph):
        return source, None
    from ldngraph.core.paths import default_graph_dir
    from ldngraph.rdf.build import load_graph

    folder = Path(source) if source is not None else default_graph_dir()
    return load_graph(folder), folder


def to_networkx(source: Graph | Path | str | None = None, *, metagraph: Metagraph | None = None) -> nx.MultiDiGraph:
    """Project the evidence graph to a typed networkx MultiDiGraph.

    Args:
        source: an rdflib Graph (as from :func:`ldngraph.load_graph`), a graph folder, or None for
            the default graph folder.
        metagraph: gives the layer of structural and record edges; read from the graph folder
            (or the default one) when not given.

    Returns:
        A MultiDiGraph keyed by record id. Node attributes: ``kind``, ``label``, ``iri`` and the
        node's literal facts; edge attributes: ``predicate``, ``origin`` (claim, edge or record),
        ``layer`` and, for claims, the evidence (``level``, ``level_rank``, ``direction``, ...).
    """
    import networkx as nx
    from rdflib import RDF, RDFS, Literal, URIRef
    from rdflib.namespace import DCTERMS, SKOS

    from ldngraph.core import namespaces as ns
    from ldngraph.core.paths import default_graph_dir
    from ldngraph.curation.metagraph import load_metagraph
    from ldngraph.rdf.triples import CLASS_BY_KIND, LDN

    graph, folder = _load(source)
    if metagraph is None:
        metagraph = load_metagraph(folder or default_graph_dir())
    kind_of_class = {cls: kind for kind, cls in CLASS_BY_KIND.items()}
    ranks = {level.value: level.rank for level in EvidenceLevel}

    out = nx.MultiDiGraph(name="ldngraph")
    ids: dict[URIRef, str] = {}
    for subject, _, cls in graph.triples((None, RDF.type, None)):
        kind = kind_of_class.get(cls)  # type: ignore[call-overload]
        if kind is None or not str(subject).startswith(ns.ID):
            continue
        node_id = str(subject)[len(ns.ID) :]
        ids[subject] = node_id  # type: ignore[index]
        out.add_node(node_id, id=node_id, kind=kind, label=node_id, iri=str(subject))

    multi = {SKOS.altLabel: "synonyms", LDN.xref: "xrefs"}
    renamed = {RDFS.label: "label", DCTERMS.title: "title", DCTERMS.description: "description"}
    for subject, node_id in ids.items():
        attrs = out.nodes[node_id]
        lists: dict[str, list[str]] = {}
        for prop, value in graph.predicate_objects(subject):
            if prop == DCTERMS.identifier:
                continue
            if prop in multi:
                lists.setdefault(multi[prop], []).append(str(value))
            elif isinstance(value, Literal):
                attrs[renamed.get(prop, _local(prop))] = _python(value)  # type: ignore[arg-type]
            elif prop in (LDN.design, LDN.status, LDN.dose_band):
                attrs[_local(prop)] = _local(value)
        for name, values in lists.items():
            attrs[name] = "|".join(sorted(values))

    covered: set[tuple[str, str, str]] = set()
    for claim in graph.subjects(RDF.type, LDN.Claim):
        _add_claim(out, graph, claim, ids, ranks, covered)  # type: ignore[arg-type]
    for edge in graph.subjects(RDF.type, LDN.StructuralEdge):
        s, o = graph.value(edge, LDN.subject), graph.value(edge, LDN.object)
        p = graph.value(edge, LDN.predicate)
        if s in ids and o in ids and p is not None:
            predicate = _local(p)
            key = str(graph.value(edge, DCTERMS.identifier) or _local(edge))
            out.add_edge(
                ids[s],
                ids[o],
                key=key,
                id=key,
                predicate=predicate,
                origin="edge",  # type: ignore[index]
                layer=metagraph.layers.get(predicate, ""),
                basis=str(graph.value(edge, LDN.basis) or ""),
            )
            covered.add((ids[s], predicate, ids[o]))  # type: ignore[index]
    for subject, node_id in ids.items():
        for prop, value in graph.predicate_objects(subject):
            if value not in ids or not str(prop).startswith(ns.VOCAB):
                continue
            predicate = _local(prop)
            target = ids[value]  # type: ignore[index]
            if predicate not in metagraph.layers or (node_id, predicate, target) in covered:
                continue
            key = f"{node_id}|{predicate}|{target}"
            out.add_edge(
                node_id,
                target,
                key=key,
                id=key,
                predicate=predicate,
                origin="record",
                layer=metagraph.layers[predicate],
            )
    return out


def _add_claim(
    out: nx.MultiDiGraph,
    graph: Graph,
    claim: Any,
    ids: dict[Any, str],
    ranks: dict[str, int],
    covered: set[tuple[str, str, str]],
) -> None:
    from rdflib import Literal
    from rdflib.namespace import DCTERMS

    from ldngraph.rdf.triples import LDN

    subject, obj = graph.value(claim, LDN.subject), graph.value(claim, LDN.object)
    predicate = _local(graph.value(claim, LDN.predicate))
    claim_id = str(graph.value(claim, DCTERMS.identifier) or _local(claim))
    attrs: dict[str, Any] = {"id": claim_id, "claim": claim_id, "predicate": predicate, "origin": "claim"}
    for prop, value in graph.predicate_objects(claim):
        name = _CLAIM_FIELDS.get(_local(prop))
        if name is None:
            continue
        if isinstance(value, Literal):
            attrs[name] = _python(value)
        else:
            attrs[name] = ids.get(value) or _local(value)
    if "level" in attrs:
        attrs["level_rank"] = ranks.get(attrs["level"], 0)
    if subject not in ids:
        return
    if obj is None:
        value = graph.value(claim, LDN.value)
        if value is not None and attrs.get("status") == "asserted":
            node = out.nodes[ids[subject]]
            values = [v for v in str(node.get(predicate, "")).split(" | ") if v]
            node[predicate] = " | ".join(sorted({*values, str(value)}))
        return
    if obj not in ids:
        return
    out.add_edge(ids[subject], ids[obj], key=claim_id, **attrs)
    if attrs.get("status") == "asserted":
        covered.add((ids[subject], predicate, ids[obj]))


# --------------------------------------------------------------------------- views


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
) -> nx.MultiDiGraph:
    """A read-only filtered view of the projected graph.

    Args:
        graph: the graph from :func:`to_networkx`.
        kinds: keep only nodes of these kinds (e.g. ``["drug", "protein", "process"]``).
        layers: keep only edges of these layers (clinical, preclinical, hypothesis, mechanistic,
            safety, context).
        predicates: keep only edges with these predicates.
        min_level: keep claims at this evidence level or stronger (e.g. ``"uncontrolled"``).
        levels: keep claims at exactly these evidence levels.
        evidence_only: drop edges that carry no evidence level (structural and record edges).
        include_disputed: keep disputed claims (left out by default).

    Returns:
        A networkx subgraph view; copy it (``.copy()``) to modify it.
    """
    import networkx as nx

    kind_set = _checked(kinds, _kinds(graph), "node kind")
    layer_set = set(layers) if layers is not None else None
    predicate_set = set(predicates) if predicates is not None else None
    level_set = _checked(levels, {lv.value for lv in EvidenceLevel}, "evidence level")
    max_rank = level_rank(min_level) if min_level is not None else None

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

    return nx.subgraph_view(graph, filter_node=keep_node, filter_edge=keep_edge)


def _kinds(graph: nx.MultiDiGraph) -> set[str]:
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


# --------------------------------------------------------------------------- mechanism paths


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
    def weakest_level(self) -> str | None:
        """The weakest evidence level on the path (None when every hop is established pharmacology)."""
        levelled = [h.level for h in self.hops if h.level is not None]
        return max(levelled, key=level_rank) if levelled else None

    @property
    def rests_on(self) -> str:
        """What the path rests on, by its weakest hop: established, clinical, preclinical or hypothesis."""
        order = ["established", "clinical", "preclinical", "hypothesis"]
        return max((h.support for h in self.hops), key=order.index, default="established")

    @property
    def preclinical_only(self) -> bool:
        """Whether every evidence-bearing hop rests on animal or in-vitro work alone."""
        levelled = [h for h in self.hops if h.level is not None]
        return bool(levelled) and all(h.support == "preclinical" for h in levelled)

    def __str__(self) -> str:
        parts = [self.labels[0]]
        for hop, label in zip(self.hops, self.labels[1:], strict=True):
            parts.append(f"-[{hop.predicate}{' ' + hop.level if hop.level else ''}]-> {label}")
        return " ".join(parts)


def _mechanism_graph(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """Collapse asserted mechanistic edges to one edge per (u, v) holding the best-supported hop."""
    import networkx as nx

    simple = nx.DiGraph()
    mech = view(graph, predicates=MECHANISM_PREDICATES)
    for u, v, data in mech.edges(data=True):
        rank = data.get("level_rank", 0) if data.get("level") else 0
        current = simple.get_edge_data(u, v)
        claims = (data["claim"],) if data.get("claim") else ()
        if current is None or rank < current["rank"]:
            hop = Hop(u, data["predicate"], v, data.get("level"), claims, data.get("basis", ""))
            simple.add_edge(u, v, rank=rank, hop=hop)
        elif rank == current["rank"] and claims:
            old: Hop = current["hop"]
            merged = (*old.claims, *claims)
            current["hop"] = Hop(old.source, old.predicate, old.target, old.level, merged, old.basis)
    return simple


def resolve(graph: nx.MultiDiGraph, name: str, kind: str | None = None) -> str:
    """The id of the node whose id, label or synonym is ``name`` (case-insensitive), optionally of one kind.

    Raises:
        UnknownValue: when nothing matches, with the nearest names.
    """
    import difflib

    wanted = name.strip().casefold()
    names: dict[str, str] = {}
    for node, data in graph.nodes(data=True):
        if kind is not None and data.get("kind") != kind:
            continue
        for label in (node, data.get("label", ""), *str(data.get("synonyms", "")).split("|")):
            if label:
                names.setdefault(str(label).casefold(), node)
    if wanted in names:
        return names[wanted]
    close = difflib.get_close_matches(wanted, list(names), n=5, cutoff=0.5)
    raise UnknownValue(kind.replace("_", " ") if kind else "node", name, close)


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
    """Mechanism paths from a drug (or any of its dose regimens) to a condition, strongest first.

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
    regimens = [u for u, v, d in graph.in_edges(start, data=True) if d.get("predicate") == "regimen_of"]
    simple = _mechanism_graph(graph)
    ends: dict[str, tuple[Hop, ...]] = {target: ()}
    if via_broader:
        ends.update(broader_conditions(graph, target))
    found: list[MechanismPath] = []
    for end, chain in ends.items():
        for origin in [start, *sorted(set(regimens))]:
            if origin not in simple or end not in simple:
                continue
            for nodes in nx.all_simple_paths(simple, origin, end, cutoff=max_hops):
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


def centrality(graph: nx.MultiDiGraph, *, kinds: Iterable[str] | None = None, top: int | None = None) -> pd.DataFrame:
    """Degree and betweenness centrality of the nodes, most central first.

    Args:
        graph: the graph from :func:`to_networkx`.
        kinds: node kinds to include; default every kind except sources, organisations and studies.
        top: keep only this many rows.

    Returns:
        Columns: id, label, kind, degree (edges, all directions), claims (evidence edges touching the
        node), betweenness (on the undirected simple graph, normalised).
    """
    import networkx as nx
    import pandas as pd

    if kinds is None:
        kinds = sorted(_kinds(graph) - set(BIBLIOGRAPHIC_KINDS))
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
    return frame.head(top) if top is not None else frame


# --------------------------------------------------------------------------- notebook display


def inline_html(page: str, *, height: int = 650) -> Any:
    """A complete HTML page shown inline in a notebook (JupyterLab, VS Code, classic Jupyter).

    The page goes into a sandboxed ``<iframe srcdoc>`` so its scripts and styles stay inside it.
    """
    import html

    from IPython.display import HTML

    return HTML(
        f'<div class="ldngraph-inline"><iframe srcdoc="{html.escape(page, quote=True)}" sandbox="allow-scripts" '
        f'style="width:100%;height:{int(height)}px;border:1px solid #ccc"></iframe></div>'
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

    graph, _ = _load(source)
    chosen = build_view(graph)
    if focus is not None:
        chosen = neighbourhood(chosen, resolve_view_node(chosen, focus), depth)
    return inline_html(render_html(chosen, max_nodes=max_nodes), height=height)
