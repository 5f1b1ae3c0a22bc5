"""The evidence as a tidy table: one row per independent study per condition, its finding, and the verdict.

Every row is read from the verdicts computed at build time (:func:`ldngraph.sparql.verdicts.verdict`), so the
table, the evidence map, ``ldngraph verdict`` and the named query ``verdict`` name the same studies with the
same roles and n:

* ``counted``: the independent LDN studies of the best design the verdict rests on;
* ``context``: LDN studies of weaker designs, shown, not counted;
* ``shown apart``: studies of other dose bands or combination protocols, never counted;
* ``lead``: results seen only in secondary sources; ``running``: registered, not reported.

Conditions come in the order of :func:`ldngraph.sparql.verdicts.verdict_table` (strongest case first).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ldngraph.core.schema import DESIGN_LEVEL, EvidenceLevel, StudyDesign
from ldngraph.curation.regimens import CATEGORY_ORDER, study_category
from ldngraph.curation.verdicts import CERTAINTY_ORDER, TIER_OF_DESIGN, TIER_ORDER
from ldngraph.sparql.store_interface import Store
from ldngraph.sparql.verdicts import STATEMENT_ORDER

if TYPE_CHECKING:
    import pandas as pd
    from rdflib import Graph

#: The roles a study has in a verdict, in the order they are shown.
ROLES: tuple[str, ...] = ("counted", "context", "shown apart", "lead", "running")
#: Roles of studies with a result of their own (the ones the map draws).
WITH_RESULT: tuple[str, ...] = ("counted", "context", "shown apart")
#: Design tiers, strongest first ("other": a design the verdict rules do not rank, e.g. not yet known).
TIERS: tuple[str, ...] = (*TIER_ORDER, "other")
TIER_LABELS: dict[str, str] = {
    "randomised": "randomised",
    "controlled": "controlled, not randomised",
    "uncontrolled": "uncontrolled (pilot, cohort, series)",
    "case_report": "case report",
    "other": "design not known",
}
FINDINGS: tuple[str, ...] = ("benefit", "mixed", "no_difference", "harm", "uncertain", "no_data")
#: The mark of each finding, as `ldngraph verdict` prints it.
FINDING_MARKS: dict[str, str] = {
    "benefit": "▲",
    "no_difference": "●",
    "mixed": "◆",
    "harm": "▼",
    "uncertain": "?",
    "no_data": "·",
}
LEVELS: tuple[str, ...] = tuple(level.value for level in EvidenceLevel)
COLUMNS: list[str] = [
    "condition", "condition_label", "study", "label", "short_label", "role", "design", "tier", "level", "n",
    "finding", "mark", "regimen_category", "published", "year", "verdict", "certainty", "claims_supporting",
]

_STUDY_FACTS = """
PREFIX ldn: <https://w3id.org/ldngraph/vocab#>
SELECT ?study ?first_author ?year ?arm_category ?therapy ?tested_category WHERE {
  ?study a ldn:Study .
  OPTIONAL { ?study ldn:first_author ?first_author }
  OPTIONAL { ?study ldn:year ?year }
  OPTIONAL { ?arm ldn:arm_of ?study ; ldn:arm_role "experimental" ; ldn:regimen ?regimen .
             ?regimen ldn:regimen_category ?arm_category . OPTIONAL { ?arm ldn:therapy ?therapy } }
  OPTIONAL { ?study ldn:tests ?tested . ?tested ldn:regimen_category ?tested_category }
}
"""


def as_store(source: Store | Graph | Path | str | None) -> Store:
    """A store holding the curated graph: ``source`` itself when it is one, else the graph of a folder or Graph."""
    from ldngraph.sparql.answers import curated_store

    if isinstance(source, Store):
        return source
    if source is not None and not isinstance(source, (str, Path)) and not hasattr(source, "serialize"):
        raise TypeError(
            f"the evidence is read from the verdicts in a store: pass a store, a graph folder, an rdflib Graph "
            f"or None, not {type(source).__name__}"
        )
    return curated_store(source)


def _study_facts(store: Store) -> dict[str, dict[str, Any]]:
    """Per study: first author, year and the regimen category (as the verdict rules derive it)."""
    from ldngraph.sparql.answers import _local
    from ldngraph.sparql.query import query

    facts: dict[str, dict[str, Any]] = {}
    for row in query(_STUDY_FACTS, store=store):
        study = facts.setdefault(_local(row["study"]), {"first_author": "", "year": None, "arms": [],
                                                         "therapies": [], "tested": []})
        study["first_author"] = str(row.get("first_author") or study["first_author"])
        study["year"] = study["year"] or (int(row["year"]) if row.get("year") is not None else None)
        for key, column in (("arms", "arm_category"), ("therapies", "therapy"), ("tested", "tested_category")):
            value = row.get(column)
            if value is not None and str(value) not in study[key]:
                study[key].append(str(value))
    for study in facts.values():
        study["category"] = study_category(study["arms"] or study["tested"], study["therapies"])
    return facts


def short_label(label: str, first_author: str = "", year: int | str | None = None) -> str:
    """A label short enough for a picture: 'FINAL 2023', 'Younger 2013', 'Copenhagen 2023'.

    >>> short_label("FINAL: naltrexone 6 mg vs placebo in women with fibromyalgia (Odense)", "Bruun", 2023)
    'FINAL 2023'
    >>> short_label("LDN for fibromyalgia pain (Copenhagen)", "", "2023")
    'Copenhagen 2023'
    >>> short_label("Younger 2013 fibromyalgia RCT", "Younger", 2013)
    'Younger 2013'
    """
    year_text = f" {year}" if year else ""
    head, colon, _ = label.partition(":")
    if colon and len(head) <= 12:
        return f"{head}{year_text}"
    if first_author and year:
        return f"{first_author} {year}"
    place = re.search(r"\(([^,()]+)[^()]*\)\s*$", label)
    if place and len(place.group(1)) <= 16:
        return f"{place.group(1)}{year_text}"
    return label if len(label) <= 20 else label[:19] + "…"


def _year(published: str, fallback: int | None) -> int | None:
    return int(published[:4]) if published[:4].isdigit() else fallback


def _design_facts(design: str) -> tuple[str, str | None]:
    """The design tier and evidence level of a design id."""
    tier = TIER_OF_DESIGN.get(design, "other")
    try:
        level = DESIGN_LEVEL[StudyDesign(design)]
    except ValueError:
        level = None
    return tier, level.value if level else None


def _rows(store: Store, conditions: list[tuple[str, str, Any]]) -> list[dict[str, Any]]:
    from ldngraph.sparql.verdicts import verdict

    facts = _study_facts(store)
    rows = []
    for condition, condition_label, claims in conditions:
        found = verdict(condition, store)
        for study in found.studies:
            fact = facts.get(study.study, {})
            published = study.published or ""
            year = _year(published, fact.get("year"))
            tier, level = _design_facts(study.design)
            rows.append({
                "condition": condition, "condition_label": condition_label, "study": study.study,
                "label": study.label, "short_label": short_label(study.label, fact.get("first_author", ""), year),
                "role": study.role, "design": study.design, "tier": tier, "level": level, "n": study.n,
                "finding": study.finding or None, "mark": FINDING_MARKS.get(study.finding, ""),
                "regimen_category": fact.get("category", "ldn"), "published": published, "year": year,
                "verdict": found.statement, "certainty": found.certainty, "claims_supporting": claims,
            })
    return rows


def evidence_table(source: Store | Graph | Path | str | None = None, *, roles: tuple[str, ...] = ROLES) -> pd.DataFrame:
    """One row per independent study per condition: its role in the verdict, design, size, finding, regimen.

    Args:
        source: a store, a graph folder, an rdflib Graph of a build, or None for the curated graph.
        roles: the roles to keep (default all: counted, context, shown apart, lead, running).

    Returns:
        A DataFrame with the columns of :data:`COLUMNS`: ordered categoricals ``role``, ``tier`` (design
        tier, strongest first), ``level`` (the evidence ladder), ``verdict`` and ``certainty``; nullable
        integer ``n``, ``year`` and ``claims_supporting`` (the source articles' statements supporting an
        effect on the condition: what the articles claimed, beside what the studies show). Conditions in the
        verdict ranking, then role, tier, larger n first.
    """
    import pandas as pd

    from ldngraph.sparql.verdicts import verdict_table

    store = as_store(source)
    ranked = verdict_table(store)
    conditions = list(zip(ranked["condition"], ranked["condition_label"], ranked["claims_supporting"], strict=True))
    frame = pd.DataFrame([r for r in _rows(store, conditions) if r["role"] in roles], columns=COLUMNS)
    for column, categories in (("role", ROLES), ("tier", TIERS), ("level", LEVELS),
                               ("verdict", STATEMENT_ORDER), ("certainty", CERTAINTY_ORDER)):
        frame[column] = pd.Categorical(frame[column], categories=list(categories), ordered=True)
    frame["finding"] = pd.Categorical(frame["finding"], categories=list(FINDINGS))
    frame["regimen_category"] = pd.Categorical(frame["regimen_category"], categories=list(CATEGORY_ORDER))
    for column in ("n", "year", "claims_supporting"):
        frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
    rank = {condition: i for i, (condition, *_) in enumerate(conditions)}
    frame["_rank"] = frame["condition"].map(rank)
    frame["_n"] = frame["n"].fillna(-1)
    frame = frame.sort_values(["_rank", "role", "tier", "_n", "study"], ascending=[True, True, True, False, True])
    return frame.drop(columns=["_rank", "_n"]).reset_index(drop=True)
