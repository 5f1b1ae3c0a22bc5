"""The viewer's model built from an rdflib graph: typed nodes, edges with their claims, and cards.

:func:`build_view` reads an rdflib graph (the curated graph, optionally with merged external
files) in one pass and returns a :class:`~ldngraph.viewer.view.GraphView`: one node per resource
that is a record of a known kind (or, for merged graphs, any other resource linked by an object
property), one edge per distinct (subject, predicate, object) relation, with every reified claim
behind that relation. Links on cards are built only from known CURIE prefixes
(:func:`ldngraph.core.namespaces.expand_curie`), never from free text.

rdflib is imported inside the functions so that the CLI starts fast.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ldngraph.core import namespaces as ns
from ldngraph.core.problems import LdngraphError
from ldngraph.viewer.terms import (
    ARM_FIELDS,
    ARM_ORDER,
    ATTRIBUTE_PREDICATES,
    CARD_FIELD_SET,
    CARD_FIELDS,
    CLAIM_CLASS,
    CLAIM_FIELDS,
    CLASS_KIND,
    DCTERMS,
    DETAIL_KINDS,
    IDENTIFIER_PREFIXES,
    LEVEL_LABELS,
    LEVELS,
    OUTCOME_FIELDS,
    OUTCOME_ORDER,
    RDF_TYPE,
    RDFS,
    RECORD_FIELDS,
    RESULT_NUMBERS,
    SKOS,
    STRUCTURAL_CLASS,
    VERDICT_ROLES,
    WORD_FIELDS,
    is_vocab,
    local_name,
    node_id_of,
    predicate_name,
    result_numbers,
    statement_labels,
    web_url,
)
from ldngraph.viewer.view import ClaimView, EdgeView, GraphView, Link, NodeView, gc_paused

#: A computed verdict on a condition: not drawn; read into the condition's ``NodeView.verdict``.
VERDICT_CLASS = ns.VOCAB + "Verdict"
_SUBJECT = ns.VOCAB + "subject"
_PREDICATE = ns.VOCAB + "predicate"
_OBJECT = ns.VOCAB + "object"


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
    if predicate_layers is None:
        predicate_layers = default_predicate_layers()
    found = _scan(graph)
    claim_iris = {s for s, ts in found.types.items() if CLAIM_CLASS in ts}
    structural_iris = {s for s, ts in found.types.items() if STRUCTURAL_CLASS in ts}
    verdict_iris = {s for s, ts in found.types.items() if VERDICT_CLASS in ts}
    reified = claim_iris | structural_iris | verdict_iris
    relations: list[tuple[str, str, str]] = [
        (subject, predicate, obj)
        for subject, pairs in found.flat_objects.items()
        if subject not in reified
        for predicate, obj in pairs
        if predicate not in ATTRIBUTE_PREDICATES
    ]
    kinds = _node_kinds(found.types, relations, reified)
    nodes: dict[str, NodeView] = {}
    for iri, kind in kinds.items():
        node = _node_view(found, iri, kind)
        nodes[node.id] = node
    # Edges: direct relations, plus claims (a disputed claim has no direct triple but is drawn).
    edges = _Edges(predicate_layers)
    for s, p, o in relations:
        if s in kinds and o in kinds:
            edges.edge_for(s, p, o)
    _attach_claims(found, sorted(claim_iris), kinds, nodes, edges)
    _attach_bases(found, structural_iris, edges)
    _attach_verdicts(found, sorted(verdict_iris), nodes)
    _attach_study_details(found, kinds, nodes)
    # rdflib's iteration order follows Python's string hashing: sort, so one graph gives one page
    edge_list = sorted(edges.by_key.values(), key=lambda e: (e.source, e.predicate, e.target))
    for number, edge in enumerate(edge_list):
        edge.id = f"e{number}"
    nodes = dict(sorted(nodes.items()))
    _count_evidence(edge_list, nodes)
    _relate(nodes, edge_list)
    return GraphView(
        nodes=nodes,
        edges=edge_list,
        title=title,
        total_nodes=len(nodes),
        total_edges=len(edge_list),
        levels=_ladder(found, edge_list),
    )


class _Grouped(dict):
    """Subject -> predicate -> values, grouped on first use from flat per-subject lists (fast at 10^5+)."""

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


class _Triples:
    """What one pass over the graph found: types, labels, ranks, literal and object values by subject."""

    def __init__(self) -> None:
        self.types: dict[str, list[str]] = defaultdict(list)
        self.labels: dict[str, str] = {}
        self.ranks: dict[str, int] = {}
        self.flat_literals: dict[str, list[tuple[str, str]]] = {}
        self.flat_objects: dict[str, list[tuple[str, str]]] = {}
        self.literals = _Grouped(self.flat_literals)
        self.objects = _Grouped(self.flat_objects)

    def label_of(self, iri: str) -> str:
        """The resource's rdfs:label, else its node id or local name."""
        return self.labels.get(iri) or (node_id_of(iri) if iri.startswith(ns.ID) else local_name(iri))

    def first(self, iri: str, prop: str) -> str | None:
        """The first literal value of ``prop`` on ``iri``, or None."""
        values = self.literals.get(iri, {}).get(prop)
        return values[0] if values else None

    def first_obj(self, iri: str, prop: str) -> str | None:
        """The first IRI (or blank node) value of ``prop`` on ``iri``, or None."""
        values = self.objects.get(iri, {}).get(prop)
        return values[0] if values else None


def _scan(graph: Any) -> _Triples:
    """Read every triple once into flat per-subject lists (grouped by predicate only when asked)."""
    from rdflib import BNode, Literal, URIRef

    found = _Triples()
    types, labels, ranks = found.types, found.labels, found.ranks
    flat_literals, flat_objects = found.flat_literals, found.flat_objects
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
    return found


def _node_kinds(
    types: dict[str, list[str]], relations: list[tuple[str, str, str]], reified: set[str]
) -> dict[str, str]:
    """IRI -> node kind: records of a known class, then other resources linked in merged graphs."""
    classes = {o for ts in types.values() for o in ts}
    kinds: dict[str, str] = {}
    for subject, ts in types.items():
        for t in ts:
            kind = CLASS_KIND.get(t)
            if kind:
                kinds[subject] = kind
                break
    # Resources of merged graphs: anything linked by an object property that is not vocabulary.
    for s, _p, o in relations:
        if is_vocab(s) or s in classes:
            continue
        for end in (s, o):
            if end not in kinds and end not in reified and end not in classes and not is_vocab(end):
                kinds[end] = "other"
    return kinds


def _node_view(found: _Triples, iri: str, kind: str) -> NodeView:
    """One node with its card: synonyms, description, fields, identifier links."""
    node = NodeView(id=node_id_of(iri), iri=iri, label=found.label_of(iri), kind=kind)
    props = found.literals.get(iri, {})
    node.synonyms = sorted(props.get(SKOS + "altLabel", []))
    node.description = (props.get(DCTERMS + "description") or [None])[0]
    for uri, name in CARD_FIELDS:
        for value in props.get(uri, []):
            node.fields.append((name, value))
    for name in ("dose_band", "status", "design", "domain", "result_direction"):
        value = found.first_obj(iri, ns.VOCAB + name)
        if value:
            node.facts[name] = local_name(value)
            shown = found.labels.get(value) or local_name(value).replace("_", " ")
            node.fields.insert(0, (name.replace("_", " "), shown))
    enrolled = found.first(iri, ns.VOCAB + "n_enrolled")
    if enrolled:
        node.facts["n"] = enrolled
    for name, key in (("study_finding", "finding"), ("published", "published"), ("status_as_of", "status_as_of")):
        value = found.first(iri, ns.VOCAB + name)
        if value:
            node.facts[key] = value
    node.fields = [(name, value.replace("_", " ") if name in WORD_FIELDS else value) for name, value in node.fields]
    for uri, prefix, label in IDENTIFIER_PREFIXES:
        for value in props.get(uri, []):
            node.links.append(Link(label=label, text=f"{prefix}:{value}", url=ns.expand_curie(f"{prefix}:{value}")))
    for xref in sorted(props.get(ns.VOCAB + "xref", [])):
        node.links.append(Link(label="xref", text=xref, url=ns.expand_curie(xref)))
    for url in sorted(props.get(ns.VOCAB + "url", [])):
        node.links.append(Link(label="seen at", text=url, url=web_url(url)))
    if kind in ("arm", "outcome"):  # ldn:arm_role / ldn:outcome_role say it in words
        node.fields = [(name, value) for name, value in node.fields if name != "role"]
    if kind == "other":
        for uri, values in sorted(props.items()):
            if uri not in CARD_FIELD_SET and uri != SKOS + "altLabel":
                for value in values[:5]:
                    node.fields.append((predicate_name(uri), value))
    return node


def _claim_view(found: _Triples, iri: str) -> ClaimView:
    """One reified claim as its card shows it (level, rank, direction, quote, source, study...)."""
    props = found.literals.get(iri, {})
    objs = found.objects.get(iri, {})
    level_iri = (objs.get(ns.VOCAB + "evidence_level") or [""])[0]
    level = local_name(level_iri) if level_iri else "anecdote"
    rank = found.ranks.get(level_iri) or (LEVELS.index(level) + 1 if level in LEVELS else len(LEVELS) + 1)
    source = (objs.get(ns.VOCAB + "source") or [""])[0]
    study = (objs.get(ns.VOCAB + "study") or [None])[0]
    regimen = (objs.get(ns.VOCAB + "regimen") or [None])[0]
    discrepancy = (objs.get(ns.VOCAB + "discrepancy") or [None])[0]
    fields = {}
    for name in CLAIM_FIELDS:
        values = props.get(ns.VOCAB + name)
        if values:
            fields[name] = values[0]
    return ClaimView(
        id=found.first(iri, DCTERMS + "identifier") or node_id_of(iri),
        level=level,
        rank=rank,
        direction=local_name((objs.get(ns.VOCAB + "direction") or ["supports"])[0]),
        layer=local_name((objs.get(ns.VOCAB + "layer") or ["context"])[0]),
        status=local_name((objs.get(ns.VOCAB + "claim_status") or ["asserted"])[0]),
        quote=found.first(iri, ns.VOCAB + "quote") or "",
        source=node_id_of(source),
        source_label=found.label_of(source) if source else "",
        study=node_id_of(study) if study else None,
        study_label=found.label_of(study) if study else None,
        regimen=node_id_of(regimen) if regimen else None,
        regimen_label=found.label_of(regimen) if regimen else None,
        discrepancy=local_name(discrepancy).replace("_", " ") if discrepancy else None,
        fields=fields,
    )


class _Edges:
    """One edge per distinct (subject IRI, predicate IRI, object IRI), numbered in order of creation."""

    def __init__(self, predicate_layers: dict[str, str]) -> None:
        self.predicate_layers = predicate_layers
        self.by_key: dict[tuple[str, str, str], EdgeView] = {}

    def edge_for(self, s: str, p: str, o: str) -> EdgeView:
        """The edge for this relation, made (with the predicate's default layer) if it is new."""
        key = (s, p, o)
        edge = self.by_key.get(key)
        if edge is None:
            name = predicate_name(p)
            default_layer = self.predicate_layers.get(name)
            if default_layer is None or default_layer == "efficacy":
                default_layer = "context" if p.startswith(ns.VOCAB) else "external"
            edge = EdgeView(
                id=f"e{len(self.by_key)}",
                source=node_id_of(s),
                target=node_id_of(o),
                predicate=name,
                layer=default_layer,
                predicate_iri=p,
            )
            self.by_key[key] = edge
        return edge


def _attach_claims(
    found: _Triples, claim_iris: list[str], kinds: dict[str, str], nodes: dict[str, NodeView], edges: _Edges
) -> None:
    """Put each claim on the edge it is about, or on its subject's card when it states a value."""
    for iri in claim_iris:
        s = found.first_obj(iri, _SUBJECT)
        p = found.first_obj(iri, _PREDICATE)
        o = found.first_obj(iri, _OBJECT)
        if not s or not p:
            continue
        claim = _claim_view(found, iri)
        if o and s in kinds and o in kinds:
            edges.edge_for(s, p, o).claims.append(claim)
        elif not o and s in kinds:
            nodes[node_id_of(s)].value_claims.append(claim)


def _attach_bases(found: _Triples, structural_iris: set[str], edges: _Edges) -> None:
    """Give structural edges the basis their reified statement records."""
    for iri in structural_iris:
        s, p, o = (found.first_obj(iri, x) for x in (_SUBJECT, _PREDICATE, _OBJECT))
        if s and p and o and (s, p, o) in edges.by_key:
            edges.by_key[(s, p, o)].basis = found.first(iri, ns.VOCAB + "basis")


def _lines(found: _Triples, iri: str, prop: str) -> list[str]:
    """The non-empty lines of every literal value of ``prop`` on ``iri``."""
    texts = found.literals.get(iri, {}).get(ns.VOCAB + prop, [])
    return [line.strip() for text in texts for line in text.splitlines() if line.strip()]


def _attach_verdicts(found: _Triples, verdict_iris: list[str], nodes: dict[str, NodeView]) -> None:
    """Give each condition its overall verdict (the condition panel's first section).

    Reads ``ldn:verdict_for`` (the condition), ``ldn:verdict`` (in the CLI's words) and ``ldn:certainty``,
    ``ldn:reasons``, ``ldn:review_check`` and ``ldn:articles_claimed`` (one item a line), the counts and
    the studies it names by role (``ldn:counts_study``, ``context_study``, ``shown_apart``, ``lead_study``,
    ``running_study``). A verdict with a ``ldn:domain`` other than ``overall`` is left out.
    """
    words = statement_labels() if verdict_iris else {}

    def shown(iri: str | None) -> str:
        return (found.labels.get(iri) or local_name(iri).replace("_", " ")) if iri else ""

    for iri in verdict_iris:
        target = found.first_obj(iri, ns.VOCAB + "verdict_for")
        domain = found.first_obj(iri, ns.VOCAB + "domain")
        node = nodes.get(node_id_of(target)) if target else None
        if node is None or (domain and local_name(domain) != "overall"):
            continue
        statement = found.first_obj(iri, ns.VOCAB + "verdict")
        objs = found.objects.get(iri, {})
        roles = {role: sorted(node_id_of(s) for s in objs.get(ns.VOCAB + prop, [])) for prop, role in VERDICT_ROLES}
        node.verdict = {
            "statement": (words.get(local_name(statement)) or shown(statement)) if statement else found.label_of(iri),
            "certainty": shown(found.first_obj(iri, ns.VOCAB + "certainty")),
            "reasons": _lines(found, iri, "reasons"),
            "review_checks": _lines(found, iri, "review_check"),
            "articles_claimed": _lines(found, iri, "articles_claimed"),
            "roles": {role: ids for role, ids in roles.items() if ids},
        }
        for name in ("n_studies", "participants", "regimens_counted"):
            node.verdict[name] = found.first(iri, ns.VOCAB + name) or ""


def _attach_study_details(found: _Triples, kinds: dict[str, str], nodes: dict[str, NodeView]) -> None:
    """Give each study its arms, outcomes with their results, and primary records (``NodeView.details``).

    Arms (``ldn:arm_of``), outcome measures (``ldn:outcome_of``) with the results of each
    (``ldn:result_of``), and the primary records that report the study (``ldn:reports``), each with its
    URLs (only http(s) ones become links), the date seen, V or V2 and the strength of the link. A
    result's own card gets its numbers in words.
    """
    by_kind: dict[str, list[str]] = defaultdict(list)
    for iri, kind in kinds.items():
        if kind in DETAIL_KINDS:
            by_kind[kind].append(iri)
    v = ns.VOCAB

    def ref(iri: str | None) -> list[str] | None:
        return [node_id_of(iri), found.label_of(iri)] if iri else None

    def add(study: str | None, part: str, entry: dict[str, Any]) -> None:
        node = nodes.get(node_id_of(study)) if study and kinds.get(study) == "study" else None
        if node is not None:
            node.details = node.details or {"arms": [], "outcomes": [], "records": []}
            node.details[part].append(entry)

    results_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for iri in sorted(by_kind["result"]):
        numbers = result_numbers({name: found.first(iri, v + name) or "" for name in RESULT_NUMBERS})
        direction = local_name(found.first_obj(iri, v + "result_direction") or "")
        record = ref(found.first_obj(iri, v + "record"))
        entry = _entry(found, iri, ("note", "verification"), numbers=numbers, direction=direction, record=record)
        results_of[found.first_obj(iri, v + "result_of") or ""].append(entry)
        nodes[node_id_of(iri)].fields.insert(0, ("numbers", numbers))
    for iri in sorted(by_kind["arm"]):
        entry = _entry(found, iri, ARM_FIELDS, regimen=ref(found.first_obj(iri, v + "regimen")))
        add(found.first_obj(iri, v + "arm_of"), "arms", entry)
    for iri in sorted(by_kind["outcome"]):
        domain = local_name(found.first_obj(iri, v + "domain") or "").replace("_", " ")
        entry = _entry(found, iri, OUTCOME_FIELDS, domain=domain, results=results_of.get(iri, []))
        add(found.first_obj(iri, v + "outcome_of"), "outcomes", entry)
    for iri in sorted(by_kind["primary_record"]):
        urls = sorted(found.literals.get(iri, {}).get(v + "url", []))
        entry = _entry(found, iri, RECORD_FIELDS, urls=[[url, web_url(url)] for url in urls])
        for study in found.objects.get(iri, {}).get(v + "reports", []):
            add(study, "records", entry)
    for node in nodes.values():
        if node.details:
            node.details["arms"].sort(key=lambda a: (ARM_ORDER.get(a["arm_role"], 3), a["label"]))
            node.details["outcomes"].sort(key=lambda o: (OUTCOME_ORDER.get(o["outcome_role"], 3), o["measure"]))
            node.details["records"].sort(key=lambda r: (r["verification"] != "V", r["label"]))


def _entry(found: _Triples, iri: str, names: tuple[str, ...], **more: Any) -> dict[str, Any]:
    """A detail of a study as its card reads it: id, label, these literal values by name ("" if none), and more."""
    entry: dict[str, Any] = {"id": node_id_of(iri), "label": found.label_of(iri)}
    for name in names:
        entry[name] = found.first(iri, ns.VOCAB + name) or ""
    entry.update(more)
    return entry


def _count_evidence(edge_list: list[EdgeView], nodes: dict[str, NodeView]) -> None:
    """Order each edge's claims best first, take its layer from the best, count degree and evidence."""
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


def _relate(nodes: dict[str, NodeView], edge_list: list[EdgeView]) -> None:
    """Related records on cards (study -> regimens, conditions, organisations, sources)."""
    by_id_edges: dict[str, list[EdgeView]] = defaultdict(list)
    for edge in edge_list:
        by_id_edges[edge.source].append(edge)
    for node in nodes.values():
        related: dict[str, list[str]] = defaultdict(list)
        for edge in by_id_edges.get(node.id, []):
            related[edge.predicate].append(edge.target)
        node.related = dict(related)


def _ladder(found: _Triples, edge_list: list[EdgeView]) -> list[tuple[str, str, int]]:
    """The evidence ladder as the graph's vocabulary gives it (rank and label), else the built-in one."""
    ladder = {lv: (i + 1, LEVEL_LABELS[lv]) for i, lv in enumerate(LEVELS)}
    for iri, rank in found.ranks.items():
        if iri.startswith(ns.LEVEL):
            ladder[iri[len(ns.LEVEL) :]] = (rank, found.labels.get(iri) or local_name(iri).replace("_", " "))
    for edge in edge_list:
        for claim in edge.claims:
            ladder.setdefault(claim.level, (claim.rank, claim.level.replace("_", " ")))
    return sorted(((name, label, rank) for name, (rank, label) in ladder.items()), key=lambda x: (x[2], x[0]))
