"""Signed content packs: building, signing, trusting keys and reading a pack safely.

A pack is a zip holding case files, ``manifest.json`` (pack id, version, title, languages,
created, publisher, and every file's sha256 and size) and ``manifest.sig``, an Ed25519 signature
of the manifest's exact bytes. A pack is accepted when its signature verifies with a trusted key
(shipped in ``tutor/keys/*.pub`` or added by the clinic into the data dir) and every file matches
the manifest. Zips are read defensively: no absolute paths, ``..``, symlinks, undeclared files or
sizes beyond the limits below (zip bombs), and nothing is extracted to disk.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import re
import stat
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from tutor.core import paths
from tutor.core.content.schema import (
    CASE_SUFFIXES,
    Case,
    CaseError,
    load_case_file,
    parse_case,
    read_case_data,
)
from tutor.core.errors import KnownError
from tutor.core.i18n import _

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
FORMAT = 1
# Limits far above a real pack (a full case is ~30 kB; 1,000 cases ≈ 30 MB) and far below harm.
MAX_ENTRIES = 20_000
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, per file
PACK_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")


class PackError(KnownError):
    """A pack that is refused; the message says why. Nothing was imported."""


@dataclass(frozen=True)
class Manifest:
    id: str
    version: int
    title: str
    languages: tuple[str, ...]
    created: str
    publisher: str
    files: dict[str, tuple[str, int]]  # name → (sha256, size)


@dataclass(frozen=True)
class PackContents:
    manifest: Manifest
    cases: list[Case]
    signature: str  # "trusted" or "unsigned"
    key_id: str  # fingerprint of the key that verified it, "" when unsigned
    warnings: tuple[str, ...]


# Keys ------------------------------------------------------------------------------------------


def key_id(public: Ed25519PublicKey) -> str:
    """A short fingerprint of a public key: the first 16 hex digits of its sha256."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def generate_key(out: Path) -> tuple[Path, Path]:
    """Write a new private key to ``out`` (mode 600) and its public key to ``out.pub``."""
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_path = out.with_name(out.name + ".pub")
    if out.exists() or public_path.exists():
        raise PackError(_("{path} already exists; not overwriting a key.").format(path=out))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.touch(mode=0o600)
    out.write_bytes(pem)
    public_path.write_bytes(public_pem(private.public_key()))
    return out, public_path


def public_pem(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise PackError(
            _("{path} is not a usable private key: {reason}").format(path=path, reason=exc)
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise PackError(_("{path} is not an Ed25519 private key.").format(path=path))
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise PackError(
            _("{path} is not a usable public key: {reason}").format(path=path, reason=exc)
        ) from exc
    if not isinstance(key, Ed25519PublicKey):
        raise PackError(_("{path} is not an Ed25519 public key.").format(path=path))
    return key


def shipped_keys_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "keys"


def trusted_keys_dir() -> Path:
    """Keys this installation's clinic added with ``tutor content trust``."""
    return paths.sub_dir("trusted-keys")


def trusted_keys() -> dict[str, Ed25519PublicKey]:
    keys: dict[str, Ed25519PublicKey] = {}
    for folder in (shipped_keys_dir(), trusted_keys_dir()):
        if folder.is_dir():
            for path in sorted(folder.glob("*.pub")):
                key = load_public_key(path)
                keys[key_id(key)] = key
    return keys


def trust_key(path: Path) -> str:
    """Copy a publisher's public key into the data dir; returns its fingerprint."""
    key = load_public_key(path)
    ident = key_id(key)
    (trusted_keys_dir() / f"{ident}.pub").write_bytes(public_pem(key))
    return ident


# Building --------------------------------------------------------------------------------------


def case_files(folder: Path) -> list[Path]:
    """Case files under ``folder``, symbolic links included (so callers can refuse them)."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):  # does not descend into linked folders
        base = Path(root)
        found += [base / d for d in dirs if (base / d).is_symlink()]
        found += [base / f for f in files if Path(f).suffix.lower() in CASE_SUFFIXES]
    return sorted(found)


def build_pack(
    src: Path,
    out: Path,
    key_path: Path,
    *,
    pack_id: str | None = None,
    version: int = 1,
    title: str | None = None,
    publisher: str = "",
) -> Manifest:
    """Validate every case under ``src`` and write a signed pack to ``out``."""
    if not src.is_dir():
        raise PackError(_("{path} is not a folder.").format(path=src))
    files = case_files(src)
    if not files:
        raise PackError(_("{path} holds no case files.").format(path=src))
    key = load_private_key(key_path)
    cases = load_folder_cases(src)
    pack_id = pack_id or re.sub(r"[^a-z0-9._-]+", "-", src.resolve().name.lower()).strip("-")
    if not PACK_ID.match(pack_id):
        raise PackError(_("{id} is not a valid pack id.").format(id=pack_id))
    languages = sorted({lang for c in cases for lang in c.languages})
    entries: dict[str, bytes] = {}
    for path in files:
        name = "cases/" + path.relative_to(src).as_posix()
        entries[name] = path.read_bytes()
    manifest = {
        "format": FORMAT,
        "id": pack_id,
        "version": version,
        "title": title or pack_id,
        "languages": languages,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "publisher": publisher or key_id(key.public_key()),
        "files": [
            {"name": n, "sha256": hashlib.sha256(b).hexdigest(), "size": len(b)}
            for n, b in sorted(entries.items())
        ],
    }
    body = json.dumps(manifest, indent=1, ensure_ascii=False).encode("utf-8")
    signature = {
        "key_id": key_id(key.public_key()),
        "signature": base64.b64encode(key.sign(body)).decode("ascii"),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, body)
        zf.writestr(SIGNATURE, json.dumps(signature))
        for name, data in sorted(entries.items()):
            zf.writestr(name, data)
    tmp.replace(out)
    return _parse_manifest(body, out)


def _check_unique(ids: list[str]) -> None:
    dupes = sorted(i for i, n in Counter(ids).items() if n > 1)
    if dupes:
        raise PackError(_("The same case id appears twice: {ids}.").format(ids=", ".join(dupes)))


# Reading ---------------------------------------------------------------------------------------


def _parse_manifest(body: bytes, source: Path) -> Manifest:
    def bad(reason: str) -> PackError:
        return PackError(
            _("{path}: the manifest is not valid: {reason}").format(path=source, reason=reason)
        )

    try:
        data: Any = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise bad(str(exc)) from exc
    if not isinstance(data, dict):
        raise bad("not an object")
    try:
        files = {str(f["name"]): (str(f["sha256"]), int(f["size"])) for f in data["files"]}
        manifest = Manifest(
            id=str(data["id"]),
            version=int(data["version"]),
            title=str(data["title"]),
            languages=tuple(str(x) for x in data.get("languages", [])),
            created=str(data.get("created", "")),
            publisher=str(data.get("publisher", "")),
            files=files,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise bad(f"missing or wrong field {exc}") from exc
    if not PACK_ID.match(manifest.id):
        raise bad(f"pack id {manifest.id!r}")
    if manifest.version < 1:
        raise bad("version must be 1 or more")
    return manifest


def _safe_name(name: str) -> bool:
    if not name or name.startswith(("/", "\\")) or "\\" in name or "\x00" in name:
        return False
    if re.match(r"^[A-Za-z]:", name):
        return False
    return ".." not in PurePosixPath(name).parts


def _check_entries(zf: zipfile.ZipFile, source: Path) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise PackError(
            _("{path} holds too many files ({n}; the limit is {limit}).").format(
                path=source, n=len(infos), limit=MAX_ENTRIES
            )
        )
    total = 0
    names: set[str] = set()
    for info in infos:
        name = info.filename
        if not _safe_name(name):
            raise PackError(
                _("{path} holds a file with an unsafe path: {name}").format(path=source, name=name)
            )
        if name in names:
            raise PackError(_("{path} holds {name} twice.").format(path=source, name=name))
        names.add(name)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise PackError(
                _("{path} holds a symbolic link: {name}").format(path=source, name=name)
            )
        if info.is_dir():
            continue
        if info.file_size > MAX_FILE_BYTES:
            raise PackError(
                _("{path}: {name} is too large ({size} bytes; the limit is {limit}).").format(
                    path=source, name=name, size=info.file_size, limit=MAX_FILE_BYTES
                )
            )
        if info.file_size > 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise PackError(
                _("{path}: {name} is compressed suspiciously well (a zip bomb?).").format(
                    path=source, name=name
                )
            )
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise PackError(
                _("{path} unpacks to more than {limit} bytes.").format(
                    path=source, limit=MAX_TOTAL_BYTES
                )
            )


def _read_limited(zf: zipfile.ZipFile, name: str, declared: int) -> bytes:
    """Read at most ``declared`` bytes (+1 to notice more): sizes in zip headers can lie."""
    with zf.open(name) as fh:
        data = fh.read(min(declared, MAX_FILE_BYTES) + 1)
    return data


def read_pack(path: Path, *, allow_unsigned: bool = False) -> PackContents:
    """Verify and parse a pack without extracting it. Raises ``PackError``/``CaseError``."""
    if path.is_symlink():
        raise PackError(_("{path} is a symbolic link; not importing it.").format(path=path))
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise PackError(
            _("{path} is not a readable zip file: {reason}").format(path=path, reason=exc)
        ) from exc
    with zf:
        _check_entries(zf, path)
        names = set(zf.namelist())
        if MANIFEST not in names:
            raise PackError(_("{path} has no manifest.json.").format(path=path))
        body = _read_limited(zf, MANIFEST, MAX_FILE_BYTES)
        manifest = _parse_manifest(body, path)
        signature, ident, warnings = _verify(zf, names, body, path, allow_unsigned)
        extra = names - set(manifest.files) - {MANIFEST, SIGNATURE}
        extra = {n for n in extra if not n.endswith("/")}
        if extra:
            raise PackError(
                _("{path} holds files the manifest does not list: {names}").format(
                    path=path, names=", ".join(sorted(extra)[:5])
                )
            )
        cases: list[Case] = []
        problems: list[str] = []
        for name, (digest, size) in sorted(manifest.files.items()):
            if not _safe_name(name):
                raise PackError(
                    _("{path} lists a file with an unsafe path: {name}").format(
                        path=path, name=name
                    )
                )
            if name not in names:
                raise PackError(
                    _("{path}: {name} is listed in the manifest but missing.").format(
                        path=path, name=name
                    )
                )
            data = _read_limited(zf, name, size)
            if len(data) != size or hashlib.sha256(data).hexdigest() != digest:
                raise PackError(
                    _(
                        "{path}: {name} does not match its checksum; the pack is damaged or "
                        "was changed after signing."
                    ).format(path=path, name=name)
                )
            if PurePosixPath(name).suffix.lower() not in CASE_SUFFIXES:
                continue
            source = f"{path.name}:{name}"
            try:
                text = data.decode("utf-8")
                cases.append(parse_case(read_case_data(text, name), source))
            except UnicodeDecodeError as exc:
                problems.append(
                    _("{source}: not UTF-8 text: {reason}").format(source=source, reason=exc)
                )
            except CaseError as exc:
                problems.append(str(exc))
        if problems:
            raise CaseError("\n".join(problems))
    _check_unique([c.id for c in cases])
    return PackContents(manifest, cases, signature, ident, tuple(warnings))


def _verify(
    zf: zipfile.ZipFile, names: set[str], body: bytes, path: Path, allow_unsigned: bool
) -> tuple[str, str, list[str]]:
    def refuse(message: str) -> tuple[str, str, list[str]]:
        if allow_unsigned:
            warning = _("{problem} Imported anyway because --allow-unsigned was given.").format(
                problem=message
            )
            return "unsigned", "", [warning]
        raise PackError(message)

    if SIGNATURE not in names:
        return refuse(_("{path} is not signed.").format(path=path))
    try:
        sig: Any = json.loads(_read_limited(zf, SIGNATURE, 4096).decode("utf-8"))
        ident = str(sig["key_id"])
        raw = base64.b64decode(str(sig["signature"]), validate=True)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return refuse(_("{path}: the signature file is damaged.").format(path=path))
    key = trusted_keys().get(ident)
    if key is None:
        return refuse(
            _(
                "{path} is signed by an unknown publisher key {key}; if you trust this "
                "publisher, add their key with `tutor content trust`."
            ).format(path=path, key=ident)
        )
    try:
        key.verify(raw, body)
    except InvalidSignature:
        return refuse(
            _("{path}: the signature does not match; the pack was changed after signing.").format(
                path=path
            )
        )
    return "trusted", ident, []


def export_pack(cases: list[Case], out: Path, key_path: Path | None, **meta: Any) -> Manifest:
    """Write installed cases back out as a pack (signed with ``key_path`` when given)."""
    import tempfile

    from tutor.core.content.schema import case_to_yaml

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / str(meta.get("pack_id") or "pack")
        folder.mkdir()
        for case in cases:
            (folder / f"{case.id}.yaml").write_text(case_to_yaml(case), encoding="utf-8")
        if key_path is None:
            raise PackError(_("Exporting needs a signing key (--key)."))
        return build_pack(folder, out, key_path, **meta)


def load_folder_cases(folder: Path) -> list[Case]:
    """Every case file under ``folder``, all validated; all problems reported together."""
    cases: list[Case] = []
    problems: list[str] = []
    for path in case_files(folder):
        if path.is_symlink():
            problems.append(_("{path} is a symbolic link; not importing it.").format(path=path))
            continue
        try:
            cases.append(load_case_file(path))
        except CaseError as exc:
            problems.append(str(exc))
    if problems:
        raise CaseError("\n".join(problems))
    _check_unique([c.id for c in cases])
    return cases
