"""Laptop ↔ school server over real HTTP on loopback: enrolment, sync, access rules, packs."""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from pathlib import Path

import httpx
import pytest
from syncsupport import ThreadServer, setup_class

from tutor.core.errors import KnownError
from tutor.core.progress.encounter import finished_payload
from tutor.core.progress.learners import Learners
from tutor.core.progress.store import ProgressStore
from tutor.core.sync import packs, protocol
from tutor.core.sync.client import SyncClient
from tutor.core.sync.state import load_state


@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    with ThreadServer(tmp_path / "server") as running:
        running.code = setup_class(running.storage)  # type: ignore[attr-defined]
        yield running


def practise(store: ProgressStore, n: int = 3) -> str:
    learner = Learners(store).create("Amina")
    for i in range(n):
        payload = finished_payload(f"case-{i % 2}", {"history": 0.5, "diagnosis": 1.0}, 60.0)
        store.write(lambda tx, p=payload: tx.emit("encounter.finished", p, learner.id))
    return learner.id


def test_enroll_sync_and_everything_acknowledged(server, tutor_home: Path) -> None:  # type: ignore[no-untyped-def]
    store = ProgressStore()
    practise(store)
    client = SyncClient(store)
    with pytest.raises(KnownError, match="not enrolled"):
        client.sync()
    with pytest.raises(KnownError, match="class code"):
        client.enroll(server.url, "WRONG123")
    client.enroll(server.url, server.code.lower())
    assert (tutor_home / "sync.json").stat().st_mode & 0o077 == 0
    progress: list[tuple[int, int]] = []
    result = client.sync(on_progress=lambda done, total: progress.append((done, total)))
    assert result.pending == 0 and result.acknowledged == 4 and result.stored_through == 4
    assert progress[-1] == (4, 4)
    stored = server.storage.events_of_device(store.device_id)
    local = [row[0] for row in store.db.execute("SELECT id FROM events ORDER BY seq")]
    assert [e.id for e in stored] == local
    assert stored[0].learner_name == "Amina"
    again = client.sync()
    assert again.sent == 0 and again.pending == 0
    assert load_state().last_sync is not None


def test_revoked_device_and_foreign_learner_are_refused(server) -> None:  # type: ignore[no-untyped-def]
    store = ProgressStore()
    learner_id = practise(store, 1)
    client = SyncClient(store, max_attempts=1)
    client.enroll(server.url, server.code)
    client.sync()
    # Another laptop tries to write events for Amina.
    other = ProgressStore(store.path.with_name("other.db"))
    other.write(lambda tx: tx.emit("encounter.finished", {"case_id": "x"}, learner_id))
    token = httpx.post(
        server.url + protocol.ENROLL,
        json=protocol.enroll_request(server.code, other.device_id, "other"),
    ).json()["device_token"]
    wire = [
        protocol.WireEvent(e.id, e.seq, e.learner_id, e.type, e.payload, e.client_time)
        for e in other.pending_events()
    ]
    answer = httpx.post(
        server.url + protocol.EVENTS,
        content=protocol.encode_batch(other.device_id, wire),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 403
    # ... or sends them under the first laptop's device id.
    answer = httpx.post(
        server.url + protocol.EVENTS,
        content=protocol.encode_batch(store.device_id, wire),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 403
    assert server.storage.stored_through(other.device_id) == 0
    teacher = server.storage.teacher_by_name("Ms Banda")[0]
    server.storage.revoke_device(teacher.id, store.device_id)
    store.write(lambda tx: tx.emit("ping", {}))
    with pytest.raises(KnownError, match="no longer accepts"):
        client.sync()
    assert store.pending_count() == 1  # nothing lost


def test_malformed_batches_are_rejected(server) -> None:  # type: ignore[no-untyped-def]
    store = ProgressStore()
    SyncClient(store).enroll(server.url, server.code)
    headers = {"Authorization": f"Bearer {load_state().device_token}"}
    for body in (b"not gzip", gzip.compress(b"{}"), gzip.compress(json.dumps({"v": 99}).encode())):
        answer = httpx.post(server.url + protocol.EVENTS, content=body, headers=headers)
        assert answer.status_code == 400
    assert httpx.get(server.url + protocol.EVENTS).status_code == 401


def test_pack_download_resumes_and_verifies(server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tutor.core.content.library import Library
    from tutor.core.content.packs import build_pack, generate_key, trust_key
    from tutor.server.packs import add_pack

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
    from content_fixtures import case_data, write_cases

    key, public = generate_key(tmp_path / "publisher.key")
    trust_key(public)
    cases = write_cases(tmp_path / "cases", *(case_data(f"case-{i:03d}") for i in range(40)))
    source = tmp_path / "cardio.pack"
    build_pack(cases, source, key, pack_id="cardio", version=2)
    add_pack(server.storage, server.data, source, "cardio", 2)
    store = ProgressStore()
    client = SyncClient(store)
    client.enroll(server.url, server.code)
    # An interrupted earlier download left the first 300 kB.
    part = packs.packs_dir() / "cardio-2.pack.part"
    half = source.stat().st_size // 2
    part.write_bytes(source.read_bytes()[:half])
    requests: list[str] = []
    with httpx.Client(
        base_url=server.url,
        headers={"Authorization": f"Bearer {load_state().device_token}"},
        event_hooks={"request": [lambda r: requests.append(r.headers.get("range", ""))]},
    ) as http:
        outcome = packs.pull_packs(http)
    assert [(o.name, o.version, o.status) for o in outcome] == [("cardio", 2, "installed")]
    assert f"bytes={half}-" in requests
    assert Library().count() == 40  # verified, then imported into the library
    final = packs.packs_dir() / "cardio-2.pack"
    assert (
        hashlib.sha256(final.read_bytes()).hexdigest()
        == hashlib.sha256(source.read_bytes()).hexdigest()
    )
    assert not part.exists()
    assert [o.status for o in client.pull()] == ["current"]


def test_damaged_pack_is_discarded(server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tutor.server.packs import add_pack

    source = tmp_path / "p.pack"
    source.write_bytes(b"x" * 5000)
    add_pack(server.storage, server.data, source, "p", 1)
    (server.data / "packs" / "p-1.pack").write_bytes(b"y" * 5000)  # corrupted on the server
    client = SyncClient(ProgressStore())
    client.enroll(server.url, server.code)
    with pytest.raises(KnownError, match="damaged"):
        client.pull()
    assert not list(packs.packs_dir().iterdir())
    assert load_state().packs == {}


def test_oversized_batch_is_refused(server) -> None:  # type: ignore[no-untyped-def]
    store = ProgressStore()
    SyncClient(store).enroll(server.url, server.code)
    headers = {"Authorization": f"Bearer {load_state().device_token}"}
    body = b"\0" * (protocol.MAX_BATCH_BYTES + 10)
    answer = httpx.post(server.url + protocol.EVENTS, content=body, headers=headers)
    assert answer.status_code == 413


def test_server_that_lost_events_gets_them_again(server) -> None:  # type: ignore[no-untyped-def]
    """The server is restored from an older backup: the laptop re-sends what it lost."""
    store = ProgressStore()
    practise(store, 5)
    client = SyncClient(store, batch_size=2)
    client.enroll(server.url, server.code)
    client.sync()
    conn = server.storage.conn
    with server.storage.lock:
        conn.execute("DELETE FROM events WHERE device_id = ? AND seq > 2", [store.device_id])
        conn.execute("UPDATE devices SET stored_through = 2 WHERE id = ?", [store.device_id])
    store.write(lambda tx: tx.emit("ping", {}))
    result = client.sync()
    assert result.pending == 0
    stored = [e.seq for e in server.storage.events_of_device(store.device_id)]
    assert stored == list(range(1, store.last_seq() + 1))


def test_pack_from_untrusted_publisher_is_not_imported(server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tutor.core.content.library import Library
    from tutor.core.content.packs import build_pack, generate_key
    from tutor.server.packs import add_pack

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
    from content_fixtures import case_data, write_cases

    key, _public = generate_key(tmp_path / "stranger.key")  # never trusted on this laptop
    source = tmp_path / "rogue.pack"
    build_pack(write_cases(tmp_path / "cases", case_data("rogue-case")), source, key, version=1)
    add_pack(server.storage, server.data, source, "rogue", 1)
    client = SyncClient(ProgressStore())
    client.enroll(server.url, server.code)
    with pytest.raises(KnownError):
        client.pull()
    assert Library().count() == 0
