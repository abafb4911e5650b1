"""Write the first N AgentClinic cases, as the content library imports them, to tests/eval/cases/.

The patient evaluation (tests/eval/agentclinic*.jsonl) runs against these files so it needs no
installed library; they are the content importer's (#4) own output, so the matcher is measured on
exactly what a learner gets. Run: python benchmarks/agentclinic_fixtures.py 30
"""

from __future__ import annotations

import sys
from pathlib import Path

from tutor.core.content.agentclinic import read_agentclinic
from tutor.core.content.schema import case_to_yaml

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "data" / "agentclinic" / "agentclinic_medqa_extended.jsonl"
OUT = ROOT / "tests" / "eval" / "cases"


def main(count: int) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("agentclinic-*.yaml"):
        old.unlink()
    for case in read_agentclinic(SOURCE).cases[:count]:
        (OUT / f"{case.id}.yaml").write_text(case_to_yaml(case), encoding="utf-8")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
