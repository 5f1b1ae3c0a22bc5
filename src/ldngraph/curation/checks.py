"""Validate curated records: syntax, references, CURIEs, the metagraph, evidence rules, quotes and SHACL.

Returns a :class:`~ldngraph.core.problems.Report` with every problem found; never prints or exits.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ldngraph.core.problems import Level, Problem, Report
from ldngraph.core.schema import DESIGN_LEVEL, Claim, ClaimStatus, Edge, EvidenceLevel, Study
from ldngraph.curation.evidence_checks import check_evidence_records
from ldngraph.curation.metagraph import VALUE_KIND, Metagraph, MetagraphError, load_metagraph
from ldngraph.curation.records import Records, load_records

_WS = re.compile(r"\s+")


#: the environment variable that says where the source articles are (LDNGRAPH_SOURCES is the older name)
SOURCES_ENV = "LDNGRAPH_SOURCES_DIR"
_OLD_SOURCES_ENV = "LDNGRAPH_SOURCES"
#: the problem code of quotes that could not be checked because the articles are not there
QUOTES_NOT_CHECKED = "quotes-not-checked"


def default_sources_dir(graph_dir: Path) -> Path:
    """Where the source articles are: $LDNGRAPH_SOURCES_DIR, else ../shared/sources beside the checkout."""
    for name in (SOURCES_ENV, _OLD_SOURCES_ENV):
        env = os.environ.get(name)
        if env:
            return Path(env)
    return Path(graph_dir).resolve().parent.parent / "shared" / "sources"


def strict_by_default() -> bool:
    """True under CI (the environment variable CI is ``true``, ``1`` or ``yes``).

    Then a check that could not run for want of files outside the repository is an error, not a warning.
    """
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def normalise_space(text: str) -> str:
    """Collapse runs of white space to one space (quotes are matched this way)."""
    return _WS.sub(" ", text).strip()


@dataclass
class Validation:
    """The outcome of validating a graph directory."""

    records: Records
    metagraph: Metagraph | None
    report: Report = field(default_factory=Report)


def check_references(records: Records) -> list[Problem]:
    """Every id a record names exists and is of an allowed kind."""
    problems: list[Problem] = []
    for item in (*records.nodes.values(), *records.edges, *records.claims):
        record = item.record
        for field_name, kinds in record.reference_fields.items():
            value = getattr(record, field_name)
            targets = value if isinstance(value, list) else [value] if value else []
            for target in targets:
                kind = records.kind_of(target)
                if kind is None:
                    hint = _nearest(target, list(records.nodes))
                    problems.append(
                        item.problem("unknown-reference", f"{field_name} {target!r} is not a known id{hint}")
                    )
                elif kinds and kind not in kinds:
                    problems.append(
                        item.problem(
                            "wrong-reference-kind",
                            f"{field_name} {target!r} is a {kind}, expected {' or '.join(kinds)}",
                        )
                    )
    return problems


def _nearest(name: str, candidates: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, candidates, n=3, cutoff=0.6)
    return f"; did you mean {', '.join(close)}?" if close else ""


def check_metagraph(records: Records, metagraph: Metagraph) -> list[Problem]:
    """Every claim and edge fits an allowed (subject kind, predicate, object kind) triple."""
    problems: list[Problem] = []
    for item in (*records.edges, *records.claims):
        record = item.record
        assert isinstance(record, Edge | Claim)
        if record.predicate not in metagraph.layers:
            hint = _nearest(record.predicate, metagraph.predicates)
            problems.append(item.problem("unknown-predicate", f"predicate {record.predicate!r} is unknown{hint}"))
            continue
        subject_kind = records.kind_of(record.subject)
        if subject_kind is None:
            continue  # reported by check_references
        if isinstance(record, Claim) and record.object is None:
            object_kind = VALUE_KIND
            if record.value is None:
                problems.append(item.problem("missing-object", "a claim needs an object or a value"))
                continue
        else:
            object_kind = records.kind_of(record.object or "")
            if object_kind is None:
                continue
            if isinstance(record, Claim) and record.value is not None:
                problems.append(item.problem("object-and-value", "give an object or a value, not both"))
        if not metagraph.allows(subject_kind, record.predicate, object_kind):
            allowed = metagraph.object_kinds(subject_kind, record.predicate)
            problems.append(
                item.problem(
                    "metagraph",
                    f"({subject_kind}) -[{record.predicate}]-> ({object_kind}) is not in the metagraph; "
                    f"allowed objects after ({subject_kind}) -[{record.predicate}]->: {allowed or 'none'}",
                )
            )
    return problems


#: The strongest level a claim may carry when its study's design is not known: never a controlled trial's.
UNKNOWN_DESIGN_BEST = EvidenceLevel.uncontrolled


def check_evidence(records: Records, metagraph: Metagraph) -> list[Problem]:
    """Evidence rules: levels fit the study design, clinical claims rest on a study, notes where needed."""
    problems: list[Problem] = []
    for item in records.claims:
        claim = item.record
        assert isinstance(claim, Claim)
        study = records.nodes.get(claim.study or "")
        study_record = study.record if study else None
        if claim.predicate in metagraph.layers and metagraph.claim_layer(claim.predicate, claim.level) == "clinical":
            if claim.study is None:
                problems.append(
                    item.problem("clinical-claim-without-study", "a clinical claim must name the study it rests on")
                )
        if isinstance(study_record, Study):
            # a study whose design is unknown may not carry a controlled trial's level
            best = DESIGN_LEVEL[study_record.design] or UNKNOWN_DESIGN_BEST
            if claim.level.rank < best.rank:
                problems.append(
                    item.problem(
                        "level-exceeds-design",
                        f"level {claim.level.value} is stronger than study {study_record.id}'s design "
                        f"{study_record.design.value} allows ({best.value})",
                    )
                )
        if claim.discrepancy is not None:
            if claim.primary_says is None:
                problems.append(item.problem("discrepancy-without-primary", "a discrepancy needs primary_says"))
            if claim.study is None:
                problems.append(item.problem("discrepancy-without-study", "a discrepancy needs the study"))
        if claim.status is ClaimStatus.disputed and claim.note is None:
            problems.append(item.problem("disputed-without-note", "a disputed claim needs a curator note"))
    return problems


def check_curies(records: Records) -> list[Problem]:
    """Every xref and primary record is a sound CURIE: a Bioregistry prefix and a local id matching its pattern.

    ``bad-curie`` (an error) for an unknown prefix or a local id that does not match; ``curie-not-linked``
    (a warning) for a valid CURIE whose prefix the project does not link (see :mod:`ldngraph.core.curies`).
    """
    from ldngraph.core.curies import check

    problems: list[Problem] = []
    for item in records.nodes.values():
        record = item.record
        curies = [*getattr(record, "xrefs", [])]
        if isinstance(record, Study) and record.primary_record:
            curies.append(record.primary_record)
        for curie in curies:
            found = check(curie)
            if found is not None:
                level = Level.error if found.code == "bad-curie" else Level.warning
                problems.append(item.problem(found.code, found.message, level))
    return problems


ACYCLIC_PREDICATES = ("subclass_of",)


def check_cycles(records: Records) -> list[Problem]:
    """Class hierarchies (subclass_of) have no cycles; the record that closes a cycle is reported."""
    problems: list[Problem] = []
    items = sorted((*records.edges, *records.claims), key=lambda x: (x.file, x.line))
    for predicate in ACYCLIC_PREDICATES:
        parents: dict[str, set[str]] = {}
        for item in items:
            record = item.record
            assert isinstance(record, Edge | Claim)
            if record.predicate != predicate or not record.object:
                continue
            if _reaches(parents, record.object, record.subject):
                problems.append(
                    item.problem("cycle", f"{predicate} {record.subject} -> {record.object} closes a cycle")
                )
                continue
            parents.setdefault(record.subject, set()).add(record.object)
    return problems


def _reaches(parents: dict[str, set[str]], start: str, goal: str) -> bool:
    seen: set[str] = set()
    stack = [start]
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(parents.get(node, ()))
    return False


def check_quotes(records: Records, sources_dir: Path) -> list[Problem]:
    """Every claim's quote appears verbatim (white space aside) in its source article."""
    problems: list[Problem] = []
    texts: dict[str, str | None] = {}
    for item in records.claims:
        claim = item.record
        assert isinstance(claim, Claim)
        if claim.source not in texts:
            path = sources_dir / f"{claim.source}.txt"
            try:
                texts[claim.source] = normalise_space(path.read_text(encoding="utf-8"))
            except OSError:
                texts[claim.source] = None
                problems.append(item.problem("source-missing", f"no article file {path.name} in {sources_dir}"))
        text = texts[claim.source]
        if text is not None and normalise_space(claim.quote) not in text:
            problems.append(
                item.problem("quote-not-found", f"quote not found verbatim in {claim.source}: {claim.quote[:60]!r}")
            )
    return problems


def check_quotes_can_run(records: Records, sources_dir: Path, *, strict: bool = False) -> list[Problem]:
    """One problem when the quotes cannot be checked (no sources folder): how many, and how to point at it.

    A warning, or an error when ``strict`` (``--strict``, or CI=true for the command line); nothing when the
    folder exists (then :func:`check_quotes` runs) or there are no claims.
    """
    if sources_dir.is_dir() or not records.claims:
        return []
    count = len(records.claims)
    file = records.claims[0].file
    why = " (an error under --strict or CI=true)" if strict else ""
    message = (
        f"{count} quote(s) not checked against their source articles: no sources folder {sources_dir}{why}; "
        f"give it with `ldngraph validate --sources DIR` or the environment variable {SOURCES_ENV}"
    )
    return [Problem(file, 0, QUOTES_NOT_CHECKED, message, level=Level.error if strict else Level.warning)]


def check_records(graph_dir: Path, *, sources_dir: Path | None = None) -> Validation:
    """Check the records of a graph directory and return every problem found.

    Everything but SHACL, which needs the RDF (see :func:`ldngraph.rdf.validate.validate`).
    ``sources_dir`` defaults to :func:`default_sources_dir`; quotes are checked only when it exists. Whether
    they could be checked is reported by :func:`check_quotes_can_run`, which the caller adds last.
    """
    graph_dir = Path(graph_dir)
    records, report = load_records(graph_dir)
    try:
        metagraph: Metagraph | None = load_metagraph(graph_dir)
    except MetagraphError as exc:
        report.add(Problem(str(graph_dir / "metagraph.yaml"), 0, "metagraph-file", str(exc)))
        metagraph = None
    report.extend(check_references(records))
    report.extend(check_curies(records))
    report.extend(check_cycles(records))
    report.extend(check_evidence_records(records))
    if metagraph is not None:
        report.extend(check_metagraph(records, metagraph))
        report.extend(check_evidence(records, metagraph))
    sources = sources_dir if sources_dir is not None else default_sources_dir(graph_dir)
    if sources.is_dir():
        report.extend(check_quotes(records, sources))
    return Validation(records=records, metagraph=metagraph, report=report)
