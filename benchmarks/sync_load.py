"""Sync load benchmark (#7): many laptops against one local school server, and one laptop with a
big backlog. Loopback only. Run: .venv/bin/python benchmarks/sync_load.py [--laptops 200]

Part 1: N simulated laptops (each its own progress.db, device and token) with 100 events each sync
concurrently against one `tutor server` process: throughput and per-sync latency (p50/p95).
Part 2: one laptop with 10,000 events: wall time and bytes per event on the wire, counted by a TCP
proxy (HTTP headers included, both directions). Baselines measured in the same run: the same
10,000 events as plain row-per-event JSON (bytes), and synced in batches of 50 (time).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from syncsupport import FaultProxy, SubprocessServer, setup_class  # noqa: E402

from tutor.core.progress.encounter import finished_payload  # noqa: E402
from tutor.core.progress.learners import Learners  # noqa: E402
from tutor.core.progress.store import ProgressStore  # noqa: E402
from tutor.core.sync.client import SyncClient  # noqa: E402
from tutor.server.sqlite_storage import SQLiteStorage  # noqa: E402

FACTS = ("onset", "character", "radiation", "severity", "fever", "cough", "smoking", "allergies")


def fill(store: ProgressStore, n: int, rng: random.Random) -> None:
    """Realistic mix: a learner profile, questions asked, examinations, finished encounters."""
    learner = Learners(store).create(f"Learner {rng.randrange(10_000)}")
    left = n - 1
    with store.transaction() as tx:
        for i in range(left):
            case = f"case-{rng.randrange(40):03d}"
            if i % 10 == 9:
                scores = {
                    c: round(rng.random(), 2) for c in ("history", "examination", "diagnosis")
                }
                payload = finished_payload(case, scores, rng.randrange(200, 1500))
                tx.emit("encounter.finished", payload, learner.id)
            elif i % 3 == 0:
                tx.emit("encounter.examined", {"case_id": case, "system": "chest"}, learner.id)
            else:
                tx.emit("encounter.asked", {"case_id": case, "fact": rng.choice(FACTS)}, learner.id)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def many_laptops(
    server_url: str, code: str, work: Path, laptops: int, events: int
) -> dict[str, float]:
    rng = random.Random(1)
    clients = []
    for i in range(laptops):
        folder = work / f"laptop-{i}"
        folder.mkdir()
        store = ProgressStore(folder / "progress.db")
        fill(store, events, rng)
        client = SyncClient(store, state_file=folder / "sync.json", batch_size=events)
        client.enroll(server_url, code)
        clients.append(client)

    def one(client: SyncClient) -> float:
        start = time.perf_counter()
        result = client.sync()
        assert result.pending == 0
        return time.perf_counter() - start

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=laptops) as pool:
        latencies = list(pool.map(one, clients))
    wall = time.perf_counter() - start
    return {
        "laptops": laptops,
        "events": laptops * events,
        "wall_s": wall,
        "events_per_s": laptops * events / wall,
        "syncs_per_s": laptops / wall,
        "p50_s": statistics.median(latencies),
        "p95_s": percentile(latencies, 95),
        "max_s": max(latencies),
    }


def backlog(server_port: int, code: str, work: Path, n: int, batch: int) -> dict[str, float]:
    folder = work / f"backlog-{batch}"
    folder.mkdir()
    store = ProgressStore(folder / "progress.db")
    fill(store, n, random.Random(2))
    naive = sum(
        len(
            json.dumps(
                {
                    "id": e.id,
                    "seq": e.seq,
                    "learner_id": e.learner_id,
                    "type": e.type,
                    "payload": e.payload,
                    "client_time": e.client_time,
                }
            )
        )
        for e in store.pending_events(limit=n)
    )
    with FaultProxy(server_port) as proxy:
        client = SyncClient(store, state_file=folder / "sync.json", batch_size=batch)
        client.enroll(proxy.url, code)
        up0, down0 = proxy.bytes_up, proxy.bytes_down
        start = time.perf_counter()
        result = client.sync()
        wall = time.perf_counter() - start
        wire = proxy.bytes_up - up0 + proxy.bytes_down - down0
    assert result.pending == 0 and result.acknowledged == n
    return {
        "events": n,
        "batch": batch,
        "wall_s": wall,
        "wire_bytes_per_event": wire / n,
        "naive_json_bytes_per_event": naive / n,
        "requests": result.batches + 1,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--laptops", type=int, default=200)
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--backlog", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["TUTOR_HOME"] = str(work / "home")
        data = work / "server"
        data.mkdir()
        storage = SQLiteStorage(data / "server.db")
        code = setup_class(storage)
        storage.close()
        with SubprocessServer(data) as server:
            load = many_laptops(server.url, code, work, args.laptops, args.events)
            big = backlog(server.port, code, work, args.backlog, 1000)
            small = backlog(server.port, code, work, args.backlog, 50)
    print(
        json.dumps({"many_laptops": load, "backlog": big, "backlog_batches_of_50": small}, indent=2)
    )


if __name__ == "__main__":
    main()
