"""The evidence map picture: one mark per independent study, by condition and design tier, with each verdict.

Drawn with matplotlib's Agg backend from the evidence table
(:func:`ldngraph.explore.evidence_table.evidence_table`); pyplot is never used, so nothing opens a window.

* **what the studies show now**: conditions down the side in the verdict ranking, design tier across
  (randomised, controlled, uncontrolled, case report) and a last column for studies of other dose bands
  or combination protocols, shown apart and never counted; one mark per study, its area the participants,
  its finding shown by shape *and* colour (▲ benefit, ● no difference, ◆ mixed, ▼ harm, ? uncertain);
  counted studies solid, context studies pale, studies shown apart hollow;
* beside each row, the verdict and its certainty, with the trials still running and the leads;
* **what the articles claimed**: the source articles' statements supporting an effect on the condition.
"""

from __future__ import annotations

import io
import textwrap
from typing import TYPE_CHECKING, Any

from ldngraph.explore.evidence_table import TIER_ORDER, WITH_RESULT

if TYPE_CHECKING:
    import pandas as pd

#: Colours of the findings (Okabe-Ito palette, readable with colour-vision deficiency).
FINDING_COLOURS: dict[str, str] = {
    "benefit": "#009E73",
    "no_difference": "#0072B2",
    "mixed": "#E69F00",
    "harm": "#D55E00",
    "uncertain": "#8C8C8C",
}
#: Marker shapes of the findings: the shape says it without the colour.
FINDING_SHAPES: dict[str, str] = {
    "benefit": "^",
    "no_difference": "o",
    "mixed": "D",
    "harm": "v",
    "uncertain": "$?$",
}
FINDING_WORDS: dict[str, str] = {
    "benefit": "benefit",
    "no_difference": "no difference",
    "mixed": "mixed",
    "harm": "harm",
    "uncertain": "uncertain (no comparison)",
}
STATEMENT_COLOURS: dict[str, str] = {
    "benefit_shown": "#009E73",
    "no_benefit_shown": "#0072B2",
    "mixed": "#E69F00",
    "conflicting": "#CC79A7",
    "insufficient": "#666666",
}
STATEMENT_WORDS: dict[str, str] = {
    "benefit_shown": "benefit shown",
    "no_benefit_shown": "no benefit shown",
    "mixed": "mixed",
    "conflicting": "conflicting",
    "insufficient": "insufficient",
}
COLUMN_LABELS: tuple[str, ...] = (
    "randomised",
    "controlled,\nnot randomised",
    "uncontrolled\n(pilot, cohort)",
    "case report",
    "other doses,\ncombinations\n(shown apart)",
)
APART_COLUMN = len(TIER_ORDER)
#: Column widths (in column units): randomised trials get the most room, as they carry the verdicts.
COLUMN_WIDTHS: tuple[float, ...] = (1.9, 1.1, 1.1, 1.0, 1.3)
COLUMN_EDGES: tuple[float, ...] = tuple(sum(COLUMN_WIDTHS[:i]) for i in range(len(COLUMN_WIDTHS) + 1))
COLUMN_CENTRES: tuple[float, ...] = tuple((a + b) / 2 for a, b in zip(COLUMN_EDGES[:-1], COLUMN_EDGES[1:], strict=True))
ROW_HEIGHT = 0.62
MAX_AREA = 620.0
MIN_AREA = 45.0


def _known(n: Any) -> bool:
    """Whether a (nullable) count is known: not None, NA or NaN."""
    return n is not None and str(n) not in ("<NA>", "nan", "NaN")


def _area(n: Any, biggest: float) -> float:
    """Marker area in points squared: proportional to participants, with a floor so every study shows."""
    if not _known(n) or biggest <= 0:
        return MIN_AREA
    return MIN_AREA + (MAX_AREA - MIN_AREA) * float(n) / biggest


def _column(row: Any) -> int | None:
    if row.role == "shown apart":
        return APART_COLUMN
    tier = str(row.tier)
    return TIER_ORDER.index(tier) if tier in TIER_ORDER else None


def _style(role: str, finding: str) -> dict[str, Any]:
    colour = FINDING_COLOURS.get(finding, FINDING_COLOURS["uncertain"])
    edge = colour if finding == "uncertain" else None  # a '?' outlined in black reads as a black '?'
    if role == "shown apart":
        face = colour if finding == "uncertain" else "white"
        return {"facecolors": face, "edgecolors": colour, "linewidths": 1.6, "alpha": 0.6 if edge else 1.0}
    if role == "context":
        return {"color": colour, "edgecolors": edge or "#555555", "linewidths": 0.5, "alpha": 0.45}
    return {"color": colour, "edgecolors": edge or "#222222", "linewidths": 0.7, "alpha": 0.95}


def _label(row: Any) -> str:
    """Two lines under a mark: 'FINAL' / '2023, n=99' (and the dose band or combination when shown apart)."""
    name, _, year = str(row.short_label).rpartition(" ")
    if not (year.isdigit() and name):
        name, year = str(row.short_label), ""
    name = name if len(name) <= 13 else name[:12] + "…"
    n = f"n={row.n}" if _known(row.n) else "n ?"
    second = f"{year}, {n}" if year else n
    if row.role == "shown apart":
        second += f"\n{str(row.regimen_category).replace('_', '-')}"
    return f"{name}\n{second}"


def _draw_studies(axes: Any, drawn: pd.DataFrame, y_of: dict[str, float], biggest: float) -> None:
    """One mark per study: placed by condition and column, spread within its cell, labelled below."""
    cells: dict[tuple[str, int], list[Any]] = {}
    for row in drawn.itertuples(index=False):
        column = _column(row)
        if column is not None:
            cells.setdefault((row.condition, column), []).append(row)
    for (condition, column), rows in cells.items():
        spread = 0.86 * COLUMN_WIDTHS[column] / max(len(rows), 1)
        for i, row in enumerate(rows):
            x = COLUMN_CENTRES[column] + (i - (len(rows) - 1) / 2) * spread
            y = y_of[condition]
            finding = str(row.finding) if str(row.finding) in FINDING_SHAPES else "uncertain"
            area = _area(row.n, biggest)
            axes.scatter([x], [y + 0.1], s=area, marker=FINDING_SHAPES[finding], zorder=3,
                         **_style(row.role, finding))
            axes.annotate(_label(row), (x, y + 0.1), xytext=(0, -(area**0.5) / 2 - 1.5), textcoords="offset points",
                          ha="center", va="top", fontsize=6, color="#333333", linespacing=0.95, zorder=4)


def _verdict_lines(group: pd.DataFrame) -> tuple[str, str, str]:
    """The verdict and certainty of one condition, and what else stands beside it."""
    top = group.iloc[0]
    statement = str(top["verdict"])
    head = f"{STATEMENT_WORDS.get(statement, statement)} · {str(top['certainty']).replace('_', ' ')}"
    counted = group[group["role"] == "counted"]
    parts = []
    if not counted.empty:
        parts.append(f"{len(counted)} counted, {int(counted['n'].fillna(0).sum())} people")
    running, leads = int((group["role"] == "running").sum()), int((group["role"] == "lead").sum())
    if running:
        parts.append(f"{running} trial{'s' if running > 1 else ''} running")
    if leads:
        parts.append(f"{leads} lead (secondary source)" if leads == 1 else f"{leads} leads")
    return head, "; ".join(parts) or "no LDN study with a result", STATEMENT_COLOURS.get(statement, "#333333")


def _draw_axes(axes: Any, labels: list[str]) -> None:
    """Ticks, limits, the shaded 'shown apart' column, grid and title of the studies panel."""
    count = len(labels)
    axes.set_xticks(COLUMN_CENTRES, COLUMN_LABELS, fontsize=8)
    axes.xaxis.tick_top()
    axes.set_yticks(range(count), [textwrap.fill(label, 26) for label in reversed(labels)], fontsize=8.5)
    axes.set_xlim(COLUMN_EDGES[0], COLUMN_EDGES[-1])
    axes.set_ylim(-0.5, count - 0.5)
    axes.axvspan(COLUMN_EDGES[APART_COLUMN], COLUMN_EDGES[-1], color="#f0f0f0", zorder=0)
    for y in range(count):
        axes.axhline(y - 0.5, color="#e4e4e4", linewidth=0.6, zorder=0)
    for x in COLUMN_EDGES[1:-1]:
        axes.axvline(x, color="#e4e4e4", linewidth=0.6, zorder=0)
    axes.tick_params(length=0)
    for side in ("right", "bottom"):
        axes.spines[side].set_visible(False)
    axes.set_title("What the studies show now: one mark per independent study", fontsize=10, loc="left",
                   pad=10)


def _draw_verdicts(axes: Any, table: pd.DataFrame, conditions: list[str], y_of: dict[str, float]) -> None:
    axes.set_axis_off()
    axes.set_xlim(0, 1)
    axes.set_title("Verdict · certainty", fontsize=10, loc="left", pad=10)
    for condition in conditions:
        head, rest, colour = _verdict_lines(table[table["condition"] == condition])
        y = y_of[condition]
        axes.text(0.02, y + 0.12, head, fontsize=8, color=colour, weight="bold", va="center")
        axes.text(0.02, y - 0.2, rest, fontsize=6.5, color="#444444", va="center")


def _draw_claims(axes: Any, table: pd.DataFrame, conditions: list[str], y_of: dict[str, float]) -> None:
    claims = [int(table.loc[table["condition"] == c, "claims_supporting"].fillna(0).iloc[0]) for c in conditions]
    axes.barh([y_of[c] for c in conditions], claims, height=0.45, color="#bbbbbb", edgecolor="#777777",
              linewidth=0.5)
    for condition, value in zip(conditions, claims, strict=True):
        axes.text(value + 0.2, y_of[condition], str(value), va="center", fontsize=7.5, color="#333333")
    axes.set_xlim(0, max([*claims, 1]) * 1.35 + 0.5)
    axes.tick_params(axis="y", left=False, labelleft=False)
    axes.tick_params(axis="x", labelsize=7)
    for side in ("right", "left", "bottom"):
        axes.spines[side].set_visible(False)
    axes.xaxis.tick_top()
    axes.set_title("Articles' claims:\nstatements\nsupporting it", fontsize=9, loc="left", pad=10)


def _legend_handles() -> list[Any]:
    from matplotlib.lines import Line2D

    def mark(shape: str, face: str, edge: str, label: str, alpha: float = 0.95) -> Line2D:
        return Line2D([], [], marker=shape, linestyle="", markersize=8, markerfacecolor=face, markeredgecolor=edge,
                      alpha=alpha, label=label)

    handles = [mark(FINDING_SHAPES[f], FINDING_COLOURS[f], FINDING_COLOURS[f] if f == "uncertain" else "#222222",
                    FINDING_WORDS[f]) for f in FINDING_SHAPES]
    grey = "#777777"
    handles += [mark("s", grey, "#222222", "counted in the verdict"),
                mark("s", grey, "#555555", "context: weaker design, not counted", 0.45),
                mark("s", "white", grey, "other dose or combination: shown apart, not counted")]
    return handles


def _footnote(others: pd.DataFrame | None) -> str:
    text = ("Mark area: participants (each study once, from its primary record); the number under each mark is "
            "its n. Reviews are never counted. Animal and in-vitro work is not drawn (mechanism paths: notebook "
            "02). Why each verdict, with every study's numbers: ldngraph verdict NAME; rules: docs/verdicts.md.  "
            "Source: ldngraph.")
    if others is not None and not others.empty:
        listed = ", ".join(f"{r.condition_label} ({r.claims_supporting})" for r in others.itertuples(index=False))
        text += (f"\nNot drawn: {len(others)} conditions the articles make claims about with no study of their "
                 f"own in people (supporting statements): {listed}.")
    return "\n".join(textwrap.fill(part, 200) for part in text.split("\n"))


def plot_evidence_map(table: pd.DataFrame, others: pd.DataFrame | None = None, *,
                      title: str = "Low-dose naltrexone: what the independent studies show, condition by condition"):
    """Draw the evidence map from the evidence table (one row per study per condition).

    Args:
        table: :func:`ldngraph.explore.evidence_table.evidence_table` (all roles: running trials and leads
            are named beside the verdict, not drawn).
        others: rows of :func:`ldngraph.sparql.verdicts.verdict_table` for conditions with no study, named
            in the footnote with their articles' supporting statements.
        title: the title above the picture.

    Returns:
        The matplotlib Figure (drawn with the Agg backend, never shown on screen).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    conditions = list(dict.fromkeys(table["condition"]))
    labels = [str(table.loc[table["condition"] == c, "condition_label"].iloc[0]) for c in conditions]
    y_of = {c: float(len(conditions) - 1 - i) for i, c in enumerate(conditions)}
    drawn = table[table["role"].isin(WITH_RESULT)]
    biggest = float(drawn["n"].max()) if not drawn.empty and drawn["n"].notna().any() else 0.0
    rows_height = ROW_HEIGHT * max(len(conditions), 2)
    figure = Figure(figsize=(15, 1.5 + rows_height + 1.05), dpi=110, layout="constrained")
    FigureCanvasAgg(figure)  # drawn with Agg whatever the session's backend is; pyplot is never used
    top, bottom = figure.subfigures(2, 1, height_ratios=[rows_height + 1.5, 1.05])
    studies, verdicts, claims = top.subplots(1, 3, sharey=True, gridspec_kw={"width_ratios": [8.2, 2.4, 1.5]})
    _draw_axes(studies, labels)
    _draw_studies(studies, drawn, y_of, biggest)
    _draw_verdicts(verdicts, table, conditions, y_of)
    _draw_claims(claims, table, conditions, y_of)
    notes = bottom.add_subplot()
    notes.set_axis_off()
    notes.legend(handles=_legend_handles(), loc="upper left", ncol=4, frameon=False, fontsize=7.5)
    notes.text(0.0, 0.0, _footnote(others), transform=notes.transAxes, ha="left", va="bottom", fontsize=6.8,
               color="#555555")
    top.suptitle(title, fontsize=12, x=0.01, ha="left")
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


def evidence_map_image(table: pd.DataFrame, others: pd.DataFrame | None = None) -> Any:
    """The evidence map as a PNG image object that Jupyter (JupyterLab, VS Code) displays inline."""
    from IPython.display import Image

    return Image(data=figure_bytes(plot_evidence_map(table, others), "png"), format="png")
