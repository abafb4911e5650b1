"""Kill a real process in the middle of an encounter; the encounter resumes with nothing lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from practice_fixtures import EXAMPLE, example_case

from tutor.core.practice.encounter import Practice
from tutor.core.progress.store import ProgressStore

SCRIPT = """
import sys, time
from pathlib import Path
from tutor.core.content.schema import load_case_file
from tutor.core.practice.encounter import Practice
from tutor.core.progress.store import ProgressStore

case = load_case_file(Path(sys.argv[1]))
enc = Practice(ProgressStore(), {case.id: case}.__getitem__).start(case.id, "en", "amina")
enc.ask("how long have you had the fever")
enc.move("examination")
enc.examine("general")
enc.move("history")
enc.ask("are you vomiting?")
enc.note("febrile 3 days, no vomiting")
print(enc.id, flush=True)
while True:  # still "in the encounter" when it is killed
    time.sleep(0.05)
"""


def test_kill_mid_encounter_then_resume(tutor_home: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(EXAMPLE)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "TUTOR_HOME": str(tutor_home)},
    )
    try:
        assert proc.stdout is not None
        encounter_id = proc.stdout.readline().strip()
        assert encounter_id, "the child never reached the middle of the encounter"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL

    case = example_case()
    practice = Practice(ProgressStore(), {case.id: case}.__getitem__)
    assert [r.id for r in practice.unfinished("amina")] == [encounter_id]
    enc = practice.resume(encounter_id)
    assert [q for q, _a, _f in enc.state.transcript] == [
        "how long have you had the fever",
        "are you vomiting?",
    ]
    assert enc.state.revealed == ["fever-duration", "vomiting"]
    assert enc.state.examined == ["general"]
    assert enc.state.stage == "history"
    assert enc.state.notes == "febrile 3 days, no vomiting"
    kinds = [e.type for e in practice.store.pending_events()]
    assert kinds.count("practice.asked") == 2 and kinds[0] == "practice.started"
    enc.diagnose("malaria", [])  # and it carries on from there
    enc.plan("artemether-lumefantrine")
    assert enc.finish().diagnosis == "correct"
