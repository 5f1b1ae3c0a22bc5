"""The verdicts, trials and "since" views on the curated graph: what a clinician reads must match the records."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ldngraph.cli.app import app
from ldngraph.sparql.answers import curated_store
from ldngraph.sparql.trials import since_article, trials
from ldngraph.sparql.verdicts import verdict


@pytest.fixture(scope="module")
def store():
    with curated_store() as opened:
        yield opened


def test_fibromyalgia_verdict_counts_the_null_trials_and_is_not_a_benefit(store) -> None:
    answer = verdict("fibromyalgia", store)
    counted = {s.study: s for s in answer.of_role("counted")}
    assert counted["nct04270877"].finding == "no_difference"
    assert counted["nct02806440"].finding == "no_difference"
    assert answer.statement != "benefit_shown"
    assert answer.n_studies == len(counted) == len(set(counted))
    assert answer.participants == sum(s.n or 0 for s in counted.values())
    final = [r for r in counted["nct04270877"].results if r.estimate is not None and r.outcome_role == "primary"]
    assert final and final[0].estimate == -0.34 and (final[0].ci_low, final[0].ci_high) == (-0.95, 0.27)


def test_fibromyalgia_verdict_keeps_the_50mg_study_apart(store) -> None:
    answer = verdict("fibromyalgia", store)
    assert "younger-2009-50mg" not in {s.study for s in answer.of_role("counted")}
    assert "younger-2009-50mg" in {s.study for s in answer.studies}


def test_verdict_cli_for_fibromyalgia_shows_numbers_reasons_and_the_articles(store) -> None:
    result = CliRunner().invoke(app, ["verdict", "fibromyalgia"])
    assert result.exit_code == 0, result.output
    assert "-0.34" in result.output and "p=0.27" in result.output
    assert "Why:" in result.output and "imprecision" in result.output
    assert "What the source articles claimed" in result.output


@pytest.mark.parametrize(
    "condition",
    ["fibromyalgia", "crohns-disease", "multiple-sclerosis", "crps", "me-cfs", "osteoarthritis",
     "major-depressive-disorder"],
)
def test_every_seed_condition_has_a_verdict_with_reasons(store, condition: str) -> None:
    answer = verdict(condition, store)
    assert answer.reasons and answer.certainty in {"very_low", "low", "moderate", "high"}


def test_uncontrolled_evidence_never_shows_benefit(store) -> None:
    for condition in ("crps", "me-cfs"):
        assert verdict(condition, store).statement == "insufficient"


def test_trials_are_one_row_each_with_the_uab_trial_withdrawn(store) -> None:
    rows = trials(store)
    ids = [r.trial for r in rows]
    assert len(ids) == len(set(ids))
    uab = next(r for r in rows if r.trial == "nct02965768")
    assert uab.status == "withdrawn" and uab.status_as_of


def test_since_article_002_follows_its_three_trials(store) -> None:
    _, _, rows = since_article("002", store)
    became = {r.study: r.became for r in rows if r.study}
    assert became["nct02965768"].startswith("superseded")
    assert "no difference" in became["nct03008590"]
    assert "no difference" in became["nct02806440"]


def test_crohns_verdict_agrees_with_the_cochrane_review_in_direction_and_certainty_band(store) -> None:
    answer = verdict("crohns-disease", store)
    assert answer.statement == "benefit_shown" and answer.certainty in ("low", "very_low")  # Cochrane: "may benefit"
    assert any(check.startswith("Cochrane") and check.endswith("agrees") for check in answer.review_checks)


def test_fibromyalgia_says_why_it_differs_from_the_meta_analyses(store) -> None:
    checks = verdict("fibromyalgia", store).review_checks
    vatvani = next(check for check in checks if check.startswith("Vatvani"))
    assert "differs" in vatvani


def test_fibromyalgia_domain_verdicts_keep_pain_apart_from_secondary_outcomes(store) -> None:
    domains = {d.domain: d for d in verdict("fibromyalgia", store).domains}
    assert domains["pain"].n_studies == 3 and domains["pain"].statement != "benefit_shown"
    assert domains["fatigue"].statement == "no_benefit_shown"
    mood = domains["mood"]
    assert mood.certainty == "very_low" and any("secondary outcomes only" in r for r in mood.reasons)


def test_arthritis_and_depression_show_no_benefit(store) -> None:
    assert verdict("osteoarthritis", store).statement == "no_benefit_shown"
    assert verdict("major depressive disorder", store).statement == "no_benefit_shown"


def test_trials_name_the_stanford_trial_as_announced_without_registration(store) -> None:
    stanford = next(r for r in trials(store) if r.trial == "stanford-crps-trial")
    assert stanford.note == "reported by article 000; no registration found"


def test_overdue_lists_only_trials_ended_a_year_ago_without_results(store) -> None:
    import datetime as dt

    late = trials(store, as_of=dt.date(2026, 12, 2), overdue=True)
    assert all(r.overdue and not (r.results_posted or r.published) for r in late)
    assert "nct04270877" not in {r.trial for r in late}  # FINAL published in 2023


@pytest.mark.parametrize(
    "condition", ["fibromyalgia", "multiple-sclerosis", "crohns-disease", "crps", "major-depressive-disorder"]
)
def test_counts_are_the_independent_ldn_studies_each_once(store, condition: str) -> None:
    answer = verdict(condition, store)
    counted = answer.of_role("counted")
    assert answer.n_studies == len(counted) == len({s.study for s in counted})
    assert answer.participants == sum(s.n or 0 for s in counted)
    assert not {s.design for s in counted} & {"review", "systematic_review", "meta_analysis"}
    assert not {s.study for s in counted} & {s.study for s in answer.of_role("shown apart")}


def test_other_dose_bands_and_combinations_are_shown_apart(store) -> None:
    ibs = verdict("irritable-bowel-syndrome", store)
    assert "kariv-2006" in {s.study for s in ibs.of_role("shown apart")}  # 0.5 mg: very low dose
    pancreatic = verdict("pancreatic-cancer", store)
    assert not pancreatic.of_role("counted")  # IV alpha-lipoic acid + LDN is a combination protocol


@pytest.mark.parametrize(
    ("condition", "study", "expected"),
    [
        ("fibromyalgia", "younger-2013", {"arm_value": 28.8, "comparator_value": 18.0, "p": 0.016}),
        ("crohns-disease", "smith-2011", {"arm_value": 88.0, "comparator_value": 40.0}),
        ("multiple-sclerosis", "cree-2010", {"estimate": 3.3}),
        ("major-depressive-disorder", "mischoulon-2017", {"p": 0.3}),
        ("fibromyalgia", "bruun-plesner-2020", {"estimate": 3.88, "estimate_kind": "ED50"}),
    ],
)
def test_the_cited_studies_results_are_numbers_by_outcome(store, condition: str, study: str, expected) -> None:
    from ldngraph.sparql.verdicts import outcomes_for_condition

    rows = [r for r in outcomes_for_condition(condition, store) if r.study == study]
    assert any(all(getattr(r, k) == v for k, v in expected.items()) for r in rows), rows


def test_no_literal_in_the_build_is_a_python_enum_repr(store) -> None:
    import re

    text = "SELECT DISTINCT ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }"
    found = [row[0].value for row in store.execute(text).rows]
    assert found and not [v for v in found if re.fullmatch(r"[A-Z][A-Za-z]+\.[a-z_]+", v)]
