"""Build hook: ship graph/queries/*.rq (the one copy in the repository) inside the wheel.

Everything else is in pyproject.toml. In a checkout (editable install) the queries are read from
graph/queries directly; see docs/decisions/0008-package-layers.md.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

QUERIES = Path(__file__).resolve().parent / "graph" / "queries"


class BuildWithQueries(build_py):
    """build_py that also copies the named queries into ldngraph/sparql/queries."""

    def run(self) -> None:
        """Build the package, then add the named queries."""
        super().run()
        target = Path(self.build_lib) / "ldngraph" / "sparql" / "queries"
        target.mkdir(parents=True, exist_ok=True)
        for query in sorted(QUERIES.glob("*.rq")):
            shutil.copyfile(query, target / query.name)


setup(cmdclass={"build_py": BuildWithQueries})
