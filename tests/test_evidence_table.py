"""The evidence table: one row per independent study per condition, read from the verdicts built into the graph."""

from __future__ import annotations

import pandas as pd
import pytest

from ldngraph.explore.evidence_table import COLUMNS, ROLES, TIERS, as_store, evidence_table, short_label
from ldngraph.sparql.answers import curated_store
from ldngraph.sparql.verdicts import verdict, verdict_table


@pytest.fixture(scope="module")
def store():
    with curated_store() as opened:
        yield opened


@pytest.fixture(scope="module")
def table(store):
    return evidence_table(store)


def _rows(table: pd.DataFrame, condition: str, role: str | None = None) -> pd.DataFrame:
    rows = table[table["condition"] == condition]
    return rows if role is None else rows[rows["role"] == role]


def test_columns_and_types(table):
    assert list(table.columns) == COLUMNS
    assert str(table["n"].dtype) == "Int64" and str(table["year"].dtype) == "Int64"
    for column, categories in (("role", ROLES), ("tier", TIERS)):
        assert table[column].cat.ordered and list(table[column].cat.categories) == list(categories)
    assert table["level"].cat.ordered and list(table["level"].cat.categories)[:4] == [
        "rct", "controlled", "uncontrolled", "case_report"]
    assert table["verdict"].cat.ordered and table["certainty"].cat.ordered
    assert table["tier"].min() == "randomised"  # ordered: comparisons follow the design ladder
    assert not table.duplicated(["condition", "study"]).any()  # each study once per condition


def test_fibromyalgia_shows_the_null_final_and_copenhagen_trials_beside_younger_2013(table):
    counted = _rows(table, "fibromyalgia", "counted").set_index("study")
    assert set(counted.index) == {"nct04270877", "nct02806440", "younger-2013"}
    assert counted.loc["nct04270877", "finding"] == "no_difference" and counted.loc["nct04270877", "n"] == 99
    assert counted.loc["nct02806440", "finding"] == "no_difference" and counted.loc["nct02806440", "n"] == 58
    assert counted.loc["younger-2013", "finding"] == "benefit" and counted.loc["younger-2013", "n"] == 31
    assert counted.loc["nct04270877", "short_label"] == "FINAL 2023"
    assert set(counted["tier"]) == {"randomised"} and set(counted["regimen_category"]) == {"ldn"}
    assert set(counted["verdict"]) == {"conflicting"} and set(counted["certainty"]) == {"low"}
    apart = _rows(table, "fibromyalgia", "shown apart")
    assert list(apart["study"]) == ["younger-2009-50mg"] and list(apart["regimen_category"]) == ["standard"]
    assert set(_rows(table, "fibromyalgia")["role"]) == set(ROLES)


def test_every_row_is_a_study_the_verdict_names_with_its_role_and_n(table, store):
    ranked = verdict_table(store)
    shown = [c for c in ranked["condition"] if c in set(table["condition"])]
    assert list(dict.fromkeys(table["condition"])) == shown  # the verdict ranking
    for condition in ranked["condition"]:
        expected = {(s.role, s.study, s.n) for s in verdict(condition, store).studies}
        rows = _rows(table, condition)
        found = {(r.role, r.study, None if pd.isna(r.n) else int(r.n)) for r in rows.itertuples(index=False)}
        assert found == expected, condition
        counted = rows[rows["role"] == "counted"]
        assert len(counted) == ranked.set_index("condition").loc[condition, "n_studies"], condition


def test_only_ldn_is_counted_and_other_regimens_are_apart(table):
    kept = table[table["role"].isin(["counted", "context"])]
    assert set(kept["regimen_category"]) == {"ldn"}
    apart = table[table["role"] == "shown apart"]
    assert len(apart) and "ldn" not in set(apart["regimen_category"])
    assert {"standard", "combination", "very_low"} <= set(apart["regimen_category"])


def test_no_review_is_a_row(table):
    assert not table["design"].isin(["review", "systematic_review", "meta_analysis"]).any()


def test_roles_can_be_chosen(store):
    counted = evidence_table(store, roles=("counted",))
    assert set(counted["role"]) == {"counted"}
    assert counted["study"].nunique() < evidence_table(store)["study"].nunique()


def test_the_public_name_and_a_graph_folder(explore_graph_dir):
    import ldngraph

    assert ldngraph.evidence_table is evidence_table
    other = evidence_table(explore_graph_dir, roles=("counted",))
    assert "nct04270877" in set(other["study"])


def test_a_networkx_graph_is_refused_with_a_sentence(explore_network):
    with pytest.raises(TypeError, match="pass a store, a graph folder"):
        as_store(explore_network)


@pytest.mark.parametrize(("label", "author", "year", "expected"), [
    ("FINAL: naltrexone 6 mg vs placebo in women with fibromyalgia (Odense)", "Bruun", 2023, "FINAL 2023"),
    ("LDN for fibromyalgia pain (Copenhagen)", "", 2023, "Copenhagen 2023"),
    ("Younger 2013 fibromyalgia RCT", "Younger", 2013, "Younger 2013"),
    ("LDN in ME/CFS and long COVID (Griffith)", "", None, "Griffith"),
    ("a very long label with no author, year or place in it", "", None, "a very long label w…"),
])
def test_short_labels(label, author, year, expected):
    assert short_label(label, author, year) == expected
