"""What every command group shares: the --graph option, one-line errors, the library's errors as exits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

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
    from ldngraph.core.problems import LdngraphError, RecordsInvalid

    try:
        yield
    except RecordsInvalid as exc:
        raise fail(
            exc.report.to_text() + "\nThe records have errors; run `ldngraph validate` for the full report."
        ) from None
    except LdngraphError as exc:
        raise fail(f"error: {exc}") from None


def graph_dir(graph: Path | None) -> Path:
    """The curated records folder given with --graph, else the default; exit 2 when it does not exist."""
    from ldngraph.core.paths import default_graph_dir

    folder = graph if graph is not None else default_graph_dir()
    if not folder.is_dir():
        raise fail(f"error: graph folder {folder} does not exist (give one with --graph)", 2)
    return folder


