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
