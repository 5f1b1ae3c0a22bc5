"""IRIs of the ldngraph vocabulary and data, and the prefixes every serialisation binds.

This module imports nothing heavy: the query path uses it without loading rdflib. External CURIEs
(xrefs) are expanded by :mod:`ldngraph.core.curies`, with the ``curies`` package and the Bioregistry.
"""

from __future__ import annotations

import re

BASE = "https://w3id.org/ldngraph/"
VOCAB = BASE + "vocab#"
ID = BASE + "id/"
LEVEL = BASE + "vocab/level/"
DIRECTION = BASE + "vocab/direction/"
DESIGN = BASE + "vocab/design/"
STATUS = BASE + "vocab/status/"
LAYER = BASE + "vocab/layer/"
DISCREPANCY = BASE + "vocab/discrepancy/"
BAND = BASE + "vocab/band/"
DOMAIN = BASE + "vocab/domain/"
VERDICT = BASE + "vocab/verdict/"
CERTAINTY = BASE + "vocab/certainty/"
STATEMENT = BASE + "statement/"
FINDING = BASE + "finding/"
GRAPH = BASE + "graph/curated"

#: Node kind (as in graph/records and the metagraph) -> local name of its class in the vocabulary.
CLASS_NAMES: dict[str, str] = {
    "drug": "Drug",
    "dose_regimen": "DoseRegimen",
    "protein": "Protein",
    "cell_type": "CellType",
    "molecule": "SignallingMolecule",
    "process": "BiologicalProcess",
    "condition": "Condition",
    "study": "Study",
    "organisation": "Organisation",
    "source": "SourceArticle",
    "adverse_effect": "AdverseEffect",
    "biomarker": "Biomarker",
    "caution": "Caution",
    "primary_record": "PrimaryRecord",
    "arm": "StudyArm",
    "outcome": "OutcomeMeasure",
    "result": "StudyResult",
}

BIOLINK = "https://w3id.org/biolink/vocab/"
OBO = "http://purl.obolibrary.org/obo/"

#: Prefixes bound in every serialisation and every SPARQL query.
PREFIXES: dict[str, str] = {
    "ldn": VOCAB,
    "ldnid": ID,
    "level": LEVEL,
    "direction": DIRECTION,
    "design": DESIGN,
    "status": STATUS,
    "layer": LAYER,
    "discrepancy": DISCREPANCY,
    "band": BAND,
    "domain": DOMAIN,
    "verdict": VERDICT,
    "certainty": CERTAINTY,
    "statement": STATEMENT,
    "finding": FINDING,
    "biolink": BIOLINK,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "sh": "http://www.w3.org/ns/shacl#",
    "ECO": OBO + "ECO_",
}

_SAFE_LOCAL = re.compile(r"^[A-Za-z0-9._:/()\-]+$")


def expand_curie(curie: str) -> str | None:
    """The IRI of a CURIE with a linked prefix and a safe local id that matches the prefix's pattern, or None.

    Links in the viewer and ``skos:exactMatch`` in the RDF are built only from the prefixes of
    :data:`ldngraph.core.curies.LINKED` (never from free text), expanded with the ``curies`` package.

    >>> expand_curie("CHEBI:7465")
    'http://purl.obolibrary.org/obo/CHEBI_7465'
    >>> expand_curie("CHEBI:abc") is None
    True
    >>> expand_curie("javascript:alert(1)") is None
    True
    """
    from ldngraph.core.curies import expand

    prefix, sep, local = curie.partition(":")
    if not sep or not _SAFE_LOCAL.match(local):
        return None
    if prefix == "PMC" and not local.startswith("PMC"):
        local = "PMC" + local
    return expand(f"{prefix}:{local}")


def node_iri(node_id: str) -> str:
    """The IRI of a curated record (node, claim or edge) from its id."""
    return ID + node_id


def statement_iri(subject_id: str, predicate: str, object_id: str) -> str:
    """The IRI of the statement (subject, predicate, object) that claims of several articles can share.

    >>> statement_iri("naltrexone", "antagonist_of", "tlr4")
    'https://w3id.org/ldngraph/statement/naltrexone/antagonist_of/tlr4'
    """
    # Record ids and predicate names never hold "/", so the three parts can always be told apart.
    return f"{STATEMENT}{subject_id}/{predicate}/{object_id}"


def finding_iri(study_id: str, predicate: str, object_id: str) -> str:
    """The IRI of what one study is said to show about one object, whatever subject a claim names.

    >>> finding_iri("younger-2013", "studied_for", "fibromyalgia")
    'https://w3id.org/ldngraph/finding/younger-2013/studied_for/fibromyalgia'
    """
    return f"{FINDING}{study_id}/{predicate}/{object_id}"


def sparql_prefixes() -> str:
    """PREFIX declarations for every prefix in :data:`PREFIXES`."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
