"""Base record types and field types shared by every curated record model.

Kept apart from :mod:`ldngraph.core.schema` so the evidence models (:mod:`ldngraph.core.evidence_schema`)
and the node models can both build on them without an import cycle.
"""

from __future__ import annotations

import re
from typing import Annotated, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
CURIE_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.]*:[^\s|]+$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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
