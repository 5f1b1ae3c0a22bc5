"""Load the curated graph once, validated, for the library API, the CLI and notebooks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ldngraph.core.paths import default_graph_dir
from ldngraph.core.problems import RecordsInvalid, Report
from ldngraph.curation.metagraph import Metagraph
from ldngraph.curation.records import Records
from ldngraph.rdf.validate import validate


@dataclass
class Curated:
    """Validated records and the metagraph of one graph directory."""

    graph_dir: Path
    records: Records
    metagraph: Metagraph
    report: Report

    def layer_of(self) -> dict[str, str]:
        """Claim id -> layer (clinical, preclinical, hypothesis, mechanistic, safety, context)."""
        return {
            claim.id: self.metagraph.claim_layer(claim.predicate, claim.level) for claim in self.records.all_claims()
        }


def load_curated(graph_dir: Path | None = None, *, shacl: bool = False) -> Curated:
    """Load and validate the curated records; raise RecordsInvalid (with every problem) on errors."""
    folder = Path(graph_dir) if graph_dir is not None else default_graph_dir()
    validation = validate(folder, shacl=shacl)
    if not validation.report.ok or validation.metagraph is None:
        raise RecordsInvalid(validation.report)
    return Curated(folder, validation.records, validation.metagraph, validation.report)
