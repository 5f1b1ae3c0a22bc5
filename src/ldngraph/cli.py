"""The ``ldngraph`` command line: a thin layer over the library API.

Heavy libraries (rdflib, pyshacl, pyoxigraph, pyvis) are imported inside the commands that
need them so that ``ldngraph --help`` stays fast. Exit codes: 0 success, 1 problems found or
the operation failed on bad data, 2 usage error.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from . import __version__

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="ldngraph: the evidence graph of low-dose naltrexone (LDN). Build, validate, query and view it.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

GraphDir = Annotated[
    Path | None,
    typer.Option("--graph", "-g", help="Folder of curated records (default: ./graph or the checkout's graph/)."),
]


class ReportFormat(str, Enum):
    """Formats of the validation report."""

    text = "text"
    json = "json"


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a one-line (or multi-line) error to stderr and return the Exit to raise."""
    typer.echo(message, err=True)
    return typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the library's own errors into a message on stderr and exit code 1."""
    from .problems import LdngraphError, RecordsInvalid

    try:
        yield
    except RecordsInvalid as exc:
        raise fail(
            exc.report.to_text() + "\nThe records have errors; run `ldngraph validate` for the full report."
        ) from None
    except LdngraphError as exc:
        raise fail(f"error: {exc}") from None


def _graph_dir(graph: Path | None) -> Path:
    from .paths import default_graph_dir

    folder = graph if graph is not None else default_graph_dir()
    if not folder.is_dir():
        raise fail(f"error: graph folder {folder} does not exist (give one with --graph)", 2)
    return folder


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ldngraph {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """ldngraph: the evidence graph of low-dose naltrexone (LDN)."""


@app.command()
def validate(
    graph: GraphDir = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="Report as text or JSON.")] = ReportFormat.text,
    sources: Annotated[
        Path | None, typer.Option(help="Folder of source articles for the quote check (default ../shared/sources).")
    ] = None,
    no_shacl: Annotated[bool, typer.Option("--no-shacl", help="Skip the SHACL shapes (faster).")] = False,
) -> None:
    """Check the curated records: syntax, references, metagraph, evidence rules, quotes and SHACL.

    Every problem is reported at once with file:line, record id and what is wrong.
    Exit 0 when clean, 1 when there are errors, 2 on a usage error.

    Example:
        ldngraph validate --format json
    """
    from .validate import validate as run_validate

    folder = _graph_dir(graph)
    if sources is not None and not sources.is_dir():
        raise fail(f"error: sources folder {sources} does not exist", 2)
    result = run_validate(folder, sources_dir=sources, shacl=not no_shacl)
    report = result.report
    typer.echo(report.to_json() if fmt is ReportFormat.json else report.to_text())
    raise typer.Exit(0 if report.ok else 1)


@app.command()
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
    from .build import FORMATS, BuildConfig
    from .build import build as run_build
    from .paths import default_build_dir

    folder = _graph_dir(graph)
    chosen = tuple(formats) if formats else tuple(FORMATS)
    bad = [f for f in chosen if f not in FORMATS]
    if bad:
        raise fail(f"error: unknown format {', '.join(bad)}; choose from {', '.join(FORMATS)}", 2)
    config = BuildConfig(graph_dir=folder, out_dir=out or default_build_dir(), formats=chosen, shacl=not no_shacl)
    with user_errors():
        result = run_build(config, progress=lambda m: typer.echo(f"... {m}", err=True))
    for fmt, path in result.files.items():
        typer.echo(f"{fmt:7} {path}")
    warnings = len(result.report.problems)
    typer.echo(f"{result.triples} triples written" + (f" ({warnings} warning(s))" if warnings else ""))


@app.command()
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
    from .lint import lint as run_lint

    folder = _graph_dir(graph)
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


@app.command()
def stats(graph: GraphDir = None) -> None:
    """Count nodes by kind, claims by predicate, evidence level, layer and direction.

    Example:
        ldngraph stats
    """
    from .curated import load_curated
    from .stats import compute_stats
    from .tables import format_table

    with user_errors():
        curated = load_curated(_graph_dir(graph))
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


@app.command()
def evidence(
    condition: Annotated[str, typer.Argument(help="Condition id, name or synonym, e.g. fibromyalgia.")],
    graph: GraphDir = None,
) -> None:
    """Show the evidence for one condition as a table, best evidence first.

    Example:
        ldngraph evidence fibromyalgia
    """
    from .curated import load_curated
    from .evidence import evidence_for
    from .tables import format_table

    with user_errors():
        curated = load_curated(_graph_dir(graph))
        node, rows = evidence_for(curated.records, condition, curated.layer_of())
    typer.echo(f"Evidence for {node.name} ({len(rows)} claims, best first)")
    if not rows:
        typer.echo("No efficacy claims recorded for this condition.")
        return
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
            r.result
            + (f" [{r.discrepancy}]" if r.discrepancy else "")
            + (" [disputed]" if r.status == "disputed" else ""),
            r.level,
            r.direction,
            r.source[:3],
        ]
        for r in rows
    ]
    typer.echo(format_table(headers, table_rows, max_width=34))
    typer.echo("\nsources:")
    for source_id in sorted({r.source for r in rows}):
        typer.echo(f"  {source_id[:3]}  {curated.records.node(source_id).name} ({source_id})")


# Commands of the other areas live in their own modules; each registers itself here.
from . import cli_explore, cli_sparql, cli_viz  # noqa: E402

for _area in (cli_sparql, cli_viz, cli_explore):
    _area.register(app)


def main() -> None:
    """Entry point of the ``ldngraph`` console script."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
