"""The ``ldngraph`` command line: a thin layer over the library API.

Heavy libraries (rdflib, pyshacl, pyoxigraph, pyvis) are imported inside the commands that
need them so that ``ldngraph --help`` stays fast. Exit codes: 0 success, 1 problems found or
the operation failed on bad data, 2 usage error. Each command group lives in its own module and
registers itself here; they import :mod:`ldngraph.cli.common`, never this module.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ldngraph import __version__
from ldngraph.cli import curation, evidence_now, explore, sparql, viewer

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="ldngraph: the evidence graph of low-dose naltrexone (LDN). Build, validate, query and view it.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

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


for _area in (curation, sparql, viewer, explore, evidence_now):
    _area.register(app)


def main() -> None:
    """Entry point of the ``ldngraph`` console script."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
