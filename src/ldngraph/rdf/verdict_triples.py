"""The verdicts as triples: one ``ldn:Verdict`` per condition, so every store and query reads the same answer."""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import RDF, RDFS, XSD, Literal, Namespace
from rdflib.namespace import DCTERMS

from ldngraph.core import namespaces as ns
from ldngraph.curation.records import Records
from ldngraph.curation.regimens import CATEGORY_LABELS, LDN
from ldngraph.curation.verdicts import Verdict, all_verdicts

VOCAB = Namespace(ns.VOCAB)
ID = Namespace(ns.ID)
DOMAIN = Namespace(ns.DOMAIN)
VERDICT = Namespace(ns.VERDICT)
CERTAINTY = Namespace(ns.CERTAINTY)

Triple = tuple


def verdict_id(verdict: Verdict) -> str:
    """The record id of a verdict node: verdict-<condition>-<domain>."""
    return f"verdict-{verdict.condition}-{verdict.domain}"


def _triples(verdict: Verdict) -> Iterator[Triple]:
    subject = ID[verdict_id(verdict)]
    yield subject, RDF.type, VOCAB.Verdict
    yield subject, DCTERMS.identifier, Literal(verdict_id(verdict))
    yield subject, RDFS.label, Literal(f"verdict on {verdict.condition} ({verdict.domain}): {verdict.label}")
    yield subject, VOCAB.verdict_for, ID[verdict.condition]
    yield subject, VOCAB.domain, DOMAIN[verdict.domain]
    yield subject, VOCAB.verdict, VERDICT[verdict.statement]
    yield subject, VOCAB.certainty, CERTAINTY[verdict.certainty]
    yield subject, VOCAB.reasons, Literal("\n".join(verdict.reasons))
    yield subject, VOCAB.n_studies, Literal(len(verdict.counted), datatype=XSD.integer)
    yield subject, VOCAB.participants, Literal(verdict.participants, datatype=XSD.integer)
    yield subject, VOCAB.regimens_counted, Literal(CATEGORY_LABELS[LDN])
    for prop, ids in (
        ("counts_study", verdict.counted),
        ("context_study", verdict.context),
        ("shown_apart", verdict.shown_apart),
        ("lead_study", verdict.leads),
        ("running_study", verdict.running),
    ):
        for study in ids:
            yield subject, VOCAB[prop], ID[study]
    if verdict.review_checks:
        yield subject, VOCAB.review_check, Literal("\n".join(verdict.review_checks))
    if verdict.articles_claimed:
        yield subject, VOCAB.articles_claimed, Literal("\n".join(verdict.articles_claimed))


def verdict_triples(records: Records) -> Iterator[Triple]:
    """Every verdict of the curated records, as triples."""
    for verdict in all_verdicts(records):
        yield from _triples(verdict)
