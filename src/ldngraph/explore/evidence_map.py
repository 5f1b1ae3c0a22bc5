"""The evidence map: studies, participants and direction of the evidence by condition and level.

This module writes the map's four files and is the one import point for its parts:

- :mod:`ldngraph.explore.evidence_rollup`: the roll-up table (:func:`evidence_rollup`), its directions,
  :func:`rank_conditions`, :func:`weakest_evidence` and :func:`discrepancies`;
- :mod:`ldngraph.explore.evidence_map_plot`: the picture (:func:`plot_evidence_map`, PNG and SVG);
- :mod:`ldngraph.explore.evidence_map_html`: the sortable, filterable HTML table.

Participants are counted once per study at the n every surface shows (the primary record's figure),
so the map agrees with ``ldngraph evidence`` and the named query evidence-for-condition.
Standard-dose naltrexone (50-100 mg) is left out by default: the map is about low doses.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ldngraph.explore.evidence_map_html import evidence_map_html
from ldngraph.explore.evidence_map_plot import (
    DIRECTION_COLOURS,
    SHORT_LEVEL_LABELS,
    evidence_map_image,
    figure_bytes,
    plot_evidence_map,
)
from ldngraph.explore.evidence_rollup import (
    COLUMNS,
    DIRECTIONS,
    discrepancies,
    evidence_rollup,
    group_direction,
    rank_conditions,
    weakest_evidence,
)

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    from rdflib import Graph

__all__ = [
    "COLUMNS",
    "DIRECTIONS",
    "DIRECTION_COLOURS",
    "FILES",
    "SHORT_LEVEL_LABELS",
    "discrepancies",
    "evidence_map_html",
    "evidence_map_image",
    "evidence_rollup",
    "figure_bytes",
    "group_direction",
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


def render_evidence_map(rollup: pd.DataFrame) -> dict[str, bytes]:
    """The four files of the evidence map (CSV, PNG, SVG, HTML) as bytes, keyed by file name."""
    figure = plot_evidence_map(rollup)
    return {
        FILES["csv"]: rollup.to_csv(index=False, lineterminator="\n").encode("utf-8"),
        FILES["png"]: figure_bytes(figure, "png"),
        FILES["svg"]: figure_bytes(figure, "svg"),
        FILES["html"]: evidence_map_html(rollup).encode("utf-8"),
    }


def write_evidence_map(
    out_dir: Path | str,
    source: nx.MultiDiGraph | Graph | Path | str | None = None,
    *,
    include_standard_dose: bool = False,
) -> dict[str, Path]:
    """Write the evidence map as CSV, PNG, SVG and HTML into ``out_dir`` (atomically).

    Returns:
        The written paths keyed by format (csv, png, svg, html).
    """
    from ldngraph.rdf.build import write_atomically

    rollup = evidence_rollup(source, include_standard_dose=include_standard_dose)
    payloads = render_evidence_map(rollup)
    folder = Path(out_dir)
    paths = {fmt: folder / name for fmt, name in FILES.items()}
    write_atomically({paths[fmt]: payloads[name] for fmt, name in FILES.items()})
    return paths
