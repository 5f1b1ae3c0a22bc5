"""Trials as living records, and what became of each article's claims, as the named queries answer them."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from ldngraph.sparql.answers import _local, curated_store
from ldngraph.sparql.store_interface import Store

if TYPE_CHECKING:
    import pandas as pd

#: A completed trial with no results this long after its primary completion is overdue (FDAAA's 12 months).
OVERDUE_AFTER_DAYS = 365
_ENDED = frozenset({"completed", "terminated", "active_not_recruiting"})


@dataclass(frozen=True)
class TrialRow:
    """One trial: registry ids, status with its date, enrolment, dates, results, publications, who announced it."""

    trial: str
    label: str
    nct: str
    registrations: str
    design: str
    status: str
    status_as_of: str
    target_enrolment: int | None
    n_enrolled: int | None
    start_date: str
    completion_date: str
    results_posted: str
    published: str
    finding: str
    publications: str
    sponsors: str
    conditions: str
    reported_by: str
    overdue: bool
    note: str


def _date(value: str) -> dt.date | None:
    """The last day a partial date can mean (2022 -> 2022-12-31), or None."""
    parts = value.split("-") if value and value[:4].isdigit() else []
    try:
        if len(parts) == 3:
            return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
        if len(parts) == 2:
            month = int(parts[1])
            return dt.date(int(parts[0]) + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        if len(parts) == 1:
            return dt.date(int(parts[0]), 12, 31)
    except ValueError:
        return None
    return None


def is_overdue(status: str, completion: str, results_posted: str, published: str, as_of: dt.date) -> bool:
    """Whether a trial ended more than 12 months before ``as_of`` with no results posted or published."""
    ended = _date(completion)
    if status not in _ENDED or ended is None or results_posted or published:
        return False
    return (as_of - ended).days > OVERDUE_AFTER_DAYS


def _note(row: dict[str, str]) -> str:
    if row["design"] == "announced_trial" and not row["nct"] and not row["registrations"]:
        articles = row["reported_by"] or "an article"
        return f"reported by article {articles}; no registration found"
    if row["status"] == "withdrawn":
        return "withdrawn: no participant ever started, no data"
    if row["status"] == "completed" and not (row["results_posted"] or row["published"]):
        return "completed; no results found"
    return ""


def trials(store: Store | None = None, *, as_of: dt.date | None = None, overdue: bool = False) -> list[TrialRow]:
    """One row per registered, announced or running trial, as the named query ``trials`` answers.

    Args:
        store: the store to ask (default: the curated graph).
        as_of: the date overdue is judged against (default: today).
        overdue: only the trials completed more than 12 months before ``as_of`` with no results.
    """
    from ldngraph.sparql.query import rows_as_dicts, run_query

    store = store if store is not None else curated_store()
    as_of = as_of or dt.date.today()
    rows = []
    for found in rows_as_dicts(run_query(store, "trials")):
        row = {k: ("" if v is None else (_local(v) if k in ("trial", "design", "status") else str(v)))
               for k, v in found.items()}
        row["reported_by"] = "; ".join(sorted(part.split("_")[0] for part in row["reported_by"].split("; ") if part))
        late = is_overdue(row["status"], row["completion_date"], row["results_posted"], row["published"], as_of)
        rows.append(TrialRow(
            trial=row["trial"], label=row["label"], nct=row["nct"], registrations=row["registrations"],
            design=row["design"], status=row["status"], status_as_of=row["status_as_of"],
            target_enrolment=_int(found.get("target_enrolment")), n_enrolled=_int(found.get("n_enrolled")),
            start_date=row["start_date"], completion_date=row["completion_date"],
            results_posted=row["results_posted"], published=row["published"], finding=row["finding"],
            publications=row["publications"], sponsors=row["sponsors"], conditions=row["conditions"],
            reported_by=row["reported_by"], overdue=late, note=_note(row),
        ))
    return [r for r in rows if r.overdue] if overdue else rows


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def trials_frame(rows: list[TrialRow]) -> pd.DataFrame:
    """Trial rows as a DataFrame with nullable integer enrolment."""
    import pandas as pd

    frame = pd.DataFrame([asdict(r) for r in rows], columns=list(TrialRow.__dataclass_fields__))
    for column in ("target_enrolment", "n_enrolled"):
        frame[column] = frame[column].astype("Int64")
    return frame


@dataclass(frozen=True)
class SinceRow:
    """One claim of an article and what became of it."""

    claim: str
    quote: str
    about: str
    study: str
    study_label: str
    status: str
    status_as_of: str
    finding: str
    study_published: str
    verdict: str
    certainty: str
    became: str


_ENDED_EARLY = frozenset({"withdrawn", "suspended", "terminated"})
_RUNNING = frozenset({"not_yet_recruiting", "recruiting", "active_not_recruiting"})


def what_became(direction: str, status: str, finding: str, verdict: str, published: str = "") -> str:
    """What became of a claim: the study's own result, its trial's fate, or how the verdict now bears on it."""
    if status in _ENDED_EARLY:
        return f"superseded: the trial was {status}"
    if status in _RUNNING:
        return "still unreported"
    if finding:
        when = f" (published {published})" if published else ""
        return f"the study's own result: {finding.replace('_', ' ')}{when}"
    if status == "completed":
        return "completed; no result in the graph"
    if not verdict or direction != "supports":
        return "not a claim of benefit"
    if verdict == "no_benefit_shown":
        return "contradicted by the evidence now"
    if verdict == "benefit_shown":
        return "consistent with the evidence now"
    return f"unconfirmed: the evidence now is {verdict.replace('_', ' ')}"


def resolve_source(store: Store, name: str) -> str:
    """The id of the source article ``name`` names: its id, the id's 3-digit prefix (002), or its title."""
    from ldngraph.core import namespaces as ns
    from ldngraph.sparql.answers import match_name

    text = ns.sparql_prefixes() + (
        "SELECT ?id ?label WHERE { ?s a ldn:SourceArticle ; dcterms:identifier ?id ; rdfs:label ?label }"
    )
    sources = [(row[0].value, row[1].value) for row in store.execute(text).rows]
    by_prefix = [sid for sid, _ in sources if sid.split("_")[0] == name.strip()]
    if len(by_prefix) == 1:
        return by_prefix[0]
    return match_name(name, [(sid, label, [sid.split("_")[0]]) for sid, label in sources], "source")


def since_article(source: str, store: Store | None = None) -> tuple[str, str, list[SinceRow]]:
    """(source id, its publication date, one row per claim): what became of an article's claims."""
    from ldngraph.sparql.query import rows_as_dicts, run_query

    store = store if store is not None else curated_store()
    source_id = resolve_source(store, source)
    found = rows_as_dicts(run_query(store, "since-article", {"source": source_id}))
    published = next((str(r["article_published"]) for r in found if r.get("article_published")), "")

    def text(row: dict[str, Any], key: str) -> str:
        value = row.get(key)
        return "" if value is None else (_local(value) if key in ("claim", "study", "status", "verdict",
                                                                  "certainty", "claim_direction") else str(value))

    rows = [SinceRow(
        claim=text(r, "claim"), quote=text(r, "quote"), about=text(r, "object_label"), study=text(r, "study"),
        study_label=text(r, "study_label"), status=text(r, "status"), status_as_of=text(r, "status_as_of"),
        finding=text(r, "finding"), study_published=text(r, "study_published"), verdict=text(r, "verdict"),
        certainty=text(r, "certainty"),
        became=what_became(text(r, "claim_direction"), text(r, "status"), text(r, "finding"), text(r, "verdict"),
                           text(r, "study_published")),
    ) for r in found]
    rows.sort(key=lambda r: (r.became, r.claim))
    return source_id, published, rows
