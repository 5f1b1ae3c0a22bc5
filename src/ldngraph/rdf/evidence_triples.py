"""Triples of the evidence model: primary records, arms, outcomes, results, trial fields and regimen categories.

Kept beside :mod:`ldngraph.rdf.triples` (nodes, edges, claims). Terms follow decision 0013: a result is an
``ldn:StudyResult`` (Biolink StudyResult) of an ``ldn:OutcomeMeasure`` of a study, read from an
``ldn:PrimaryRecord`` whose URL and date seen it carries.
"""

from __future__ import annotations

from rdflib import XSD, Graph, Literal, Namespace, URIRef

from ldngraph.core import namespaces as ns
from ldngraph.core.evidence_schema import Arm, Outcome, PrimaryRecord, Result
from ldngraph.core.schema import Claim, DoseRegimen, Node, SourceArticle, Study
from ldngraph.curation.regimens import regimen_category

LDN = Namespace(ns.VOCAB)
ID = Namespace(ns.ID)
DIRECTION = Namespace(ns.DIRECTION)
DOMAIN = Namespace(ns.DOMAIN)


def date_literal(value: str) -> Literal:
    """A date as precise as it is known: xsd:date, xsd:gYearMonth or xsd:gYear; a bound stays a plain string."""
    if len(value) == 10 and value[4] == "-":
        return Literal(value, datatype=XSD.date)
    if len(value) == 7 and value[4] == "-":
        return Literal(value, datatype=XSD.gYearMonth)
    if len(value) == 4 and value.isdigit():
        return Literal(value, datatype=XSD.gYear)
    return Literal(value)


def decimal_literal(value: float) -> Literal:
    """An xsd:decimal in its canonical lexical form, always with a point ("4.0"), so Turtle round-trips it."""
    return Literal(repr(float(value)), datatype=XSD.decimal)


def _add_literals(graph: Graph, subject: URIRef, node: Node, fields: dict[str, str]) -> None:
    for field_name, prop in fields.items():
        value = getattr(node, field_name, None)
        if value is None or value == []:
            continue
        values = value if isinstance(value, list) else [value]
        for item in values:
            if hasattr(item, "value"):
                item = item.value
            if isinstance(item, bool):
                graph.add((subject, LDN[prop], Literal(item)))
            elif isinstance(item, int):
                graph.add((subject, LDN[prop], Literal(item, datatype=XSD.integer)))
            elif isinstance(item, float):
                graph.add((subject, LDN[prop], decimal_literal(item)))
            else:
                graph.add((subject, LDN[prop], Literal(item)))


def _add_dates(graph: Graph, subject: URIRef, node: Node, fields: dict[str, str]) -> None:
    for field_name, prop in fields.items():
        value = getattr(node, field_name, None)
        if value:
            graph.add((subject, LDN[prop], date_literal(value)))


def _add_primary_record(graph: Graph, record: PrimaryRecord) -> None:
    subject = ID[record.id]
    graph.add((subject, LDN.record_type, Literal(record.record_type.value)))
    if record.study:
        graph.add((subject, LDN.reports, ID[record.study]))
        graph.add((subject, LDN.link_strength, Literal(record.link.value if record.link else "")))
    _add_literals(graph, subject, record, {"pmid": "pmid", "doi": "doi", "registry_id": "registry_id"})
    _add_dates(graph, subject, record, {"published": "published"})
    for url in record.url:
        graph.add((subject, LDN.url, Literal(url, datatype=XSD.anyURI)))
    graph.add((subject, LDN.seen, Literal(record.seen, datatype=XSD.date)))
    graph.add((subject, LDN.verification, Literal(record.verification.value)))


def _add_arm(graph: Graph, arm: Arm) -> None:
    subject = ID[arm.id]
    graph.add((subject, LDN.arm_of, ID[arm.study]))
    graph.add((subject, LDN.arm_role, Literal(arm.role.value)))
    graph.add((subject, LDN.therapy, Literal(arm.therapy.value)))
    if arm.regimen:
        graph.add((subject, LDN.regimen, ID[arm.regimen]))
    if arm.record:
        graph.add((subject, LDN.record, ID[arm.record]))
    _add_literals(graph, subject, arm, {"background": "background", "n_randomised": "n_randomised",
                                        "n_analysed": "n_analysed"})


def _add_outcome(graph: Graph, outcome: Outcome) -> None:
    subject = ID[outcome.id]
    graph.add((subject, LDN.outcome_of, ID[outcome.study]))
    graph.add((subject, LDN.domain, DOMAIN[outcome.domain.value]))
    graph.add((subject, LDN.outcome_role, Literal(outcome.role.value)))
    graph.add((subject, LDN.better, Literal(outcome.better.value)))
    if outcome.record:
        graph.add((subject, LDN.record, ID[outcome.record]))
    _add_literals(graph, subject, outcome, {"measure": "measure", "timepoint": "timepoint"})


def _add_result(graph: Graph, result: Result, verification: str) -> None:
    subject = ID[result.id]
    graph.add((subject, LDN.result_of, ID[result.outcome]))
    graph.add((subject, LDN.comparison, Literal(result.comparison.value)))
    graph.add((subject, LDN.result_direction, DIRECTION[result.direction.value]))
    graph.add((subject, LDN.record, ID[result.record]))
    graph.add((subject, LDN.verification, Literal(verification)))
    for field_name in ("arm", "comparator"):
        value = getattr(result, field_name)
        if value:
            graph.add((subject, LDN[field_name], ID[value]))
    _add_literals(graph, subject, result, {
        "arm_value": "arm_value", "comparator_value": "comparator_value", "estimate": "estimate",
        "estimate_kind": "estimate_kind", "unit": "unit", "ci_low": "ci_low", "ci_high": "ci_high", "p": "p",
        "p_qualifier": "p_qualifier", "locator": "locator",
    })


_STUDY_FIELDS = {
    "blinding": "blinding", "control": "control", "finding": "study_finding", "registrations": "registration",
    "target_enrolment": "target_enrolment",
}
_STUDY_DATES = {
    "status_as_of": "status_as_of", "start_date": "start_date", "completion_date": "completion_date",
    "results_posted": "results_posted", "published": "published", "search_date": "search_date",
}


def _add_study_fields(graph: Graph, study: Study) -> None:
    subject = ID[study.id]
    _add_literals(graph, subject, study, _STUDY_FIELDS)
    _add_dates(graph, subject, study, _STUDY_DATES)
    for covered in study.covers:
        graph.add((subject, LDN.covers, ID[covered]))
    if study.status_record:
        graph.add((subject, LDN.status_record, ID[study.status_record]))


def add_evidence_node(graph: Graph, node: Node, verification_of: dict[str, str]) -> None:
    """Add the evidence-model triples of one node record (the common ones come from rdf.triples)."""
    if isinstance(node, PrimaryRecord):
        _add_primary_record(graph, node)
    elif isinstance(node, Arm):
        _add_arm(graph, node)
    elif isinstance(node, Outcome):
        _add_outcome(graph, node)
    elif isinstance(node, Result):
        _add_result(graph, node, verification_of.get(node.record, ""))
    elif isinstance(node, Study):
        _add_study_fields(graph, node)
    elif isinstance(node, DoseRegimen):
        graph.add((ID[node.id], LDN.regimen_category, Literal(regimen_category(node))))
        for drug in node.combination:
            graph.add((ID[node.id], LDN.combined_with, ID[drug]))
    elif isinstance(node, SourceArticle) and node.published:
        graph.add((ID[node.id], LDN.published, date_literal(node.published)))


def add_claim_result(graph: Graph, claim: Claim) -> None:
    """Link a claim to the result it reports, when it names one."""
    if claim.result:
        graph.add((ID[claim.id], LDN.reports_result, ID[claim.result]))
