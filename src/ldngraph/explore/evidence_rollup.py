"""The evidence roll-up: independent studies, participants and findings by condition and design tier.

The roll-up groups the rows of :func:`ldngraph.explore.evidence_table.evidence_table` (the studies each
condition's verdict names, read from the verdicts computed at build time) by condition, design tier and
regimen category. It counts **independent studies**, each once at its primary record's n, never the
articles' claims; reviews never join it. LDN (the low band, alone or as add-on) is counted; studies of
other dose bands and combination protocols are their own rows (``regimen_category``), never merged.
A group's ``finding`` is that of its studies: benefit, no difference, mixed, conflicting (benefit and no
difference) or uncertain. What the articles claimed is kept apart: ``claims_supporting`` per condition in
:func:`rank_conditions`, and the claims themselves in ``ldngraph evidence`` and :func:`discrepancies`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ldngraph.explore.evidence_table import TIER_LABELS, TIERS, WITH_RESULT, evidence_table

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    from rdflib import Graph

    from ldngraph.sparql.store_interface import Store

#: A group's finding, from its studies' findings.
GROUP_FINDINGS: tuple[str, ...] = ("benefit", "mixed", "conflicting", "no_difference", "harm", "uncertain")
COLUMNS: list[str] = [
    "condition",
    "condition_label",
    "tier",
    "tier_rank",
    "tier_label",
    "regimen_category",
    "role",
    "studies",
    "participants",
    "finding",
    "benefit",
    "no_difference",
    "mixed",
    "harm",
    "uncertain",
    "study_ids",
    "verdict",
    "certainty",
]


def network_of(source: Any) -> nx.MultiDiGraph:
    """The networkx projection of ``source``: returned as is when it already is one, else projected."""
    import networkx as nx

    from ldngraph.explore.projection import to_networkx

    if isinstance(source, nx.MultiDiGraph):
        return source
    return to_networkx(source)


def group_finding(findings: Iterable[str]) -> str:
    """The finding of a group of studies from their own findings.

    >>> group_finding(["no_difference", "no_difference"])
    'no_difference'
    >>> group_finding(["benefit", "no_difference"])
    'conflicting'
    >>> group_finding(["benefit", "uncertain"])
    'benefit'
    """
    seen = set(findings) - {"uncertain", "no_data", ""}
    if not seen:
        return "uncertain"
    if "benefit" in seen and seen & {"no_difference", "harm"}:
        return "conflicting"
    if len(seen) == 1:
        return seen.pop()
    return "mixed"


def _table(source: Any) -> pd.DataFrame:
    import pandas as pd

    return source if isinstance(source, pd.DataFrame) else evidence_table(source)


def _group_row(key: tuple[str, str, str], group: pd.DataFrame) -> dict[str, Any]:
    condition, tier, category = key
    findings = [str(f) for f in group["finding"].astype(object).fillna("")]
    top = group.iloc[0]
    return {
        "condition": condition,
        "condition_label": top["condition_label"],
        "tier": tier,
        "tier_rank": TIERS.index(tier) + 1,
        "tier_label": TIER_LABELS[tier],
        "regimen_category": category,
        "role": top["role"],
        "studies": group["study"].nunique(),
        "participants": int(group.drop_duplicates("study")["n"].fillna(0).sum()),
        "finding": group_finding(findings),
        **{name: findings.count(name) for name in ("benefit", "no_difference", "mixed", "harm", "uncertain")},
        "study_ids": ", ".join(sorted(group["study"])),
        "verdict": top["verdict"],
        "certainty": top["certainty"],
    }


def evidence_rollup(
    source: pd.DataFrame | Store | Graph | Path | str | None = None, *, apart: bool = True
) -> pd.DataFrame:
    """The evidence map as a table: one row per condition, design tier and regimen category.

    Args:
        source: the evidence table (:func:`ldngraph.explore.evidence_table.evidence_table`), a store, a graph
            folder, an rdflib Graph of a build, or None for the curated graph.
        apart: keep the rows of other dose bands and combination protocols (shown apart, never counted).

    Returns:
        A DataFrame with the columns in :data:`COLUMNS`: the studies with a result of their own (counted,
        context and shown apart), conditions in the verdict ranking, then LDN before the rest, strongest
        tier first.
    """
    import pandas as pd

    table = _table(source)
    table = table[table["role"].isin(WITH_RESULT if apart else WITH_RESULT[:2])]
    order = list(dict.fromkeys(table["condition"]))
    rows = [
        _group_row((str(c), str(t), str(r)), group)
        for (c, t, r), group in table.groupby(["condition", "tier", "regimen_category"], sort=False, observed=True)
    ]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if frame.empty:
        return frame
    frame["_rank"] = frame["condition"].map({c: i for i, c in enumerate(order)})
    frame["_apart"] = frame["regimen_category"] != "ldn"
    frame = frame.sort_values(["_rank", "_apart", "tier_rank", "regimen_category"])
    return frame.drop(columns=["_rank", "_apart"]).reset_index(drop=True)


def rank_conditions(
    source: pd.DataFrame | Store | Graph | Path | str | None = None,
) -> pd.DataFrame:
    """Conditions in the verdict ranking, with what the verdict rests on and what the articles claimed.

    Args:
        source: a store, a graph folder, an rdflib Graph, None for the curated graph; or the evidence table.

    Returns:
        One row per condition with a study: condition, condition_label, verdict, certainty, best_tier (the
        strongest design of the counted LDN studies), studies and participants (counted), context (weaker
        LDN studies), apart (other doses and combinations), running (trials not reported yet), leads and
        claims_supporting (the articles' supporting statements, from the verdict table).
    """
    import pandas as pd

    table = _table(source)
    rows = []
    for condition, group in table.groupby("condition", sort=False):
        counted = group[group["role"] == "counted"]
        rows.append({
            "condition": condition,
            "condition_label": group["condition_label"].iloc[0],
            "verdict": group["verdict"].iloc[0],
            "certainty": group["certainty"].iloc[0],
            "best_tier": str(counted["tier"].min()) if not counted.empty else "",
            "studies": len(counted),
            "participants": int(counted["n"].fillna(0).sum()),
            **{name.replace(" ", "_"): int((group["role"] == role).sum())
               for name, role in (("context", "context"), ("apart", "shown apart"), ("running", "running"),
                                  ("leads", "lead"))},
            "claims_supporting": group["claims_supporting"].iloc[0],
        })
    frame = pd.DataFrame(rows)
    if not frame.empty:
        frame["claims_supporting"] = frame["claims_supporting"].astype("Int64")
    return frame


def weakest_evidence(
    source: pd.DataFrame | Store | Graph | Path | str | None = None,
) -> pd.DataFrame:
    """Conditions whose verdict is *insufficient*: no controlled study of LDN with a result of its own.

    Returns:
        The rows of :func:`rank_conditions` for those conditions, in the verdict ranking.
    """
    ranked = rank_conditions(source)
    if ranked.empty:
        return ranked
    return ranked[ranked["verdict"] == "insufficient"].reset_index(drop=True)


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
