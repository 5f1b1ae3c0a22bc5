"""The study model: designs, statuses, the evidence ladder and the fields of a study's primary record."""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated, ClassVar

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from ldngraph.core.evidence_schema import check_partial_date
from ldngraph.core.record_base import (
    CURIE_PATTERN,
    MultiValue,
    Node,
    Optional,
    OptionalInt,
    _empty_to_none,
)


class EvidenceLevel(str, Enum):
    """The evidence ladder, strongest first; the rank is the position (1 = best)."""

    rct = "rct"
    controlled = "controlled"
    uncontrolled = "uncontrolled"
    case_report = "case_report"
    review = "review"
    animal = "animal"
    in_vitro = "in_vitro"
    established_pharmacology = "established_pharmacology"
    mechanism_hypothesis = "mechanism_hypothesis"
    anecdote = "anecdote"
    author_statement = "author_statement"

    @property
    def rank(self) -> int:
        """Position on the ladder, 1 for the strongest evidence."""
        return list(EvidenceLevel).index(self) + 1

    @property
    def is_clinical(self) -> bool:
        """Whether this level comes from people (trials, cohorts, case reports, reviews of them)."""
        return self.rank <= 5


LEVEL_LABELS: dict[EvidenceLevel, str] = {
    EvidenceLevel.rct: "randomised controlled trial",
    EvidenceLevel.controlled: "controlled, non-randomised study",
    EvidenceLevel.uncontrolled: "open-label pilot, cohort or case series",
    EvidenceLevel.case_report: "case report",
    EvidenceLevel.review: "narrative review of clinical studies",
    EvidenceLevel.animal: "animal study",
    EvidenceLevel.in_vitro: "in vitro study",
    EvidenceLevel.established_pharmacology: "established pharmacology (drug label or textbook, with a reference)",
    EvidenceLevel.mechanism_hypothesis: "mechanism hypothesis",
    EvidenceLevel.anecdote: "anecdote",
    EvidenceLevel.author_statement: "author statement, no study cited",
}


class StudyDesign(str, Enum):
    """Study designs; each maps to the best evidence level it can give."""

    randomised_controlled_trial = "randomised_controlled_trial"
    randomised_crossover_trial = "randomised_crossover_trial"
    controlled_non_randomised = "controlled_non_randomised"
    register_based_controlled = "register_based_controlled"
    open_label_pilot = "open_label_pilot"
    prospective_cohort = "prospective_cohort"
    dose_finding = "dose_finding"
    case_series = "case_series"
    case_report = "case_report"
    animal_study = "animal_study"
    in_vitro_study = "in_vitro_study"
    review = "review"
    systematic_review = "systematic_review"
    meta_analysis = "meta_analysis"
    announced_trial = "announced_trial"
    unknown = "unknown"


DESIGN_LEVEL: dict[StudyDesign, EvidenceLevel | None] = {
    StudyDesign.randomised_controlled_trial: EvidenceLevel.rct,
    StudyDesign.randomised_crossover_trial: EvidenceLevel.rct,
    StudyDesign.controlled_non_randomised: EvidenceLevel.controlled,
    StudyDesign.register_based_controlled: EvidenceLevel.controlled,
    StudyDesign.open_label_pilot: EvidenceLevel.uncontrolled,
    StudyDesign.prospective_cohort: EvidenceLevel.uncontrolled,
    StudyDesign.dose_finding: EvidenceLevel.uncontrolled,
    StudyDesign.case_series: EvidenceLevel.uncontrolled,
    StudyDesign.case_report: EvidenceLevel.case_report,
    StudyDesign.animal_study: EvidenceLevel.animal,
    StudyDesign.in_vitro_study: EvidenceLevel.in_vitro,
    StudyDesign.review: EvidenceLevel.review,
    StudyDesign.systematic_review: EvidenceLevel.review,
    StudyDesign.meta_analysis: EvidenceLevel.review,
    StudyDesign.announced_trial: None,
    StudyDesign.unknown: None,
}


#: Designs that are evidence about other studies: never counted as an independent study.
REVIEW_DESIGNS = frozenset({StudyDesign.review, StudyDesign.systematic_review, StudyDesign.meta_analysis})


class StudyStatus(str, Enum):
    """Where a study stands (registry statuses carry the date they were true: ``status_as_of``)."""

    published = "published"
    completed = "completed"
    not_yet_recruiting = "not_yet_recruiting"
    recruiting = "recruiting"
    active_not_recruiting = "active_not_recruiting"
    terminated = "terminated"
    suspended = "suspended"
    withdrawn = "withdrawn"
    unknown = "unknown"


#: Statuses read from a registry: each must say when it was seen to be true.
REGISTRY_STATUSES = frozenset(
    {
        StudyStatus.completed,
        StudyStatus.not_yet_recruiting,
        StudyStatus.recruiting,
        StudyStatus.active_not_recruiting,
        StudyStatus.terminated,
        StudyStatus.suspended,
        StudyStatus.withdrawn,
    }
)


class Blinding(str, Enum):
    """Who was masked to the allocation."""

    double_blind = "double_blind"
    single_blind = "single_blind"
    open_label = "open_label"
    not_applicable = "not_applicable"


class Control(str, Enum):
    """What the naltrexone arm was compared with."""

    placebo = "placebo"
    active = "active"
    healthy_controls = "healthy_controls"
    before_after = "before_after"
    none = "none"


class Finding(str, Enum):
    """What the study's own record shows for its main outcome (not what an article says it shows)."""

    benefit = "benefit"
    no_difference = "no_difference"
    mixed = "mixed"
    harm = "harm"
    uncertain = "uncertain"
    no_data = "no_data"


OptionalBlinding = Annotated[Blinding | None, BeforeValidator(_empty_to_none)]
OptionalControl = Annotated[Control | None, BeforeValidator(_empty_to_none)]
OptionalFinding = Annotated[Finding | None, BeforeValidator(_empty_to_none)]


class Study(Node):
    """A study, trial, case report or review, with the facts of its primary record.

    The attributes here come from the primary record (the paper or the registry entry named
    in ``primary_record``), never from the articles; what the articles say about a study is
    in claims.tsv.
    """

    kind: ClassVar[str] = "study"
    file_name: ClassVar[str] = "studies.tsv"
    reference_fields: ClassVar[dict[str, tuple[str, ...]]] = {
        "regimens": ("dose_regimen",),
        "conditions": ("condition",),
        "organisations": ("organisation",),
        "covers": ("study",),
        "status_record": ("primary_record",),
    }

    first_author: Optional = Field(default=None, description="Family name of the first author.")
    year: OptionalInt = Field(default=None, ge=1900, le=2100, description="Year of publication or start.")
    title: Optional = Field(default=None, description="Title of the paper or registry record.")
    journal: Optional = Field(default=None, description="Journal, volume and pages.")
    design: StudyDesign = Field(description="Study design (controlled values in schema.StudyDesign).")
    status: StudyStatus = Field(description="published, completed, recruiting, suspended, withdrawn, unknown.")
    species: str = Field(default="human", description="human, mouse, ...")
    population: Optional = Field(default=None, description="Who was studied.")
    n_enrolled: OptionalInt = Field(default=None, ge=0, description="Participants enrolled or randomised.")
    n_analysed: OptionalInt = Field(default=None, ge=0, description="Participants analysed or completing.")
    arms: Optional = Field(default=None, description="Arms or comparison, e.g. 'LDN vs placebo, crossover'.")
    regimens: MultiValue = Field(default_factory=list, description="Ids of the dose regimens tested.")
    duration: Optional = Field(default=None, description="Treatment duration.")
    conditions: MultiValue = Field(default_factory=list, description="Ids of the conditions studied.")
    organisations: MultiValue = Field(default_factory=list, description="Ids of the organisations that ran it.")
    result: Optional = Field(default=None, description="Main result as the primary record states it.")
    pmid: Optional = Field(default=None, description="PubMed id (digits), only when verified.")
    pmcid: Optional = Field(default=None, description="PubMed Central id (PMC...), only when verified.")
    doi: Optional = Field(default=None, description="DOI (10....), only when verified.")
    nct: Optional = Field(default=None, description="ClinicalTrials.gov id (NCT........), only when verified.")
    primary_record: Optional = Field(
        default=None, description="CURIE of the record the attributes come from (PMID:..., NCT:..., DOI:...)."
    )
    blinding: OptionalBlinding = Field(default=None, description="double_blind, single_blind, open_label.")
    control: OptionalControl = Field(default=None, description="placebo, active, healthy_controls, before_after, none.")
    finding: OptionalFinding = Field(
        default=None, description="What the study's record shows for its main outcome: benefit, no_difference, ..."
    )
    registrations: MultiValue = Field(
        default_factory=list, description="Other registry ids (EudraCT 2019-000702-30, ACTRN..., NL9259)."
    )
    target_enrolment: OptionalInt = Field(default=None, ge=0, description="Planned enrolment in the registry.")
    status_as_of: Optional = Field(default=None, description="Date the status was seen true: 2024-03-01, 2024-03.")
    status_record: Optional = Field(default=None, description="Id of the primary record the status was read from.")
    start_date: Optional = Field(default=None, description="Start (2021-01-06, 2021-01 or 2021).")
    completion_date: Optional = Field(default=None, description="Primary completion (actual or estimated).")
    results_posted: Optional = Field(default=None, description="Date results were posted on the registry.")
    published: Optional = Field(default=None, description="Date of the main publication of results.")
    search_date: Optional = Field(default=None, description="For reviews: the date the literature was searched to.")
    covers: MultiValue = Field(default_factory=list, description="For reviews: ids of the studies it includes.")
    note: Optional = Field(default=None, description="Curator note.")

    @field_validator("start_date", "completion_date", "results_posted", "published", "search_date", "status_as_of")
    @classmethod
    def _partial_dates(cls, value: str | None, info: ValidationInfo) -> str | None:
        return check_partial_date(value, info.field_name or "date")

    @model_validator(mode="after")
    def _registry_status_dated(self) -> Study:
        if self.status in REGISTRY_STATUSES and self.status_as_of is None:
            raise ValueError(f"status {self.status.value} needs status_as_of: the date it was seen to be true")
        if self.id in self.covers:
            raise ValueError(f"review {self.id} cannot cover itself")
        return self

    @field_validator("pmid")
    @classmethod
    def _pmid_digits(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"\d{1,9}", value):
            raise ValueError(f"pmid {value!r} must be digits only, e.g. 23359310")
        return value

    @field_validator("pmcid")
    @classmethod
    def _pmcid_form(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"PMC\d+", value):
            raise ValueError(f"pmcid {value!r} must look like PMC3962576")
        return value

    @field_validator("doi")
    @classmethod
    def _doi_form(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"10\.\d{4,9}/\S+", value):
            raise ValueError(f"doi {value!r} must look like 10.1002/art.37734")
        return value

    @field_validator("nct")
    @classmethod
    def _nct_form(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"NCT\d{8}", value):
            raise ValueError(f"nct {value!r} must look like NCT00568555")
        return value

    @field_validator("primary_record")
    @classmethod
    def _primary_record_curie(cls, value: str | None) -> str | None:
        if value is not None and not CURIE_PATTERN.match(value):
            raise ValueError(f"primary_record {value!r} must be a CURIE such as PMID:23359310")
        return value
