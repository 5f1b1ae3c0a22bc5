"""The viewer's fixed terms: node kinds, evidence levels, directions, layers, and the IRIs it reads.

Also the small helpers that turn IRIs into what the page shows (node ids, local names, predicate
names). Nothing here imports rdflib.
"""

from __future__ import annotations

from ldngraph.core import namespaces as ns

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
    "arm",
    "outcome",
    "result",
    "primary_record",
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
    "arm": "study arm",
    "outcome": "outcome measure",
    "result": "study result",
    "primary_record": "primary record",
    "organisation": "organisation",
    "source": "source article",
    "adverse_effect": "adverse effect",
    "caution": "caution",
    "biomarker": "biomarker",
    "other": "other (merged)",
}
#: Class IRI -> node kind.
CLASS_KIND: dict[str, str] = {ns.VOCAB + name: kind for kind, name in ns.CLASS_NAMES.items()}
CLAIM_CLASS = ns.VOCAB + "Claim"
STRUCTURAL_CLASS = ns.VOCAB + "StructuralEdge"

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

#: Predicates that carry links or vocabulary terms, never drawn as edges between nodes.
ATTRIBUTE_PREDICATES = frozenset(
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
VOCAB_PREFIXES: tuple[str, ...] = (
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
#: Literal properties shown on cards, in this order, with their labels.
CARD_FIELDS: tuple[tuple[str, str], ...] = (
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
    (ns.VOCAB + "published", "published"),
    (DCTERMS + "title", "title"),
    (ns.VOCAB + "journal", "journal"),
    (ns.VOCAB + "status_as_of", "status as of"),
    (ns.VOCAB + "study_finding", "finding"),
    (ns.VOCAB + "blinding", "blinding"),
    (ns.VOCAB + "control", "control"),
    (ns.VOCAB + "population", "population"),
    (ns.VOCAB + "target_enrolment", "target enrolment"),
    (ns.VOCAB + "n_enrolled", "n enrolled"),
    (ns.VOCAB + "n_analysed", "n analysed"),
    (ns.VOCAB + "arms", "arms"),
    (ns.VOCAB + "duration", "duration"),
    (ns.VOCAB + "start_date", "start"),
    (ns.VOCAB + "completion_date", "completion"),
    (ns.VOCAB + "results_posted", "results posted"),
    (ns.VOCAB + "registration", "registration"),
    (ns.VOCAB + "result", "result"),
    (ns.VOCAB + "primary_record", "primary record"),
    # primary records, arms, outcomes and results (decision 0013)
    (ns.VOCAB + "record_type", "record type"),
    (ns.VOCAB + "registry_id", "registry id"),
    (ns.VOCAB + "seen", "seen"),
    (ns.VOCAB + "verification", "verification"),
    (ns.VOCAB + "link_strength", "link to the study"),
    (ns.VOCAB + "arm_role", "arm"),
    (ns.VOCAB + "therapy", "therapy"),
    (ns.VOCAB + "background", "background"),
    (ns.VOCAB + "n_randomised", "n randomised"),
    (ns.VOCAB + "measure", "measure"),
    (ns.VOCAB + "outcome_role", "outcome"),
    (ns.VOCAB + "timepoint", "time point"),
    (ns.VOCAB + "better", "better"),
    (ns.VOCAB + "comparison", "comparison"),
    (ns.VOCAB + "locator", "where in the record"),
    (ns.VOCAB + "search_date", "searched to"),
    (ns.VOCAB + "note", "note"),
)
#: Node kinds that detail a study (decision 0013): on its card and its panel entry, not in the overview or a
#: condition's drawing; the whole graph draws them only when "study details" is ticked.
DETAIL_KINDS: frozenset[str] = frozenset({"arm", "outcome", "result", "primary_record"})
CARD_FIELD_SET = frozenset(uri for uri, _ in CARD_FIELDS)
#: Study identifier property -> (CURIE prefix used to build its link, label on the card).
IDENTIFIER_PREFIXES: tuple[tuple[str, str, str], ...] = (
    (ns.VOCAB + "pmid", "PMID", "PubMed"),
    (ns.VOCAB + "pmcid", "PMC", "PubMed Central"),
    (ns.VOCAB + "doi", "DOI", "DOI"),
    (ns.VOCAB + "nct", "NCT", "ClinicalTrials.gov"),
)
#: Card fields whose values are controlled names (``no_difference``), shown as words.
WORD_FIELDS = frozenset({"finding", "blinding", "control", "record type", "therapy", "arm", "outcome", "comparison"})
#: Verdict predicate -> the role of a study it names (docs/verdicts.md), in the order the panel shows them.
VERDICT_ROLES: tuple[tuple[str, str], ...] = (
    ("counts_study", "counted"),
    ("context_study", "context"),
    ("shown_apart", "apart"),
    ("lead_study", "lead"),
    ("running_study", "running"),
)
#: The numeric literal properties of a result, then the words that go with them.
_NUMBERS = ("arm_value", "comparator_value", "estimate", "ci_low", "ci_high", "p")
RESULT_NUMBERS: tuple[str, ...] = (*_NUMBERS, "estimate_kind", "unit", "p_qualifier")
#: The literal properties a study's card shows of each arm, outcome measure and primary record.
ARM_FIELDS = ("arm_role", "therapy", "background", "n_randomised", "n_analysed")
OUTCOME_FIELDS = ("measure", "timepoint", "outcome_role", "better")
RECORD_FIELDS = ("record_type", "seen", "verification", "link_strength", "published")
ARM_ORDER = {"experimental": 0, "active_comparator": 1, "placebo": 2}
OUTCOME_ORDER = {"primary": 0, "co_primary": 0, "secondary": 1, "exploratory": 2}
#: Literal properties of a claim shown on its card.
CLAIM_FIELDS: tuple[str, ...] = ("population", "n", "effect", "primary_says", "note", "value")


def local_name(iri: str) -> str:
    """The last part of an IRI (after its last ``#``, ``/`` or ``:``), or the IRI itself."""
    for sep in ("#", "/", ":"):
        if sep in iri:
            tail = iri.rsplit(sep, 1)[1]
            if tail:
                return tail
    return iri


def node_id_of(iri: str) -> str:
    """The node id of an IRI: the record id for the project's own resources, else the IRI."""
    return iri[len(ns.ID) :] if iri.startswith(ns.ID) else iri


def is_vocab(iri: str) -> bool:
    """Whether an IRI is a vocabulary term (ours or a standard one), never drawn as a node."""
    return iri.startswith(VOCAB_PREFIXES)


def predicate_name(iri: str) -> str:
    """The name an edge shows for a predicate: its vocabulary name, a CURIE, or its local name."""
    if iri.startswith(ns.VOCAB):
        return iri[len(ns.VOCAB) :]
    for prefix, namespace in ns.PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return local_name(iri)


def web_url(text: str) -> str | None:
    """``text`` if it is an http(s) URL with no space, quote, backtick or angle bracket, else None (never a link)."""
    value = text.strip()
    if value.startswith(("https://", "http://")) and not any(c in value for c in ' "<>`\t\n\r'):
        return value
    return None


def result_numbers(values: dict[str, str]) -> str:
    """A result's numbers in the CLI's words (``ldngraph verdict``), from its literal values by name.

    For example '-1.3 vs -0.9 NRS points; mean difference -0.34 (95% CI -0.95 to 0.27); p=0.27', or
    'no numbers in the record'.
    """
    from dataclasses import fields

    from ldngraph.sparql.verdicts import ResultRow

    row: dict[str, object] = {f.name: "" for f in fields(ResultRow)}
    row.update({name: values.get(name, "") for name in ("estimate_kind", "unit", "p_qualifier")})
    for name in _NUMBERS:
        try:
            row[name] = float(values[name]) if values.get(name) else None
        except ValueError:
            row[name] = None
    return ResultRow(**row).numbers()  # type: ignore[arg-type]


def statement_labels() -> dict[str, str]:
    """Verdict statement name -> its words ("conflicting: the trials disagree"), as the CLI says them."""
    from ldngraph.curation.verdicts import STATEMENT_LABELS

    return dict(STATEMENT_LABELS)
