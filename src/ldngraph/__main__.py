"""Run the command line as ``python -m ldngraph``."""

from ldngraph.cli import main

main()
