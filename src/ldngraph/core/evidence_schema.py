"""The evidence records: primary records, study arms, outcomes and results.

Modelled on ClinicalTrials.gov's results data (arms/groups, outcome measures, analyses), the PICO
ontology's population/intervention/comparator/outcome split and Biolink's Study and StudyResult
(decision 0013). Every fact here comes from a primary record (``primary_records.tsv``): a journal
abstract, a registry record, a systematic review or a research portal, with the URL where it was
seen and the date it was seen. Nothing here comes from the five source articles: what they say is
in ``claims.tsv``.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated, ClassVar

from pydantic import BeforeValidator, Field, field_validator, model_validator

from ldngraph.core.record_base import (
    DATE_PATTERN,
    MultiValue,
    Node,
    Optional,
    OptionalFloat,
    OptionalInt,
    _empty_to_none,
)

#: A date as precise as it is known: 2023, 2023-12 or 2023-12-05.
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
#: A publication date, or a bound where only that is known: "not before 2017", "not after 2021-06".
DATE_OR_BOUND = re.compile(r"^((not before|not after) )?\d{4}(-\d{2}(-\d{2})?)?$")


def check_partial_date(value: str | None, field_name: str) -> str | None:
    """Raise a ValueError naming the field unless the value is empty or a date such as 2023, 2023-12, 2023-12-05."""
    if value is not None and not PARTIAL_DATE.match(value):
        raise ValueError(f"{field_name} {value!r} must be a date such as 2023-12-05, 2023-12 or 2023")
    return value


class RecordType(str, Enum):
    """What kind of primary record a fact was read from."""

    journal_article = "journal_article"
    registry_record = "registry_record"
    systematic_review = "systematic_review"
    research_portal = "research_portal"


class LinkStrength(str, Enum):
    """How a record is known to report a study: the id is stated in it, or the link is inferred from matching facts."""

    stated = "stated"
    inferred = "inferred"


class Verification(str, Enum):
    """[V]: seen in a primary or bibliographic record; [V2]: seen only in a secondary source, a lead."""

    V = "V"
    V2 = "V2"


class ArmRole(str, Enum):
    """What an arm (group) of a study is for."""

    experimental = "experimental"
    placebo = "placebo"
    active_comparator = "active_comparator"
    no_treatment = "no_treatment"
    healthy_controls = "healthy_controls"


class Therapy(str, Enum):
    """How the arm's naltrexone was given: alone, added to named background therapy, or in a combination protocol."""

    monotherapy = "monotherapy"
    add_on = "add_on"
    combination = "combination"
    not_applicable = "not_applicable"


class OutcomeDomain(str, Enum):
    """The domain an outcome measures; verdicts are given per condition and domain."""

    pain = "pain"
    pain_sensitivity = "pain_sensitivity"
    fatigue = "fatigue"
    sleep = "sleep"
    mood = "mood"
    quality_of_life = "quality_of_life"
    function = "function"
    global_impression = "global_impression"
    symptom_severity = "symptom_severity"
    disease_activity = "disease_activity"
    remission = "remission"
    endoscopic_response = "endoscopic_response"
    medication_use = "medication_use"
    cognition = "cognition"
    safety = "safety"
    dose_response = "dose_response"


class OutcomeRole(str, Enum):
    """Where an outcome stands in its study's plan."""

    primary = "primary"
    co_primary = "co_primary"
    secondary = "secondary"
    exploratory = "exploratory"


class Better(str, Enum):
    """Which way of the measure is better for the patient."""

    higher = "higher"
    lower = "lower"


class Comparison(str, Enum):
    """What a result compares: two groups, one arm before and after, a pooled estimate, a dose-response fit."""

    between_groups = "between_groups"
    within_arm = "within_arm"
    single_arm = "single_arm"
    pooled = "pooled"
    dose_response = "dose_response"


#: Comparisons that can show benefit or harm; the others only describe change in one group.
COMPARATIVE = frozenset({Comparison.between_groups, Comparison.pooled})


class ResultDirection(str, Enum):
    """What a result shows, derived from its numbers: benefit, no difference shown, harm, or not a comparison."""

    benefit = "benefit"
    no_difference = "no_difference"
    harm = "harm"
    not_comparative = "not_comparative"


OptionalLink = Annotated[LinkStrength | None, BeforeValidator(_empty_to_none)]
OptionalUnitInterval = Annotated[float | None, BeforeValidator(_empty_to_none)]


class PrimaryRecord(Node):
    """A primary record the graph's facts were read from: journal abstract, registry record, review, portal."""

    kind: ClassVar[str] = "primary_record"
    file_name: ClassVar[str] = "primary_records.tsv"
    reference_fields: ClassVar[dict[str, tuple[str, ...]]] = {"study": ("study",)}

    record_type: RecordType = Field(description="journal_article, registry_record, systematic_review, research_portal.")
    study: Optional = Field(default=None, description="Id of the study (or review) this record reports.")
    link: OptionalLink = Field(
        default=None, description="stated (the id is in the record) or inferred (matching facts); needed with study."
    )
    pmid: Optional = Field(default=None, description="PubMed id, when seen.")
    doi: Optional = Field(default=None, description="DOI, when seen.")
    registry_id: Optional = Field(default=None, description="Registry id (NCT..., EudraCT ..., ACTRN...), when seen.")
    published: Optional = Field(default=None, description="Publication or posting date, or a bound: 'not before 2017'.")
    url: MultiValue = Field(min_length=1, description="The URLs where the facts were seen, separated by '|'.")
    seen: str = Field(description="ISO date the facts were recorded as seen at those URLs.")
    verification: Verification = Field(description="V (primary or bibliographic record) or V2 (secondary: a lead).")
    note: Optional = Field(default=None, description="Curator note.")

    @field_validator("url")
    @classmethod
    def _urls(cls, values: list[str]) -> list[str]:
        for value in values:
            if not re.match(r"^https?://\S+$", value):
                raise ValueError(f"url {value!r} must be an http(s) URL")
        return values

    @field_validator("seen")
    @classmethod
    def _seen_date(cls, value: str) -> str:
        if not DATE_PATTERN.match(value):
            raise ValueError(f"seen {value!r} must be an ISO date such as 2026-12-02")
        return value

    @field_validator("published")
    @classmethod
    def _published(cls, value: str | None) -> str | None:
        if value is not None and not DATE_OR_BOUND.match(value):
            raise ValueError(f"published {value!r} must be a date (2023-12-05, 2023-12, 2023) or 'not before 2017'")
        return value

    @model_validator(mode="after")
    def _link_with_study(self) -> PrimaryRecord:
        if self.study and self.link is None:
            raise ValueError(f"record {self.id} names study {self.study} but no link strength (stated or inferred)")
        return self


class Arm(Node):
    """One arm (group) of a study: its regimen, how it was given, and how many took part."""

    kind: ClassVar[str] = "arm"
    file_name: ClassVar[str] = "arms.tsv"
    reference_fields: ClassVar[dict[str, tuple[str, ...]]] = {
        "study": ("study",),
        "regimen": ("dose_regimen",),
        "record": ("primary_record",),
    }

    study: str = Field(description="Id of the study.")
    role: ArmRole = Field(description="experimental, placebo, active_comparator, no_treatment, healthy_controls.")
    regimen: Optional = Field(default=None, description="Id of the dose regimen given (empty for placebo).")
    therapy: Therapy = Field(description="monotherapy, add_on, combination or not_applicable.")
    background: Optional = Field(default=None, description="Background therapy the arm kept, for add-on arms.")
    n_randomised: OptionalInt = Field(default=None, ge=0, description="Participants randomised (or allocated).")
    n_analysed: OptionalInt = Field(default=None, ge=0, description="Participants analysed.")
    record: Optional = Field(default=None, description="Id of the primary record the numbers come from.")


class Outcome(Node):
    """An outcome measure of a study: what was measured, in which domain, when, and its rank in the plan."""

    kind: ClassVar[str] = "outcome"
    file_name: ClassVar[str] = "outcomes.tsv"
    reference_fields: ClassVar[dict[str, tuple[str, ...]]] = {"study": ("study",), "record": ("primary_record",)}

    study: str = Field(description="Id of the study (or review) that measured it.")
    measure: str = Field(min_length=2, description="The instrument, e.g. 'NRS 0-10 pain intensity', 'CDAI'.")
    domain: OutcomeDomain = Field(description="pain, fatigue, sleep, mood, quality_of_life, remission, ...")
    timepoint: Optional = Field(default=None, description="When, e.g. '12 weeks'.")
    role: OutcomeRole = Field(description="primary, co_primary, secondary or exploratory.")
    better: Better = Field(description="higher or lower: which way is better for the patient.")
    record: Optional = Field(default=None, description="Id of the primary record that names the outcome.")


class Result(Node):
    """A result of one outcome: arm values and/or a between-group estimate with CI and p, from a primary record."""

    kind: ClassVar[str] = "result"
    file_name: ClassVar[str] = "results.tsv"
    reference_fields: ClassVar[dict[str, tuple[str, ...]]] = {
        "outcome": ("outcome",),
        "arm": ("arm",),
        "comparator": ("arm",),
        "record": ("primary_record",),
    }

    outcome: str = Field(description="Id of the outcome.")
    comparison: Comparison = Field(description="between_groups, within_arm, single_arm, pooled or dose_response.")
    arm: Optional = Field(default=None, description="Id of the (naltrexone) arm.")
    comparator: Optional = Field(default=None, description="Id of the comparator arm, for between_groups.")
    arm_value: OptionalFloat = Field(default=None, description="The arm's value, in unit.")
    comparator_value: OptionalFloat = Field(default=None, description="The comparator arm's value, in unit.")
    estimate: OptionalFloat = Field(default=None, description="Effect estimate (arm minus comparator, or pooled).")
    estimate_kind: Optional = Field(
        default=None, description="mean difference, median difference, SMD, risk ratio, ED50 ('ratio': null is 1)."
    )
    unit: Optional = Field(default=None, description="Unit of the values, e.g. 'NRS points', '% of patients'.")
    ci_low: OptionalFloat = Field(default=None, description="Lower bound of the 95% confidence interval.")
    ci_high: OptionalFloat = Field(default=None, description="Upper bound of the 95% confidence interval.")
    p: OptionalUnitInterval = Field(default=None, description="p value, between 0 and 1.")
    p_qualifier: Optional = Field(default=None, description="'<' when the record gives p below a bound.")
    direction: ResultDirection = Field(description="benefit, no_difference, harm or not_comparative.")
    record: str = Field(description="Id of the primary record the numbers were read from.")
    locator: Optional = Field(default=None, max_length=160, description="Where in the record: a short phrase.")
    note: Optional = Field(default=None, description="Curator note.")

    @field_validator("p")
    @classmethod
    def _p_in_unit_interval(cls, value: float | None) -> float | None:
        if value is not None and not 0 <= value <= 1:
            raise ValueError(f"p {value} must be between 0 and 1")
        return value

    @field_validator("p_qualifier")
    @classmethod
    def _qualifier(cls, value: str | None) -> str | None:
        if value is not None and value not in {"<", ">", "="}:
            raise ValueError(f"p_qualifier {value!r} must be '<', '>' or '='")
        return value

    @model_validator(mode="after")
    def _numbers_agree(self) -> Result:
        for problem in result_number_problems(self):
            raise ValueError(problem)
        return self


def null_value(estimate_kind: str | None) -> float:
    """The value of no effect for an estimate: 1 for ratios, 0 for differences."""
    return 1.0 if estimate_kind and "ratio" in estimate_kind.lower() else 0.0


def result_number_problems(result: Result) -> list[str]:
    """What in a result's own numbers contradicts itself: CI order, estimate outside CI, direction against CI or p."""
    problems: list[str] = []
    low, high, estimate = result.ci_low, result.ci_high, result.estimate
    if (low is None) != (high is None):
        problems.append("a confidence interval needs both ci_low and ci_high")
    if low is not None and high is not None:
        if low > high:
            problems.append(f"ci_low {low} is above ci_high {high}")
        elif estimate is not None and not low <= estimate <= high:
            problems.append(f"the CI {low} to {high} does not contain its estimate {estimate}")
    comparative = result.comparison in COMPARATIVE
    if not comparative and result.direction is not ResultDirection.not_comparative:
        problems.append(
            f"a {result.comparison.value} result compares no groups: its direction must be not_comparative, "
            f"not {result.direction.value}"
        )
    if comparative and result.direction is ResultDirection.not_comparative:
        problems.append(f"a {result.comparison.value} result needs a direction: benefit, no_difference or harm")
    if comparative and low is not None and high is not None and low <= high:
        null = null_value(result.estimate_kind)
        crosses = low <= null <= high
        if crosses and result.direction in (ResultDirection.benefit, ResultDirection.harm):
            problems.append(f"the CI {low} to {high} includes no effect ({null:g}), so the direction cannot be "
                            f"{result.direction.value}")
        if not crosses and result.direction is ResultDirection.no_difference:
            problems.append(f"the CI {low} to {high} excludes no effect ({null:g}), so the direction cannot be "
                            "no_difference")
    if comparative and result.p is not None and result.p_qualifier != "<":
        if result.p >= 0.05 and result.direction in (ResultDirection.benefit, ResultDirection.harm):
            problems.append(f"p = {result.p:g} shows no difference: the direction cannot be {result.direction.value}")
    if comparative and result.p is not None and result.p < 0.05 and result.direction is ResultDirection.no_difference:
        problems.append(f"p = {result.p:g} is below 0.05, so the direction cannot be no_difference")
    return problems

