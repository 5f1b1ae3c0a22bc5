"""Run the command line as ``python -m ldngraph``."""

from .cli import main

main()
