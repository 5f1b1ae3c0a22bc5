"""Exploration commands: export, evidence-map.

Keep this module light: import heavy libraries inside the command functions.
"""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
