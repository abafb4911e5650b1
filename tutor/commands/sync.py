"""``tutor enroll`` and ``tutor sync``: connect this laptop to a school server and send progress."""

from __future__ import annotations

import click

from tutor.core.i18n import _


@click.command()
@click.argument("url")
@click.argument("code")
def enroll(url: str, code: str) -> None:
    """Enrol this computer with a school server, using the class code from the teacher.

    Example: tutor enroll http://192.168.1.10:8765 K7M2QX9P
    """
    from tutor.core.progress.store import ProgressStore
    from tutor.core.sync.client import SyncClient

    state = SyncClient(ProgressStore()).enroll(url, code)
    click.echo(
        _("Enrolled with {url} in class {name}.").format(
            url=state.server_url, name=state.class_name
        )
    )


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--no-packs", is_flag=True, help="Only send progress; do not fetch content packs.")
def sync(as_json: bool, no_packs: bool) -> None:
    """Send progress to the school server and fetch new content packs.

    Example: tutor sync --json
    """
    from tutor.cli import echo_json
    from tutor.core.progress.store import ProgressStore
    from tutor.core.sync.client import SyncClient

    client = SyncClient(ProgressStore())
    result = client.sync()
    packs = [] if no_packs else client.pull()
    if as_json:
        data = result.to_json()
        data["packs"] = [{"name": p.name, "version": p.version, "status": p.status} for p in packs]
        echo_json(data)
        return
    click.echo(
        _("{n} events acknowledged, {pending} waiting.").format(
            n=result.acknowledged, pending=result.pending
        )
    )
    for pack in packs:
        click.echo(
            _("Pack {name} version {version}: {status}").format(
                name=pack.name, version=pack.version, status=pack.status
            )
        )
