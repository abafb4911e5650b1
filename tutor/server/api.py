"""The device-facing HTTP API of the school server (see ``tutor.core.sync.protocol``): enrolment,
event batches, content pack manifest and files.
"""

from __future__ import annotations

import time

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from tutor.core.sync import protocol
from tutor.server.accounts import new_token, token_hash
from tutor.server.storage import Device, Forbidden, Storage


def _storage(request: Request) -> Storage:
    storage: Storage = request.app.state.storage
    return storage


def _device(request: Request) -> Device | None:
    header = request.headers.get(protocol.TOKEN_HEADER, "")
    if not header.startswith("Bearer "):
        return None
    device = _storage(request).device_by_token(token_hash(header[7:].strip()))
    return None if device is None or device.revoked else device


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"v": protocol.VERSION, "error": message}, status_code=status)


async def enroll(request: Request) -> Response:
    try:
        body = await request.json()
        code, device_id, name = str(body["code"]), str(body["device"]), str(body["name"])[:100]
    except (ValueError, KeyError, TypeError):
        return _error(400, "bad enrolment request")
    if not 0 < len(device_id) <= 64:
        return _error(400, "bad device id")
    return await run_in_threadpool(_enroll, _storage(request), code, device_id, name)


def _enroll(storage: Storage, code: str, device_id: str, name: str) -> Response:
    klass = storage.class_by_code(code.strip().upper())
    if klass is None:
        return _error(403, "unknown class code")
    token = new_token()
    storage.enroll_device(device_id, klass.id, name, token_hash(token))
    return JSONResponse({"v": protocol.VERSION, "device_token": token, "class_name": klass.name})


def events_status(request: Request) -> Response:
    device = _device(request)
    if device is None:
        return _error(401, "unknown or revoked device token")
    return JSONResponse(protocol.ack(_storage(request).stored_through(device.id)))


def ingest(request: Request, body: bytes) -> Response:
    device = _device(request)
    if device is None:
        return _error(401, "unknown or revoked device token")
    try:
        device_id, events = protocol.decode_batch(body)
    except protocol.ProtocolError as exc:
        return _error(400, str(exc))
    if device_id != device.id:
        return _error(403, "a device may only send its own events")
    try:
        through = _storage(request).ingest(device.id, events, time.time())
    except Forbidden:
        return _error(403, "a device may only send events of its own learners")
    # Only now, after COMMIT, is the ack sent.
    return JSONResponse(protocol.ack(through))


async def post_events(request: Request) -> Response:
    # Read at most the limit, whatever Content-Length claims: a huge upload costs no memory.
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > protocol.MAX_BATCH_BYTES:
            return _error(413, "batch too large")
        chunks.append(chunk)
    body = b"".join(chunks)
    # SQLite work blocks: keep it off the event loop so other laptops are served meanwhile.
    return await run_in_threadpool(ingest, request, body)


def pack_manifest(request: Request) -> Response:
    if _device(request) is None:
        return _error(401, "unknown or revoked device token")
    entries = [entry.to_json() for entry, _file in _storage(request).packs()]
    return JSONResponse({"v": protocol.VERSION, "packs": entries})


def pack_file(request: Request) -> Response:
    if _device(request) is None:
        return _error(401, "unknown or revoked device token")
    name, version = request.path_params["name"], request.path_params["version"]
    for entry, file_name in _storage(request).packs():
        if entry.name == name and entry.version == version:
            # FileResponse answers Range requests with 206, so downloads can resume.
            return FileResponse(request.app.state.packs_dir / file_name)
    return _error(404, "no such pack")


routes = [
    Route(protocol.ENROLL, enroll, methods=["POST"]),
    Route(protocol.EVENTS, events_status, methods=["GET"]),
    Route(protocol.EVENTS, post_events, methods=["POST"]),
    Route(protocol.PACKS, pack_manifest, methods=["GET"]),
    Route(protocol.PACKS + "/{name}/{version:int}", pack_file, methods=["GET"]),
]
