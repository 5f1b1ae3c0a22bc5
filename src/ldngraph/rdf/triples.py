"""Turn curated records into an RDF graph: deterministic IRIs, no blank nodes.

Every node record becomes a typed resource; every claim becomes both a direct triple
(subject predicate object) and a reified ``ldn:Claim`` carrying the evidence.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from ldngraph.core import namespaces as ns
from ldngraph.core.schema import (
    Claim,
    DoseRegimen,
    Edge,
    EvidenceLevel,
    Node,
    Study,
)
from ldngraph.curation.metagraph import Metagraph
from ldngraph.curation.records import Records
from ldngraph.rdf.evidence_triples import add_claim_result, add_evidence_node, decimal_literal
from ldngraph.rdf.verdict_triples import verdict_triples

LDN = Namespace(ns.VOCAB)
ID = Namespace(ns.ID)
LEVEL = Namespace(ns.LEVEL)
DIRECTION = Namespace(ns.DIRECTION)
DESIGN = Namespace(ns.DESIGN)
STATUS = Namespace(ns.STATUS)
LAYER = Namespace(ns.LAYER)
DISCREPANCY = Namespace(ns.DISCREPANCY)
BAND = Namespace(ns.BAND)

CLASS_BY_KIND: dict[str, URIRef] = {kind: LDN[name] for kind, name in ns.CLASS_NAMES.items()}
CLAIM_CLASS_BY_LAYER: dict[str, URIRef] = {
    "clinical": LDN.ClinicalClaim,
    "preclinical": LDN.PreclinicalClaim,
    "hypothesis": LDN.HypothesisClaim,
    "mechanistic": LDN.MechanisticClaim,
    "safety": LDN.SafetyClaim,
    "context": LDN.ContextClaim,
}
ECO_BY_LEVEL: dict[EvidenceLevel, str] = {
    EvidenceLevel.rct: "ECO:0000180",
    EvidenceLevel.controlled: "ECO:0000180",
    EvidenceLevel.uncontrolled: "ECO:0000180",
    EvidenceLevel.case_report: "ECO:0006018",
    EvidenceLevel.review: "ECO:0006016",
    EvidenceLevel.animal: "ECO:0000179",
    EvidenceLevel.in_vitro: "ECO:0000181",
    EvidenceLevel.mechanism_hypothesis: "ECO:0000304",
    EvidenceLevel.anecdote: "ECO:0000304",
    EvidenceLevel.author_statement: "ECO:0000304",
}

# Literal-valued node fields -> (property, datatype or None for plain strings).
_NODE_LITERALS: dict[str, tuple[URIRef, URIRef | None]] = {
    "role": (LDN.role, None),
    "dose_min": (LDN.dose_min, XSD.decimal),
    "dose_max": (LDN.dose_max, XSD.decimal),
    "dose_typical": (LDN.dose_typical, XSD.decimal),
    "dose_unit": (LDN.dose_unit, None),
    "schedule": (LDN.schedule, None),
    "route": (LDN.route, None),
    "formulation": (LDN.formulation, None),
    "species": (LDN.species, None),
    "gene_symbol": (LDN.gene_symbol, None),
    "category": (LDN.category, None),
    "location": (LDN.location, None),
    "genre": (LDN.genre, None),
    "first_author": (LDN.first_author, None),
    "year": (LDN.year, XSD.integer),
    "title": (DCTERMS.title, None),
    "journal": (LDN.journal, None),
    "population": (LDN.population, None),
    "n_enrolled": (LDN.n_enrolled, XSD.integer),
    "n_analysed": (LDN.n_analysed, XSD.integer),
    "arms": (LDN.arms, None),
    "duration": (LDN.duration, None),
    "result": (LDN.result, None),
    "pmid": (LDN.pmid, None),
    "pmcid": (LDN.pmcid, None),
    "doi": (LDN.doi, None),
    "nct": (LDN.nct, None),
    "primary_record": (LDN.primary_record, None),
    "note": (LDN.note, None),
}
# Node fields that name other records -> predicate.
_NODE_REFERENCES: dict[str, str] = {
    "drug": "regimen_of",
    "regimens": "tests",
    "conditions": "investigates",
    "organisations": "conducted_by",
}
_STUDY_LINKS = {"pmid": "PMID", "pmcid": "PMC", "doi": "DOI", "nct": "NCT"}


def iri(record_id: str) -> URIRef:
    """The IRI of a curated record."""
    return ID[record_id]


def predicate_iri(name: str) -> URIRef:
    """The IRI of a metagraph predicate."""
    return LDN[name]


def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound."""
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in ns.PREFIXES.items():
        graph.bind(prefix, Namespace(namespace), override=True)
    return graph


def _add_node(graph: Graph, node: Node) -> None:
    subject = iri(node.id)
    graph.add((subject, RDF.type, CLASS_BY_KIND[node.kind]))
    graph.add((subject, DCTERMS.identifier, Literal(node.id)))
    graph.add((subject, RDFS.label, Literal(node.name)))
    for synonym in node.synonyms:
        graph.add((subject, SKOS.altLabel, Literal(synonym)))
    for xref in node.xrefs:
        graph.add((subject, LDN.xref, Literal(xref)))
        expanded = ns.expand_curie(xref)
        if expanded:
            graph.add((subject, SKOS.exactMatch, URIRef(expanded)))
    if node.description:
        graph.add((subject, DCTERMS.description, Literal(node.description)))
    for field_name, (prop, datatype) in _NODE_LITERALS.items():
        value = getattr(node, field_name, None)
        if value is None or isinstance(value, Enum):
            continue  # an enum field of the same name (arm and outcome `role`) has its own property
        if datatype == XSD.decimal:
            graph.add((subject, prop, decimal_literal(float(value))))
        elif datatype is not None:
            graph.add((subject, prop, Literal(value, datatype=datatype)))
        else:
            graph.add((subject, prop, Literal(value)))
    if isinstance(node, DoseRegimen):
        graph.add((subject, LDN.dose_band, BAND[node.band.value]))
    if isinstance(node, Study):
        graph.add((subject, LDN.design, DESIGN[node.design.value]))
        graph.add((subject, LDN.status, STATUS[node.status.value]))
        for field_name, prefix in _STUDY_LINKS.items():
            value = getattr(node, field_name)
            if value:
                link = ns.expand_curie(f"{prefix}:{value}")
                if link:
                    graph.add((subject, RDFS.seeAlso, URIRef(link)))
    for field_name, predicate in _NODE_REFERENCES.items():
        value = getattr(node, field_name, None)
        targets = value if isinstance(value, list) else [value] if value else []
        for target in targets:
            graph.add((subject, predicate_iri(predicate), iri(target)))


def _add_edge(graph: Graph, edge: Edge) -> None:
    subject = iri(edge.id)
    graph.add((iri(edge.subject), predicate_iri(edge.predicate), iri(edge.object)))
    graph.add((subject, RDF.type, LDN.StructuralEdge))
    graph.add((subject, DCTERMS.identifier, Literal(edge.id)))
    graph.add((subject, LDN.subject, iri(edge.subject)))
    graph.add((subject, LDN.predicate, predicate_iri(edge.predicate)))
    graph.add((subject, LDN.object, iri(edge.object)))
    graph.add((subject, LDN.basis, Literal(edge.basis)))


def _add_claim(graph: Graph, claim: Claim, metagraph: Metagraph) -> None:
    subject = iri(claim.id)
    layer = metagraph.claim_layer(claim.predicate, claim.level)
    graph.add((subject, RDF.type, LDN.Claim))
    graph.add((subject, RDF.type, CLAIM_CLASS_BY_LAYER[layer]))
    graph.add((subject, DCTERMS.identifier, Literal(claim.id)))
    graph.add((subject, LDN.subject, iri(claim.subject)))
    graph.add((subject, LDN.predicate, predicate_iri(claim.predicate)))
    if claim.object:
        graph.add((subject, LDN.object, iri(claim.object)))
        graph.add((subject, LDN.statement, URIRef(ns.statement_iri(claim.subject, claim.predicate, claim.object))))
        if asserts_directly(claim):
            graph.add((iri(claim.subject), predicate_iri(claim.predicate), iri(claim.object)))
        elif claim.direction.value in NEGATING:
            graph.add((subject, LDN.negated, Literal(True)))
    if claim.value:
        graph.add((subject, LDN.value, Literal(claim.value)))
    graph.add((subject, LDN.source, iri(claim.source)))
    graph.add((subject, LDN.quote, Literal(claim.quote)))
    if claim.study:
        graph.add((subject, LDN.study, iri(claim.study)))
        if claim.object:
            graph.add((subject, LDN.finding, URIRef(ns.finding_iri(claim.study, claim.predicate, claim.object))))
        graph.add((iri(claim.study), predicate_iri("reported_in"), iri(claim.source)))
    graph.add((subject, LDN.evidence_level, LEVEL[claim.level.value]))
    graph.add((subject, LDN.evidence_type, URIRef(ns.expand_curie(ECO_BY_LEVEL[claim.level]) or "")))
    graph.add((subject, LDN.direction, DIRECTION[claim.direction.value]))
    graph.add((subject, LDN.layer, LAYER[layer]))
    graph.add((subject, LDN.claim_status, STATUS[claim.status.value]))
    if claim.regimen:
        graph.add((subject, LDN.regimen, iri(claim.regimen)))
    for field_name, prop, datatype in (
        ("population", LDN.population, None),
        ("n", LDN.n, XSD.integer),
        ("effect", LDN.effect, None),
        ("primary_says", LDN.primary_says, None),
        ("note", LDN.note, None),
        ("curator", LDN.curator, None),
    ):
        value = getattr(claim, field_name)
        if value is not None:
            graph.add((subject, prop, Literal(value, datatype=datatype)))
    if claim.discrepancy:
        graph.add((subject, LDN.discrepancy, DISCREPANCY[claim.discrepancy.value]))
    graph.add((subject, DCTERMS.created, Literal(claim.date_curated, datatype=XSD.date)))


#: Directions whose claims deny their statement: the statement is never written as a direct triple.
NEGATING = frozenset({"contradicts", "no_effect"})


def asserts_directly(claim: Claim) -> bool:
    """Whether a claim puts its statement into the graph as a direct ``subject predicate object`` triple.

    Only an asserted claim whose evidence supports the statement does. A claim that denies it
    (contradicts, no effect) stays reified and is marked ``ldn:negated true``, as Biolink marks a negated
    association; a mixed or disputed claim stays reified. So a direct triple is never something a source
    only denied or doubted (docs/vocabulary.md, "Direct triples").
    """
    return claim.status.value == "asserted" and claim.direction.value == "supports"


def records_to_graph(records: Records, metagraph: Metagraph) -> Graph:
    """Build the RDF graph of a set of valid records (validate first: this assumes references resolve)."""
    graph = new_graph()
    verification_of = {
        node.id: node.verification.value for node in records.of_kind("primary_record")  # type: ignore[attr-defined]
    }
    for located in sorted(records.nodes.values(), key=lambda x: x.record.id):
        node = located.record
        assert isinstance(node, Node)
        _add_node(graph, node)
        add_evidence_node(graph, node, verification_of)
    for edge in records.all_edges():
        _add_edge(graph, edge)
    for claim in records.all_claims():
        _add_claim(graph, claim, metagraph)
        add_claim_result(graph, claim)
    for triple in verdict_triples(records):
        graph.add(triple)
    return graph


def vocabulary_path(graph_dir: Path) -> Path:
    """The Turtle file of the vocabulary."""
    return Path(graph_dir) / "vocab" / "ldngraph.ttl"


def shapes_path(graph_dir: Path) -> Path:
    """The Turtle file of the SHACL shapes."""
    return Path(graph_dir) / "shapes" / "ldngraph-shapes.ttl"
