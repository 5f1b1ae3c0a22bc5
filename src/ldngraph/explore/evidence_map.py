"""The evidence map: studies, participants and direction of the evidence by condition and level.

The roll-up groups the ``studied_for`` claims (a drug or regimen studied, used or proposed for a
condition) by condition and evidence level. Each group's direction is one of:

* ``supports``: every asserted claim supports the statement;
* ``null``: every asserted claim found no effect;
* ``mixed``: claims rated mixed (a study with some outcomes better and some not), possibly with
  supporting or null ones;
* ``contested``: claims pointing both ways (supports and no effect), any claim that contradicts the
  statement, or only disputed claims (an article says it, the graph does not accept it).

Participants (people, at the clinical levels) and animals (at the animal level) are counted once per
study, from the study's primary record (``n_enrolled``) or else the largest number a claim states;
claims without a study add their own stated number.
Standard-dose naltrexone (50-100 mg) is left out by default: the map is about low doses.
"""

from __future__ import annotations

import html
import io
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ldngraph.core.schema import LEVEL_LABELS, EvidenceLevel

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    from rdflib import Graph

DIRECTIONS: tuple[str, ...] = ("supports", "null", "mixed", "contested")
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
COLUMNS: list[str] = [
    "condition",
    "condition_label",
    "category",
    "level",
    "level_rank",
    "level_label",
    "claims",
    "studies",
    "participants",
    "animals",
    "direction",
    "supports",
    "no_effect",
    "mixed",
    "contradicts",
    "disputed",
    "discrepancies",
    "study_ids",
    "doses",
]
FILES: dict[str, str] = {
    "csv": "evidence-map.csv",
    "png": "evidence-map.png",
    "svg": "evidence-map.svg",
    "html": "evidence-map.html",
}


def _network(source: Any) -> nx.MultiDiGraph:
    import networkx as nx

    from ldngraph.explore.network import to_networkx

    if isinstance(source, nx.MultiDiGraph):
        return source
    return to_networkx(source)


def group_direction(directions: Iterable[str], disputed: int = 0) -> str:
    """The direction of a group of claims from the directions of its asserted claims.

    >>> group_direction(["supports", "supports"])
    'supports'
    >>> group_direction(["supports", "no_effect"])
    'contested'
    >>> group_direction(["supports", "mixed"])
    'mixed'
    """
    seen = set(directions)
    if not seen:
        return "contested" if disputed else "null"
    if "contradicts" in seen or {"supports", "no_effect"} <= seen:
        return "contested"
    if seen == {"supports"}:
        return "supports"
    if seen == {"no_effect"}:
        return "null"
    return "mixed"


def _is_standard_dose(graph: nx.MultiDiGraph, subject: str, data: dict[str, Any]) -> bool:
    for node in (data.get("regimen"), subject):
        if node and graph.nodes.get(node, {}).get("dose_band") == "standard":
            return True
    return False


def evidence_rollup(
    source: nx.MultiDiGraph | Graph | Path | str | None = None, *, include_standard_dose: bool = False
) -> pd.DataFrame:
    """The evidence map as a table: one row per condition and evidence level.

    Args:
        source: the projected graph (:func:`ldngraph.explore.network.to_networkx`), an rdflib Graph, a graph
            folder, or None for the default graph folder.
        include_standard_dose: also count claims about naltrexone at 50-100 mg.

    Returns:
        A DataFrame with the columns in :data:`COLUMNS`, conditions with the strongest evidence first,
        then levels from RCT to anecdote.
    """
    import pandas as pd

    graph = _network(source)
    groups: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = {}
    for subject, target, data in graph.edges(data=True):
        if data.get("predicate") != "studied_for" or data.get("origin") != "claim":
            continue
        if graph.nodes[target].get("kind") != "condition":
            continue
        if not include_standard_dose and _is_standard_dose(graph, subject, data):
            continue
        groups.setdefault((target, data["level"]), []).append((subject, data))

    rows = []
    for (condition, level), claims in groups.items():
        asserted = [d for _, d in claims if d.get("status") != "disputed"]
        disputed = len(claims) - len(asserted)
        studies: dict[str, int] = {}
        loose = 0
        for data in asserted:
            study = data.get("study")
            stated = int(data["n"]) if data.get("n") is not None else 0
            if study:
                enrolled = graph.nodes.get(study, {}).get("n_enrolled")
                count = int(enrolled) if enrolled is not None else stated
                studies[study] = max(studies.get(study, 0), count)
            else:
                loose += stated
        counted = sum(studies.values()) + loose
        directions = [str(d.get("direction")) for d in asserted]
        doses = {
            str(graph.nodes[d.get("regimen") or s].get("label", d.get("regimen") or s))
            for s, d in claims
            if d.get("regimen") or graph.nodes[s].get("kind") == "dose_regimen"
        }
        node = graph.nodes[condition]
        rows.append(
            {
                "condition": condition,
                "condition_label": node.get("label", condition),
                "category": node.get("category", ""),
                "level": level,
                "level_rank": EvidenceLevel(level).rank,
                "level_label": LEVEL_LABELS[EvidenceLevel(level)],
                "claims": len(claims),
                "studies": len(studies),
                "participants": counted if EvidenceLevel(level).is_clinical else 0,
                "animals": counted if level == EvidenceLevel.animal.value else 0,
                "direction": group_direction(directions, disputed),
                "supports": directions.count("supports"),
                "no_effect": directions.count("no_effect"),
                "mixed": directions.count("mixed"),
                "contradicts": directions.count("contradicts"),
                "disputed": disputed,
                "discrepancies": sum(1 for _, d in claims if d.get("discrepancy")),
                "study_ids": ", ".join(sorted(studies)),
                "doses": ", ".join(sorted(doses)),
            }
        )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if frame.empty:
        return frame
    best = frame.groupby("condition")["level_rank"].min().rename("_best")
    weight = frame.groupby("condition")["participants"].sum().rename("_weight")
    frame = frame.join(best, on="condition").join(weight, on="condition")
    frame = frame.sort_values(
        ["_best", "_weight", "condition_label", "level_rank"], ascending=[True, False, True, True]
    )
    return frame.drop(columns=["_best", "_weight"]).reset_index(drop=True)


def rank_conditions(rollup: pd.DataFrame) -> pd.DataFrame:
    """Conditions ranked by the strength of their evidence: best level, then participants at that level.

    Returns:
        One row per condition: condition, condition_label, best_level, best_direction,
        participants_at_best, studies (all levels), participants (all levels), clinical (whether
        any evidence comes from people), levels (the levels present, best first).
    """
    import pandas as pd

    rows = []
    for condition, group in rollup.groupby("condition", sort=False):
        group = group.sort_values("level_rank")
        top = group.iloc[0]
        rows.append(
            {
                "condition": condition,
                "condition_label": top["condition_label"],
                "best_level": top["level"],
                "best_direction": top["direction"],
                "participants_at_best": int(top["participants"]),
                "studies": int(group["studies"].sum()),
                "participants": int(group["participants"].sum()),
                "clinical": bool((group["level_rank"] <= EvidenceLevel.case_report.rank).any()),
                "levels": ", ".join(group["level"]),
                "_rank": int(top["level_rank"]),
            }
        )
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame = frame.sort_values(["_rank", "participants_at_best", "condition_label"], ascending=[True, False, True])
    return frame.drop(columns=["_rank"]).reset_index(drop=True)


def weakest_evidence(rollup: pd.DataFrame) -> pd.DataFrame:
    """Conditions whose best evidence is a case report or weaker (no trial or cohort in people).

    Returns:
        The rows of :func:`rank_conditions` for those conditions, weakest last.
    """
    ranked = rank_conditions(rollup)
    if ranked.empty:
        return ranked
    strong = {EvidenceLevel.rct.value, EvidenceLevel.controlled.value, EvidenceLevel.uncontrolled.value}
    return ranked[~ranked["best_level"].isin(strong)].reset_index(drop=True)


def discrepancies(source: nx.MultiDiGraph | Graph | Path | str | None = None) -> pd.DataFrame:
    """Where the articles depart from the primary studies or from established pharmacology.

    Returns:
        One row per claim that is disputed or has a discrepancy: claim, article, study, statement
        (subject predicate object), what the article says (effect, else quote), discrepancy,
        primary_says, status and the curator's note.
    """
    import pandas as pd

    graph = _network(source)
    rows = []
    for subject, target, data in graph.edges(data=True):
        if data.get("origin") != "claim" or not (data.get("discrepancy") or data.get("status") == "disputed"):
            continue
        article = data.get("source", "")
        study = data.get("study", "")
        rows.append(
            {
                "claim": data.get("claim"),
                "article": graph.nodes.get(article, {}).get("label", article),
                "study": graph.nodes.get(study, {}).get("label", study) if study else "",
                "statement": " ".join(
                    [
                        str(graph.nodes[subject].get("label", subject)),
                        str(data.get("predicate", "")).replace("_", " "),
                        str(graph.nodes[target].get("label", target)),
                    ]
                ),
                "article_says": data.get("effect") or data.get("quote", ""),
                "discrepancy": data.get("discrepancy", "") or "",
                "primary_says": data.get("primary_says", "") or "",
                "status": data.get("status", ""),
                "note": data.get("note", "") or "",
            }
        )
    columns = [
        "claim",
        "article",
        "study",
        "statement",
        "article_says",
        "discrepancy",
        "primary_says",
        "status",
        "note",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["discrepancy", "claim"], ignore_index=True)


# --------------------------------------------------------------------------- figure


def _size(participants: float, biggest: float) -> float:
    """Marker area in points squared: proportional to participants, with a floor so every group shows."""
    if biggest <= 0:
        return 90.0
    return 90.0 + 1900.0 * (participants / biggest)


def plot_evidence_map(rollup: pd.DataFrame, *, title: str = "Low-dose naltrexone: the evidence by condition"):
    """Draw the evidence map: conditions down the side, evidence level across, one bubble per group.

    Bubbles are sized by participants and coloured by direction; the number in or beside a bubble is
    the number of studies (``-`` when the group rests on claims without a study).

    Returns:
        The matplotlib Figure (drawn with the Agg backend, never shown on screen).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    levels = [level.value for level in EvidenceLevel]
    conditions = list(dict.fromkeys(rollup["condition"])) if not rollup.empty else []
    labels = dict(zip(rollup["condition"], rollup["condition_label"], strict=False)) if not rollup.empty else {}
    height = max(3.2, 1.15 + 0.42 * len(conditions))
    figure = Figure(figsize=(11.5, height + 1.3), dpi=110, layout="constrained")
    FigureCanvasAgg(figure)  # drawn with Agg whatever the session's backend is; pyplot is never used
    axes = figure.add_subplot()
    biggest = float(rollup["participants"].max()) if not rollup.empty else 0.0
    y_of = {c: i for i, c in enumerate(reversed(conditions))}
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
    colour_handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=9,
            markerfacecolor=DIRECTION_COLOURS[d],
            markeredgecolor="#333333",
            label=d,
        )
        for d in DIRECTIONS
    ]
    size_handles = []
    if biggest > 0:
        for value in _size_steps(biggest):
            size_handles.append(
                Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="",
                    markersize=_size(value, biggest) ** 0.5,
                    markerfacecolor="white",
                    markeredgecolor="#333333",
                    label=f"{value:g}",
                )
            )
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
    if size_handles:
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
    figure.supxlabel(
        "Bubble area: participants (people); groups with none are drawn small. "
        "Number in or beside a bubble: studies in the group.  Source: ldngraph.",
        x=0.01,
        ha="left",
        fontsize=7,
        color="#666666",
    )
    return figure


def _size_steps(biggest: float) -> list[float]:
    """Round legend sizes below the biggest group, then the biggest itself."""
    top = float(round(biggest))
    steps = [float(v) for v in (10, 25, 50, 100, 250, 500, 1000, 5000) if v < 0.8 * top]
    return [*steps[-2:], top]


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


# --------------------------------------------------------------------------- HTML table


def evidence_map_html(rollup: pd.DataFrame, *, title: str = "ldngraph evidence map") -> str:
    """The roll-up as one self-contained HTML page: a sortable, filterable table (no external files).

    Every value is HTML-escaped; the page loads nothing from the network.
    """
    headers = [
        ("condition_label", "condition"),
        ("level_label", "evidence level"),
        ("direction", "direction"),
        ("studies", "studies"),
        ("participants", "participants"),
        ("animals", "animals"),
        ("claims", "claims"),
        ("supports", "supports"),
        ("no_effect", "no effect"),
        ("mixed", "mixed"),
        ("contradicts", "contradicts"),
        ("disputed", "disputed"),
        ("discrepancies", "discrepancies"),
        ("study_ids", "studies (ids)"),
        ("doses", "doses"),
    ]
    numeric = {
        "studies",
        "participants",
        "animals",
        "claims",
        "supports",
        "no_effect",
        "mixed",
        "contradicts",
        "disputed",
        "discrepancies",
    }
    head = "".join(
        f'<th data-col="{i}" data-num="{int(key in numeric)}" tabindex="0">{html.escape(label)}</th>'
        for i, (key, label) in enumerate(headers)
    )
    body = []
    for record in rollup.to_dict(orient="records"):
        cells = []
        for key, _ in headers:
            value = record.get(key, "")
            text = html.escape(str(value))
            if key == "direction":
                colour = DIRECTION_COLOURS.get(str(value), "#999999")
                cells.append(f'<td><span class="dir" style="background:{colour}">{text}</span></td>')
            elif key == "level_label":
                cells.append(f'<td data-sort="{int(record["level_rank"])}">{text}</td>')
            else:
                cells.append(f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    legend = " ".join(
        f'<span class="dir" style="background:{colour}">{html.escape(name)}</span>'
        for name, colour in DIRECTION_COLOURS.items()
    )
    return _PAGE.format(
        title=html.escape(title),
        legend=legend,
        head=head,
        body="\n".join(body),
        count=len(body),
    )


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }}
table {{ border-collapse: collapse; font-size: 0.9rem; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }}
th {{ cursor: pointer; background: #f4f4f4; position: sticky; top: 0; }}
th.asc::after {{ content: " \\25B2"; }} th.desc::after {{ content: " \\25BC"; }}
.dir {{ color: white; border-radius: 0.6rem; padding: 0.05rem 0.5rem; font-size: 0.8rem; }}
input {{ font-size: 1rem; padding: 0.3rem; width: 22rem; margin: 0.5rem 0 1rem 0; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p>One row per condition and evidence level. Direction: {legend}.
Participants are counted once per study, from its primary record. Click a heading to sort.</p>
<input id="filter" type="search" placeholder="Filter rows (e.g. fibromyalgia, RCT, contested)"
 aria-label="Filter rows">
<p id="shown">{count} rows</p>
<table id="map">
<thead><tr>{head}</tr></thead>
<tbody>
{body}
</tbody>
</table>
<script>
(function () {{
  var table = document.getElementById("map"), tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var filter = document.getElementById("filter"), shown = document.getElementById("shown");
  filter.addEventListener("input", function () {{
    var q = filter.value.toLowerCase(), n = 0;
    rows.forEach(function (r) {{
      var hit = r.textContent.toLowerCase().indexOf(q) >= 0;
      r.style.display = hit ? "" : "none"; if (hit) n++;
    }});
    shown.textContent = n + " rows";
  }});
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {{
    function sort() {{
      var col = +th.dataset.col, num = th.dataset.num === "1", asc = !th.classList.contains("asc");
      Array.prototype.forEach.call(th.parentNode.cells, function (c) {{ c.classList.remove("asc", "desc"); }});
      th.classList.add(asc ? "asc" : "desc");
      function key(r) {{
        var c = r.cells[col], v = c.dataset.sort !== undefined ? c.dataset.sort : c.textContent;
        return (num || c.dataset.sort !== undefined) ? parseFloat(v) || 0 : v.toLowerCase();
      }}
      rows.sort(function (a, b) {{
        var x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
      }});
      rows.forEach(function (r) {{ tbody.appendChild(r); }});
    }}
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) {{ if (e.key === "Enter") sort(); }});
  }});
}})();
</script>
</body>
</html>
"""


# --------------------------------------------------------------------------- writing


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
