"""The viewer's model of the graph: typed nodes, edges with the claims behind them, and cards.

:func:`build_view` reads an rdflib graph (the curated graph, optionally with merged external
files) in one pass and returns a :class:`GraphView`: one node per resource that is a record of a
known kind (or, for merged graphs, any other resource linked by an object property), one edge per
distinct (subject, predicate, object) relation, with every reified claim behind that relation.
Links on cards are built only from known CURIE prefixes (:func:`ldngraph.core.namespaces.expand_curie`),
never from free text. Nothing here knows about HTML; :mod:`ldngraph.viewer.page` draws the model.

rdflib is imported inside the functions so that the CLI starts fast.
"""

from __future__ import annotations

import gc
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ldngraph.core import namespaces as ns
from ldngraph.core.problems import LdngraphError

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
OWL = "http://www.w3.org/2002/07/owl#"

#: Node kinds in lane order (left to right in the default layout), then the ones placed at the side.
KIND_ORDER: tuple[str, ...] = (
    "drug",
    "dose_regimen",
    "protein",
    "cell_type",
    "molecule",
    "process",
    "condition",
    "study",
    "organisation",
    "source",
    "adverse_effect",
    "caution",
    "biomarker",
    "other",
)
KIND_LABELS: dict[str, str] = {
    "drug": "drug",
    "dose_regimen": "dose regimen",
    "protein": "receptor / protein",
    "cell_type": "cell type",
    "molecule": "signalling molecule",
    "process": "biological process",
    "condition": "condition",
    "study": "study / trial",
    "organisation": "organisation",
    "source": "source article",
    "adverse_effect": "adverse effect",
    "caution": "caution",
    "biomarker": "biomarker",
    "other": "other (merged)",
}
_CLASS_KIND: dict[str, str] = {ns.VOCAB + name: kind for kind, name in ns.CLASS_NAMES.items()}
_CLAIM = ns.VOCAB + "Claim"
_STRUCTURAL = ns.VOCAB + "StructuralEdge"

LEVELS: tuple[str, ...] = (
    "rct",
    "controlled",
    "uncontrolled",
    "case_report",
    "animal",
    "in_vitro",
    "mechanism_hypothesis",
    "anecdote",
    "author_statement",
)
LEVEL_LABELS: dict[str, str] = {
    "rct": "randomised controlled trial",
    "controlled": "controlled, non-randomised",
    "uncontrolled": "open-label / cohort / case series",
    "case_report": "case report",
    "animal": "animal study",
    "in_vitro": "in vitro study",
    "mechanism_hypothesis": "mechanism hypothesis",
    "anecdote": "anecdote",
    "author_statement": "author statement, no study cited",
}
DIRECTIONS: tuple[str, ...] = ("supports", "no_effect", "mixed", "contradicts")
LAYERS: tuple[str, ...] = (
    "clinical",
    "preclinical",
    "hypothesis",
    "mechanistic",
    "safety",
    "context",
    "external",
)
#: Layers whose edges are drawn as evidence (colour by direction, width and dashes by level).
EVIDENCE_LAYERS = frozenset({"clinical", "preclinical", "hypothesis"})

# Predicates that carry links or vocabulary terms, never drawn as edges between nodes.
_ATTRIBUTE_PREDICATES = frozenset(
    {
        RDF_TYPE,
        SKOS + "exactMatch",
        SKOS + "closeMatch",
        RDFS + "seeAlso",
        RDFS + "isDefinedBy",
        OWL + "sameAs",
        ns.VOCAB + "evidence_type",
    }
)
_VOCAB_PREFIXES = (
    ns.BASE + "vocab",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    RDFS,
    OWL,
    "http://www.w3.org/2001/XMLSchema#",
    SKOS,
    DCTERMS,
    "http://www.w3.org/ns/shacl#",
    ns.BIOLINK,
)
# Literal properties shown on cards, in this order, with their labels.
_CARD_FIELDS: tuple[tuple[str, str], ...] = (
    (ns.VOCAB + "role", "role"),
    (ns.VOCAB + "gene_symbol", "gene symbol"),
    (ns.VOCAB + "category", "category"),
    (ns.VOCAB + "dose_typical", "typical dose"),
    (ns.VOCAB + "dose_min", "lowest dose"),
    (ns.VOCAB + "dose_max", "highest dose"),
    (ns.VOCAB + "dose_unit", "dose unit"),
    (ns.VOCAB + "schedule", "schedule"),
    (ns.VOCAB + "route", "route"),
    (ns.VOCAB + "formulation", "formulation"),
    (ns.VOCAB + "species", "species"),
    (ns.VOCAB + "location", "location"),
    (ns.VOCAB + "genre", "genre"),
    (ns.VOCAB + "first_author", "first author"),
    (ns.VOCAB + "year", "year"),
    (DCTERMS + "title", "title"),
    (ns.VOCAB + "journal", "journal"),
    (ns.VOCAB + "population", "population"),
    (ns.VOCAB + "n_enrolled", "n enrolled"),
    (ns.VOCAB + "n_analysed", "n analysed"),
    (ns.VOCAB + "arms", "arms"),
    (ns.VOCAB + "duration", "duration"),
    (ns.VOCAB + "result", "result"),
    (ns.VOCAB + "primary_record", "primary record"),
    (ns.VOCAB + "note", "note"),
)
_CARD_FIELD_SET = frozenset(uri for uri, _ in _CARD_FIELDS)
# Study identifiers -> CURIE prefix used to build their links.
_IDENTIFIER_PREFIXES: tuple[tuple[str, str, str], ...] = (
    (ns.VOCAB + "pmid", "PMID", "PubMed"),
    (ns.VOCAB + "pmcid", "PMC", "PubMed Central"),
    (ns.VOCAB + "doi", "DOI", "DOI"),
    (ns.VOCAB + "nct", "NCT", "ClinicalTrials.gov"),
)
_CLAIM_FIELDS = ("population", "n", "effect", "primary_says", "note", "value")


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


def _local(iri: str) -> str:
    for sep in ("#", "/", ":"):
        if sep in iri:
            tail = iri.rsplit(sep, 1)[1]
            if tail:
                return tail
    return iri


def _node_id(iri: str) -> str:
    return iri[len(ns.ID) :] if iri.startswith(ns.ID) else iri


def _is_vocab(iri: str) -> bool:
    return iri.startswith(_VOCAB_PREFIXES)


def _predicate_name(iri: str) -> str:
    if iri.startswith(ns.VOCAB):
        return iri[len(ns.VOCAB) :]
    for prefix, namespace in ns.PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return _local(iri)


def default_predicate_layers() -> dict[str, str]:
    """Predicate name -> layer from the default graph folder's metagraph (empty if it cannot be read)."""
    from ldngraph.core.paths import default_graph_dir
    from ldngraph.curation.metagraph import load_metagraph

    try:
        return dict(load_metagraph(default_graph_dir()).layers)
    except LdngraphError:
        return {}


def build_view(graph: Any, predicate_layers: dict[str, str] | None = None, title: str = "ldngraph") -> GraphView:
    """The viewer's model of an rdflib graph (the curated graph, with any merged external triples).

    Args:
        graph: an rdflib Graph (or anything iterable as (subject, predicate, object) rdflib terms).
        predicate_layers: predicate name -> layer, from the metagraph; read from the default graph
            folder when None. Claims carry their own layer; this is for edges without claims.
        title: the page title.
    """
    with gc_paused():
        return _build_view(graph, predicate_layers, title)


def _build_view(graph: Any, predicate_layers: dict[str, str] | None, title: str) -> GraphView:
    from rdflib import BNode, Literal, URIRef

    if predicate_layers is None:
        predicate_layers = default_predicate_layers()
    types: dict[str, list[str]] = defaultdict(list)
    labels: dict[str, str] = {}
    # Flat per-subject lists, grouped by predicate only for the subjects that need it (fast at 10^5+).
    flat_literals: dict[str, list[tuple[str, str]]] = {}
    flat_objects: dict[str, list[tuple[str, str]]] = {}
    ranks: dict[str, int] = {}
    rank_iri = ns.VOCAB + "rank"
    label_iri = RDFS + "label"
    for s, p, o in graph:
        subject = str(s)
        predicate = str(p)
        kind_of_o = type(o)
        if kind_of_o is URIRef or kind_of_o is BNode or not isinstance(o, Literal):
            if predicate == RDF_TYPE:
                types[subject].append(str(o))
                continue
            bucket = flat_objects.get(subject)
            if bucket is None:
                bucket = flat_objects[subject] = []
            bucket.append((predicate, str(o)))
            continue
        if predicate == label_iri:
            if subject not in labels:
                labels[subject] = str(o)
        elif predicate == rank_iri:
            try:
                ranks[subject] = int(o)
            except (TypeError, ValueError):
                pass
        else:
            bucket = flat_literals.get(subject)
            if bucket is None:
                bucket = flat_literals[subject] = []
            bucket.append((predicate, str(o)))

    class _Grouped(dict):
        def __init__(self, flat: dict[str, list[tuple[str, str]]]) -> None:
            super().__init__()
            self.flat = flat

        def __missing__(self, key: str) -> dict[str, list[str]]:
            grouped: dict[str, list[str]] = {}
            for predicate, value in self.flat.get(key, ()):
                grouped.setdefault(predicate, []).append(value)
            self[key] = grouped
            return grouped

        def get(self, key: str, default: Any = None) -> dict[str, list[str]]:  # type: ignore[override]
            return self[key]

    literals = _Grouped(flat_literals)
    objects = _Grouped(flat_objects)

    claim_iris = {s for s, ts in types.items() if _CLAIM in ts}
    structural_iris = {s for s, ts in types.items() if _STRUCTURAL in ts}
    reified = claim_iris | structural_iris
    classes = {o for ts in types.values() for o in ts}
    relations: list[tuple[str, str, str]] = [
        (subject, predicate, obj)
        for subject, pairs in flat_objects.items()
        if subject not in reified
        for predicate, obj in pairs
        if predicate not in _ATTRIBUTE_PREDICATES
    ]

    kinds: dict[str, str] = {}
    for subject, ts in types.items():
        for t in ts:
            kind = _CLASS_KIND.get(t)
            if kind:
                kinds[subject] = kind
                break
    # Resources of merged graphs: anything linked by an object property that is not vocabulary.
    for s, _p, o in relations:
        if _is_vocab(s) or s in classes:
            continue
        for end in (s, o):
            if end not in kinds and end not in reified and end not in classes and not _is_vocab(end):
                kinds[end] = "other"

    def label_of(iri: str) -> str:
        return labels.get(iri) or (_node_id(iri) if iri.startswith(ns.ID) else _local(iri))

    def first(iri: str, prop: str) -> str | None:
        values = literals.get(iri, {}).get(prop)
        return values[0] if values else None

    def first_obj(iri: str, prop: str) -> str | None:
        values = objects.get(iri, {}).get(prop)
        return values[0] if values else None

    # Nodes.
    nodes: dict[str, NodeView] = {}
    for iri, kind in kinds.items():
        node_id = _node_id(iri)
        node = NodeView(id=node_id, iri=iri, label=label_of(iri), kind=kind)
        props = literals.get(iri, {})
        node.synonyms = sorted(props.get(SKOS + "altLabel", []))
        node.description = (props.get(DCTERMS + "description") or [None])[0]
        for uri, name in _CARD_FIELDS:
            for value in props.get(uri, []):
                node.fields.append((name, value))
        for name in ("dose_band", "status", "design"):
            value = first_obj(iri, ns.VOCAB + name)
            if value:
                node.fields.insert(0, (name.replace("_", " "), labels.get(value) or _local(value).replace("_", " ")))
        for uri, prefix, label in _IDENTIFIER_PREFIXES:
            for value in props.get(uri, []):
                node.links.append(Link(label=label, text=f"{prefix}:{value}", url=ns.expand_curie(f"{prefix}:{value}")))
        for xref in sorted(props.get(ns.VOCAB + "xref", [])):
            node.links.append(Link(label="xref", text=xref, url=ns.expand_curie(xref)))
        if kind == "other":
            for uri, values in sorted(props.items()):
                if uri not in _CARD_FIELD_SET and uri != SKOS + "altLabel":
                    for value in values[:5]:
                        node.fields.append((_predicate_name(uri), value))
        nodes[node_id] = node

    def claim_view(iri: str) -> ClaimView:
        props = literals.get(iri, {})
        objs = objects.get(iri, {})
        level_iri = (objs.get(ns.VOCAB + "evidence_level") or [""])[0]
        level = _local(level_iri) if level_iri else "anecdote"
        rank = ranks.get(level_iri) or (LEVELS.index(level) + 1 if level in LEVELS else len(LEVELS) + 1)
        source = (objs.get(ns.VOCAB + "source") or [""])[0]
        study = (objs.get(ns.VOCAB + "study") or [None])[0]
        regimen = (objs.get(ns.VOCAB + "regimen") or [None])[0]
        discrepancy = (objs.get(ns.VOCAB + "discrepancy") or [None])[0]
        fields = {}
        for name in _CLAIM_FIELDS:
            values = props.get(ns.VOCAB + name)
            if values:
                fields[name] = values[0]
        return ClaimView(
            id=first(iri, DCTERMS + "identifier") or _node_id(iri),
            level=level,
            rank=rank,
            direction=_local((objs.get(ns.VOCAB + "direction") or ["supports"])[0]),
            layer=_local((objs.get(ns.VOCAB + "layer") or ["context"])[0]),
            status=_local((objs.get(ns.VOCAB + "claim_status") or ["asserted"])[0]),
            quote=first(iri, ns.VOCAB + "quote") or "",
            source=_node_id(source),
            source_label=label_of(source) if source else "",
            study=_node_id(study) if study else None,
            study_label=label_of(study) if study else None,
            regimen=_node_id(regimen) if regimen else None,
            regimen_label=label_of(regimen) if regimen else None,
            discrepancy=_local(discrepancy).replace("_", " ") if discrepancy else None,
            fields=fields,
        )

    # Edges: direct relations, plus claims (a disputed claim has no direct triple but is drawn).
    edges: dict[tuple[str, str, str], EdgeView] = {}

    def edge_for(s: str, p: str, o: str) -> EdgeView:
        key = (s, p, o)
        edge = edges.get(key)
        if edge is None:
            name = _predicate_name(p)
            default_layer = predicate_layers.get(name)
            if default_layer is None or default_layer == "efficacy":
                default_layer = "context" if p.startswith(ns.VOCAB) else "external"
            edge = EdgeView(
                id=f"e{len(edges)}",
                source=_node_id(s),
                target=_node_id(o),
                predicate=name,
                layer=default_layer,
                predicate_iri=p,
            )
            edges[key] = edge
        return edge

    for s, p, o in relations:
        if s in kinds and o in kinds:
            edge_for(s, p, o)
    subject_iri = ns.VOCAB + "subject"
    object_iri = ns.VOCAB + "object"
    predicate_iri = ns.VOCAB + "predicate"
    for iri in sorted(claim_iris):
        s = first_obj(iri, subject_iri)
        p = first_obj(iri, predicate_iri)
        o = first_obj(iri, object_iri)
        if not s or not p:
            continue
        claim = claim_view(iri)
        if o and s in kinds and o in kinds:
            edge_for(s, p, o).claims.append(claim)
        elif not o and s in kinds:
            nodes[_node_id(s)].value_claims.append(claim)
    for iri in structural_iris:
        s, p, o = (first_obj(iri, x) for x in (subject_iri, predicate_iri, object_iri))
        if s and p and o and (s, p, o) in edges:
            edges[(s, p, o)].basis = first(iri, ns.VOCAB + "basis")

    edge_list = list(edges.values())
    for edge in edge_list:
        if edge.claims:
            edge.claims.sort(key=lambda c: (c.rank, c.direction, c.id))
            edge.layer = edge.claims[0].layer
        for end in (edge.source, edge.target):
            nodes[end].degree += 1
            nodes[end].evidence += len(edge.claims)
        for claim in edge.claims:
            if claim.study and claim.study in nodes:
                nodes[claim.study].evidence += 1

    # Related records on cards (study -> regimens, conditions, organisations, sources).
    by_id_edges: dict[str, list[EdgeView]] = defaultdict(list)
    for edge in edge_list:
        by_id_edges[edge.source].append(edge)
    for node in nodes.values():
        related: dict[str, list[str]] = defaultdict(list)
        for edge in by_id_edges.get(node.id, []):
            related[edge.predicate].append(edge.target)
        node.related = dict(related)
    # The evidence ladder as the graph's vocabulary gives it (rank and label), else the built-in one.
    ladder = {lv: (i + 1, LEVEL_LABELS[lv]) for i, lv in enumerate(LEVELS)}
    for iri, rank in ranks.items():
        if iri.startswith(ns.LEVEL):
            ladder[iri[len(ns.LEVEL) :]] = (rank, labels.get(iri) or _local(iri).replace("_", " "))
    for edge in edge_list:
        for claim in edge.claims:
            ladder.setdefault(claim.level, (claim.rank, claim.level.replace("_", " ")))
    levels = sorted(((name, label, rank) for name, (rank, label) in ladder.items()), key=lambda x: (x[2], x[0]))
    return GraphView(
        nodes=nodes, edges=edge_list, title=title, total_nodes=len(nodes), total_edges=len(edge_list), levels=levels
    )


def evidence_summary(view: GraphView, node_id: str) -> dict[str, Any]:
    """For a condition (or any node): the claims on edges into it, counted by level and direction.

    Returns a dict with ``claims`` (count), ``studies`` (distinct study ids), ``best_level``,
    ``by_level`` (level -> direction -> count) and ``rows`` (one per claim, best evidence first).
    """
    rows: list[dict[str, Any]] = []
    for edge in view.edges:
        if edge.target != node_id or not edge.claims:
            continue
        source_node = view.nodes.get(edge.source)
        for claim in edge.claims:
            rows.append(
                {
                    "edge": edge.id,
                    "from": source_node.label if source_node else edge.source,
                    "predicate": edge.predicate,
                    "level": claim.level,
                    "rank": claim.rank,
                    "direction": claim.direction,
                    "status": claim.status,
                    "study": claim.study,
                    "study_label": claim.study_label,
                    "n": claim.fields.get("n"),
                }
            )
    rows.sort(key=lambda r: (r["rank"], r["direction"], r["study_label"] or ""))
    by_level: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        by_level[row["level"]][row["direction"]] += 1
    return {
        "claims": len(rows),
        "studies": sorted({r["study"] for r in rows if r["study"]}),
        "best_level": rows[0]["level"] if rows else None,
        "by_level": {level: dict(counts) for level, counts in by_level.items()},
        "rows": rows,
    }


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


def neighbourhood(view: GraphView, centre: str, depth: int) -> GraphView:
    """The nodes within ``depth`` links of ``centre`` (either direction) and the edges among them."""
    if depth < 0:
        raise ViewError(f"--depth must be 0 or more, not {depth}")
    adjacency = view.neighbours()
    seen = {centre}
    frontier = deque([(centre, 0)])
    while frontier:
        current, distance = frontier.popleft()
        if distance == depth:
            continue
        for nxt in adjacency.get(current, ()):
            if nxt not in seen:
                seen.add(nxt)
                frontier.append((nxt, distance + 1))
    sub = view.restrict(seen)
    sub.notes.append(
        f"Showing the neighbourhood of {view.nodes[centre].label} ({centre}) to depth {depth}: "
        f"{len(sub.nodes)} of {view.total_nodes} nodes."
    )
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
    claim_edges: dict[str, EdgeView] = {}
    for edge in view.edges:
        for claim in edge.claims:
            claim_edges[ns.ID + claim.id] = edge
    keep: set[str] = set()
    chosen: dict[str, EdgeView] = {}

    def take(iri: str) -> None:
        node_id = _node_id(iri)
        if node_id in view.nodes:
            keep.add(node_id)
        elif iri in claim_edges:
            edge = claim_edges[iri]
            chosen[edge.id] = edge
            keep.update((edge.source, edge.target))

    if result.type in ("CONSTRUCT", "DESCRIBE"):
        by_key = {(e.source, e.predicate_iri, e.target): e for e in view.edges}
        extra: list[EdgeView] = []
        for s, p, o in result.graph:
            if not isinstance(o, URIRef):
                take(str(s))
                continue
            take(str(s))
            take(str(o))
            key = (_node_id(str(s)), str(p), _node_id(str(o)))
            if key in by_key:
                chosen[by_key[key].id] = by_key[key]
            elif key[0] in view.nodes and key[2] in view.nodes and str(p) != RDF_TYPE:
                extra.append(
                    EdgeView(
                        id=f"q{len(extra)}",
                        source=key[0],
                        target=key[2],
                        predicate=_predicate_name(str(p)),
                        layer="external",
                        predicate_iri=str(p),
                    )
                )
        sub = view.restrict(keep, [*chosen.values(), *extra])
        sub.notes.append(
            f"Showing the result of the CONSTRUCT query {name}: {len(sub.nodes)} nodes, {len(sub.edges)} edges."
        )
        return sub
    if result.type == "SELECT":
        for row in result:
            for value in row:
                if isinstance(value, URIRef):
                    take(str(value))
        sub = view.restrict(keep)
        sub.notes.append(
            f"Showing the {len(sub.nodes)} nodes named by the SELECT query {name} and the edges among them."
        )
        return sub
    raise ViewError(f"{name}: an ASK query names no nodes; use SELECT or CONSTRUCT")


def synthetic_graph(n_nodes: int, seed: int = 0) -> Any:
    """An rdflib graph of about ``n_nodes`` nodes shaped like the curated one (for benchmarks and tests).

    Kinds in the curated proportions (half of the nodes are studies), every study linked to a regimen,
    a condition, an organisation and a source, one to three claims per study at random evidence levels
    and directions, and mechanistic claims among drugs, receptors, cells and processes. Identifiers are
    made-up labels only: no PMIDs, DOIs or NCT numbers.
    """
    import random

    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import DCTERMS as DCT
    from rdflib.namespace import RDF, RDFS, XSD

    rng = random.Random(seed)
    graph = Graph()
    vocab = ns.VOCAB
    shares = {
        "drug": 0.02,
        "dose_regimen": 0.03,
        "protein": 0.03,
        "cell_type": 0.02,
        "molecule": 0.03,
        "process": 0.05,
        "condition": 0.10,
        "study": 0.50,
        "organisation": 0.12,
        "source": 0.10,
    }
    classes = {kind: URIRef(iri) for iri, kind in _CLASS_KIND.items()}
    ids: dict[str, list[str]] = {}
    add = graph.add
    for kind, share in shares.items():
        count = max(1, round(n_nodes * share))
        ids[kind] = [f"{kind.replace('_', '-')}-{i}" for i in range(count)]
        for i, node_id in enumerate(ids[kind]):
            subject = URIRef(ns.ID + node_id)
            add((subject, RDF.type, classes[kind]))
            add((subject, DCT.identifier, Literal(node_id)))
            add((subject, RDFS.label, Literal(f"{KIND_LABELS[kind]} {i}")))
    level_weights = [3, 2, 4, 3, 4, 2, 3, 1, 1]

    def rel(s: str, p: str, o: str) -> None:
        add((URIRef(ns.ID + s), URIRef(vocab + p), URIRef(ns.ID + o)))

    for regimen in ids["dose_regimen"]:
        rel(regimen, "regimen_of", rng.choice(ids["drug"]))
    claim_no = 0

    def claim(s: str, p: str, o: str, study: str | None, level: str, layer: str) -> None:
        nonlocal claim_no
        claim_no += 1
        subject = URIRef(f"{ns.ID}claim-{claim_no}")
        add((subject, RDF.type, URIRef(vocab + "Claim")))
        add((subject, DCT.identifier, Literal(f"claim-{claim_no}")))
        add((subject, URIRef(vocab + "subject"), URIRef(ns.ID + s)))
        add((subject, URIRef(vocab + "predicate"), URIRef(vocab + p)))
        add((subject, URIRef(vocab + "object"), URIRef(ns.ID + o)))
        add((subject, URIRef(vocab + "source"), URIRef(ns.ID + rng.choice(ids["source"]))))
        add((subject, URIRef(vocab + "quote"), Literal(f"synthetic quote number {claim_no}")))
        add((subject, URIRef(vocab + "evidence_level"), URIRef(ns.LEVEL + level)))
        direction = rng.choices(DIRECTIONS, [6, 2, 1, 1])[0]
        add((subject, URIRef(vocab + "direction"), URIRef(ns.DIRECTION + direction)))
        add((subject, URIRef(vocab + "layer"), URIRef(ns.LAYER + layer)))
        add((subject, URIRef(vocab + "claim_status"), URIRef(ns.STATUS + "asserted")))
        add((subject, URIRef(vocab + "n"), Literal(rng.randint(5, 300), datatype=XSD.integer)))
        if study:
            add((subject, URIRef(vocab + "study"), URIRef(ns.ID + study)))
        rel(s, p, o)

    for i, study in enumerate(ids["study"]):
        regimen = rng.choice(ids["dose_regimen"])
        condition = ids["condition"][min(int(rng.paretovariate(1.2)) - 1, len(ids["condition"]) - 1)]
        rel(study, "tests", regimen)
        rel(study, "investigates", condition)
        rel(study, "conducted_by", rng.choice(ids["organisation"]))
        rel(study, "reported_in", rng.choice(ids["source"]))
        subject = URIRef(ns.ID + study)
        add((subject, URIRef(vocab + "year"), Literal(1980 + i % 45, datatype=XSD.integer)))
        add((subject, URIRef(vocab + "design"), URIRef(ns.DESIGN + "open_label_pilot")))
        for _ in range(rng.randint(1, 3)):
            level = rng.choices(LEVELS, level_weights)[0]
            rank = LEVELS.index(level) + 1
            layer = "clinical" if rank <= 4 else "preclinical" if rank <= 6 else "hypothesis"
            claim(regimen, "studied_for", condition, study, level, layer)
    mechanism = [
        ("drug", "antagonist_of", "protein"),
        ("protein", "expressed_in", "cell_type"),
        ("cell_type", "produces", "molecule"),
        ("molecule", "contributes_to", "process"),
        ("process", "contributes_to", "condition"),
        ("drug", "modulates", "cell_type"),
    ]
    for _ in range(max(4, n_nodes // 10)):
        sk, p, ok = rng.choice(mechanism)
        claim(rng.choice(ids[sk]), p, rng.choice(ids[ok]), None, rng.choice(("animal", "in_vitro")), "mechanistic")
    return graph
