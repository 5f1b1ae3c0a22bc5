"""The docs match the code: README vocabulary section, every command documented, every record file described."""

from __future__ import annotations

from pathlib import Path

from ldngraph.docs import update_readme
from ldngraph.schema import ALL_MODELS, columns

ROOT = Path(__file__).resolve().parent.parent


def test_readme_vocabulary_section_is_up_to_date() -> None:
    changed = update_readme(ROOT / "README.md", ROOT / "graph", check=True)
    assert not changed, "README vocabulary section is stale; run `python -m ldngraph.docs`"


def test_every_cli_command_appears_in_the_readme() -> None:
    import typer.main

    from ldngraph.cli import app

    readme = (ROOT / "README.md").read_text()
    group = typer.main.get_command(app)
    missing = [name for name in group.commands if f"ldngraph {name}" not in readme]  # type: ignore[attr-defined]
    assert not missing, f"commands not shown in README.md: {missing}"


def test_graph_readme_describes_every_record_file_and_claim_column() -> None:
    text = (ROOT / "graph" / "README.md").read_text()
    for model in ALL_MODELS:
        assert f"`{model.file_name}`" in text, model.file_name
    claim_model = next(m for m in ALL_MODELS if m.file_name == "claims.tsv")
    for column in columns(claim_model):
        assert f"`{column}`" in text, column


def test_every_schema_field_has_a_description() -> None:
    for model in ALL_MODELS:
        for name, info in model.model_fields.items():
            assert info.description, f"{model.__name__}.{name} has no description"
