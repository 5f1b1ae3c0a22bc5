"""The verdict of a condition and its studies' results, as the named queries ``verdict`` and ``outcomes`` answer.

The verdict is computed once, at build time (:mod:`ldngraph.curation.verdicts`), and stored as triples;
this module reads it from any store, so the CLI, the Python API, the notebooks and a user's own SPARQL
endpoint see the same answer.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from ldngraph.sparql.answers import _local, _resolve_condition, curated_store
from ldngraph.sparql.store_interface import Store

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class ResultRow:
    """One result of one outcome of a study, with its numbers and where they were read."""

    study: str
    study_label: str
    measure: str
    domain: str
    outcome_role: str
    timepoint: str
    comparison: str
    arm_value: float | None
    comparator_value: float | None
    estimate: float | None
    estimate_kind: str
    unit: str
    ci_low: float | None
    ci_high: float | None
    p: float | None
    p_qualifier: str
    direction: str
    verification: str
    record: str
    url: str

    def numbers(self) -> str:
        """The numbers in words: '-1.3 vs -0.9 NRS points; mean difference -0.34 (95% CI -0.95 to 0.27); p=0.27'."""
        parts = []
        unit = f" {self.unit}" if self.unit else ""
        if self.arm_value is not None and self.comparator_value is not None:
            parts.append(f"{self.arm_value:g} vs {self.comparator_value:g}{unit}")
        elif self.arm_value is not None:
            parts.append(f"{self.arm_value:g}{unit}")
        if self.estimate is not None:
            ci = f" (95% CI {self.ci_low:g} to {self.ci_high:g})" if self.ci_low is not None else ""
            parts.append(f"{self.estimate_kind or 'estimate'} {self.estimate:g}{ci}")
        if self.p is not None:
            parts.append(f"p{self.p_qualifier or '='}{self.p:g}")
        return "; ".join(parts) or "no numbers in the record"


@dataclass(frozen=True)
class VerdictStudy:
    """A study the verdict names, with its role: counted, context, shown apart, lead or running."""

    role: str
    study: str
    label: str
    design: str
    n: int | None
    finding: str
    published: str
    status: str
    status_as_of: str
    results: tuple[ResultRow, ...] = ()


@dataclass(frozen=True)
class DomainVerdict:
    """The verdict for one outcome domain of a condition (pain, fatigue, mood...)."""

    domain: str
    statement: str
    certainty: str
    n_studies: int
    participants: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ConditionVerdict:
    """What the evidence shows for one condition: statement, certainty, reasons, studies, reviews, claims."""

    condition: str
    statement: str
    certainty: str
    n_studies: int
    participants: int
    regimens_counted: str
    reasons: tuple[str, ...]
    review_checks: tuple[str, ...]
    articles_claimed: tuple[str, ...]
    studies: tuple[VerdictStudy, ...] = field(default_factory=tuple)
    domains: tuple[DomainVerdict, ...] = field(default_factory=tuple)

    def of_role(self, role: str) -> list[VerdictStudy]:
        """The studies with one role ('counted', 'context', 'shown apart', 'lead', 'running')."""
        return [s for s in self.studies if s.role == role]

    def to_dataframe(self) -> pd.DataFrame:
        """One row per study (verdict columns repeated), nullable integer n."""
        import pandas as pd

        rows = []
        for study in self.studies:
            row = {k: v for k, v in asdict(study).items() if k != "results"}
            row.update(condition=self.condition, statement=self.statement, certainty=self.certainty,
                       n_results=len(study.results))
            rows.append(row)
        frame = pd.DataFrame(rows, columns=["condition", "statement", "certainty", "role", "study", "label",
                                            "design", "n", "finding", "published", "status", "status_as_of",
                                            "n_results"])
        frame["n"] = frame["n"].astype("Int64")
        return frame


def _value(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    return "" if value is None else str(value)


def _float(row: dict[str, Any], key: str) -> float | None:
    value = row.get(key)
    return None if value is None else float(value)


def outcomes_for_condition(condition: str, store: Store | None = None) -> list[ResultRow]:
    """Every result of every study of a condition, as the named query ``outcomes`` answers it."""
    from ldngraph.sparql.query import rows_as_dicts, run_query

    store = store if store is not None else curated_store()
    node = _resolve_condition(store, condition)
    found = rows_as_dicts(run_query(store, "outcomes", {"condition": node}))
    return [
        ResultRow(
            study=_local(r.get("study")), study_label=_value(r, "study_label"), measure=_value(r, "measure"),
            domain=_local(r.get("domain")), outcome_role=_value(r, "outcome_role"),
            timepoint=_value(r, "timepoint"), comparison=_value(r, "comparison"),
            arm_value=_float(r, "arm_value"), comparator_value=_float(r, "comparator_value"),
            estimate=_float(r, "estimate"), estimate_kind=_value(r, "estimate_kind"), unit=_value(r, "unit"),
            ci_low=_float(r, "ci_low"), ci_high=_float(r, "ci_high"), p=_float(r, "p"),
            p_qualifier=_value(r, "p_qualifier"), direction=_local(r.get("direction")),
            verification=_value(r, "verification"), record=_local(r.get("record")), url=_value(r, "url"),
        )
        for r in found
    ]


def verdict(condition: str, store: Store | None = None) -> ConditionVerdict:
    """The verdict for one condition with its studies and their results, as the named query ``verdict`` answers.

    Args:
        condition: a condition id, name or synonym (any case).
        store: the store to ask (default: the curated graph).

    Raises:
        UnknownName: no condition has this id, name or synonym.
        LookupError: the store holds no verdict for the condition (no study or claim about it).
    """
    from ldngraph.sparql.query import rows_as_dicts, run_query

    store = store if store is not None else curated_store()
    node = _resolve_condition(store, condition)
    found = rows_as_dicts(run_query(store, "verdict", {"condition": node}))
    if not found:
        raise LookupError(f"no verdict for {condition!r}: no study or claim about it in the graph")
    results: dict[str, list[ResultRow]] = {}
    for result in outcomes_for_condition(node, store):
        results.setdefault(result.study, []).append(result)
    first = found[0]
    studies = tuple(
        VerdictStudy(
            role=_value(r, "role"), study=_local(r.get("study")), label=_value(r, "study_label"),
            design=_local(r.get("design")), n=int(r["n"]) if r.get("n") is not None else None,
            finding=_value(r, "finding"), published=_value(r, "published"), status=_local(r.get("status")),
            status_as_of=_value(r, "status_as_of"), results=tuple(results.get(_local(r.get("study")), [])),
        )
        for r in found
        if r.get("study") is not None
    )
    return ConditionVerdict(
        condition=node,
        statement=_local(first.get("statement")),
        certainty=_local(first.get("certainty")),
        n_studies=int(first["n_studies"]),
        participants=int(first["participants"]),
        regimens_counted=_value(first, "regimens_counted"),
        reasons=tuple(_value(first, "reasons").splitlines()),
        review_checks=tuple(_value(first, "review_check").splitlines()),
        articles_claimed=tuple(_value(first, "articles_claimed").splitlines()),
        studies=studies,
        domains=tuple(
            DomainVerdict(domain=_local(r.get("domain")), statement=_local(r.get("statement")),
                          certainty=_local(r.get("certainty")), n_studies=int(r["n_studies"]),
                          participants=int(r["participants"]), reasons=tuple(_value(r, "reasons").splitlines()))
            for r in rows_as_dicts(run_query(store, "verdict-by-domain", {"condition": node}))
        ),
    )


#: Statements from the strongest case for LDN to the weakest, as the ranking query orders them.
STATEMENT_ORDER: tuple[str, ...] = ("benefit_shown", "mixed", "conflicting", "no_benefit_shown", "insufficient")


def verdict_table(store: Store | None = None) -> pd.DataFrame:
    """One row per condition: its verdict, certainty, independent studies and participants, ranked.

    The rows of the named query ``conditions-by-clinical-evidence``, with ids instead of IRIs, ordered
    categoricals for ``statement`` and ``certainty`` and nullable integer counts.
    """
    import pandas as pd

    from ldngraph.curation.verdicts import CERTAINTY_ORDER
    from ldngraph.sparql.query import rows_as_dicts, run_query

    store = store if store is not None else curated_store()
    found = rows_as_dicts(run_query(store, "conditions-by-clinical-evidence"))
    frame = pd.DataFrame(
        [{"condition": _local(r.get("condition")), "condition_label": _value(r, "condition_label"),
          "statement": _local(r.get("statement")), "certainty": _local(r.get("certainty")),
          "n_studies": r.get("n_studies"), "participants": r.get("participants"),
          "claims_supporting": r.get("claims_supporting")} for r in found],
        columns=["condition", "condition_label", "statement", "certainty", "n_studies", "participants",
                 "claims_supporting"],
    )
    frame["statement"] = pd.Categorical(frame["statement"], categories=list(STATEMENT_ORDER), ordered=True)
    frame["certainty"] = pd.Categorical(frame["certainty"], categories=list(CERTAINTY_ORDER), ordered=True)
    for column in ("n_studies", "participants", "claims_supporting"):
        frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    return frame
