"""The record schema: node kinds, controlled values and one typed model per curated file.

Every curated TSV file under ``graph/records/`` holds one kind of record; its columns are the
fields of the model below, in the order given here (the canonical column order that
``ldngraph lint`` writes).
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
CURIE_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.]*:[^\s|]+$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class EvidenceLevel(str, Enum):
    """The evidence ladder, strongest first; the rank is the position (1 = best)."""

    rct = "rct"
    controlled = "controlled"
    uncontrolled = "uncontrolled"
    case_report = "case_report"
    review = "review"
    animal = "animal"
    in_vitro = "in_vitro"
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
    EvidenceLevel.mechanism_hypothesis: "mechanism hypothesis",
    EvidenceLevel.anecdote: "anecdote",
    EvidenceLevel.author_statement: "author statement, no study cited",
}


class Direction(str, Enum):
    """What a claim's evidence says about its statement."""

    supports = "supports"
    no_effect = "no_effect"
    mixed = "mixed"
    contradicts = "contradicts"


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
    StudyDesign.unknown: None,
}


class StudyStatus(str, Enum):
    """Where a study stands."""

    published = "published"
    completed = "completed"
    recruiting = "recruiting"
    suspended = "suspended"
    withdrawn = "withdrawn"
    unknown = "unknown"


class ClaimStatus(str, Enum):
    """Whether the graph asserts a claim or only records that a source made it."""

    asserted = "asserted"
    disputed = "disputed"


class Discrepancy(str, Enum):
    """How an article's claim departs from the primary record of the study it cites."""

    overstated = "overstated"
    misreported_number = "misreported_number"
    misreported_dose = "misreported_dose"
    misattributed = "misattributed"
    unverified = "unverified"
    wrong_condition = "wrong_condition"
    omits_regimen = "omits_regimen"


class DoseBand(str, Enum):
    """Naltrexone dose bands."""

    ultra_low = "ultra_low"
    very_low = "very_low"
    low = "low"
    standard = "standard"
    not_applicable = "not_applicable"


def _split_multi(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split("|") if part.strip()]
    return value


def _empty_to_none(value: object) -> object:
    if isinstance(value, str) and value.strip() == "":
        return None
    return value


MultiValue = Annotated[list[str], BeforeValidator(_split_multi)]
Optional = Annotated[str | None, BeforeValidator(_empty_to_none)]
OptionalInt = Annotated[int | None, BeforeValidator(_empty_to_none)]
OptionalFloat = Annotated[float | None, BeforeValidator(_empty_to_none)]
OptionalLevel = Annotated[EvidenceLevel | None, BeforeValidator(_empty_to_none)]
OptionalDiscrepancy = Annotated[Discrepancy | None, BeforeValidator(_empty_to_none)]


class Record(BaseModel):
    """Fields every curated record has."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    kind: ClassVar[str] = ""
    file_name: ClassVar[str] = ""
    reference_fields: ClassVar[dict[str, tuple[str, ...]]] = {}

    id: str = Field(description="Stable identifier, lower case letters, digits, '.', '_' and '-'.")

    @field_validator("id")
    @classmethod
    def _id_is_slug(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError(
                f"id {value!r} must be lower case letters, digits, '.', '_' or '-', starting with a letter or digit"
            )
        return value


class Node(Record):
    """Fields every node record has."""

    name: str = Field(min_length=1, description="Human-readable label.")
    synonyms: MultiValue = Field(default_factory=list, description="Other names, separated by '|'.")
    xrefs: MultiValue = Field(
        default_factory=list,
        description="Verified identifiers as CURIEs (e.g. CHEBI:7465), separated by '|'. Never guessed.",
    )
    description: Optional = Field(default=None, description="One or two sentences in the project's own words.")

    @field_validator("xrefs")
    @classmethod
    def _xrefs_are_curies(cls, values: list[str]) -> list[str]:
        for value in values:
            if not CURIE_PATTERN.match(value):
                raise ValueError(f"xref {value!r} is not a CURIE such as CHEBI:7465")
        return values


class Drug(Node):
    """A drug or chemical (naltrexone, naloxone, the opioid agonists, alpha-lipoic acid, ...)."""

    kind: ClassVar[str] = "drug"
    file_name: ClassVar[str] = "drugs.tsv"

    role: Optional = Field(default=None, description="Pharmacological role, e.g. 'opioid antagonist'.")


class DoseRegimen(Node):
    """A dose regimen of a drug: amount, band, schedule, route and formulation."""

    kind: ClassVar[str] = "dose_regimen"
    file_name: ClassVar[str] = "dose_regimens.tsv"
    reference_fields: ClassVar[dict[str, tuple[str, ...]]] = {"drug": ("drug",)}

    drug: str = Field(description="Id of the drug given.")
    band: DoseBand = Field(description="Dose band: ultra_low, very_low, low, standard or not_applicable.")
    dose_min: OptionalFloat = Field(default=None, ge=0, description="Lowest dose, in dose_unit.")
    dose_max: OptionalFloat = Field(default=None, ge=0, description="Highest dose, in dose_unit.")
    dose_typical: OptionalFloat = Field(default=None, ge=0, description="Typical dose, in dose_unit.")
    dose_unit: Optional = Field(default=None, description="Unit of the doses: mg, ug, mg/kg.")
    schedule: Optional = Field(default=None, description="When it is taken, e.g. 'once daily at bedtime'.")
    route: Optional = Field(default=None, description="oral, intravenous, intraperitoneal, ...")
    formulation: Optional = Field(default=None, description="e.g. 'compounded immediate-release capsule'.")
    species: Optional = Field(default=None, description="human, mouse, ... when not human.")


class Protein(Node):
    """A receptor or other protein."""

    kind: ClassVar[str] = "protein"
    file_name: ClassVar[str] = "proteins.tsv"

    gene_symbol: Optional = Field(default=None, description="HGNC gene symbol, when one applies.")


class CellType(Node):
    """A cell type (microglia, macrophages, glia, ...)."""

    kind: ClassVar[str] = "cell_type"
    file_name: ClassVar[str] = "cell_types.tsv"


class SignallingMolecule(Node):
    """A signalling molecule or family (endorphins, enkephalins, cytokines)."""

    kind: ClassVar[str] = "molecule"
    file_name: ClassVar[str] = "molecules.tsv"


class Process(Node):
    """A biological process (neuroinflammation, central sensitisation, endorphin rebound, ...)."""

    kind: ClassVar[str] = "process"
    file_name: ClassVar[str] = "processes.tsv"


class Condition(Node):
    """A disease, disorder or symptom cluster."""

    kind: ClassVar[str] = "condition"
    file_name: ClassVar[str] = "conditions.tsv"

    category: Optional = Field(
        default=None, description="Broad group: chronic_pain, autoimmune, gastrointestinal, cancer, ..."
    )


class Organisation(Node):
    """A university, hospital, sponsor, regulator or database."""

    kind: ClassVar[str] = "organisation"
    file_name: ClassVar[str] = "organisations.tsv"

    location: Optional = Field(default=None, description="City and country.")


class SourceArticle(Node):
    """One of the articles the graph is curated from (its id is the file name in shared/sources)."""

    kind: ClassVar[str] = "source"
    file_name: ClassVar[str] = "sources.tsv"

    genre: Optional = Field(default=None, description="blog post, news item, patient information page, ...")


class AdverseEffect(Node):
    """An adverse effect or risk."""

    kind: ClassVar[str] = "adverse_effect"
    file_name: ClassVar[str] = "adverse_effects.tsv"


class Biomarker(Node):
    """A measurable marker (e.g. erythrocyte sedimentation rate)."""

    kind: ClassVar[str] = "biomarker"
    file_name: ClassVar[str] = "biomarkers.tsv"


class Caution(Node):
    """A caution, practical constraint or regulatory fact about use."""

    kind: ClassVar[str] = "caution"
    file_name: ClassVar[str] = "cautions.tsv"


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
    note: Optional = Field(default=None, description="Curator note.")

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


class Edge(Record):
    """A structural or background edge that is not itself evidence (claims.tsv holds evidence)."""

    kind: ClassVar[str] = "edge"
    file_name: ClassVar[str] = "edges.tsv"
    reference_fields: ClassVar[dict[str, tuple[str, ...]]] = {"subject": (), "object": ()}

    subject: str = Field(description="Id of the subject node.")
    predicate: str = Field(description="Predicate name from graph/metagraph.yaml.")
    object: str = Field(description="Id of the object node.")
    basis: str = Field(
        min_length=1, description="Why this edge holds without a claim, e.g. 'established pharmacology'."
    )


class Claim(Record):
    """One statement as one source article makes it, with the evidence behind it."""

    kind: ClassVar[str] = "claim"
    file_name: ClassVar[str] = "claims.tsv"
    reference_fields: ClassVar[dict[str, tuple[str, ...]]] = {
        "subject": (),
        "object": (),
        "study": ("study",),
        "source": ("source",),
        "regimen": ("dose_regimen",),
    }

    subject: str = Field(description="Id of the subject node.")
    predicate: str = Field(description="Predicate name from graph/metagraph.yaml.")
    object: Optional = Field(default=None, description="Id of the object node (empty for a value claim).")
    value: Optional = Field(default=None, description="The stated value, for a value claim (e.g. '35 USD/month').")
    source: str = Field(description="Id of the source article that makes the claim.")
    quote: str = Field(min_length=8, max_length=300, description="Short verbatim quote locating the claim.")
    study: Optional = Field(default=None, description="Id of the study the claim rests on, if any.")
    level: EvidenceLevel = Field(description="Evidence level (ladder in schema.EvidenceLevel).")
    direction: Direction = Field(description="supports, no_effect, mixed or contradicts.")
    regimen: Optional = Field(default=None, description="Id of the dose regimen the claim is about.")
    population: Optional = Field(default=None, description="Population as stated.")
    n: OptionalInt = Field(default=None, ge=0, description="Number of participants (or animals, cases) as stated.")
    effect: Optional = Field(default=None, description="The effect as stated, numbers with units.")
    status: ClaimStatus = Field(default=ClaimStatus.asserted, description="asserted or disputed.")
    discrepancy: OptionalDiscrepancy = Field(
        default=None, description="How the claim departs from the study's primary record, if it does."
    )
    primary_says: Optional = Field(default=None, description="What the primary record says instead.")
    note: Optional = Field(default=None, description="Curator note: why disputed, what is uncertain.")
    curator: str = Field(min_length=1, description="Curator name or handle.")
    date_curated: str = Field(description="ISO date, YYYY-MM-DD.")

    @field_validator("date_curated")
    @classmethod
    def _iso_date(cls, value: str) -> str:
        if not DATE_PATTERN.match(value):
            raise ValueError(f"date_curated {value!r} must be an ISO date such as 2026-11-23")
        return value


NODE_MODELS: tuple[type[Node], ...] = (
    Drug,
    DoseRegimen,
    Protein,
    CellType,
    SignallingMolecule,
    Process,
    Condition,
    Study,
    Organisation,
    SourceArticle,
    AdverseEffect,
    Biomarker,
    Caution,
)
ALL_MODELS: tuple[type[Record], ...] = (*NODE_MODELS, Edge, Claim)
MODEL_BY_FILE: dict[str, type[Record]] = {model.file_name: model for model in ALL_MODELS}
MODEL_BY_KIND: dict[str, type[Record]] = {model.kind: model for model in ALL_MODELS}
NODE_KINDS: tuple[str, ...] = tuple(model.kind for model in NODE_MODELS)


def columns(model: type[Record]) -> list[str]:
    """The TSV columns of a record model, in canonical order."""
    return list(model.model_fields)
