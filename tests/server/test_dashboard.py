"""The dashboard through an in-process client: who sees what, and what the numbers are."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
from syncsupport import ThreadServer

from tutor.core.sync.protocol import WireEvent
from tutor.server import accounts, reports
from tutor.server.charts import line_chart
from tutor.server.storage import Storage


def finished(i: int, learner: str, case: str, scores: dict[str, float], when: float) -> WireEvent:
    payload = {"case_id": case, "scores": scores, "duration_s": 60}
    return WireEvent(f"e{learner}{i}", i, learner, "encounter.finished", payload, when)


def test_teachers_see_only_their_classes(tmp_path: Path) -> None:
    with ThreadServer(tmp_path) as server, httpx.Client(base_url=server.url) as client:
        check_access(server.storage, client)


def check_access(storage: Storage, client: httpx.Client) -> None:
    accounts.add_teacher(storage, "A", "password-a")
    accounts.add_teacher(storage, "B", "password-b")
    class_a = accounts.class_code(storage, "A", "Class A")
    storage.enroll_device("dev-a", class_a.id, "laptop", accounts.token_hash("t"))
    now = time.time()
    storage.ingest(
        "dev-a",
        [
            WireEvent("n1", 1, "l1", "learner.created", {"name": "=HYPERLINK()"}, now),
            finished(2, "l1", "c1", {"history": 0.2, "diagnosis": 0.8}, now),
        ],
        now,
    )
    assert client.get("/").status_code == 303
    client.post("/login", data={"name": "B", "password": "password-b"})
    assert client.get(f"/class/{class_a.id}").status_code == 404
    assert client.get(f"/class/{class_a.id}/results.csv").status_code == 404
    assert client.post(f"/class/{class_a.id}/device/dev-a/revoke").status_code == 404
    assert "Class A" not in client.get("/").text
    client.post("/logout")
    client.post("/login", data={"name": "A", "password": "password-a"})
    page = client.get(f"/class/{class_a.id}")
    assert page.status_code == 200 and "<script" not in page.text
    assert "src=" not in page.text and 'href="http' not in page.text  # nothing from outside
    csv = client.get(f"/class/{class_a.id}/results.csv").text
    assert "'=HYPERLINK()" in csv  # a name cannot become a spreadsheet formula
    assert client.post(f"/class/{class_a.id}/device/dev-a/revoke").status_code == 303
    assert storage.device_by_token(accounts.token_hash("t")).revoked  # type: ignore[union-attr]


def test_reports_numbers() -> None:
    from tutor.server.storage import StoredEvent

    now = 1_700_000_000.0
    events = [
        StoredEvent(
            "1",
            "d",
            1,
            "l1",
            "Amina",
            "encounter.finished",
            {"case_id": "c1", "scores": {"history": 0.2, "diagnosis": 1.0}, "duration_s": 60},
            now,
            now,
        ),
        StoredEvent(
            "2",
            "d",
            2,
            "l1",
            "Amina",
            "encounter.finished",
            {"case_id": "c2", "scores": {"history": 0.4}, "duration_s": 120},
            now + 86400 * 3,
            now,
        ),
        StoredEvent("3", "d", 3, "l2", None, "encounter.finished", {"bad": 1}, now, now),
    ]
    items = reports.results(events)
    assert len(items) == 2
    # The second one claims a date after it reached the server (a laptop clock ahead): clamped.
    assert items[1].when == now
    assert reports.weakest(items) == [("history", 0.30000000000000004), ("diagnosis", 1.0)]
    (row,) = reports.by_learner(items)
    assert (row.label, row.attempts, row.time_s) == ("Amina", 2, 180)
    svg = line_chart(reports.over_time(items))
    assert svg.count("<circle") == 1 and "<script" not in svg
