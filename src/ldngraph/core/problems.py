"""Problems found in curated data: levels, codes, locations, and the report that collects them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from enum import Enum


class Level(str, Enum):
    """How serious a problem is."""

    error = "error"
    warning = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One problem, located at a file and line where it has one."""

    file: str
    line: int
    code: str
    message: str
    record_id: str = ""
    level: Level = Level.error

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        record = f" [{self.record_id}]" if self.record_id else ""
        return f"{where}: {self.level.value} {self.code}{record}: {self.message}"


@dataclass
class Report:
    """Every problem found, in file and line order."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        """Append one problem (never replaces earlier ones)."""
        self.problems.append(problem)

    def extend(self, problems: list[Problem]) -> None:
        """Append several problems."""
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        """The problems at error level."""
        return [p for p in self.problems if p.level is Level.error]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    def sorted(self) -> list[Problem]:
        """Problems ordered by file, line and code."""
        return sorted(self.problems)

    def codes(self) -> set[str]:
        """The distinct problem codes."""
        return {p.code for p in self.problems}

    def to_text(self) -> str:
        """One line per problem, then a summary line."""
        lines = [str(p) for p in self.sorted()]
        n_err = len(self.errors)
        n_warn = len(self.problems) - n_err
        lines.append(f"{n_err} error(s), {n_warn} warning(s)")
        return "\n".join(lines)

    def to_json(self) -> str:
        """The report as JSON: a list of problems plus counts by level and code."""
        by_code: dict[str, int] = {}
        for p in self.problems:
            by_code[p.code] = by_code.get(p.code, 0) + 1
        payload = {
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.problems) - len(self.errors),
            "by_code": dict(sorted(by_code.items())),
            "problems": [{**asdict(p), "level": p.level.value} for p in self.sorted()],
        }
        return json.dumps(payload, indent=2, ensure_ascii=False)


class LdngraphError(Exception):
    """Base class of the errors ldngraph raises for bad input; the CLI turns these into messages."""


class RecordsInvalid(LdngraphError):
    """The curated records have errors; ``report`` holds all of them."""

    def __init__(self, report: Report):
        self.report = report
        super().__init__(report.to_text())


class UnknownName(LdngraphError):
    """A name matches nothing of the kind asked for; ``suggestions`` holds the nearest names."""

    def __init__(self, kind: str, name: str, suggestions: list[str]):
        self.kind = kind
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean: {', '.join(suggestions[:8])}?" if suggestions else ""
        super().__init__(f"unknown {kind} {name!r}{hint}")
