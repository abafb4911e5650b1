"""Teachers, classes, class codes, device tokens and dashboard sessions.

Passwords go through the scrypt KDF; device tokens and session tokens are long random strings, so
the database keeps only their SHA-256 (a stolen database yields no usable token).
"""

from __future__ import annotations

import hashlib
import secrets
import time

from tutor.core.errors import KnownError
from tutor.core.i18n import _
from tutor.core.kdf import hash_secret, verify_secret
from tutor.server.storage import ClassInfo, Storage, Teacher

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a classroom
CODE_LENGTH = 8
SESSION_S = 12 * 3600
MIN_PASSWORD = 8


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def add_teacher(storage: Storage, name: str, password: str) -> Teacher:
    name = name.strip()
    if not name:
        raise KnownError(_("A teacher needs a name."))
    if len(password) < MIN_PASSWORD:
        raise KnownError(_("The password needs at least {n} characters.").format(n=MIN_PASSWORD))
    try:
        return storage.add_teacher(name, hash_secret(password))
    except ValueError as exc:
        raise KnownError(_("There is already a teacher called {name}.").format(name=name)) from exc


def class_code(storage: Storage, teacher_name: str, class_name: str) -> ClassInfo:
    """Create the class if needed and give it a fresh enrolment code."""
    found = storage.teacher_by_name(teacher_name)
    if found is None:
        raise KnownError(_("No teacher called {name}.").format(name=teacher_name))
    class_name = class_name.strip()
    if not class_name:
        raise KnownError(_("A class needs a name."))
    code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
    return storage.class_code(found[0].id, class_name, code)


def login(storage: Storage, name: str, password: str) -> str | None:
    """A new session token, or None if the name or password is wrong."""
    found = storage.teacher_by_name(name.strip())
    if found is None or not verify_secret(password, found[1]):
        return None
    token = new_token()
    storage.add_session(token_hash(token), found[0].id, time.time() + SESSION_S)
    return token
