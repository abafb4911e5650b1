"""``tutor content``: keys, signed packs, importing, listing and searching the case library.

Thin over ``tutor.core.content``: every command calls the library and prints its answer; errors
the user can fix are ``KnownError`` and become one line on stderr.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

import click

from tutor.core.i18n import _


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True))


def _library() -> Any:
    from tutor.core.content.library import Library

    return Library()


@click.group()
def content() -> None:
    """Case content: signed packs, import, list and search.

    Example: tutor content import /media/usb
    """


@content.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def keygen(out: Path) -> None:
    """Make an Ed25519 key pair: OUT (private, keep it secret) and OUT.pub (share it).

    Example: tutor content keygen ~/keys/clinic.key
    """
    from tutor.core.content.packs import generate_key, key_id, load_public_key

    private, public = generate_key(out)
    click.echo(
        _("Private key: {private}\nPublic key: {public}\nKey id: {id}").format(
            private=private, public=public, id=key_id(load_public_key(public))
        )
    )


@content.command()
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--id", "pack_id", default=None, help="Pack id (default: the folder name).")
@click.option("--version", "version", default=1, type=click.IntRange(min=1), show_default=True)
@click.option("--title", default=None, help="Pack title (default: the pack id).")
@click.option("--publisher", default="", help="Publisher name shown in Settings.")
def build(
    src: Path,
    out: Path,
    key_path: Path,
    pack_id: str | None,
    version: int,
    title: str | None,
    publisher: str,
) -> None:
    """Validate every case file in SRC and write a signed pack OUT.zip.

    Example: tutor content build content/cases build/cases.zip --key my.key --version 3
    """
    from tutor.core.content.packs import build_pack

    manifest = build_pack(
        src, out, key_path, pack_id=pack_id, version=version, title=title, publisher=publisher
    )
    click.echo(
        _("Built {out}: pack {id} version {version}, {n} files.").format(
            out=out, id=manifest.id, version=manifest.version, n=len(manifest.files)
        )
    )


@content.command()
@click.argument("keyfile", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def trust(keyfile: Path) -> None:
    """Trust packs signed by the publisher whose public key is KEYFILE.pub.

    Example: tutor content trust ministry-of-health.pub
    """
    from tutor.core.content.packs import trust_key

    click.echo(_("Trusted key {id}.").format(id=trust_key(keyfile)))


@content.command(name="import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--allow-unsigned", is_flag=True, help="Import packs whose signature fails (warns).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def import_(path: Path, allow_unsigned: bool, as_json: bool) -> None:
    """Import a pack zip, a folder of packs (USB stick), case files or AgentClinic JSONL.

    All or nothing: a refused import leaves the library unchanged.
    Example: tutor content import /media/usb/tutor-cases.zip
    """
    from tutor.core.content.importer import import_path

    library = _library()
    try:
        shown = [0]

        def progress(done: int, total: int) -> None:
            if not as_json and sys.stderr.isatty() and done - shown[0] >= max(total // 20, 1):
                shown[0] = done
                click.echo(f"\r{done}/{total}", nl=False, err=True)

        report = import_path(path, library, allow_unsigned=allow_unsigned, progress=progress)
    finally:
        library.close()
    if as_json:
        _echo_json(
            {
                "installed": [dataclasses.asdict(r) for r in report.installed],
                "skipped": report.skipped,
                "warnings": report.warnings,
                "failures": [dataclasses.asdict(f) for f in report.failures],
            }
        )
        return
    for warning in report.warnings:
        click.echo(_("Warning: {warning}").format(warning=warning), err=True)
    for result in report.installed:
        click.echo(
            _(
                "Imported pack {id} version {version}: {added} new, {updated} updated, "
                "{removed} removed."
            ).format(
                id=result.pack_id,
                version=result.version,
                added=result.added,
                updated=result.updated,
                removed=result.removed,
            )
        )
    for line in report.skipped:
        click.echo(line)
    for failure in report.failures:
        click.echo(
            _("Not imported: {id} (line {line}): {reason}").format(
                id=failure.case_id, line=failure.line, reason=failure.reason
            ),
            err=True,
        )


def _summary_json(summary: Any) -> dict[str, Any]:
    data = dataclasses.asdict(summary)
    data["languages"] = list(summary.languages)
    data["tags"] = list(summary.tags)
    return dict(data)


@content.command(name="list")
@click.option("--lang", default=None, help="Show titles in this language (falls back to English).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def list_(lang: str | None, as_json: bool) -> None:
    """List installed cases and packs.

    Example: tutor content list --json
    """
    library = _library()
    try:
        cases = library.list_cases(lang)
        packs = library.packs()
    finally:
        library.close()
    if as_json:
        _echo_json(
            {
                "count": len(cases),
                "cases": [_summary_json(c) for c in cases],
                "packs": [dataclasses.asdict(p) for p in packs],
            }
        )
        return
    for case in cases:
        draft = _(" (draft)") if case.review_status == "draft" else ""
        click.echo(f"{case.id}\t{','.join(case.languages)}\t{case.title}{draft}")
    click.echo(_("{n} cases in {p} packs.").format(n=len(cases), p=len(packs)))


@content.command()
@click.argument("query")
@click.option("--lang", default=None, help="Search text in this language (and its fallbacks).")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def search(query: str, lang: str | None, limit: int, as_json: bool) -> None:
    """Full-text search of titles, tags, complaints and facts, best match first.

    Example: tutor content search "fièvre" --lang fr
    """
    library = _library()
    try:
        hits = library.search(query, lang, limit)
    finally:
        library.close()
    if as_json:
        _echo_json(
            {
                "query": query,
                "hits": [
                    {
                        **_summary_json(h.case),
                        "matched_language": h.matched_language,
                        "score": h.score,
                    }
                    for h in hits
                ],
            }
        )
        return
    for hit in hits:
        click.echo(f"{hit.case.id}\t[{hit.matched_language}]\t{hit.case.title}")
    if not hits:
        click.echo(_("No case matches."))


@content.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--allow-unsigned", is_flag=True, help="Check a pack's contents even if unsigned.")
def validate(path: Path, allow_unsigned: bool) -> None:
    """Check a case file, a folder of cases or a pack without importing anything.

    Example: tutor content validate content/cases
    """
    from tutor.core.content.importer import plan_import

    planned, report = plan_import(path, allow_unsigned=allow_unsigned)
    for warning in report.warnings:
        click.echo(_("Warning: {warning}").format(warning=warning), err=True)
    for failure in report.failures:
        click.echo(f"{failure.case_id}: {failure.reason}", err=True)
    n = sum(len(p.cases) for p in planned)
    click.echo(_("{n} cases are valid.").format(n=n))
    if report.failures:
        sys.exit(1)


@content.command()
@click.argument("pack_id")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--key", "key_path", required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--version", "version", default=None, type=click.IntRange(min=1))
def export(pack_id: str, out: Path, key_path: Path, version: int | None) -> None:
    """Write an installed pack's cases to a new signed pack OUT.zip.

    Example: tutor content export agentclinic agentclinic.zip --key my.key
    """
    from tutor.core.content.packs import export_pack
    from tutor.core.errors import KnownError

    library = _library()
    try:
        pack = library.pack(pack_id)
        if pack is None:
            raise KnownError(_("No installed pack has the id {id}.").format(id=pack_id))
        cases = [library.get_case(i) for i in library.case_ids(pack_id)]
    finally:
        library.close()
    manifest = export_pack(
        cases,
        out,
        key_path,
        pack_id=pack.id,
        version=version or pack.version,
        title=pack.title,
        publisher=pack.publisher,
    )
    click.echo(_("Exported {n} cases to {out}.").format(n=len(manifest.files), out=out))
