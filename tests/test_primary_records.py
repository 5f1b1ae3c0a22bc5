"""The primary records and the arms, outcomes and results read from them, checked against the reference files.

The reference files (../shared/reference/primary-records.md and identifiers.md) are where a curator saw each
fact, with its status ([V], [V2], [U], [M]) and the URL. These tests hold the evidence records to them:

- every URL of a verified (V) record is one the reference gives, or the record's note says it was verified
  with the search tool and names that URL;
- every number of a result (arm and comparator values, estimate, CI, p) appears in the reference text for
  its record: the table rows that cite one of the record's URLs (in identifiers.md also through the source
  keys S1.., T1..), or the search-tool verification in the record's note;
- a V2 record (a lead from a secondary source) is never the only basis of a study's `finding`;
- a registry status carries the date it was seen true and the registry record it was read from.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from conftest import missing

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
SEEN = "2026-12-02"
URL = re.compile(r"https?://[^\s|<>\]]+")
KEY = re.compile(r"\b([STR]\d+[a-z]?)\b")
NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
COMPARATIVE_FINDINGS = {"benefit", "no_difference", "mixed", "harm"}


def value(field):
    """The plain value of a record field (enum members by their value)."""
    return getattr(field, "value", field)


def urls_in(text: str) -> set[str]:
    return {match.rstrip(".,;:)") for match in URL.findall(text)}


def numbers_in(text: str) -> set[float]:
    """Every number in the text, signed where a minus sign (U+2212 or a hyphen after a non-digit) precedes it."""
    text = text.replace("\u2212", "-")
    found: set[float] = set()
    for match in NUMBER.finditer(text):
        number = float(match.group())
        start = match.start()
        before = text[start - 1] if start else ""
        before2 = text[start - 2] if start > 1 else ""
        negative = before == "-" and not before2.isdigit()
        found.add(-number if negative else number)
    return found


@cache
def reference_files() -> dict[str, str]:
    files = {name: REFERENCE / name for name in ("primary-records.md", "identifiers.md")}
    if not all(path.exists() for path in files.values()):
        missing("../shared/reference is not present")
    return {name: path.read_text(encoding="utf-8") for name, path in files.items()}


@cache
def source_keys() -> dict[str, set[str]]:
    """identifiers.md section 7: source key (S3, S3c, T1, ...) -> its URLs."""
    keys: dict[str, set[str]] = {}
    for line in reference_files()["identifiers.md"].splitlines():
        match = re.match(r"\s*-\s*\*\*([STR]\d+[a-z]?):\*\*(.*)", line)
        if match:
            keys[match.group(1)] = urls_in(match.group(2))
    return keys


@cache
def reference_rows() -> list[tuple[str, frozenset[str]]]:
    """Every markdown table row of the reference files with the URLs it cites.

    A row cites the URLs written in it and, in identifiers.md, those of the source keys it names. A row without
    a URL of its own that points back ("same", "(above)") cites the URLs of the row before it.
    """
    rows: list[tuple[str, frozenset[str]]] = []
    for name, text in reference_files().items():
        previous: frozenset[str] = frozenset()
        for line in text.splitlines():
            if not line.startswith("|") or set(line) <= {"|", "-", " "}:
                previous = frozenset() if not line.startswith("|") else previous
                continue
            cited = set(urls_in(line))
            if name == "identifiers.md":
                for key in KEY.findall(line):
                    cited |= source_keys().get(key, set())
            if not cited and ("same" in line or "(above)" in line):
                cited = set(previous)
            rows.append((line, frozenset(cited)))
            previous = frozenset(cited)
    return rows


@cache
def all_reference_urls() -> set[str]:
    urls: set[str] = set()
    for text in reference_files().values():
        urls |= urls_in(text)
    return urls


def search_tool_text(note: str | None) -> str:
    """The part of a record's note that reports a check with the search tool (empty when there is none)."""
    if not note or "search tool" not in note:
        return ""
    return note[note.index("search tool") :]


def reference_text(record) -> str:
    """The reference rows that cite one of the record's URLs, and its note's search-tool verification."""
    urls = set(record.url)
    rows = [line for line, cited in reference_rows() if cited & urls]
    return "\n".join([*rows, search_tool_text(record.note)])


@pytest.fixture(scope="module")
def records(curated):
    return {r.id: r for r in curated.records.of_kind("primary_record")}


@pytest.fixture(scope="module")
def results(curated):
    return curated.records.of_kind("result")


@pytest.fixture(scope="module")
def outcomes(curated):
    return {o.id: o for o in curated.records.of_kind("outcome")}


@pytest.fixture(scope="module")
def arms(curated):
    return {a.id: a for a in curated.records.of_kind("arm")}


@pytest.fixture(scope="module")
def studies(curated):
    return {s.id: s for s in curated.records.of_kind("study")}


def test_the_evidence_records_are_loaded(records, results, outcomes, arms):
    assert len(records) >= 40 and len(results) >= 50 and len(outcomes) >= 50 and len(arms) >= 25
    assert {value(r.verification) for r in records.values()} == {"V", "V2"}


def test_every_record_was_seen_on_the_curation_date_and_says_how_it_reports_its_study(records):
    for record in records.values():
        assert record.seen == SEEN, record.id
        if record.study:
            assert value(record.link) in {"stated", "inferred"}, record.id


def test_every_verified_record_url_is_in_the_reference_or_was_checked_with_the_search_tool(records):
    known = all_reference_urls()
    for record in records.values():
        if value(record.verification) != "V":
            continue
        for url in record.url:
            if url in known:
                continue
            note = record.note or ""
            assert "search tool" in note and url in note, (
                f"{record.id}: {url} is neither in the reference nor search-verified")


def test_every_v2_record_url_is_in_the_reference(records):
    known = all_reference_urls()
    for record in records.values():
        if value(record.verification) == "V2":
            assert set(record.url) <= known, record.id


@pytest.mark.parametrize("field", ["arm_value", "comparator_value", "estimate", "ci_low", "ci_high", "p"])
def test_every_result_number_appears_in_the_reference_text_of_its_record(records, results, field):
    checked = 0
    for result in results:
        number = getattr(result, field)
        if number is None:
            continue
        record = records[result.record]
        text = reference_text(record)
        assert text.strip(), f"{result.id}: no reference row cites a URL of {record.id}"
        seen = numbers_in(text)
        # Records state changes as magnitudes ("fell 1.3", "a 1.6-point improvement");
        # the sign is the graph's convention.
        assert any(abs(abs(number) - abs(s)) < 1e-9 for s in seen), (
            f"{result.id}: {field} {number} is not in the text for {record.id}")
        checked += 1
    assert checked > 0


def test_numbers_in_text_keep_minus_signs_and_ranges():
    assert numbers_in("\u22120.34 (95% CI \u22120.95 to 0.27); p=0.27") == {-0.34, -0.95, 0.27, 95.0}
    assert numbers_in("+2.0 kPa (95% CI 0.4-3.7)") == {2.0, 95.0, 0.4, 3.7}


def test_results_agree_with_their_outcome_arm_and_record(records, results, outcomes, arms):
    for result in results:
        study = outcomes[result.outcome].study
        for arm_id in (result.arm, result.comparator):
            if arm_id:
                assert arms[arm_id].study == study, result.id
        record = records[result.record]
        assert record.study in (None, study), f"{result.id}: record {record.id} reports {record.study}, not {study}"
        if value(result.comparison) in {"within_arm", "single_arm", "dose_response"}:
            assert value(result.direction) == "not_comparative", result.id


def test_a_v2_record_is_never_the_only_basis_of_a_finding(records, results, outcomes, studies):
    by_study: dict[str, list] = {}
    for result in results:
        by_study.setdefault(outcomes[result.outcome].study, []).append(result)
    v2_only = []
    for study_id, study_results in by_study.items():
        levels = {value(records[r.record].verification) for r in study_results}
        if value(studies[study_id].finding) in COMPARATIVE_FINDINGS:
            assert "V" in levels, f"{study_id}: its finding rests only on V2 results"
        if levels == {"V2"}:
            v2_only.append(study_id)
            assert studies[study_id].finding is None, f"{study_id}: only V2 results, so its finding must stay empty"
    assert "nct04739995" in v2_only  # INNOVA: results seen only on secondary sites


def test_a_registry_status_has_its_date_and_its_registry_record(records, studies):
    from ldngraph.core.schema import REGISTRY_STATUSES

    registry = {s.value for s in REGISTRY_STATUSES}
    checked = 0
    for study in studies.values():
        if value(study.status) not in registry:
            continue
        assert study.status_as_of, study.id
        record = records[study.status_record]
        assert value(record.record_type) == "registry_record" and value(record.verification) == "V", study.id
        assert record.study == study.id, study.id
        checked += 1
    assert checked >= 8


def test_claims_that_report_a_result_name_the_same_study(curated, results, outcomes):
    by_id = {r.id: r for r in results}
    linked = [c for c in curated.records.all_claims() if c.result]
    assert len(linked) >= 20
    for claim in linked:
        assert outcomes[by_id[claim.result].outcome].study == claim.study, claim.id


@pytest.mark.parametrize(
    ("study", "finding", "status", "status_as_of"),
    [
        ("nct04270877", "no_difference", "completed", SEEN),
        ("nct02806440", "no_difference", "completed", SEEN),
        ("nct03008590", "no_difference", "completed", SEEN),
        ("nct02965768", "no_data", "withdrawn", SEEN),
        ("nct06306157", "no_data", "not_yet_recruiting", "2024-03"),
    ],
)
def test_the_trials_the_articles_announced(studies, study, finding, status, status_as_of):
    record = studies[study]
    assert (value(record.finding), value(record.status), record.status_as_of) == (finding, status, status_as_of)


def test_final_primary_result_and_its_random_exploratory_finding(results):
    by_id = {r.id: r for r in results}
    primary = by_id["r-nct04270877-pain-nrs"]
    assert (primary.estimate, primary.ci_low, primary.ci_high, primary.p) == (-0.34, -0.95, 0.27, 0.27)
    assert value(primary.direction) == "no_difference"
    cpm = by_id["r-nct04270877-cpm"]
    assert "random finding" in cpm.note and value(cpm.direction) == "benefit"


def test_the_copenhagen_paper_is_linked_by_inference_only(records, studies):
    assert value(records["pmid-38226027"].link) == "inferred"
    assert studies["nct02806440"].pmid is None  # the PMID stays on the record, not on the registered study
