"""The ``ldngraph`` command line (see :mod:`ldngraph.cli.app`)."""

from ldngraph.cli.app import app, main

__all__ = ["app", "main"]
