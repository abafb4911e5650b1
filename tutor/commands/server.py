"""``tutor server``: run the school server, and manage its teachers, classes and packs."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tutor.core import paths
from tutor.core.i18n import _


def _default_data() -> Path:
    return paths.data_dir() / "server"


@click.group(invoke_without_command=True)
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Server data folder (default: <data dir>/server).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8765, show_default=True, type=int, help="Port to listen on.")
@click.pass_context
def server(ctx: click.Context, data: Path | None, host: str, port: int) -> None:
    """Run the school server (sync, content packs, teacher dashboard).

    Example: tutor server --data /srv/tutor --host 0.0.0.0 --port 8765
    """
    ctx.obj = data or _default_data()
    if ctx.invoked_subcommand is None:
        from tutor.server.app import serve

        click.echo(
            _("School server on http://{host}:{port} (data in {data})").format(
                host=host, port=port, data=ctx.obj
            )
        )
        sys.stdout.flush()
        serve(ctx.obj, host, port)


@server.command("add-teacher")
@click.argument("name")
@click.password_option(help="The teacher's password (asked for when not given).")
@click.pass_obj
def add_teacher(data: Path, name: str, password: str) -> None:
    """Add a teacher account for the dashboard.

    Example: tutor server --data /srv/tutor add-teacher "Ms Banda"
    """
    from tutor.server import accounts
    from tutor.server.app import open_storage

    storage = open_storage(data)
    try:
        accounts.add_teacher(storage, name, password)
    finally:
        storage.close()
    click.echo(_("Teacher {name} added.").format(name=name))


@server.command("class-code")
@click.argument("class_name", metavar="CLASS")
@click.option("--teacher", required=True, help="Name of the teacher who owns the class.")
@click.pass_obj
def class_code(data: Path, class_name: str, teacher: str) -> None:
    """Create CLASS if needed and print a new enrolment code for it (the old code stops working).

    Example: tutor server class-code "Year 3 A" --teacher "Ms Banda"
    """
    from tutor.server import accounts
    from tutor.server.app import open_storage

    storage = open_storage(data)
    try:
        info = accounts.class_code(storage, teacher, class_name)
    finally:
        storage.close()
    click.echo(info.code)


@server.command("add-pack")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--name", required=True, help="Pack name, e.g. cardiology.")
@click.option("--version", "version", required=True, type=int, help="Pack version (1, 2, ...).")
@click.pass_obj
def add_pack(data: Path, file: Path, name: str, version: int) -> None:
    """Offer a content pack to the laptops of every class.

    Example: tutor server add-pack cardiology-3.pack --name cardiology --version 3
    """
    from tutor.server.app import open_storage
    from tutor.server.packs import add_pack as add

    storage = open_storage(data)
    try:
        entry = add(storage, data, file, name, version)
    finally:
        storage.close()
    click.echo(
        _("Pack {name} version {version} added ({sha}).").format(
            name=entry.name, version=entry.version, sha=entry.sha256[:12]
        )
    )
