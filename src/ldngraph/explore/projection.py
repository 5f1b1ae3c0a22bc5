"""The graph as a typed networkx MultiDiGraph (the projection the network questions are asked of).

The projection keeps what the RDF says and nothing it doesn't:

* one node per curated entity (drugs, regimens, proteins, cells, processes, conditions, studies, ...),
  keyed by its record id, with ``kind``, ``label`` and its literal facts as attributes
  (literals never become nodes);
* one edge per claim with an object (key = claim id), carrying the evidence: ``predicate``,
  ``level``, ``level_rank``, ``direction``, ``layer``, ``status``, ``study``, ``source``, ``n``, ...;
  disputed claims are kept with ``status="disputed"`` (views and paths leave them out by default);
* one edge per structural edge (key = edge id, ``origin="edge"``, with its ``basis``);
* one edge per remaining direct triple between entities (``origin="record"``: a study's
  conditions, regimens and organisations, a regimen's drug, the articles that report a study);
* on a merged graph (the curated graph plus external RDF, as ``--with`` loads it), every external
  triple (subject outside ``https://w3id.org/ldngraph/``): an external node that shares an identifier
  with a curated node (its IRI is one of the node's ``skos:exactMatch`` IRIs, or it names the node, one of
  those IRIs or one of its ``ldn:xref`` CURIEs through ``skos:exactMatch`` or ``ldn:xref``) is that node;
  other external IRIs become nodes of kind ``external``; triples between nodes become edges
  (``origin="external"``), literal ones node attributes; ``graph.graph["external"]`` reports the counts
  and the matches.

Value claims (a cost, a prevalence, a stated dose) become node attributes named after their
predicate, e.g. ``has_cost``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ldngraph.core.schema import EvidenceLevel

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Graph

    from ldngraph.curation.metagraph import Metagraph

# the article is `source_article`: `source` is the start node in Cytoscape JSON, CSV and pandas edge lists
_CLAIM_FIELDS = {
    "source": "source_article",
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

#: Covered (subject, predicate, object) triples: a claim or structural edge already stands for them.
Covered = set[tuple[str, str, str]]


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
    if isinstance(py, (int, float, bool)):
        return py
    # str(): rdflib returns the Literal itself (a str subclass) for datatypes it does not convert (gYear, anyURI)
    return str(py)


def load_source(source: Graph | Path | str | None) -> tuple[Graph, Path | None]:
    """The rdflib Graph of ``source`` (a Graph, a graph folder, or None for the default folder) and its folder."""
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
    from rdflib import RDF

    from ldngraph.core.paths import default_graph_dir
    from ldngraph.curation.metagraph import load_metagraph
    from ldngraph.rdf.triples import LDN

    graph, folder = load_source(source)
    if metagraph is None:
        metagraph = load_metagraph(folder or default_graph_dir())
    ranks = {level.value: level.rank for level in EvidenceLevel}
    out = nx.MultiDiGraph(name="ldngraph")
    ids = _add_nodes(out, graph)
    covered: Covered = set()
    for claim in graph.subjects(RDF.type, LDN.Claim):
        _add_claim(out, graph, claim, ids, ranks, covered)
    _add_structural_edges(out, graph, ids, metagraph, covered)
    _add_record_edges(out, graph, ids, metagraph, covered)
    _add_external(out, graph, ids)
    return out


def _identifiers(graph: Graph, ids: dict[Any, str]) -> dict[str, str]:
    """Every identifier of a curated node (its IRI, its skos:exactMatch IRIs, its xref CURIEs) -> its id."""
    from rdflib.namespace import SKOS

    from ldngraph.core import namespaces as ns
    from ldngraph.rdf.triples import LDN

    known: dict[str, str] = {}
    for subject, node_id in ids.items():
        known[str(subject)] = node_id
        for iri in graph.objects(subject, SKOS.exactMatch):
            known.setdefault(str(iri), node_id)
        for curie in graph.objects(subject, LDN.xref):
            known.setdefault(str(curie), node_id)
            expanded = ns.expand_curie(str(curie))
            if expanded:
                known.setdefault(expanded, node_id)
    return known


def _match_external(graph: Graph, external: set[Any], known: dict[str, str]) -> dict[Any, str]:
    """External subjects and objects that are a curated node: same IRI, or an exactMatch/xref naming it."""
    from rdflib.namespace import SKOS

    from ldngraph.core import namespaces as ns
    from ldngraph.rdf.triples import LDN

    matched: dict[Any, str] = {}
    for node in external:
        names = [str(node), *(str(o) for o in graph.objects(node, SKOS.exactMatch))]
        for curie in graph.objects(node, LDN.xref):
            names += [str(curie), ns.expand_curie(str(curie)) or ""]
        found = sorted({known[name] for name in names if name in known})
        if len(found) == 1:  # an identifier shared with two curated nodes matches neither
            matched[node] = found[0]
    return matched


def _add_external(out: nx.MultiDiGraph, graph: Graph, ids: dict[Any, str]) -> None:
    """External triples (subject outside the ldngraph namespace) as nodes, edges and attributes."""
    from rdflib import RDF, RDFS, Literal, URIRef
    from rdflib.namespace import SKOS

    from ldngraph.core import namespaces as ns
    from ldngraph.rdf.triples import LDN

    triples = [(s, p, o) for s, p, o in graph if not str(s).startswith(ns.BASE)]
    report: dict[str, Any] = {"triples": len(triples), "edges": 0, "attributes": 0, "nodes": 0, "matched": {}}
    out.graph["external"] = report
    if not triples:
        return
    external = {s for s, _, _ in triples} | {
        o for _, _, o in triples if isinstance(o, URIRef) and not str(o).startswith(ns.BASE)
    }
    matched = _match_external(graph, external, _identifiers(graph, ids))
    report["matched"] = {str(k): v for k, v in sorted(matched.items(), key=lambda kv: str(kv[0]))}
    names = {**ids, **matched}

    def node_of(term: Any) -> str | None:
        if term in names:
            return names[term]
        if isinstance(term, Literal) or str(term).startswith(ns.BASE):
            return None
        key = str(term)
        if key not in out:
            out.add_node(key, id=key, kind="external", label=key, iri=key)
            report["nodes"] += 1
        names[term] = key
        return key

    for s, p, o in sorted(triples):
        subject = node_of(s)
        if subject is None or p in (SKOS.exactMatch, LDN.xref):
            continue
        if isinstance(o, Literal):
            attrs = out.nodes[subject]
            name = "label" if p == RDFS.label and attrs.get("kind") == "external" else f"external:{_local(p)}"
            attrs[name] = _python(o)
            report["attributes"] += 1
        elif p != RDF.type and (target := node_of(o)) is not None:
            key = f"{subject}|{p}|{target}"
            out.add_edge(
                subject, target, key=key, id=key, predicate=_local(p), iri=str(p), origin="external", layer="external"
            )
            report["edges"] += 1
        elif p == RDF.type:
            out.nodes[subject].setdefault("external_type", _local(o))


def _add_nodes(out: nx.MultiDiGraph, graph: Graph) -> dict[Any, str]:
    """One node per typed entity with its literal facts; returns IRI -> record id."""
    from rdflib import RDF, RDFS, Literal
    from rdflib.namespace import DCTERMS, SKOS

    from ldngraph.core import namespaces as ns
    from ldngraph.rdf.triples import CLASS_BY_KIND, LDN

    kind_of_class = {cls: kind for kind, cls in CLASS_BY_KIND.items()}
    ids: dict[Any, str] = {}
    for subject, _, cls in graph.triples((None, RDF.type, None)):
        kind = kind_of_class.get(cls)  # type: ignore[call-overload]
        if kind is None or not str(subject).startswith(ns.ID):
            continue
        node_id = str(subject)[len(ns.ID) :]
        ids[subject] = node_id
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
    return ids


def _add_structural_edges(
    out: nx.MultiDiGraph, graph: Graph, ids: dict[Any, str], metagraph: Metagraph, covered: Covered
) -> None:
    """One edge per structural edge between entities (``origin="edge"``, with its basis)."""
    from rdflib import RDF
    from rdflib.namespace import DCTERMS

    from ldngraph.rdf.triples import LDN

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
                origin="edge",
                layer=metagraph.layers.get(predicate, ""),
                basis=str(graph.value(edge, LDN.basis) or ""),
            )
            covered.add((ids[s], predicate, ids[o]))


def _add_record_edges(
    out: nx.MultiDiGraph, graph: Graph, ids: dict[Any, str], metagraph: Metagraph, covered: Covered
) -> None:
    """One edge per direct triple between entities that no claim or structural edge stands for."""
    from ldngraph.core import namespaces as ns

    for subject, node_id in ids.items():
        for prop, value in graph.predicate_objects(subject):
            if value not in ids or not str(prop).startswith(ns.VOCAB):
                continue
            predicate = _local(prop)
            target = ids[value]
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


def _add_claim(
    out: nx.MultiDiGraph,
    graph: Graph,
    claim: Any,
    ids: dict[Any, str],
    ranks: dict[str, int],
    covered: Covered,
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
