"""Validate a graph directory: every record-level check, then SHACL over the records as RDF.

The record-level checks live in :mod:`ldngraph.curation.checks`; SHACL needs the records turned into
RDF, so the whole validation sits here, one layer up.
"""

from __future__ import annotations

from pathlib import Path

from ldngraph.curation.checks import Validation, check_quotes_can_run, check_records, default_sources_dir
from ldngraph.rdf.shacl import check_shacl


def validate(
    graph_dir: Path, *, sources_dir: Path | None = None, shacl: bool = True, strict: bool = False
) -> Validation:
    """Validate a graph directory and return every problem found.

    ``sources_dir`` defaults to :func:`ldngraph.curation.checks.default_sources_dir`; quotes are checked
    only when it exists, and when it does not the report says how many were not checked
    (``quotes-not-checked``): a warning, or an error when ``strict``. SHACL runs only when the records
    themselves are free of errors (so its results are meaningful).
    """
    graph_dir = Path(graph_dir)
    result = check_records(graph_dir, sources_dir=sources_dir)
    if shacl and result.metagraph is not None and result.report.ok:
        result.report.extend(check_shacl(result.records, result.metagraph, graph_dir))
    # added after SHACL: a check that could not run says nothing about the records themselves
    sources = sources_dir if sources_dir is not None else default_sources_dir(graph_dir)
    result.report.extend(check_quotes_can_run(result.records, sources, strict=strict))
    return result
