"""The graph as Biolink KGX TSV: nodes and edges that ``kgx validate`` (Biolink 4) accepts.

* Node ids are the node's preferred external CURIE where it has one: the first of its xrefs, in
  Biolink's spelling, whose prefix Biolink lists for the node's category (:data:`ID_PREFIXES`, in
  Biolink's order: MONDO before DOID, CHEBI before PUBCHEM.COMPOUND, UniProtKB for proteins, ...).
  The curated id stays as an ``ldnid:`` xref. A node with no such xref, or one that shares it with
  another node, keeps ``ldnid:<record id>``; the ``ldnid`` prefix (and ``ldn``, ``infores``) are
  declared in ``ldngraph_context.jsonld`` beside the TSV files, a JSON-LD context that extends Biolink's.
* Categories and predicates are the vocabulary's Biolink mappings (``skos:exactMatch``, else
  ``skos:closeMatch``); the ldngraph predicate is kept in ``original_predicate``.
* Every edge has ``primary_knowledge_source`` (:data:`INFORES`), ``knowledge_level`` and ``agent_type``
  (Biolink enums: every statement here was curated by hand from an article, so ``knowledge_assertion``
  and ``manual_agent``); the articles and the study's paper are in ``publications``.

Multi-valued fields are separated by ``|``. tests/test_kgx.py runs ``kgx validate`` on the export.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Graph

#: The information resource the edges come from (self-assigned; not yet in Translator's infores registry).
INFORES = "infores:ldngraph"
#: Prefixes of ldngraph's own CURIEs, declared in the emitted JSON-LD context.
CONTEXT = {
    "ldnid": "https://w3id.org/ldngraph/id/",
    "ldn": "https://w3id.org/ldngraph/vocab#",
    "infores": "https://w3id.org/information-resource-registry/",
}
NODES_FILE, EDGES_FILE, CONTEXT_FILE = "ldngraph_nodes.tsv", "ldngraph_edges.tsv", "ldngraph_context.jsonld"
FILES = (NODES_FILE, EDGES_FILE, CONTEXT_FILE)

_CHEMICAL = ("CHEBI", "PUBCHEM.COMPOUND", "DRUGBANK", "MESH", "UMLS")
#: The prefixes a node of each Biolink category may take its id from, best first (Biolink's ``id_prefixes``
#: of the category and its descendants, in Biolink's order, restricted to the prefixes the project links).
ID_PREFIXES: dict[str, tuple[str, ...]] = {
    "biolink:ChemicalEntity": _CHEMICAL,
    "biolink:MolecularEntity": _CHEMICAL,
    "biolink:Drug": _CHEMICAL,
    "biolink:Protein": ("UniProtKB", "PR", "ENSEMBL", "UMLS", "NCIT", "MESH"),
    "biolink:Cell": ("CL", "UMLS", "NCIT", "MESH", "UBERON"),
    "biolink:BiologicalProcess": ("GO", "UMLS"),
    "biolink:DiseaseOrPhenotypicFeature": ("MONDO", "DOID", "OMIM", "EFO", "UMLS", "MESH", "NCIT", "HP"),
    "biolink:Disease": ("MONDO", "DOID", "OMIM", "EFO", "UMLS", "MESH", "NCIT", "HP"),
    "biolink:PhenotypicFeature": ("HP", "EFO", "NCIT", "UMLS", "MESH"),
    "biolink:Article": ("PMID",),
}
#: Study fields whose values are publication or registry ids, with their CURIE prefix (project spelling).
STUDY_IDS = {"pmid": "PMID", "pmcid": "PMC", "doi": "DOI", "nct": "NCT"}

KGX_NODE_COLUMNS = ["id", "category", "name", "description", "xref", "synonym", "iri", "provided_by", "ldn_kind"]
KGX_EDGE_COLUMNS = [
    "id",
    "subject",
    "predicate",
    "object",
    "category",
    "original_predicate",
    "primary_knowledge_source",
    "knowledge_level",
    "agent_type",
    "negated",
    "publications",
    "has_evidence",
    "supporting_text",
    "evidence_level",
    "direction",
    "layer",
    "claim_status",
    "study",
    "source_article",
    "study_size",
    "effect",
    "discrepancy",
    "primary_says",
    "basis",
]


def biolink_mappings(rdf: Graph) -> tuple[dict[str, str], dict[str, str]]:
    """Biolink categories of node kinds and Biolink predicates of ldngraph predicates, from the vocabulary.

    The vocabulary maps each class and property to its nearest Biolink term with ``skos:exactMatch``
    or, failing that, ``skos:closeMatch`` (a ``skos:broadMatch`` alone gives ``biolink:NamedThing``).

    Returns:
        ``(category by node kind, predicate by ldngraph predicate name)``, as ``biolink:`` CURIEs.
    """
    from rdflib import URIRef
    from rdflib.namespace import SKOS

    from ldngraph.core import namespaces as ns
    from ldngraph.rdf.triples import CLASS_BY_KIND

    def nearest(term: Any) -> str | None:
        for relation in (SKOS.exactMatch, SKOS.closeMatch):
            for target in sorted(rdf.objects(term, relation)):
                if str(target).startswith(ns.BIOLINK):
                    return "biolink:" + str(target)[len(ns.BIOLINK) :]
        return None

    categories = {kind: nearest(cls) or "biolink:NamedThing" for kind, cls in CLASS_BY_KIND.items()}
    predicates: dict[str, str] = {}
    for prop in set(rdf.subjects()):
        if isinstance(prop, URIRef) and str(prop).startswith(ns.VOCAB):
            found = nearest(prop)
            if found:
                predicates[str(prop)[len(ns.VOCAB) :]] = found
    return categories, predicates


def _values(text: Any) -> list[str]:
    return [v for v in str(text or "").split("|") if v]


def node_xrefs(data: dict[str, Any]) -> list[str]:
    """A node's external CURIEs in Biolink's spelling where Biolink has the prefix, else as curated.

    A study's publication and registry ids (pmid, pmcid, doi, nct, primary_record) count as its xrefs.
    """
    from ldngraph.core.curies import biolink_curie

    curies = _values(data.get("xrefs"))
    curies += [f"{prefix}:{data[field]}" for field, prefix in STUDY_IDS.items() if data.get(field)]
    if data.get("primary_record"):
        curies.append(str(data["primary_record"]))
    return sorted({biolink_curie(c) or c for c in curies})


def preferred_id(category: str, xrefs: list[str]) -> str | None:
    """The best external id for a node of ``category`` among its (Biolink-spelt) xrefs, or None."""
    ranked = ID_PREFIXES.get(category, ())
    usable = [x for x in xrefs if x.split(":", 1)[0] in ranked]
    return min(usable, key=lambda x: (ranked.index(x.split(":", 1)[0]), x), default=None)


def kgx_node_ids(graph: nx.MultiDiGraph, categories: dict[str, str]) -> dict[str, str]:
    """The KGX id of every node: its preferred external CURIE that no other node has, else ``ldnid:<id>``."""
    xrefs = {node: node_xrefs(data) for node, data in graph.nodes(data=True)}
    holders: dict[str, int] = {}
    for curies in xrefs.values():
        for curie in curies:
            holders[curie] = holders.get(curie, 0) + 1
    ids = {}
    for node, data in graph.nodes(data=True):
        category = categories.get(str(data.get("kind")), "biolink:NamedThing")
        own = [curie for curie in xrefs[node] if holders[curie] == 1]
        ids[node] = preferred_id(category, own) or f"ldnid:{node}"
    return ids


def _nodes(graph: nx.MultiDiGraph, ids: dict[str, str], categories: dict[str, str]) -> list[dict[str, Any]]:
    from ldngraph.core import namespaces as ns

    rows = []
    for node, data in sorted(graph.nodes(data=True)):
        own = f"ldnid:{node}"
        xrefs = node_xrefs(data) + ([own] if ids[node] != own else [])
        rows.append(
            {
                "id": ids[node],
                "category": categories.get(str(data.get("kind")), "biolink:NamedThing"),
                "name": data.get("label", node),
                "description": data.get("description", ""),
                "xref": "|".join(x for x in xrefs if x != ids[node]),
                "synonym": data.get("synonyms", ""),
                "iri": data.get("iri", ns.node_iri(node)),
                "provided_by": INFORES,
                "ldn_kind": data.get("kind", ""),
            }
        )
    return rows


def _publications(graph: nx.MultiDiGraph, ids: dict[str, str], data: dict[str, Any]) -> str:
    """The study's paper (PMID, else PMC, else DOI) and the article that makes the claim."""
    from ldngraph.core.curies import biolink_curie

    found = []
    study = graph.nodes[data["study"]] if data.get("study") in graph else {}
    paper = next((f"{STUDY_IDS[f]}:{study[f]}" for f in ("pmid", "pmcid", "doi") if study.get(f)), None)
    if paper:
        found.append(biolink_curie(paper) or paper)
    if data.get("source_article") in ids:
        found.append(ids[data["source_article"]])
    return "|".join(found)


def _edges(graph: nx.MultiDiGraph, ids: dict[str, str], predicates: dict[str, str]) -> list[dict[str, Any]]:
    from ldngraph.core.schema import EvidenceLevel
    from ldngraph.rdf.triples import ECO_BY_LEVEL, NEGATING

    rows = []
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2]))):
        predicate = str(data.get("predicate", ""))
        level = data.get("level")
        rows.append(
            {
                "id": f"ldnid:{key}" if data.get("origin") != "record" else f"ldnid:{u}--{predicate}--{v}",
                "subject": ids[u],
                "predicate": predicates.get(predicate, "biolink:related_to"),
                "object": ids[v],
                "category": "biolink:Association",
                "original_predicate": f"ldn:{predicate}",
                "primary_knowledge_source": INFORES,
                "knowledge_level": "knowledge_assertion",
                "agent_type": "manual_agent",
                # a claim that denies its statement is a negated association (as ldn:negated in the RDF)
                "negated": "True" if data.get("direction") in NEGATING else "False",
                "publications": _publications(graph, ids, data),
                "has_evidence": ECO_BY_LEVEL[EvidenceLevel(level)] if level else "",
                "supporting_text": data.get("quote", ""),
                "evidence_level": level or "",
                "direction": data.get("direction", ""),
                "layer": data.get("layer", ""),
                "claim_status": data.get("status", ""),
                "study": ids.get(data.get("study") or "", ""),
                "source_article": ids.get(data.get("source_article") or "", ""),
                "study_size": data.get("n", ""),
                "effect": data.get("effect", ""),
                "discrepancy": data.get("discrepancy", ""),
                "primary_says": data.get("primary_says", ""),
                "basis": data.get("basis", ""),
            }
        )
    return rows


def to_kgx(graph: nx.MultiDiGraph, rdf: Graph) -> dict[str, bytes]:
    """The projected graph as Biolink KGX: ``ldngraph_nodes.tsv``, ``ldngraph_edges.tsv`` and the context."""
    categories, predicates = biolink_mappings(rdf)
    ids = kgx_node_ids(graph, categories)
    context = json.dumps({"@context": CONTEXT}, indent=1, sort_keys=True) + "\n"
    return {
        NODES_FILE: kgx_table(_nodes(graph, ids, categories), KGX_NODE_COLUMNS),
        EDGES_FILE: kgx_table(_edges(graph, ids, predicates), KGX_EDGE_COLUMNS),
        CONTEXT_FILE: context.encode("utf-8"),
    }


def kgx_table(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    """A TSV table; tabs and line breaks inside values become spaces (TSV has no quoting)."""
    lines = ["\t".join(columns)]
    for row in rows:
        cells = [" ".join(str(row.get(c, "") if row.get(c) is not None else "").split()) for c in columns]
        lines.append("\t".join(cells))
    return ("\n".join(lines) + "\n").encode("utf-8")
