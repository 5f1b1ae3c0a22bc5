"""The answers to the questions every surface asks, each computed in one place.

* The evidence for one condition: the named query ``evidence-for-condition`` (graph/queries), run by
  :func:`evidence_for_condition` through the query API and returned as typed :class:`EvidenceRow` s.
  ``ldngraph evidence``, :func:`ldngraph.evidence_for` and ``ldngraph query evidence-for-condition``
  all show these rows; nothing else selects the claims or sizes the studies.
* The size shown for a claim's study: :func:`primary_n`, the primary record's figure (``n_enrolled``)
  where the records have one, else the number the claim states. The named query's ``?n`` is the
  same rule in SPARQL; the in-memory surfaces (the evidence map over the networkx projection, the
  viewer's condition summary) call :func:`primary_n`, and tests/test_one_engine.py pins them together.
* The participants of a group of claims: :func:`count_participants` (each study once).
* Which node a name means, or the nearest names when none: :func:`match_name`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ldngraph.core import namespaces as ns
from ldngraph.core.problems import UnknownName

if TYPE_CHECKING:
    import pandas as pd
    from rdflib import Graph

    from ldngraph.sparql.store import Store

#: The named query that answers "what is the evidence for this condition?".
EVIDENCE_QUERY = "evidence-for-condition"
#: The predicate of efficacy claims (a drug or regimen studied, used or proposed for a condition).
EFFICACY_PREDICATE = "studied_for"
_IRI_UNSAFE = re.compile(r'[\s<>"{}|^`\\]')


# --------------------------------------------------------------------------- shared rules


def primary_n(enrolled: int | str | None, stated: int | str | None) -> int | None:
    """The size shown for a claim's study: the primary record's figure where there is one, else the claim's.

    >>> primary_n(31, 30)
    31
    >>> primary_n(None, 12)
    12
    """
    for value in (enrolled, stated):
        number = _number(value)
        if number is not None:
            return number
    return None


def _number(value: int | str | None) -> int | None:
    """A whole number from an int or numeric text; None for None, empty or non-numeric text."""
    try:
        return int(float(str(value).strip())) if value is not None else None
    except (ValueError, OverflowError):
        return None


@dataclass(frozen=True)
class Participants:
    """The participants of a group of claims: each study once, plus claims without a study."""

    by_study: dict[str, int]
    total: int


def count_participants(claims: Iterable[tuple[str | None, int | None]]) -> Participants:
    """Participants of a group of (study id, n) pairs: each study once at its largest n, plus studyless claims' n.

    ``n`` is the size shown for the claim (:func:`primary_n`); a claim without a study adds its own n.
    """
    by_study: dict[str, int] = {}
    loose = 0
    for study, n in claims:
        count = int(n) if n is not None else 0
        if study:
            by_study[study] = max(by_study.get(study, 0), count)
        else:
            loose += count
    return Participants(by_study, sum(by_study.values()) + loose)


def match_name(name: str, candidates: Iterable[tuple[str, str, Iterable[str]]], kind: str) -> str:
    """The id of the candidate whose id, name or synonym is ``name`` (case-insensitive).

    ``candidates`` are (id, display name, labels) triples, earlier ones winning a shared label.
    Raises UnknownName with the nearest display names when nothing matches.
    """
    wanted = name.strip().casefold()
    ids: dict[str, str] = {}
    shown: dict[str, str] = {}
    for node_id, display, labels in candidates:
        shown.setdefault(node_id, display or node_id)
        for label in (node_id, display, *labels):
            if label:
                ids.setdefault(str(label).casefold(), node_id)
    if wanted in ids:
        return ids[wanted]
    close = difflib.get_close_matches(wanted, list(ids), n=5, cutoff=0.5)
    contains = [label for label in ids if wanted and (wanted in label or label in wanted)]
    suggestions: list[str] = []
    for label in [*contains, *close]:
        display = shown[ids[label]]
        if display not in suggestions:
            suggestions.append(display)
    raise UnknownName(kind.replace("_", " "), name, suggestions[:5])


# --------------------------------------------------------------------------- the store


def curated_store(source: Path | str | Graph | None = None, *, progress: Callable[[str], None] | None = None) -> Store:
    """A store holding the curated graph of a folder (default: the default graph folder) or an rdflib Graph.

    The default folder is the store ``ldngraph query`` uses (build/ldngraph.nt, rebuilt when stale);
    another folder is validated and loaded in memory, writing nothing.
    """
    from ldngraph.core.paths import default_graph_dir
    from ldngraph.sparql.store import OxigraphStore, open_store

    if source is None or (
        isinstance(source, (str, Path)) and Path(source).resolve() == default_graph_dir().resolve()
    ):
        return open_store("memory", progress=progress)
    if isinstance(source, (str, Path)):
        from ldngraph.rdf.build import load_graph

        source = load_graph(Path(source))
    store = OxigraphStore()
    store.load_bytes(source.serialize(format="nt").encode("utf-8"), "N_TRIPLES")
    return store


# --------------------------------------------------------------------------- evidence for a condition


@dataclass(frozen=True)
class EvidenceRow:
    """One claim about a condition as the named query evidence-for-condition gives it, with display names.

    ``n`` is the primary record's figure where there is one (:func:`primary_n`); ``article_n`` is the
    number the article states where it differs from ``n``.
    """

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
    condition: str = ""
    subject: str = ""
    predicate: str = ""
    study_id: str = ""
    regimen: str = ""
    article_n: int | None = None
    source_name: str = ""
    #: what the study's own record shows for its main outcome (benefit, no_difference, ...), whatever the claim says
    finding: str = ""
    #: the numbers of the result the claim reports, e.g. "28.8 vs 18; p=0.016" ("" when none is linked)
    result_numbers: str = ""

    @property
    def is_efficacy(self) -> bool:
        """Whether the claim says a drug or regimen was studied, used or proposed for the condition."""
        return self.predicate == EFFICACY_PREDICATE and self.subject != self.condition

    @property
    def note(self) -> str:
        """The discrepancy, and the article's own figure where it differs from ``n``.

        For example ``misreported_number; the article says n = 30``.
        """
        parts = [self.discrepancy] if self.discrepancy else []
        if self.article_n is not None:
            parts.append(f"the article says n = {self.article_n}")
        return "; ".join(parts)


@dataclass(frozen=True)
class ConditionEvidence:
    """The answer for one condition: its id and name, and every row of the named query in its order."""

    condition: str
    name: str
    rows: list[EvidenceRow] = field(default_factory=list)

    @property
    def efficacy(self) -> list[EvidenceRow]:
        """The efficacy claims (studied_for, the condition as object), best evidence first."""
        return [row for row in self.rows if row.is_efficacy]

    @property
    def independent_studies(self) -> Participants:
        """The primary studies behind the efficacy claims, each once (reviews restate studies: not counted)."""
        return count_participants(
            (row.study_id, row.n) for row in self.efficacy if row.study_id and row.design != "review"
        )

    @property
    def sources(self) -> dict[str, str]:
        """Source article id -> title, for the articles behind the rows."""
        return {row.source: row.source_name for row in self.rows}

    def __iter__(self) -> Iterator[EvidenceRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def to_dataframe(self) -> pd.DataFrame:
        """The rows as a pandas DataFrame, one column per :class:`EvidenceRow` field."""
        import pandas as pd

        return pd.DataFrame([asdict(row) for row in self.rows], columns=list(EvidenceRow.__dataclass_fields__))


def evidence_for_condition(condition: str, store: Store | None = None) -> ConditionEvidence:
    """Every claim about a condition, best evidence first, as the named query evidence-for-condition answers it.

    Args:
        condition: a condition id, name or synonym (any case), resolved as the named query resolves it.
        store: the store to ask (default: the curated graph, as ``ldngraph query`` uses).

    Raises:
        UnknownName: no condition has this id, name or synonym (with the nearest names).
    """
    from ldngraph.sparql.query import rows_as_dicts, run_query

    store = store if store is not None else curated_store()
    node = _resolve_condition(store, condition)
    result = run_query(store, EVIDENCE_QUERY, {"condition": node})
    found = rows_as_dicts(result)
    keys = ("claim", "subject", "regimen", "study", "source")
    details = _details(store, {ns.ID + node} | {str(r[k]) for r in found for k in keys if r.get(k)})
    rows = [_row(record, details) for record in found]
    return ConditionEvidence(node, details.get(ns.ID + node, ("", ""))[0] or node, rows)


def _resolve_condition(store: Store, name: str) -> str:
    """The id of the condition the named query binds for ``name``; UnknownName with near names when none."""
    from ldngraph.sparql.query import ParameterError, resolve_node

    try:
        return str(resolve_node(store, name, "condition").value)[len(ns.ID) :]
    except ParameterError:
        match_name(name, _condition_names(store), "condition")  # raises UnknownName when nothing matches
        raise  # the name matches: the query found it ambiguous


def _condition_names(store: Store) -> list[tuple[str, str, list[str]]]:
    text = ns.sparql_prefixes() + (
        "SELECT ?id ?label ?alt WHERE { ?node a ldn:Condition ; dcterms:identifier ?id . "
        "OPTIONAL { ?node rdfs:label ?label } OPTIONAL { ?node skos:altLabel ?alt } } ORDER BY ?id"
    )
    found: dict[str, tuple[str, str, list[str]]] = {}
    for node_id, label, alt in store.execute(text).rows:
        entry = found.setdefault(node_id.value, (node_id.value, label.value if label else node_id.value, []))
        if alt is not None:
            entry[2].append(alt.value)
    return list(found.values())


def _details(store: Store, iris: set[str]) -> dict[str, tuple[str, str]]:
    """IRI -> (label, quote) for the nodes and claims the rows name, in one lookup."""
    wanted = {iri for iri in iris if not _IRI_UNSAFE.search(iri)}
    if not wanted:
        return {}
    values = " ".join(f"<{iri}>" for iri in sorted(wanted))
    text = ns.sparql_prefixes() + (
        f"SELECT ?node ?label ?quote WHERE {{ VALUES ?node {{ {values} }} "
        "OPTIONAL { ?node rdfs:label ?label } OPTIONAL { ?node ldn:quote ?quote } }"
    )
    details: dict[str, tuple[str, str]] = {}
    for node, label, quote in store.execute(text).rows:
        details.setdefault(node.value, (label.value if label else "", quote.value if quote else ""))
    return details


def _local(value: Any) -> str:
    """A record id for data IRIs, the local name for vocabulary terms, "" for None."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(ns.ID):
        return text[len(ns.ID) :]
    return re.split(r"[/#]", text)[-1]


def _row(record: dict[str, Any], details: dict[str, tuple[str, str]]) -> EvidenceRow:
    def label(key: str) -> str:
        iri = record.get(key)
        return (details.get(str(iri), ("", ""))[0] or _local(iri)) if iri else ""

    quote = details.get(str(record["claim"]), ("", ""))[1]
    return EvidenceRow(
        claim_id=_local(record["claim"]),
        study=label("study"),
        design=_local(record.get("design")).replace("_", " "),
        year=record.get("year"),
        n=record.get("n"),
        dose=label("regimen"),
        treatment=label("regimen") or label("subject"),
        result=record.get("effect") or f"“{quote}”",
        level=_local(record["level"]),
        level_rank=int(record["rank"]),
        direction=_local(record["direction"]),
        layer=_local(record["layer"]),
        source=_local(record["source"]),
        status=_local(record["status"]),
        discrepancy=_local(record.get("discrepancy")),
        condition=_local(record["condition"]),
        subject=_local(record["subject"]),
        predicate=_local(record["predicate"]),
        study_id=_local(record.get("study")),
        regimen=_local(record.get("regimen")),
        article_n=record.get("article_n"),
        source_name=label("source"),
        finding=str(record.get("finding") or ""),
        result_numbers=_result_numbers(record),
    )


def _result_numbers(record: dict[str, Any]) -> str:
    """The reported result's numbers in words: '28.8 vs 18', 'estimate -0.34', 'p=0.016'."""
    arm, comparator = record.get("result_arm_value"), record.get("result_comparator_value")
    parts = []
    if arm is not None and comparator is not None:
        parts.append(f"{float(arm):g} vs {float(comparator):g}")
    elif arm is not None:
        parts.append(f"{float(arm):g}")
    if record.get("result_estimate") is not None:
        parts.append(f"estimate {float(record['result_estimate']):g}")
    if record.get("result_p") is not None:
        parts.append(f"p={float(record['result_p']):g}")
    return "; ".join(parts)
