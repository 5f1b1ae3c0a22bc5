"""The evidence map as one self-contained HTML page: a sortable, filterable table that works offline."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from ldngraph.explore.evidence_map_plot import DIRECTION_COLOURS

if TYPE_CHECKING:
    import pandas as pd


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
