"""The evidence map: the roll-up, its directions and participant counts, the CSV, pictures and HTML table."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from typer.testing import CliRunner

from ldngraph.cli import app
from ldngraph.explore.evidence_map import (
    COLUMNS,
    FILES,
    discrepancies,
    evidence_map_html,
    evidence_rollup,
    group_direction,
    rank_conditions,
    weakest_evidence,
    write_evidence_map,
)


@pytest.fixture(scope="module")
def rollup(explore_network):
    return evidence_rollup(explore_network)


def _group(rollup: pd.DataFrame, condition: str, level: str) -> pd.Series:
    rows = rollup[(rollup["condition"] == condition) & (rollup["level"] == level)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


@pytest.mark.parametrize(
    ("directions", "disputed", "expected"),
    [
        (["supports"], 0, "supports"),
        (["no_effect", "no_effect"], 0, "null"),
        (["supports", "mixed"], 0, "mixed"),
        (["mixed"], 0, "mixed"),
        (["supports", "no_effect"], 0, "contested"),
        (["supports", "contradicts"], 0, "contested"),
        ([], 2, "contested"),
    ],
)
def test_group_direction(directions, disputed, expected):
    assert group_direction(directions, disputed) == expected


def test_fibromyalgia_has_an_rct_group_that_includes_younger_2013(rdf_graph):
    rollup = evidence_rollup(rdf_graph)
    group = _group(rollup, "fibromyalgia", "rct")
    assert "younger-2013" in group["study_ids"].split(", ")
    assert group["participants"] >= 31  # Younger 2013 enrolled 31 (the article says 30)
    assert list(rollup.columns) == COLUMNS


def test_participants_are_counted_once_per_study_from_the_primary_record(rollup):
    group = _group(rollup, "zz-condition-a", "rct")
    assert group["claims"] == 3  # two articles' worth of claims on zz-rct-1, one on zz-rct-2
    assert group["studies"] == 2
    assert group["participants"] == 100  # 40 + 60 enrolled, not 40 + 38 + 60 stated
    assert group["direction"] == "contested"
    assert (group["supports"], group["no_effect"]) == (2, 1)
    assert group["discrepancies"] == 1


def test_standard_dose_claims_are_left_out_unless_asked_for(explore_network, rollup):
    assert "zz-rct-3" not in _group(rollup, "zz-condition-a", "rct")["study_ids"]
    with_standard = evidence_rollup(explore_network, include_standard_dose=True)
    group = _group(with_standard, "zz-condition-a", "rct")
    assert "zz-rct-3" in group["study_ids"] and group["participants"] == 600


def test_preclinical_groups_and_ranking(rollup):
    mouse = _group(rollup, "zz-condition-b", "animal")
    # 60 mice are not 60 participants: animals are counted apart and the bubble is drawn small
    assert (mouse["studies"], mouse["participants"], mouse["animals"], mouse["direction"]) == (1, 0, 60, "supports")
    ranked = rank_conditions(rollup).set_index("condition")
    assert ranked.loc["zz-condition-a", "best_level"] == "rct"
    assert not ranked.loc["zz-condition-b", "clinical"]
    order = list(rank_conditions(rollup)["condition"])
    assert order.index("zz-condition-a") < order.index("zz-condition-b")
    weakest = set(weakest_evidence(rollup)["condition"])
    assert "zz-condition-b" in weakest and "zz-condition-a" not in weakest


def test_discrepancies_list_what_the_article_says_and_the_primary_record(explore_network):
    table = discrepancies(explore_network).set_index("claim")
    row = table.loc["zz-c-rct1-again"]
    assert row["discrepancy"] == "misreported_number"
    assert row["primary_says"] == "40 randomised"
    assert table.loc["zz-c-disputed", "status"] == "disputed"
    assert "a003-younger2013-pain" in table.index  # the real article's 30 vs 31 women


def test_html_table_escapes_values_and_loads_nothing_from_the_network(rollup):
    evil = rollup.copy()
    evil.loc[0, "condition_label"] = '<script>alert("x")</script>'
    page = evidence_map_html(evil)
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "http://" not in page and "https://" not in page
    assert page.count("<tr>") == len(rollup) + 1


def test_write_evidence_map_writes_csv_png_svg_and_html(tmp_path, explore_network, rollup):
    paths = write_evidence_map(tmp_path / "map", explore_network)
    assert {p.name for p in paths.values()} == set(FILES.values())
    back = pd.read_csv(paths["csv"], keep_default_na=False)
    assert len(back) == len(rollup)
    assert back["participants"].sum() == rollup["participants"].sum()
    assert paths["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = ET.parse(paths["svg"]).getroot()
    assert svg.tag.endswith("svg")
    text = paths["svg"].read_text(encoding="utf-8")
    assert "ZZ condition A" in text and "contested" in text
    assert "ZZ condition A" in paths["html"].read_text(encoding="utf-8")


def test_svg_is_reproducible(tmp_path, explore_network):
    first = write_evidence_map(tmp_path / "a", explore_network)["svg"].read_bytes()
    second = write_evidence_map(tmp_path / "b", explore_network)["svg"].read_bytes()
    assert first == second


def test_evidence_map_command_writes_the_files(tmp_path, explore_graph_dir):
    result = CliRunner().invoke(app, ["evidence-map", "--graph", str(explore_graph_dir), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "evidence-map.png" in result.output
    frame = pd.read_csv(io.StringIO((tmp_path / "evidence-map.csv").read_text(encoding="utf-8")))
    assert "zz-condition-a" in set(frame["condition"])
