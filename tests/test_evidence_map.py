"""The evidence map: one mark per independent study (never a count of claims), the roll-up, CSV, pictures, HTML."""

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
    FINDING_SHAPES,
    discrepancies,
    evidence_map_html,
    evidence_rollup,
    evidence_table,
    group_finding,
    plot_evidence_map,
    rank_conditions,
    weakest_evidence,
    write_evidence_map,
)
from ldngraph.sparql.answers import curated_store
from ldngraph.sparql.verdicts import verdict_table


@pytest.fixture(scope="module")
def store():
    with curated_store() as opened:
        yield opened


@pytest.fixture(scope="module")
def table(store):
    return evidence_table(store)


@pytest.fixture(scope="module")
def rollup(table):
    return evidence_rollup(table)


def _group(rollup: pd.DataFrame, condition: str, tier: str, category: str = "ldn") -> pd.Series:
    rows = rollup[(rollup["condition"] == condition) & (rollup["tier"] == tier)
                  & (rollup["regimen_category"] == category)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        (["benefit"], "benefit"),
        (["no_difference", "no_difference"], "no_difference"),
        (["benefit", "no_difference"], "conflicting"),
        (["benefit", "mixed"], "mixed"),
        (["uncertain"], "uncertain"),
        (["benefit", "uncertain"], "benefit"),
        ([], "uncertain"),
    ],
)
def test_group_finding(findings, expected):
    assert group_finding(findings) == expected


def test_fibromyalgia_trials_are_counted_once_each_with_the_null_final_and_copenhagen_trials(rollup):
    group = _group(rollup, "fibromyalgia", "randomised")
    assert set(group["study_ids"].split(", ")) == {"nct04270877", "nct02806440", "younger-2013"}
    assert (group["studies"], group["participants"]) == (3, 99 + 58 + 31)
    assert (group["no_difference"], group["benefit"], group["finding"]) == (2, 1, "conflicting")
    assert (group["role"], group["verdict"], group["certainty"]) == ("counted", "conflicting", "low")
    assert list(rollup.columns) == COLUMNS


def test_other_doses_are_their_own_rows_never_merged(rollup, table):
    apart = _group(rollup, "fibromyalgia", "randomised", "standard")
    assert (apart["study_ids"], apart["role"]) == ("younger-2009-50mg", "shown apart")
    assert apart["finding"] == "no_difference"
    without = evidence_rollup(table, apart=False)
    assert "shown apart" not in set(without["role"]) and len(without) < len(rollup)


def test_the_rollup_counts_what_the_verdict_counts(rollup, store):
    ranked = verdict_table(store).set_index("condition")
    counted = rollup[rollup["role"] == "counted"].groupby("condition")[["studies", "participants"]].sum()
    for condition, row in counted.iterrows():
        assert (row["studies"], row["participants"]) == (ranked.loc[condition, "n_studies"],
                                                          ranked.loc[condition, "participants"]), condition


def test_ranking_follows_the_verdicts_and_the_weakest_are_insufficient(table, store):
    ranked = rank_conditions(table)
    order = [c for c in verdict_table(store)["condition"] if c in set(ranked["condition"])]
    assert list(ranked["condition"]) == order
    fibro = ranked.set_index("condition").loc["fibromyalgia"]
    assert (fibro["studies"], fibro["participants"], fibro["best_tier"]) == (3, 188, "randomised")
    assert (fibro["apart"], fibro["running"], fibro["leads"], fibro["claims_supporting"]) == (1, 1, 1, 11)
    weakest = weakest_evidence(table)
    assert set(weakest["verdict"]) == {"insufficient"} and "fibromyalgia" not in set(weakest["condition"])
    assert "psoriasis" in set(weakest["condition"])


def test_discrepancies_list_what_the_article_says_and_the_primary_record(explore_network):
    table = discrepancies(explore_network).set_index("claim")
    row = table.loc["zz-c-rct1-again"]
    assert row["discrepancy"] == "misreported_number"
    assert row["primary_says"] == "40 randomised"
    assert table.loc["zz-c-disputed", "status"] == "disputed"
    assert "a003-younger2013-pain" in table.index  # the real article's 30 vs 31 women


def test_the_picture_draws_one_mark_per_study_with_a_shape_per_finding(table):
    assert len(set(FINDING_SHAPES.values())) == len(FINDING_SHAPES)
    figure = plot_evidence_map(table)
    studies = figure.axes[0]
    drawn = table[table["role"].isin(["counted", "context", "shown apart"])]
    assert len(studies.collections) == len(drawn)
    labels = [t.get_text() for t in studies.texts]
    assert any(text.startswith("FINAL\n2023, n=99") for text in labels)
    assert any(text.startswith("Copenhagen\n2023, n=58") for text in labels)
    verdicts = [t.get_text() for t in figure.axes[1].texts]
    assert "conflicting · low" in verdicts and "benefit shown · low" in verdicts


def test_html_table_escapes_values_and_loads_nothing_from_the_network(table):
    evil = table.copy()
    evil["condition_label"] = evil["condition_label"].astype(object)
    evil.loc[0, "condition_label"] = '<script>alert("x")</script>'
    page = evidence_map_html(evil)
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "http://" not in page and "https://" not in page
    assert page.count("<tr>") == len(table) + 1
    assert "▲ benefit" in page and "● no difference" in page


def test_write_evidence_map_writes_csv_png_svg_and_html(tmp_path, store, table):
    paths = write_evidence_map(tmp_path / "map", store)
    assert {p.name for p in paths.values()} == set(FILES.values())
    back = pd.read_csv(paths["csv"], keep_default_na=False)
    assert len(back) == len(table)
    fibro = back[(back["condition"] == "fibromyalgia") & (back["role"] == "counted")]
    assert set(fibro["study"]) == {"nct04270877", "nct02806440", "younger-2013"}
    assert paths["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = ET.parse(paths["svg"]).getroot()
    assert svg.tag.endswith("svg")
    text = paths["svg"].read_text(encoding="utf-8")
    assert "fibromyalgia" in text and "FINAL" in text and "Copenhagen" in text and "conflicting · low" in text
    assert "FINAL" in paths["html"].read_text(encoding="utf-8")


def test_svg_is_reproducible(tmp_path, store):
    first = write_evidence_map(tmp_path / "a", store)["svg"].read_bytes()
    second = write_evidence_map(tmp_path / "b", store)["svg"].read_bytes()
    assert first == second


def test_evidence_map_command_writes_the_files(tmp_path, explore_graph_dir):
    result = CliRunner().invoke(app, ["evidence-map", "--graph", str(explore_graph_dir), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "evidence-map.png" in result.output and "independent studies with a result" in result.output
    frame = pd.read_csv(io.StringIO((tmp_path / "evidence-map.csv").read_text(encoding="utf-8")))
    assert "nct04270877" in set(frame["study"])
    assert "claims" not in result.output  # the map counts studies, not the articles' claims
