"""The evidence roll-up: studies, participants and direction of the evidence by condition and level.

The roll-up groups the ``studied_for`` claims (a drug or regimen studied, used or proposed for a
condition) by condition and evidence level. Each group's direction is one of:

* ``supports``: every asserted claim supports the statement;
* ``null``: every asserted claim found no effect;
* ``mixed``: claims rated mixed (a study with some outcomes better and some not), possibly with
  supporting or null ones;
* ``contested``: claims pointing both ways (supports and no effect), any claim that contradicts the
  statement, or only disputed claims (an article says it, the graph does not accept it).

Participants (people, at the clinical levels) and animals (at the animal level) are counted once per
study, at the size every surface shows for it (:func:`ldngraph.sparql.answers.primary_n`: the study's
primary record, ``n_enrolled``, else the largest number a claim states); claims without a study add
their own stated number (:func:`ldngraph.sparql.answers.count_participants`). These are the studies
and n of the named query evidence-for-condition, grouped (tests/test_one_engine.py checks it).
Standard-dose naltrexone (50-100 mg) is left out by default: the map is about low doses.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ldngraph.core.schema import LEVEL_LABELS, EvidenceLevel
from ldngraph.sparql.answers import count_participants, primary_n

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    from rdflib import Graph

DIRECTIONS: tuple[str, ...] = ("supports", "null", "mixed", "contested")
COLUMNS: list[str] = [
    "condition",
    "condition_label",
    "category",
    "level",
    "level_rank",
    "level_label",
    "claims",
    "studies",
    "participants",
    "animals",
    "direction",
    "supports",
    "no_effect",
    "mixed",
    "contradicts",
    "disputed",
    "discrepancies",
    "study_ids",
    "doses",
]

Claims = list[tuple[str, dict[str, Any]]]


def network_of(source: Any) -> nx.MultiDiGraph:
    """The networkx projection of ``source``: returned as is when it already is one, else projected."""
    import networkx as nx

    from ldngraph.explore.projection import to_networkx

    if isinstance(source, nx.MultiDiGraph):
        return source
    return to_networkx(source)


def group_direction(directions: Iterable[str], disputed: int = 0) -> str:
    """The direction of a group of claims from the directions of its asserted claims.

    >>> group_direction(["supports", "supports"])
    'supports'
    >>> group_direction(["supports", "no_effect"])
    'contested'
    >>> group_direction(["supports", "mixed"])
    'mixed'
    """
    seen = set(directions)
    if not seen:
        return "contested" if disputed else "null"
    if "contradicts" in seen or {"supports", "no_effect"} <= seen:
        return "contested"
    if seen == {"supports"}:
        return "supports"
    if seen == {"no_effect"}:
        return "null"
    return "mixed"


def _is_standard_dose(graph: nx.MultiDiGraph, subject: str, data: dict[str, Any]) -> bool:
    for node in (data.get("regimen"), subject):
        if node and graph.nodes.get(node, {}).get("dose_band") == "standard":
            return True
    return False


def claim_n(graph: nx.MultiDiGraph, data: dict[str, Any]) -> int | None:
    """The size shown for a claim edge's study: :func:`ldngraph.sparql.answers.primary_n` on the projection."""
    study = data.get("study")
    enrolled = graph.nodes.get(study, {}).get("n_enrolled") if study else None
    return primary_n(enrolled, data.get("n"))


def efficacy_groups(
    graph: nx.MultiDiGraph, *, include_standard_dose: bool = False
) -> dict[tuple[str, str], Claims]:
    """The studied_for claim edges into conditions, grouped by (condition, evidence level)."""
    groups: dict[tuple[str, str], Claims] = {}
    for subject, target, data in graph.edges(data=True):
        if data.get("predicate") != "studied_for" or data.get("origin") != "claim":
            continue
        if graph.nodes[target].get("kind") != "condition":
            continue
        if not include_standard_dose and _is_standard_dose(graph, subject, data):
            continue
        groups.setdefault((target, data["level"]), []).append((subject, data))
    return groups


def _group_row(graph: nx.MultiDiGraph, condition: str, level: str, claims: Claims) -> dict[str, Any]:
    """One row of the roll-up: the claims of one condition at one evidence level."""
    asserted = [d for _, d in claims if d.get("status") != "disputed"]
    disputed = len(claims) - len(asserted)
    participants = count_participants((d.get("study"), claim_n(graph, d)) for d in asserted)
    directions = [str(d.get("direction")) for d in asserted]
    doses = {
        str(graph.nodes[d.get("regimen") or s].get("label", d.get("regimen") or s))
        for s, d in claims
        if d.get("regimen") or graph.nodes[s].get("kind") == "dose_regimen"
    }
    node = graph.nodes[condition]
    evidence_level = EvidenceLevel(level)
    return {
        "condition": condition,
        "condition_label": node.get("label", condition),
        "category": node.get("category", ""),
        "level": level,
        "level_rank": evidence_level.rank,
        "level_label": LEVEL_LABELS[evidence_level],
        "claims": len(claims),
        "studies": len(participants.by_study),
        "participants": participants.total if evidence_level.is_clinical else 0,
        "animals": participants.total if evidence_level is EvidenceLevel.animal else 0,
        "direction": group_direction(directions, disputed),
        "supports": directions.count("supports"),
        "no_effect": directions.count("no_effect"),
        "mixed": directions.count("mixed"),
        "contradicts": directions.count("contradicts"),
        "disputed": disputed,
        "discrepancies": sum(1 for _, d in claims if d.get("discrepancy")),
        "study_ids": ", ".join(sorted(participants.by_study)),
        "doses": ", ".join(sorted(doses)),
    }


def evidence_rollup(
    source: nx.MultiDiGraph | Graph | Path | str | None = None, *, include_standard_dose: bool = False
) -> pd.DataFrame:
    """The evidence map as a table: one row per condition and evidence level.

    Args:
        source: the projected graph (:func:`ldngraph.explore.network.to_networkx`), an rdflib Graph, a graph
            folder, or None for the default graph folder.
        include_standard_dose: also count claims about naltrexone at 50-100 mg.

    Returns:
        A DataFrame with the columns in :data:`COLUMNS`, conditions with the strongest evidence first,
        then levels from RCT to anecdote.
    """
    import pandas as pd

    graph = network_of(source)
    groups = efficacy_groups(graph, include_standard_dose=include_standard_dose)
    rows = [_group_row(graph, condition, level, claims) for (condition, level), claims in groups.items()]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if frame.empty:
        return frame
    best = frame.groupby("condition")["level_rank"].min().rename("_best")
    weight = frame.groupby("condition")["participants"].sum().rename("_weight")
    frame = frame.join(best, on="condition").join(weight, on="condition")
    frame = frame.sort_values(
        ["_best", "_weight", "condition_label", "level_rank"], ascending=[True, False, True, True]
    )
    return frame.drop(columns=["_best", "_weight"]).reset_index(drop=True)


def rank_conditions(rollup: pd.DataFrame) -> pd.DataFrame:
    """Conditions ranked by the strength of their evidence: best level, then participants at that level.

    Returns:
        One row per condition: condition, condition_label, best_level, best_direction,
        participants_at_best, studies (all levels), participants (all levels), clinical (whether
        any evidence comes from people), levels (the levels present, best first).
    """
    import pandas as pd

    rows = []
    for condition, group in rollup.groupby("condition", sort=False):
        group = group.sort_values("level_rank")
        top = group.iloc[0]
        rows.append(
            {
                "condition": condition,
                "condition_label": top["condition_label"],
                "best_level": top["level"],
                "best_direction": top["direction"],
                "participants_at_best": int(top["participants"]),
                "studies": int(group["studies"].sum()),
                "participants": int(group["participants"].sum()),
                "clinical": bool((group["level_rank"] <= EvidenceLevel.case_report.rank).any()),
                "levels": ", ".join(group["level"]),
                "_rank": int(top["level_rank"]),
            }
        )
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame = frame.sort_values(["_rank", "participants_at_best", "condition_label"], ascending=[True, False, True])
    return frame.drop(columns=["_rank"]).reset_index(drop=True)


def weakest_evidence(rollup: pd.DataFrame) -> pd.DataFrame:
    """Conditions whose best evidence is a case report or weaker (no trial or cohort in people).

    Returns:
        The rows of :func:`rank_conditions` for those conditions, weakest last.
    """
    ranked = rank_conditions(rollup)
    if ranked.empty:
        return ranked
    strong = {EvidenceLevel.rct.value, EvidenceLevel.controlled.value, EvidenceLevel.uncontrolled.value}
    return ranked[~ranked["best_level"].isin(strong)].reset_index(drop=True)


DISCREPANCY_COLUMNS: list[str] = [
    "claim",
    "article",
    "study",
    "statement",
    "article_says",
    "discrepancy",
    "primary_says",
    "status",
    "note",
]


def discrepancies(source: nx.MultiDiGraph | Graph | Path | str | None = None) -> pd.DataFrame:
    """Where the articles depart from the primary studies or from established pharmacology.

    Returns:
        One row per claim that is disputed or has a discrepancy: claim, article, study, statement
        (subject predicate object), what the article says (effect, else quote), discrepancy,
        primary_says, status and the curator's note.
    """
    import pandas as pd

    graph = network_of(source)
    rows = []
    for subject, target, data in graph.edges(data=True):
        if data.get("origin") != "claim" or not (data.get("discrepancy") or data.get("status") == "disputed"):
            continue
        article = data.get("source_article", "")
        study = data.get("study", "")
        statement = [
            str(graph.nodes[subject].get("label", subject)),
            str(data.get("predicate", "")).replace("_", " "),
            str(graph.nodes[target].get("label", target)),
        ]
        rows.append(
            {
                "claim": data.get("claim"),
                "article": graph.nodes.get(article, {}).get("label", article),
                "study": graph.nodes.get(study, {}).get("label", study) if study else "",
                "statement": " ".join(statement),
                "article_says": data.get("effect") or data.get("quote", ""),
                "discrepancy": data.get("discrepancy", "") or "",
                "primary_says": data.get("primary_says", "") or "",
                "status": data.get("status", ""),
                "note": data.get("note", "") or "",
            }
        )
    frame = pd.DataFrame(rows, columns=DISCREPANCY_COLUMNS)
    return frame.sort_values(["discrepancy", "claim"], ignore_index=True)
