"""The real curated data: validates clean, is in canonical form, and the vocabulary documents it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import missing
from rdflib import OWL, RDF, RDFS, Graph, Namespace
from rdflib.namespace import SKOS

from ldngraph.curation.lint import lint
from ldngraph.curation.metagraph import load_metagraph
from ldngraph.rdf.triples import CLAIM_CLASS_BY_LAYER, CLASS_BY_KIND
from ldngraph.rdf.validate import validate

LDN = Namespace("https://w3id.org/ldngraph/vocab#")


def test_curated_graph_validates_without_errors(graph_dir: Path, sources_dir: Path) -> None:
    report = validate(graph_dir, sources_dir=sources_dir).report
    assert report.ok, report.to_text()


def test_curated_files_are_in_canonical_form(graph_dir: Path) -> None:
    result = lint(graph_dir, check=True)
    assert not result.problems, result.problems
    assert not result.changed, f"not canonical: {[str(p) for p in result.changed]}; run `ldngraph lint`"


@pytest.fixture(scope="module")
def vocabulary(graph_dir: Path) -> Graph:
    return Graph().parse(graph_dir / "vocab" / "ldngraph.ttl")


def test_every_vocabulary_term_is_labelled_defined_and_mapped(vocabulary: Graph) -> None:
    terms = set(vocabulary.subjects(RDF.type, OWL.Class)) | set(vocabulary.subjects(RDF.type, OWL.ObjectProperty))
    terms |= set(vocabulary.subjects(RDF.type, OWL.DatatypeProperty))
    assert len(terms) > 40
    for term in terms:
        assert vocabulary.value(term, RDFS.label), f"{term} has no label"
        assert vocabulary.value(term, SKOS.definition), f"{term} has no definition"


def test_every_class_and_metagraph_predicate_maps_to_biolink(vocabulary: Graph, graph_dir: Path) -> None:
    biolink = "https://w3id.org/biolink/vocab/"
    mapping = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch)
    for cls in [*CLASS_BY_KIND.values(), *CLAIM_CLASS_BY_LAYER.values()]:
        assert any(str(o).startswith(biolink) for p in mapping for o in vocabulary.objects(cls, p)), cls
    for predicate in load_metagraph(graph_dir).predicates:
        term = LDN[predicate]
        assert (term, RDFS.label, None) in vocabulary, f"metagraph predicate {predicate} missing from vocabulary"
        assert any(str(o).startswith(biolink) for p in mapping for o in vocabulary.objects(term, p)), predicate


def test_evidence_ladder_maps_each_level_to_eco_with_ranks(vocabulary: Graph) -> None:
    from ldngraph.core.schema import EvidenceLevel

    for level in EvidenceLevel:
        subject = Namespace("https://w3id.org/ldngraph/vocab/level/")[level.value]
        assert int(vocabulary.value(subject, LDN.rank)) == level.rank
        assert str(vocabulary.value(subject, LDN.evidence_type)).startswith("http://purl.obolibrary.org/obo/ECO_")


def test_every_quote_is_verbatim_in_its_source(curated, sources_dir: Path) -> None:
    from ldngraph.curation.checks import check_quotes

    assert check_quotes(curated.records, sources_dir) == []


def test_quotes_are_short_so_articles_are_not_copied(curated) -> None:
    claims = curated.records.all_claims()
    assert claims
    assert max(len(c.quote) for c in claims) <= 300
    by_source: dict[str, int] = {}
    for claim in claims:
        by_source[claim.source] = by_source.get(claim.source, 0) + len(claim.quote)
    assert by_source


def test_identifiers_in_the_graph_are_only_the_verified_ones(curated) -> None:
    folder = Path(__file__).resolve().parents[2] / "shared" / "reference"
    references = [folder / "identifiers.md", folder / "primary-records.md"]
    if not all(reference.exists() for reference in references):
        missing("../shared/reference is not present")
    text = "\n".join(reference.read_text(encoding="utf-8") for reference in references)
    for study in curated.records.of_kind("study"):
        for value in (study.pmid, study.doi, study.nct, study.pmcid):  # type: ignore[attr-defined]
            if value:
                assert value in text, f"{study.id}: {value} is not in the reference table"
    for located in curated.records.nodes.values():
        for xref in located.record.xrefs:  # type: ignore[attr-defined]
            local = xref.split(":", 1)[1]
            assert local in text, f"{located.record.id}: {xref} is not in the reference table"
