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
    standard_dose: Annotated[
        bool, typer.Option("--standard-dose", help="Also count naltrexone at 50-100 mg (left out by default).")
    ] = False,
) -> None:
    """Draw the evidence map: conditions by evidence level, bubbles sized by participants, coloured by direction.

    Writes evidence-map.png and .svg (the picture), evidence-map.html (a sortable, filterable table
    that works offline) and evidence-map.csv (the roll-up), atomically.

    Example:
        ldngraph evidence-map -o docs/img/
    """
    from ldngraph.cli.common import graph_dir, user_errors

    folder = graph_dir(graph)
    from ldngraph.core.paths import default_build_dir
    from ldngraph.explore.evidence_map import evidence_rollup, write_evidence_map
    from ldngraph.explore.network import to_networkx

    target = out if out is not None else default_build_dir() / "evidence-map"
    with user_errors():
        network = to_networkx(folder)
        paths = write_evidence_map(target, network, include_standard_dose=standard_dose)
        rollup = evidence_rollup(network, include_standard_dose=standard_dose)
    for fmt, path in paths.items():
        typer.echo(f"{fmt:5} {path}")
    conditions = rollup["condition"].nunique() if not rollup.empty else 0
    typer.echo(f"{len(rollup)} groups of evidence across {conditions} conditions")


def evidence(
    condition: Annotated[str, typer.Argument(help="Condition id, name or synonym, e.g. fibromyalgia.")],
    graph: GraphDir = None,
) -> None:
    """Show the evidence for one condition as a table, best evidence first.

    The rows are the efficacy claims of the named query evidence-for-condition, so the studies and n
    are those of `ldngraph query evidence-for-condition -p condition NAME`; n is the primary record's
    figure, and where the article gives another the note says so.

    Example:
        ldngraph evidence fibromyalgia
    """
    from ldngraph.cli.common import graph_dir, user_errors
    from ldngraph.sparql.answers import curated_store, evidence_for_condition

    folder = graph_dir(graph)
    with user_errors(), curated_store(folder, progress=lambda m: typer.echo(f"... {m}", err=True)) as store:
        answer = evidence_for_condition(condition, store)
    rows = answer.efficacy
    typer.echo(f"Evidence for {answer.name} ({len(rows)} claims, best first)")
    if rows:
        typer.echo(_study_summary(answer))
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


def _study_summary(answer: ConditionEvidence) -> str:
    """Independent studies and participants behind the rows, and what the rows are not."""
    studies = answer.independent_studies
    reviews = {r.study_id for r in answer.efficacy if r.design == "review"}
    unattributed = sum(1 for r in answer.efficacy if not r.study_id)
    count, sized = len(studies.by_study), sum(1 for n in studies.by_study.values() if n)
    size = f"{studies.total} participants" + ("" if sized == count else f" in the {sized} of known size")
    parts = [f"{count} independent stud{'y' if count == 1 else 'ies'} of any naltrexone regimen "
             f"({size}, each study counted once)"]
    if reviews:
        parts.append(f"{len(reviews)} review{'s' if len(reviews) > 1 else ''} (not counted: it restates studies)")
    if unattributed:
        parts.append(f"{unattributed} statement{'s' if unattributed > 1 else ''} citing no study")
    return (
        "From " + ", ".join(parts) + ". Each row is what a source article claims, beside the primary record's "
        "figures; results published after the articles are not in the graph yet, so this is not a verdict."
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
