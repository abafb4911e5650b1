"""Signed packs: build → import round trip, upgrades, and one test per rejection.

Every rejection asserts the library is row-for-row unchanged (``iterdump`` of library.db).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest
import yaml
from content_fixtures import case_data, write_cases

from tutor.core.content import packs
from tutor.core.content.importer import import_path
from tutor.core.content.library import Library
from tutor.core.content.packs import (
    PackError,
    build_pack,
    generate_key,
    load_private_key,
    trust_key,
)
from tutor.core.content.schema import CaseError
from tutor.core.errors import KnownError


@pytest.fixture
def key(tmp_path: Path) -> Path:
    private, public = generate_key(tmp_path / "keys" / "publisher.key")
    trust_key(public)
    return private


@pytest.fixture
def library() -> Library:
    lib = Library()
    # something installed already, so "unchanged" is not trivially an empty database
    lib_folder = write_cases(Path(os.environ["TUTOR_HOME"]) / "seed", case_data("seed-case"))
    import_path(lib_folder, lib)
    return lib


def dump(library: Library) -> list[str]:
    return list(library.db.conn.iterdump())


def signed_zip(
    path: Path, key_path: Path, files: dict[str, bytes], *, version: int = 1, **extra: object
) -> Path:
    """A pack with any entries we like, correctly signed: to test what a signature cannot stop."""
    manifest = {
        "format": 1,
        "id": "evil",
        "version": version,
        "title": "Test",
        "languages": ["en", "fr"],
        "created": "2026-01-01T00:00:00+00:00",
        "publisher": "test",
        "files": [
            {"name": n, "sha256": hashlib.sha256(b).hexdigest(), "size": len(b)}
            for n, b in files.items()
        ],
    }
    manifest.update(extra)
    body = json.dumps(manifest).encode()
    key = load_private_key(key_path)
    sig = {
        "key_id": packs.key_id(key.public_key()),
        "signature": base64.b64encode(key.sign(body)).decode(),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", body)
        zf.writestr("manifest.sig", json.dumps(sig))
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def case_bytes(case_id: str = "good-case", **changes: object) -> bytes:
    return yaml.safe_dump(case_data(case_id, **changes), allow_unicode=True).encode()


def build(tmp_path: Path, key: Path, *ids: str, version: int = 1, name: str = "pack") -> Path:
    src = write_cases(tmp_path / f"src-{name}-{version}", *(case_data(i) for i in ids))
    out = tmp_path / f"{name}-{version}.zip"
    build_pack(src, out, key, pack_id=name, version=version, title="Demo pack")
    return out


def assert_refused(
    library: Library, path: Path, match: str, error: type[Exception] = KnownError
) -> None:
    before = dump(library)
    with pytest.raises(error, match=match):
        import_path(path, library)
    assert dump(library) == before


# Round trip and upgrades ---------------------------------------------------------------------


def test_build_import_upgrade_and_downgrade(tmp_path: Path, key: Path, library: Library) -> None:
    v1 = build(tmp_path, key, "case-a", "case-b", version=1)
    report = import_path(v1, library)
    assert report.installed[0].added == 2 and not report.warnings
    info = library.pack("pack")
    assert info is not None and info.signature == "trusted" and info.key_id
    assert info.languages == ("en", "fr")
    v2 = build(tmp_path, key, "case-a", "case-c", version=2)
    report = import_path(v2, library)
    assert (report.installed[0].updated, report.installed[0].added) == (1, 1)
    assert set(library.case_ids("pack")) == {"case-a", "case-c"}
    assert_refused(library, v1, "older")
    assert_refused(library, v2, "already installed")


def test_folder_of_packs_imports_all_and_skips_installed(
    tmp_path: Path, key: Path, library: Library
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    build(tmp_path, key, "case-a", name="one").rename(usb / "one.zip")
    build(tmp_path, key, "case-b", name="two").rename(usb / "two.zip")
    report = import_path(usb, library)
    assert sorted(r.pack_id for r in report.installed) == ["one", "two"]
    again = import_path(usb, library)
    assert again.installed == [] and len(again.skipped) == 2


def test_folder_of_packs_is_all_or_nothing(tmp_path: Path, key: Path, library: Library) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    build(tmp_path, key, "case-a", name="one").rename(usb / "one.zip")
    (usb / "two.zip").write_bytes(b"not a zip")
    assert_refused(library, usb, "not a readable zip")


def test_export_round_trip(tmp_path: Path, key: Path, library: Library) -> None:
    import_path(build(tmp_path, key, "case-a", "case-b"), library)
    cases = [library.get_case(i) for i in library.case_ids("pack")]
    out = tmp_path / "export.zip"
    packs.export_pack(cases, out, key, pack_id="pack", version=5, title="Demo pack")
    contents = packs.read_pack(out)
    assert sorted(c.id for c in contents.cases) == ["case-a", "case-b"]
    assert contents.cases[0] == cases[0]


# Rejections ----------------------------------------------------------------------------------


def test_rejects_unsigned_unless_allowed(tmp_path: Path, key: Path, library: Library) -> None:
    path = build(tmp_path, key, "case-a")
    unsigned = tmp_path / "unsigned.zip"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(unsigned, "w") as dst:
        for info in src.infolist():
            if info.filename != "manifest.sig":
                dst.writestr(info, src.read(info))
    assert_refused(library, unsigned, "not signed")
    report = import_path(unsigned, library, allow_unsigned=True)
    assert report.warnings and "allow-unsigned" in report.warnings[0]
    assert library.pack("pack").signature == "unsigned"  # type: ignore[union-attr]


def test_rejects_unknown_key(tmp_path: Path, library: Library) -> None:
    stranger, _pub = generate_key(tmp_path / "stranger.key")  # never trusted
    path = build(tmp_path, stranger, "case-a")
    assert_refused(library, path, "unknown publisher key")


def test_rejects_manifest_changed_after_signing(
    tmp_path: Path, key: Path, library: Library
) -> None:
    path = build(tmp_path, key, "case-a")
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "manifest.json":
                data = data.replace(b'"version": 1', b'"version": 9')
            dst.writestr(info, data)
    assert_refused(library, tampered, "signature does not match")


def test_rejects_hash_mismatch(tmp_path: Path, key: Path, library: Library) -> None:
    path = build(tmp_path, key, "case-a")
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith(".yaml"):
                data = data.replace(b"Joseph", b"Josephx")[:-1]  # same size, other bytes
            dst.writestr(info, data)
    assert_refused(library, tampered, "checksum")


@pytest.mark.parametrize("name", ["../evil.yaml", "cases/../../evil.yaml", "/etc/evil.yaml"])
def test_rejects_traversal_and_absolute_paths(
    tmp_path: Path, key: Path, library: Library, name: str
) -> None:
    path = signed_zip(tmp_path / "evil.zip", key, {name: case_bytes()})
    assert_refused(library, path, "unsafe path")


def test_rejects_symlink_entry(tmp_path: Path, key: Path, library: Library) -> None:
    path = signed_zip(tmp_path / "evil.zip", key, {"cases/a.yaml": case_bytes()})
    with zipfile.ZipFile(path, "a") as zf:
        info = zipfile.ZipInfo("cases/link.yaml")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    assert_refused(library, path, "symbolic link")


def test_rejects_oversize_file(tmp_path: Path, key: Path, library: Library) -> None:
    big = os.urandom(packs.MAX_FILE_BYTES + 1)  # random: does not compress, not a bomb
    path = signed_zip(tmp_path / "big.zip", key, {"cases/a.yaml": case_bytes(), "cases/b.bin": big})
    assert_refused(library, path, "too large")


def test_rejects_zip_bomb_ratio(tmp_path: Path, key: Path, library: Library) -> None:
    bomb = b"\0" * (1024 * 1024)  # 1 MiB of zeros deflates ~1000:1
    path = signed_zip(
        tmp_path / "bomb.zip", key, {"cases/a.yaml": case_bytes(), "cases/z.bin": bomb}
    )
    assert_refused(library, path, "zip bomb")


def test_rejects_total_over_limit(
    tmp_path: Path, key: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real limit is 512 MiB; writing that much in a unit test is not worth it.
    monkeypatch.setattr(packs, "MAX_TOTAL_BYTES", 40_000)
    files = {f"cases/c{n}.bin": os.urandom(15_000) for n in range(3)}
    path = signed_zip(tmp_path / "total.zip", key, files)
    assert_refused(library, path, "unpacks to more than")


def test_rejects_too_many_entries(
    tmp_path: Path, key: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packs, "MAX_ENTRIES", 5)
    files = {f"cases/c{n}.txt": b"x" for n in range(6)}
    path = signed_zip(tmp_path / "many.zip", key, files)
    assert_refused(library, path, "too many files")


def test_rejects_undeclared_file(tmp_path: Path, key: Path, library: Library) -> None:
    path = signed_zip(tmp_path / "extra.zip", key, {"cases/a.yaml": case_bytes()})
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("cases/sneaky.yaml", case_bytes("sneaky"))
    assert_refused(library, path, "does not list")


def test_rejects_duplicate_ids_in_pack(tmp_path: Path, key: Path, library: Library) -> None:
    files = {"cases/a.yaml": case_bytes("same-id"), "cases/b.yaml": case_bytes("same-id")}
    path = signed_zip(tmp_path / "dupe.zip", key, files)
    assert_refused(library, path, "twice")


def test_rejects_id_owned_by_another_pack(tmp_path: Path, key: Path, library: Library) -> None:
    path = signed_zip(tmp_path / "steal.zip", key, {"cases/a.yaml": case_bytes("seed-case")})
    assert_refused(library, path, "another pack")


def test_rejects_schema_error_naming_file_field_reason(
    tmp_path: Path, key: Path, library: Library
) -> None:
    bad = case_data("bad-case")
    bad["exam"]["vitals"]["temperature_c"] = 99
    files = {"cases/good.yaml": case_bytes(), "cases/bad.yaml": yaml.safe_dump(bad).encode()}
    path = signed_zip(tmp_path / "bad.zip", key, files)
    before = dump(library)
    with pytest.raises(CaseError) as info:
        import_path(path, library)
    message = str(info.value)
    assert "cases/bad.yaml" in message and "exam.vitals.temperature_c" in message
    assert "less than or equal to 45" in message
    assert dump(library) == before


def test_rejects_folder_with_a_bad_case_file(tmp_path: Path, library: Library) -> None:
    folder = write_cases(tmp_path / "cases", case_data("case-ok"))
    (folder / "broken.yaml").write_text("id: [unclosed", encoding="utf-8")
    assert_refused(library, folder, "broken.yaml")


def test_rejects_symlinked_case_file_in_folder(tmp_path: Path, library: Library) -> None:
    folder = write_cases(tmp_path / "cases", case_data("case-ok"))
    outside = write_cases(tmp_path / "outside", case_data("case-out"))
    (folder / "link.yaml").symlink_to(outside / "case-out.yaml")
    assert_refused(library, folder, "symbolic link")


def test_rejects_not_a_zip(tmp_path: Path, library: Library) -> None:
    path = tmp_path / "junk.zip"
    path.write_bytes(io.BytesIO(b"PK\x03\x04 garbage").getvalue())
    assert_refused(library, path, "not a readable zip", PackError)


def test_bundled_packs_install_when_newer(tmp_path: Path, key: Path, library: Library) -> None:
    from tutor.core.content.bundled import install_bundled

    folder = tmp_path / "bundled"
    folder.mkdir()
    build(tmp_path, key, "case-a", version=2).rename(folder / "tutor-cases.zip")
    assert len(install_bundled(library, folder)) == 1
    assert library.pack("pack").version == 2  # type: ignore[union-attr]
    assert install_bundled(library, folder) == []  # same version: nothing to do
    build(tmp_path, key, "case-a", version=1).replace(folder / "tutor-cases.zip")
    before = dump(library)
    assert install_bundled(library, folder) == []  # older: never a downgrade
    (folder / "tutor-cases.zip").write_bytes(b"garbage")
    assert install_bundled(library, folder) == []  # unreadable: logged, app starts anyway
    assert dump(library) == before


def test_sync_hooks_verify_then_install_a_downloaded_pack(
    tmp_path: Path, key: Path, library: Library
) -> None:
    from tutor.core.content.importer import import_downloaded_pack
    from tutor.core.content.packs import verify_downloaded_pack

    downloaded = build(tmp_path, key, "case-a", version=4).rename(tmp_path / "cases-4.pack")
    verify_downloaded_pack(downloaded, None)
    assert import_downloaded_pack(downloaded).installed[0].added == 1
    assert library.pack("pack").version == 4  # type: ignore[union-attr]
    again = import_downloaded_pack(downloaded)  # already installed: skipped, not an error
    assert again.installed == [] and again.skipped
    stranger, _pub = generate_key(tmp_path / "stranger.key")
    bad = build(tmp_path, stranger, "case-b", version=5, name="other").rename(tmp_path / "o.pack")
    before = dump(library)
    with pytest.raises(PackError, match="unknown publisher key"):
        verify_downloaded_pack(bad)
    with pytest.raises(PackError, match="unknown publisher key"):
        import_downloaded_pack(bad)
    assert dump(library) == before
