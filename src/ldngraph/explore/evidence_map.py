"""The evidence map: one mark per independent study, by condition and design tier, with each verdict.

This module writes the map's four files and is the one import point for its parts:

- :mod:`ldngraph.explore.evidence_table`: the tidy table, one row per study per condition
  (:func:`evidence_table`), read from the verdicts computed at build time;
- :mod:`ldngraph.explore.evidence_rollup`: the roll-up by condition, design tier and regimen category
  (:func:`evidence_rollup`), :func:`rank_conditions`, :func:`weakest_evidence` and :func:`discrepancies`;
- :mod:`ldngraph.explore.evidence_map_plot`: the picture (:func:`plot_evidence_map`, PNG and SVG);
- :mod:`ldngraph.explore.evidence_map_html`: the sortable, filterable HTML table.

The map counts independent studies (each once, at its primary record's n), never the articles' claims;
studies of other dose bands and combination protocols are shown apart, never counted. The map, the
table, ``ldngraph verdict`` and the named query ``verdict`` name the same studies with the same n.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ldngraph.explore.evidence_map_html import evidence_map_html
from ldngraph.explore.evidence_map_plot import (
    FINDING_COLOURS,
    FINDING_SHAPES,
    evidence_map_image,
    figure_bytes,
    plot_evidence_map,
)
from ldngraph.explore.evidence_rollup import (
    COLUMNS,
    discrepancies,
    evidence_rollup,
    group_finding,
    rank_conditions,
    weakest_evidence,
)
from ldngraph.explore.evidence_table import FINDING_MARKS, as_store, evidence_table

if TYPE_CHECKING:
    import pandas as pd
    from rdflib import Graph

    from ldngraph.sparql.store_interface import Store

__all__ = [
    "COLUMNS",
    "FILES",
    "FINDING_COLOURS",
    "FINDING_MARKS",
    "FINDING_SHAPES",
    "conditions_without_studies",
    "discrepancies",
    "evidence_map_html",
    "evidence_map_image",
    "evidence_rollup",
    "evidence_table",
    "figure_bytes",
    "group_finding",
    "plot_evidence_map",
    "rank_conditions",
    "render_evidence_map",
    "weakest_evidence",
    "write_evidence_map",
]

FILES: dict[str, str] = {
    "csv": "evidence-map.csv",
    "png": "evidence-map.png",
    "svg": "evidence-map.svg",
    "html": "evidence-map.html",
}


def conditions_without_studies(table: pd.DataFrame, store: Store) -> pd.DataFrame:
    """Rows of the verdict table for the conditions the articles make claims about with no study of their own."""
    from ldngraph.sparql.verdicts import verdict_table

    ranked = verdict_table(store)
    return ranked[~ranked["condition"].isin(set(table["condition"]))].reset_index(drop=True)


def render_evidence_map(table: pd.DataFrame, others: pd.DataFrame | None = None) -> dict[str, bytes]:
    """The four files of the evidence map (CSV, PNG, SVG, HTML) as bytes, keyed by file name.

    The CSV and the HTML table are the evidence table: one row per study per condition.
    """
    figure = plot_evidence_map(table, others)
    return {
        FILES["csv"]: table.to_csv(index=False, lineterminator="\n").encode("utf-8"),
        FILES["png"]: figure_bytes(figure, "png"),
        FILES["svg"]: figure_bytes(figure, "svg"),
        FILES["html"]: evidence_map_html(table).encode("utf-8"),
    }


def write_evidence_map(out_dir: Path | str, source: Store | Graph | Path | str | None = None) -> dict[str, Path]:
    """Write the evidence map as CSV, PNG, SVG and HTML into ``out_dir`` (atomically).

    Args:
        out_dir: the folder to write into.
        source: a store, a graph folder, an rdflib Graph of a build, or None for the curated graph.

    Returns:
        The written paths keyed by format (csv, png, svg, html).
    """
    from ldngraph.rdf.build import write_atomically

    store = as_store(source)
    table = evidence_table(store)
    payloads = render_evidence_map(table, conditions_without_studies(table, store))
    folder = Path(out_dir)
    paths = {fmt: folder / name for fmt, name in FILES.items()}
    write_atomically({paths[fmt]: payloads[name] for fmt, name in FILES.items()})
    return paths
