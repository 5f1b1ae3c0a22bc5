"""The evidence map picture: conditions down the side, evidence level across, one bubble per group.

Drawn with matplotlib's Agg backend from the roll-up (:func:`ldngraph.explore.evidence_rollup.evidence_rollup`);
pyplot is never used, so nothing opens a window.
"""

from __future__ import annotations

import io
import textwrap
from typing import TYPE_CHECKING, Any

from ldngraph.core.schema import LEVEL_LABELS, EvidenceLevel
from ldngraph.explore.evidence_rollup import DIRECTIONS

if TYPE_CHECKING:
    import pandas as pd

#: Colours of the directions (Okabe-Ito palette, readable with colour-vision deficiency).
DIRECTION_COLOURS: dict[str, str] = {
    "supports": "#009E73",
    "null": "#8C8C8C",
    "mixed": "#E69F00",
    "contested": "#CC79A7",
}
SHORT_LEVEL_LABELS: dict[str, str] = {
    "rct": "RCT",
    "controlled": "controlled",
    "uncontrolled": "uncontrolled\n(pilot, cohort)",
    "case_report": "case report",
    "review": "review",
    "animal": "animal",
    "in_vitro": "in vitro",
    "mechanism_hypothesis": "mechanism\nhypothesis",
    "anecdote": "anecdote",
    "author_statement": "author\nstatement",
}


def _size(participants: float, biggest: float) -> float:
    """Marker area in points squared: proportional to participants, with a floor so every group shows."""
    if biggest <= 0:
        return 90.0
    return 90.0 + 1900.0 * (participants / biggest)


def _size_steps(biggest: float) -> list[float]:
    """Round legend sizes below the biggest group, then the biggest itself."""
    top = float(round(biggest))
    steps = [float(v) for v in (10, 25, 50, 100, 250, 500, 1000, 5000) if v < 0.8 * top]
    return [*steps[-2:], top]


def _draw_bubbles(axes: Any, rollup: pd.DataFrame, levels: list[str], y_of: dict[str, int], biggest: float) -> None:
    """One bubble per group, sized by participants and coloured by direction, labelled with its studies."""
    for row in rollup.itertuples(index=False):
        x, y = levels.index(row.level), y_of[row.condition]
        area = _size(float(row.participants), biggest)
        axes.scatter(
            [x],
            [y],
            s=area,
            color=DIRECTION_COLOURS[row.direction],
            alpha=0.85,
            edgecolors="#333333",
            linewidths=0.6,
            zorder=3,
        )
        text = str(row.studies) if row.studies else "-"
        if area >= 500:
            axes.annotate(text, (x, y), ha="center", va="center", fontsize=8, color="white", weight="bold", zorder=4)
        else:
            axes.annotate(
                text,
                (x, y),
                xytext=(area**0.5 / 2 + 3, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=7.5,
                color="#333333",
                zorder=4,
            )


def _draw_axes(axes: Any, levels: list[str], conditions: list[str], labels: dict[str, str], title: str) -> None:
    """Ticks, limits, the shaded "not in people" band, grid and title."""
    ticks = [SHORT_LEVEL_LABELS.get(lv) or textwrap.fill(LEVEL_LABELS[EvidenceLevel(lv)], 14) for lv in levels]
    axes.set_xticks(range(len(levels)), ticks, fontsize=8.5)
    axes.set_yticks(range(len(conditions)), [labels[c] for c in reversed(conditions)], fontsize=9)
    axes.set_xlim(-0.6, len(levels) - 0.4)
    top = max(len(conditions), 1) - 0.3 + 0.45
    axes.set_ylim(-0.7, top)
    in_people = sum(1 for level in EvidenceLevel if level.is_clinical)
    axes.axvspan(in_people - 0.5, len(levels) - 0.4, color="#f2f2f2", zorder=0)
    for x, text in (((in_people - 1) / 2, "in people"), ((in_people + len(levels) - 1) / 2, "not in people")):
        axes.text(x, top - 0.05, text, ha="center", va="top", fontsize=8, color="#555555", style="italic")
    axes.grid(True, color="#dddddd", linewidth=0.6, zorder=0)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.set_xlabel("evidence level (strongest on the left)", fontsize=9)
    axes.set_title(title, fontsize=11, loc="left")


def _marker(size: float, face: str, label: str) -> Any:
    from matplotlib.lines import Line2D

    return Line2D(
        [], [], marker="o", linestyle="", markersize=size, markerfacecolor=face, markeredgecolor="#333333", label=label
    )


def _draw_legends(axes: Any, biggest: float) -> None:
    """The direction legend and, when any group has participants, the bubble-size legend."""
    colour_handles = [_marker(9, DIRECTION_COLOURS[d], d) for d in DIRECTIONS]
    legend = axes.legend(
        handles=colour_handles,
        title="direction",
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
        fontsize=8,
        title_fontsize=8.5,
    )
    axes.add_artist(legend)
    if biggest <= 0:
        return
    size_handles = [_marker(_size(value, biggest) ** 0.5, "white", f"{value:g}") for value in _size_steps(biggest)]
    widest = _size(biggest, biggest) ** 0.5 / 8.0  # the biggest marker's diameter in font sizes
    axes.legend(
        handles=size_handles,
        title="participants",
        loc="upper left",
        bbox_to_anchor=(1.01, 0.6),
        frameon=False,
        fontsize=8,
        title_fontsize=8.5,
        labelspacing=0.75 * widest,
        borderpad=0.6 * widest,
        handlelength=widest,
        handletextpad=0.8,
    )


def plot_evidence_map(rollup: pd.DataFrame, *, title: str = "Low-dose naltrexone: the evidence by condition"):
    """Draw the evidence map: conditions down the side, evidence level across, one bubble per group.

    Bubbles are sized by participants and coloured by direction; the number in or beside a bubble is
    the number of studies (``-`` when the group rests on claims without a study).

    Returns:
        The matplotlib Figure (drawn with the Agg backend, never shown on screen).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    levels = [level.value for level in EvidenceLevel]
    conditions = list(dict.fromkeys(rollup["condition"])) if not rollup.empty else []
    labels = dict(zip(rollup["condition"], rollup["condition_label"], strict=False)) if not rollup.empty else {}
    height = max(3.2, 1.15 + 0.42 * len(conditions))
    figure = Figure(figsize=(11.5, height + 1.3), dpi=110, layout="constrained")
    FigureCanvasAgg(figure)  # drawn with Agg whatever the session's backend is; pyplot is never used
    axes = figure.add_subplot()
    biggest = float(rollup["participants"].max()) if not rollup.empty else 0.0
    _draw_bubbles(axes, rollup, levels, {c: i for i, c in enumerate(reversed(conditions))}, biggest)
    _draw_axes(axes, levels, conditions, labels, title)
    _draw_legends(axes, biggest)
    figure.supxlabel(
        "Bubble area: participants (people); groups with none are drawn small. "
        "Number in or beside a bubble: studies in the group.  Source: ldngraph.",
        x=0.01,
        ha="left",
        fontsize=7,
        color="#666666",
    )
    return figure


def figure_bytes(figure: Any, fmt: str) -> bytes:
    """The figure as PNG or SVG bytes (SVG without a date, so it is reproducible)."""
    buffer = io.BytesIO()
    if fmt == "svg":
        import matplotlib

        with matplotlib.rc_context({"svg.hashsalt": "ldngraph"}):
            figure.savefig(buffer, format="svg", metadata={"Date": None})
    else:
        figure.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
    return buffer.getvalue()


def evidence_map_image(rollup: pd.DataFrame) -> Any:
    """The evidence map as a PNG image object that Jupyter (JupyterLab, VS Code) displays inline."""
    from IPython.display import Image

    return Image(data=figure_bytes(plot_evidence_map(rollup), "png"), format="png")
