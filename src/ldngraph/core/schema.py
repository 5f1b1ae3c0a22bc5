"""The record schema: node kinds, controlled values and one typed model per curated file.

Every curated TSV file under ``graph/records/`` holds one kind of record; its columns are the
fields of the model below, in the order given here (the canonical column order that
``ldngraph lint`` writes).
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, ClassVar

from pydantic import BeforeValidator, Field, field_validator

from ldngraph.core.evidence_schema import DATE_OR_BOUND, Arm, Outcome, PrimaryRecord, Result
from ldngraph.core.record_base import (  # noqa: F401  (re-exported: the schema's public names)
    CURIE_PATTERN,
    DATE_PATTERN,
    ID_PATTERN,
    MultiValue,
    Node,
    Optional,
    OptionalFloat,
    OptionalInt,
    Record,
    _empty_to_none,
)
from ldngraph.core.study_schema import (  # noqa: F401  (re-exported)
    DESIGN_LEVEL,
    LEVEL_LABELS,
    REGISTRY_STATUSES,
    REVIEW_DESIGNS,
    Blinding,
    Control,
    EvidenceLevel,
    Finding,
    Study,
    StudyDesign,
    StudyStatus,
)


class Direction(str, Enum):
    """What a claim's evidence says about its statement."""

    supports = "supports"
    no_effect = "no_effect"
    mixed = "mixed"
    contradicts = "contradicts"


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


OptionalLevel = Annotated[EvidenceLevel | None, BeforeValidator(_empty_to_none)]
OptionalDiscrepancy = Annotated[Discrepancy | None, BeforeValidator(_empty_to_none)]


class Drug(Node):
    """A drug or chemical (naltrexone, naloxone, the opioid agonists, alpha-lipoic acid, ...)."""

    kind: ClassVar[str] = "drug"
    file_name: ClassVar[str] = "drugs.tsv"

    role: Optional = Field(default=None, description="Pharmacological role, e.g. 'opioid antagonist'.")


class DoseRegimen(Node):
    """A dose regimen of a drug: amount, band, schedule, route and formulation."""

    kind: ClassVar[str] = "dose_regimen"
    file_name: ClassVar[str] = "dose_regimens.tsv"
    reference_fields: ClassVar[dict[str, tuple[str, ...]]] = {"drug": ("drug",), "combination": ("drug",)}

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
    combination: MultiValue = Field(
        default_factory=list, description="Ids of the drugs given with naltrexone as part of this regimen."
    )


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
    published: Optional = Field(
        default=None, description="Publication date, or a bound where only that is known: 'not before 2017'."
    )

    @field_validator("published")
    @classmethod
    def _published(cls, value: str | None) -> str | None:
        if value is not None and not DATE_OR_BOUND.match(value):
            raise ValueError(f"published {value!r} must be a date (2019-03-01, 2019-03, 2019) or 'not before 2017'")
        return value


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
        "result": ("result",),
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
    result: Optional = Field(default=None, description="Id of the result (results.tsv) the claim reports, if one.")
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
    PrimaryRecord,
    Arm,
    Outcome,
    Result,
)
ALL_MODELS: tuple[type[Record], ...] = (*NODE_MODELS, Edge, Claim)
MODEL_BY_FILE: dict[str, type[Record]] = {model.file_name: model for model in ALL_MODELS}
MODEL_BY_KIND: dict[str, type[Record]] = {model.kind: model for model in ALL_MODELS}
NODE_KINDS: tuple[str, ...] = tuple(model.kind for model in NODE_MODELS)


def columns(model: type[Record]) -> list[str]:
    """The TSV columns of a record model, in canonical order."""
    return list(model.model_fields)
