"""Commands on the evidence past the articles: verdict, trials, since.

Keep this module light: import heavy libraries inside the command functions.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

from ldngraph.cli.common import GraphDir

if TYPE_CHECKING:
    from ldngraph.sparql.verdicts import ConditionVerdict, VerdictStudy

#: Direction of a study's finding as a mark as well as a word (never colour alone).
FINDING_MARKS = {"benefit": "▲", "no_difference": "●", "mixed": "◆", "harm": "▼", "uncertain": "?", "": "·"}


def _study_line(study: VerdictStudy) -> list[str]:
    mark = FINDING_MARKS.get(study.finding, "·")
    size = f"n={study.n}" if study.n is not None else "n unknown"
    what = study.finding.replace("_", " ") or (f"{study.status.replace('_', ' ')}"
                                                + (f" as of {study.status_as_of}" if study.status_as_of else ""))
    lines = [f"  {mark} {study.label} — {study.design.replace('_', ' ')}, {size}, {what}"
             + (f", published {study.published}" if study.published else "")]
    for result in study.results:
        lead = " [unverified lead: secondary source]" if result.verification == "V2" else ""
        lines.append(f"      {result.outcome_role} {result.measure}"
                     + (f" ({result.timepoint})" if result.timepoint else "")
                     + f": {result.numbers()} → {result.direction.replace('_', ' ')}{lead}")
    return lines


def format_verdict(answer: ConditionVerdict, name: str) -> str:
    """The verdict as text: statement and certainty, reasons, studies by role with numbers, reviews, claims."""
    from ldngraph.curation.verdicts import STATEMENT_LABELS

    lines = [f"{name}: {answer.regimens_counted}",
             f"Verdict: {STATEMENT_LABELS.get(answer.statement, answer.statement)} — certainty "
             f"{answer.certainty.replace('_', ' ').upper()}",
             f"From {answer.n_studies} independent stud{'y' if answer.n_studies == 1 else 'ies'} "
             f"({answer.participants} participants, each study counted once; reviews never counted)."]
    lines += ["Why:"] + [f"  - {reason}" for reason in answer.reasons]
    for role, title in (("counted", "Counted"), ("context", "Context (weaker designs, not counted)"),
                        ("shown apart", "Shown apart (other dose bands or combinations, not counted)"),
                        ("lead", "Leads (results seen only in secondary sources, not counted)"),
                        ("running", "Registered and not reported yet")):
        studies = answer.of_role(role)
        if studies:
            lines.append(f"{title}:")
            for study in studies:
                lines += _study_line(study)
    if answer.domains:
        lines.append("By outcome domain (verified between-group results of the counted studies):")
        for domain in answer.domains:
            lines.append(f"  - {domain.domain.replace('_', ' ')}: "
                         f"{STATEMENT_LABELS.get(domain.statement, domain.statement).split(':')[0]}, "
                         f"certainty {domain.certainty.replace('_', ' ')} ({domain.n_studies} stud"
                         f"{'y' if domain.n_studies == 1 else 'ies'}, {domain.participants} participants)"
                         + ("; secondary outcomes only" if any("secondary outcomes only" in r
                                                                for r in domain.reasons) else ""))
    if answer.review_checks:
        lines += ["Systematic reviews:"] + [f"  - {check}" for check in answer.review_checks]
    if answer.articles_claimed:
        lines += ["What the source articles claimed:"] + [f"  - {claim}" for claim in answer.articles_claimed]
    lines.append("Marks: ▲ benefit  ● no difference  ◆ mixed  ▼ harm  ? uncertain. Rules: docs/verdicts.md")
    return "\n".join(lines)


def verdict(
    condition: Annotated[str, typer.Argument(help="A condition id, name or synonym (any case).")],
    graph: GraphDir = None,
) -> None:
    """Say what the evidence shows for a condition, how sure one can be, and why.

    The verdict counts independent LDN studies (each once; reviews and restatements never), rests on the
    best design available, and lowers certainty for risk of bias, imprecision and inconsistency
    (docs/verdicts.md); beside it, the null and positive results with their numbers, the trials still
    running, the systematic reviews, and what each source article claimed.

    Example:
        ldngraph verdict fibromyalgia
    """
    from ldngraph.cli.common import graph_dir, user_errors
    from ldngraph.sparql.answers import curated_store
    from ldngraph.sparql.verdicts import verdict as find_verdict

    folder = graph_dir(graph)
    with user_errors(), curated_store(folder, progress=lambda m: typer.echo(f"... {m}", err=True)) as store:
        try:
            answer = find_verdict(condition, store)
        except LookupError as exc:
            typer.echo(f"error: {exc.args[0]}", err=True)
            raise typer.Exit(1) from None
        name = store.execute(
            "SELECT ?l WHERE { <https://w3id.org/ldngraph/id/" + answer.condition + "> "
            "<http://www.w3.org/2000/01/rdf-schema#label> ?l }"
        ).rows
    typer.echo(format_verdict(answer, name[0][0].value if name else answer.condition))


def trials(
    overdue: Annotated[bool, typer.Option("--overdue", help="Only trials ended 12+ months ago, no results.")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Judge overdue at this date (YYYY-MM-DD).")] = None,
    graph: GraphDir = None,
) -> None:
    """List the trials, one row each: status and the date it was seen, enrolment, results, publications.

    Examples:
        ldngraph trials
        ldngraph trials --overdue --as-of 2026-12-02
    """
    from ldngraph.cli.common import fail, graph_dir, user_errors
    from ldngraph.core.tables import format_table
    from ldngraph.sparql.answers import curated_store
    from ldngraph.sparql.trials import trials as find_trials

    try:
        when = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    except ValueError:
        raise fail(f"error: --as-of {as_of!r} is not a date such as 2026-12-02", 2) from None
    folder = graph_dir(graph)
    with user_errors(), curated_store(folder, progress=lambda m: typer.echo(f"... {m}", err=True)) as store:
        rows = find_trials(store, as_of=when, overdue=overdue)
    headers = ["trial", "registry", "status (as of)", "n (target)", "completion", "results", "publication",
               "reported by", "note"]
    table = [[r.label, r.nct or r.registrations or "none found",
              f"{r.status.replace('_', ' ')} ({r.status_as_of or 'date unknown'})",
              f"{r.n_enrolled if r.n_enrolled is not None else '?'} ({r.target_enrolment or '?'})",
              r.completion_date, (f"posted {r.results_posted}" if r.results_posted else "")
              + (f" published {r.published}: {r.finding.replace('_', ' ')}" if r.published else ""),
              r.publications, r.reported_by, ("OVERDUE; " if r.overdue else "") + r.note] for r in rows]
    typer.echo(f"{len(rows)} trial{'s' if len(rows) != 1 else ''}"
               + (f" overdue as of {when.isoformat()}" if overdue else f" (overdue judged as of {when.isoformat()})"))
    if rows:
        typer.echo(format_table(headers, table, max_width=30))


def since(
    source: Annotated[str, typer.Argument(help="A source article: its id, its number (002) or its title.")],
    graph: GraphDir = None,
) -> None:
    """Show what has become of each claim of a source article: trial results, withdrawals, the verdict now.

    Example:
        ldngraph since 002
    """
    from ldngraph.cli.common import graph_dir, user_errors
    from ldngraph.core.tables import format_table
    from ldngraph.sparql.answers import curated_store
    from ldngraph.sparql.trials import since_article

    folder = graph_dir(graph)
    with user_errors(), curated_store(folder, progress=lambda m: typer.echo(f"... {m}", err=True)) as store:
        source_id, published, rows = since_article(source, store)
    typer.echo(f"Since article {source_id} (published {published or 'date unknown'}): {len(rows)} claims")
    table = [[r.quote, r.study_label or r.about, r.became,
              (f"{r.status.replace('_', ' ')} as of {r.status_as_of}" if r.status_as_of else r.status)]
             for r in rows]
    if table:
        typer.echo(format_table(["the article said", "about", "what became of it", "status"], table, max_width=40))


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.command("verdict")(verdict)
    app.command("trials")(trials)
    app.command("since")(since)



