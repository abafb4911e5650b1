"""The school server: one Starlette app (device API + teacher dashboard) over a ``Storage``, run
by uvicorn. ``serve`` is what ``tutor server`` calls.
"""

from __future__ import annotations

import logging
from pathlib import Path

from starlette.applications import Starlette

from tutor.server import api, dashboard
from tutor.server.sqlite_storage import SQLiteStorage
from tutor.server.storage import Storage

log = logging.getLogger(__name__)


def packs_dir(data: Path) -> Path:
    path = data / "packs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def open_storage(data: Path) -> Storage:
    data.mkdir(parents=True, exist_ok=True)
    return SQLiteStorage(data / "server.db")


def create_app(storage: Storage, data: Path) -> Starlette:
    app = Starlette(routes=[*api.routes, *dashboard.routes])
    app.state.storage = storage
    app.state.packs_dir = packs_dir(data)
    return app


def serve(data: Path, host: str = "127.0.0.1", port: int = 8765) -> None:
    import uvicorn

    storage = open_storage(data)
    app = create_app(storage, data)
    log.info("school server on http://%s:%d, data in %s", host, port, data)
    try:
        uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)
    finally:
        storage.close()
