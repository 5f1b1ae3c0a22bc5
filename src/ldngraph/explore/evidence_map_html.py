"""The evidence map as one self-contained HTML page: a sortable, filterable table of the studies that works offline."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from ldngraph.explore.evidence_map_plot import FINDING_COLOURS, STATEMENT_COLOURS
from ldngraph.explore.evidence_table import FINDING_MARKS, ROLES, TIERS

if TYPE_CHECKING:
    import pandas as pd

#: (column of the evidence table, heading) in the order shown.
HEADERS: list[tuple[str, str]] = [
    ("condition_label", "condition"),
    ("verdict", "verdict"),
    ("certainty", "certainty"),
    ("role", "role in the verdict"),
    ("label", "study"),
    ("tier", "design tier"),
    ("design", "design"),
    ("n", "participants"),
    ("finding", "finding"),
    ("regimen_category", "regimen"),
    ("published", "published"),
    ("claims_supporting", "articles' supporting statements"),
]
_NUMERIC = {"n", "claims_supporting"}
_RANKS = {"role": ROLES, "tier": TIERS, "certainty": ("very_low", "low", "moderate", "high")}


def _cell(key: str, value: object) -> str:
    text = "" if value is None or str(value) in ("<NA>", "nan", "NaN", "None") else str(value)
    shown = html.escape(text.replace("_", " ") if key not in ("label", "condition_label", "design") else text)
    if key == "finding" and text:
        colour = FINDING_COLOURS.get(text, "#8C8C8C")
        mark = html.escape(FINDING_MARKS.get(text, ""))
        return f'<td><span class="tag" style="background:{colour}">{mark} {shown}</span></td>'
    if key == "verdict" and text:
        return f'<td><span class="tag" style="background:{STATEMENT_COLOURS.get(text, "#666666")}">{shown}</span></td>'
    if key in _RANKS:
        order = _RANKS[key]
        return f'<td data-sort="{order.index(text) if text in order else len(order)}">{shown}</td>'
    return f"<td>{shown}</td>"


def evidence_map_html(table: pd.DataFrame, *, title: str = "ldngraph evidence map") -> str:
    """The evidence table as one self-contained HTML page: a sortable, filterable table (no external files).

    One row per independent study per condition, with the condition's verdict and certainty. Every value is
    HTML-escaped; the page loads nothing from the network.
    """
    head = "".join(
        f'<th data-col="{i}" data-num="{int(key in _NUMERIC)}" tabindex="0">{html.escape(label)}</th>'
        for i, (key, label) in enumerate(HEADERS)
    )
    body = [
        "<tr>" + "".join(_cell(key, record.get(key)) for key, _ in HEADERS) + "</tr>"
        for record in table.to_dict(orient="records")
    ]
    legend = " ".join(
        f'<span class="tag" style="background:{colour}">{html.escape(FINDING_MARKS[name])} '
        f'{html.escape(name.replace("_", " "))}</span>'
        for name, colour in FINDING_COLOURS.items()
    )
    return _PAGE.format(title=html.escape(title), legend=legend, head=head, body="\n".join(body), count=len(body))


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
.tag {{ color: white; border-radius: 0.6rem; padding: 0.05rem 0.5rem; font-size: 0.8rem; }}
input {{ font-size: 1rem; padding: 0.3rem; width: 22rem; margin: 0.5rem 0 1rem 0; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p>One row per independent study per condition, with the condition's verdict and certainty (computed from the
studies by the rules of docs/verdicts.md; <code>ldngraph verdict NAME</code> gives the reasons and each study's
numbers). Finding: {legend}. Role: <em>counted</em> in the verdict; <em>context</em> (weaker design, not counted);
<em>shown apart</em> (another dose band or a combination, never counted); <em>lead</em> (results seen only in
secondary sources); <em>running</em> (registered, not reported). Participants are each study's own n, from its
primary record. Click a heading to sort.</p>
<input id="filter" type="search" placeholder="Filter rows (e.g. fibromyalgia, randomised, no difference)"
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
