"""The evidence for one condition, best first, and name look-up for conditions."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from ldngraph.core.problems import UnknownName
from ldngraph.core.schema import Claim, Condition, DoseRegimen, Study
from ldngraph.curation.records import Records


@dataclass(frozen=True)
class EvidenceRow:
    """One claim about a condition, with its study's facts."""

    claim_id: str
    study: str
    design: str
    year: int | None
    n: int | None
    dose: str
    treatment: str
    result: str
    level: str
    level_rank: int
    direction: str
    layer: str
    source: str
    status: str
    discrepancy: str


def find_node(records: Records, name: str, kind: str) -> str:
    """The id of the node of ``kind`` whose id, name or synonym matches ``name`` (case-insensitive).

    Raises UnknownName with the nearest names when nothing matches.
    """
    wanted = name.strip().casefold()
    names: dict[str, str] = {}
    for node in records.of_kind(kind):
        for label in (node.id, node.name, *node.synonyms):
            names.setdefault(label.casefold(), node.id)
    if wanted in names:
        return names[wanted]
    close = difflib.get_close_matches(wanted, list(names), n=5, cutoff=0.5)
    contains = [label for label in names if wanted and (wanted in label or label in wanted)]
    suggestions: list[str] = []
    for label in [*contains, *close]:
        node_name = records.node(names[label]).name
        if node_name not in suggestions:
            suggestions.append(node_name)
    raise UnknownName(kind.replace("_", " "), name, suggestions[:5])


def _treatment(records: Records, claim: Claim) -> str:
    """What was given: the claim's regimen, else its subject (a drug or regimen)."""
    return records.node(claim.regimen or claim.subject).name


def _dose(records: Records, regimen_id: str | None) -> str:
    if not regimen_id:
        return ""
    regimen = records.node(regimen_id)
    assert isinstance(regimen, DoseRegimen)
    return regimen.name


def evidence_for(records: Records, condition: str, layer_of: dict[str, str]) -> tuple[Condition, list[EvidenceRow]]:
    """Every efficacy claim about a condition, best evidence first (level, then larger n, then newer).

    ``layer_of`` maps claim ids to their layer (see :meth:`ldngraph.curation.metagraph.Metagraph.claim_layer`).
    """
    condition_id = find_node(records, condition, "condition")
    node = records.node(condition_id)
    assert isinstance(node, Condition)
    rows: list[EvidenceRow] = []
    for claim in records.all_claims():
        if claim.object != condition_id or claim.predicate != "studied_for":
            continue
        rows.append(_row(records, claim, layer_of.get(claim.id, "")))
    rows.sort(key=lambda r: (r.level_rank, -(r.n or 0), -(r.year or 0), r.claim_id))
    return node, rows


def _row(records: Records, claim: Claim, layer: str) -> EvidenceRow:
    study = records.node(claim.study) if claim.study else None
    assert study is None or isinstance(study, Study)
    return EvidenceRow(
        claim_id=claim.id,
        study=study.name if study else "",
        design=study.design.value.replace("_", " ") if study else "",
        year=study.year if study else None,
        n=claim.n if claim.n is not None else (study.n_enrolled if study else None),
        dose=_dose(records, claim.regimen),
        treatment=_treatment(records, claim),
        result=claim.effect or f"“{claim.quote}”",
        level=claim.level.value,
        level_rank=claim.level.rank,
        direction=claim.direction.value,
        layer=layer,
        source=claim.source,
        status=claim.status.value,
        discrepancy=claim.discrepancy.value if claim.discrepancy else "",
    )
