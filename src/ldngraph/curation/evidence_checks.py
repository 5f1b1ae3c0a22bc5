"""Checks across the evidence records: arms within their study, results within their outcome, numbers that agree.

Each problem names the file and line of the record at fault (codes in docs/curation.md).
"""

from __future__ import annotations

from ldngraph.core.evidence_schema import COMPARATIVE, Arm, Outcome, Result
from ldngraph.core.problems import Problem
from ldngraph.core.schema import DoseRegimen, Study
from ldngraph.curation.records import Located, Records


def _arm_problems(records: Records, item: Located) -> list[Problem]:
    arm = item.record
    assert isinstance(arm, Arm)
    problems = []
    study = records.nodes.get(arm.study)
    if study is not None and isinstance(study.record, Study):
        n = study.record.n_enrolled
        for field_name in ("n_randomised", "n_analysed"):
            value = getattr(arm, field_name)
            if n is not None and value is not None and value > n:
                problems.append(item.problem("arm-exceeds-study",
                                         f"{field_name} {value} is above study {arm.study}'s n_enrolled {n}"))
    regimen = records.nodes.get(arm.regimen or "")
    if regimen is not None and isinstance(regimen.record, DoseRegimen) and regimen.record.combination:
        if arm.therapy.value != "combination":
            problems.append(item.problem(
                "combination-as-monotherapy",
                f"regimen {arm.regimen} combines naltrexone with {', '.join(regimen.record.combination)}: "
                f"therapy must be combination, not {arm.therapy.value}"))
    return problems


def _direction_against_better(result: Result, outcome: Outcome) -> str | None:
    """A benefit/harm direction whose sign disagrees with which way of the measure is better."""
    if result.comparison not in COMPARATIVE or result.direction.value not in ("benefit", "harm"):
        return None
    if result.estimate is not None and "ratio" not in (result.estimate_kind or "").lower():
        difference = result.estimate
    elif result.arm_value is not None and result.comparator_value is not None:
        difference = result.arm_value - result.comparator_value
    else:
        return None
    if difference == 0:
        return None
    favours_arm = (difference > 0) == (outcome.better.value == "higher")
    if favours_arm != (result.direction.value == "benefit"):
        return (f"direction {result.direction.value} disagrees with the numbers: the difference {difference:g} "
                f"favours {'naltrexone' if favours_arm else 'the comparator'} when {outcome.better.value} is better")
    return None


def _result_problems(records: Records, item: Located) -> list[Problem]:
    result = item.record
    assert isinstance(result, Result)
    problems = []
    outcome_item = records.nodes.get(result.outcome)
    if outcome_item is None or not isinstance(outcome_item.record, Outcome):
        return problems
    outcome = outcome_item.record
    for field_name in ("arm", "comparator"):
        arm_id = getattr(result, field_name)
        arm = records.nodes.get(arm_id or "")
        if arm is not None and isinstance(arm.record, Arm) and arm.record.study != outcome.study:
            problems.append(item.problem("arm-of-another-study",
                                     f"{field_name} {arm_id} belongs to study {arm.record.study}, "
                                     f"not to {outcome.study}, whose outcome this is"))
    if result.comparison.value == "between_groups" and not (result.arm and result.comparator):
        problems.append(item.problem("comparison-without-arms",
                                 "a between_groups result names its arm and its comparator arm"))
    mismatch = _direction_against_better(result, outcome)
    if mismatch:
        problems.append(item.problem("direction-against-numbers", mismatch))
    return problems


def _claim_n_problems(records: Records, item: Located) -> list[Problem]:
    """A claim's stated n that matches none of its study's figures, with no discrepancy recorded."""
    claim = item.record
    study = records.nodes.get(getattr(claim, "study", None) or "")
    n = getattr(claim, "n", None)
    if study is None or not isinstance(study.record, Study) or n is None or getattr(claim, "discrepancy", None):
        return []
    figures = {study.record.n_enrolled, study.record.n_analysed, study.record.target_enrolment} - {None}
    if not figures or n in figures:
        return []
    return [item.problem("n-differs-from-record",
                     f"the claim states n = {n} but study {study.record.id}'s record gives "
                     f"{', '.join(str(f) for f in sorted(figures))}: set discrepancy (e.g. misreported_number) "
                     "and primary_says")]


def check_evidence_records(records: Records) -> list[Problem]:
    """Every cross-record problem of arms, results and claims' numbers (own fields are checked when read)."""
    problems: list[Problem] = []
    for item in records.claims:
        problems.extend(_claim_n_problems(records, item))
    for item in sorted(records.nodes.values(), key=lambda x: (x.file, x.line)):
        if isinstance(item.record, Arm):
            problems.extend(_arm_problems(records, item))
        elif isinstance(item.record, Result):
            problems.extend(_result_problems(records, item))
    return problems
