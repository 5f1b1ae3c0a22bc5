"""Commands over the curated records: validate, build, lint, stats.

Keep this module light: import heavy libraries inside the command functions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ldngraph.cli.common import GraphDir, ReportFormat, fail, graph_dir, user_errors


def validate(
    graph: GraphDir = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="Report as text or JSON.")] = ReportFormat.text,
    sources: Annotated[
        Path | None,
        typer.Option(
            help="Folder of source articles for the quote check "
            "(default: $LDNGRAPH_SOURCES_DIR, else ../shared/sources beside the checkout)."
        ),
    ] = None,
    no_shacl: Annotated[bool, typer.Option("--no-shacl", help="Skip the SHACL shapes (faster).")] = False,
    strict: Annotated[
        bool | None,
        typer.Option(
            "--strict/--no-strict",
            help="A check that could not run (no source articles for the quotes) is an error, exit 1. "
            "Default: on when CI=true, else off (a warning).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check the curated records: syntax, references, metagraph, evidence rules, quotes and SHACL.

    Every problem is reported at once with file:line, record id and what is wrong. When the source
    articles are not found, the quotes are not checked and the report says so (quotes-not-checked):
    a warning, an error with --strict or CI=true.
    Exit 0 when clean, 1 when there are errors, 2 on a usage error.

    Example:
        ldngraph validate --format json
    """
    from ldngraph.curation.checks import strict_by_default
    from ldngraph.rdf.validate import validate as run_validate

    folder = graph_dir(graph)
    if sources is not None and not sources.is_dir():
        raise fail(f"error: sources folder {sources} does not exist", 2)
    strict = strict_by_default() if strict is None else strict
    result = run_validate(folder, sources_dir=sources, shacl=not no_shacl, strict=strict)
    report = result.report
    typer.echo(report.to_json() if fmt is ReportFormat.json else report.to_text())
    if no_shacl:
        typer.echo("note: the SHACL shapes were not checked (--no-shacl)", err=True)
    raise typer.Exit(0 if report.ok else 1)


def build(
    graph: GraphDir = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output folder (default: build/).")] = None,
    formats: Annotated[
        list[str] | None, typer.Option("--format", "-f", help="ttl, nt, jsonld (repeatable; default all three).")
    ] = None,
    no_shacl: Annotated[bool, typer.Option("--no-shacl", help="Skip the SHACL shapes (faster).")] = False,
) -> None:
    """Validate the records and write the graph as Turtle, N-Triples and JSON-LD.

    Output is written atomically: a failed build leaves the earlier output intact.

    Example:
        ldngraph build --out build/
    """
    from ldngraph.core.paths import default_build_dir
    from ldngraph.rdf.build import FORMATS, BuildConfig
    from ldngraph.rdf.build import build as run_build

    folder = graph_dir(graph)
    chosen = tuple(formats) if formats else tuple(FORMATS)
    bad = [f for f in chosen if f not in FORMATS]
    if bad:
        raise fail(f"error: unknown format {', '.join(bad)}; choose from {', '.join(FORMATS)}", 2)
    config = BuildConfig(graph_dir=folder, out_dir=out or default_build_dir(), formats=chosen, shacl=not no_shacl)
    with user_errors():
        result = run_build(config, progress=lambda m: typer.echo(f"... {m}", err=True))
    for problem in result.report.sorted():
        typer.echo(str(problem), err=True)  # warnings only: errors stop the build
    for fmt, path in result.files.items():
        typer.echo(f"{fmt:7} {path}")
    warnings = len(result.report.problems)
    typer.echo(f"{result.triples} triples written" + (f" ({warnings} warning(s))" if warnings else ""))


def lint(
    graph: GraphDir = None,
    check: Annotated[
        bool, typer.Option("--check", help="Only report files not in canonical form; exit 1 if any.")
    ] = False,
) -> None:
    """Rewrite the curated files in canonical form (column order, sorted rows and values, LF, no BOM).

    Example:
        ldngraph lint --check
    """
    from ldngraph.curation.lint import lint as run_lint

    folder = graph_dir(graph)
    with user_errors():
        result = run_lint(folder, check=check)
    for problem in result.problems:
        typer.echo(str(problem), err=True)
    for path in result.changed:
        typer.echo(f"{'would rewrite' if check else 'rewrote'} {path}")
    if check and result.changed:
        typer.echo("Files are not in canonical form; run `ldngraph lint`.", err=True)
    if (check and result.changed) or result.problems:
        raise typer.Exit(1)
    if not result.changed:
        typer.echo("all files in canonical form")


def stats(graph: GraphDir = None) -> None:
    """Count nodes by kind, claims by predicate, evidence level, layer and direction.

    Example:
        ldngraph stats
    """
    from ldngraph.core.tables import format_table
    from ldngraph.curation.stats import compute_stats
    from ldngraph.rdf.curated import load_curated

    with user_errors():
        curated = load_curated(graph_dir(graph))
    counts = compute_stats(curated.records, curated.metagraph)
    sections = [
        ("node kind", counts.nodes_by_kind),
        ("claim predicate", counts.claims_by_predicate),
        ("evidence level", counts.claims_by_level),
        ("claim layer", counts.claims_by_layer),
        ("direction", counts.claims_by_direction),
        ("structural edge predicate", counts.edges_by_predicate),
    ]
    for title, counter in sections:
        rows = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        typer.echo(format_table([title, "count"], [*rows, ("total", sum(counter.values()))]))
        typer.echo("")
    typer.echo(
        f"disputed claims: {counts.disputed}; claims that depart from their primary record: {counts.discrepancies}"
    )


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    for command in (validate, build, lint, stats):
        app.command()(command)
