"""Exploration commands: evidence, export, evidence-map.

Keep this module light: import heavy libraries inside the command functions.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ldngraph.cli.common import GraphDir

if TYPE_CHECKING:
    from ldngraph.sparql.answers import ConditionEvidence, EvidenceRow
    from ldngraph.sparql.store_interface import Store

EXPORT_FORMATS = ("ttl", "nt", "jsonld", "graphml", "cytoscape-json", "kgx", "csv")


def export(
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help=f"One of: {', '.join(EXPORT_FORMATS)}."),
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="File to write (a folder for kgx and csv); default build/export/."),
    ] = None,
    graph: Annotated[
        Path | None,
        typer.Option("--graph", "-g", help="Folder of curated records (default: ./graph or the checkout's graph/)."),
    ] = None,
) -> None:
    """Export the graph for other tools: RDF, GraphML (Gephi, Cytoscape), Cytoscape.js JSON, Biolink KGX, CSV.

    ttl, nt and jsonld carry the full graph; graphml, cytoscape-json, kgx and csv carry the network
    projection (entities as nodes, claims and links as edges with their evidence). kgx and csv write
    two files (nodes and edges) into a folder. Output is written atomically.

    Examples:
        ldngraph export --format graphml -o ldngraph.graphml
        ldngraph export --format kgx -o build/kgx/
    """
    from ldngraph.cli.common import fail, graph_dir, user_errors

    if fmt not in EXPORT_FORMATS:
        raise fail(f"error: unknown format {fmt!r}; choose from {', '.join(EXPORT_FORMATS)}", 2)
    folder = graph_dir(graph)
    from ldngraph.explore.export import export as run_export

    with user_errors():
        paths = run_export(fmt, out, folder)
    for path in paths:
        typer.echo(f"{fmt:14} {path}")


def evidence_map(
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Folder to write into (default: build/evidence-map/)."),
    ] = None,
    graph: Annotated[
        Path | None,
        typer.Option("--graph", "-g", help="Folder of curated records (default: ./graph or the checkout's graph/)."),
    ] = None,
) -> None:
    """Draw the evidence map: one mark per independent study, by condition and design tier, with each verdict.

    Marks are sized by participants; the finding is shown by shape and colour (▲ benefit, ● no
    difference, ◆ mixed, ? uncertain). Studies of other dose bands or combinations are shown apart,
    never counted. Beside each condition: its verdict and certainty, and how many statements of the
    source articles supported an effect. Writes evidence-map.png and .svg (the picture),
    evidence-map.html (a sortable, filterable table that works offline) and evidence-map.csv (the
    evidence table: one row per study per condition), atomically.

    Example:
        ldngraph evidence-map -o docs/img/
    """
    from ldngraph.cli.common import graph_dir, user_errors

    folder = graph_dir(graph)
    from ldngraph.core.paths import default_build_dir
    from ldngraph.explore.evidence_map import evidence_table, write_evidence_map
    from ldngraph.sparql.answers import curated_store

    target = out if out is not None else default_build_dir() / "evidence-map"
    with user_errors(), curated_store(folder, progress=lambda m: typer.echo(f"... {m}", err=True)) as store:
        paths = write_evidence_map(target, store)
        table = evidence_table(store)
    for fmt, path in paths.items():
        typer.echo(f"{fmt:5} {path}")
    drawn = table[table["role"].isin(["counted", "context", "shown apart"])]
    typer.echo(
        f"{drawn['study'].nunique()} independent studies with a result across {drawn['condition'].nunique()} "
        f"conditions ({int((drawn['role'] == 'shown apart').sum())} of other doses or combinations shown apart); "
        "why each verdict: ldngraph verdict NAME"
    )


def evidence(
    condition: Annotated[str, typer.Argument(help="Condition id, name or synonym, e.g. fibromyalgia.")],
    graph: GraphDir = None,
) -> None:
    """Show the evidence for one condition as a table, best evidence first.

    First the verdict: what the independent studies of LDN show (each counted once, reviews never),
    its certainty and which regimens it counts (`ldngraph verdict NAME` gives the reasons and numbers).
    Then the rows: the efficacy claims of the source articles, as the named query
    evidence-for-condition gives them; n is the primary record's figure, and where the article gives
    another the note says so.

    Example:
        ldngraph evidence fibromyalgia
    """
    from ldngraph.cli.common import graph_dir, user_errors
    from ldngraph.sparql.answers import curated_store, evidence_for_condition

    folder = graph_dir(graph)
    with user_errors(), curated_store(folder, progress=lambda m: typer.echo(f"... {m}", err=True)) as store:
        answer = evidence_for_condition(condition, store)
        summary = _study_summary(answer, store)
    rows = answer.efficacy
    typer.echo(f"Evidence for {answer.name} ({_plural(len(rows), 'claim', 'claims')} of the source articles, "
               "best first)")
    typer.echo(summary)
    if not rows:
        typer.echo("No efficacy claims recorded for this condition.")
    else:
        typer.echo(_evidence_table(rows))
        typer.echo("\nsources:")
        for source_id, title in sorted({(r.source, r.source_name) for r in rows}):
            typer.echo(f"  {source_id[:3]}  {title} ({source_id})")
    others = len(answer.rows) - len(rows)
    if others:
        typer.echo(
            f"\n{others} more claim{'s' if others > 1 else ''} about {answer.name} (context, mechanism): "
            f"ldngraph query evidence-for-condition -p condition {answer.condition}"
        )


#: Studies a verdict names beside those it counts: (role, one, many).
_BESIDE = (
    ("context", "weaker study shown as context", "weaker studies shown as context"),
    ("shown apart", "study of another dose or combination shown apart", "studies of other doses or combinations "
     "shown apart"),
    ("running", "trial running", "trials running"),
    ("lead", "lead (results only in secondary sources)", "leads (results only in secondary sources)"),
)


def _plural(k: int, one: str, many: str) -> str:
    return f"{k} {one if k == 1 else many}"


def _study_summary(answer: ConditionEvidence, store: Store) -> str:
    """What the independent studies show (the verdict), which regimens it counts, and what the rows are."""
    from ldngraph.curation.verdicts import STATEMENT_LABELS
    from ldngraph.sparql.verdicts import verdict

    statements = _plural(len(answer.efficacy), "statement", "statements")
    rows_are = (f"The rows below are what the source articles claim ({statements}, each beside the primary "
                "record's figures), not what the studies show.")
    try:
        found = verdict(answer.condition, store)
    except LookupError:
        return f"No verdict: no study of {answer.name} with a result of its own. {rows_are}"
    beside = [_plural(len(found.of_role(role)), one, many) for role, one, many in _BESIDE if found.of_role(role)]
    counted = _plural(found.n_studies, "independent study", "independent studies")
    statement = STATEMENT_LABELS.get(found.statement, found.statement)
    certainty = found.certainty.replace("_", " ")
    also = f"; {', '.join(beside)}" if beside else ""
    return (
        f"Verdict: {statement} — certainty {certainty}. It counts {counted} ({found.participants} participants, "
        f"each study once; reviews never counted) of {found.regimens_counted}{also}. Why, and each study's "
        f"numbers: ldngraph verdict {answer.condition}\n{rows_are}"
    )


def _evidence_table(rows: list[EvidenceRow]) -> str:
    """The evidence rows as a text table: study, design, year, n, treatment, result, level, direction, source."""
    from ldngraph.core.tables import format_table

    headers = [
        "study",
        "design",
        "year",
        "n",
        "treatment",
        "result (as the article states it)",
        "level",
        "direction",
        "source",
    ]
    table_rows = [
        [
            r.study or "(no study)",
            r.design,
            r.year,
            r.n,
            r.treatment,
            r.result + (f" [{r.note}]" if r.note else "") + (" [disputed]" if r.status == "disputed" else ""),
            r.level,
            r.direction,
            r.source[:3],
        ]
        for r in rows
    ]
    return format_table(headers, table_rows, max_width=34)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.command("evidence")(evidence)
    app.command("export")(export)
    app.command("evidence-map")(evidence_map)
