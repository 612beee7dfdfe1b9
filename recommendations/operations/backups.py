"""Backups of the database and the uploaded files, and their restoration.

A backup is one .tar.gz holding the database in its own native form (SQLite's online backup
copy, or pg_dump's custom format for PostgreSQL), the uploaded files under media/, and a
manifest with every member's SHA-256. A restore checks the whole archive against its
manifest before it touches anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404
import tarfile
import tempfile
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from ..progress.freshness import figures_changed

MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRESQL_MEMBER = "database.pgdump"


class BackupError(Exception):
    pass


def create_backup(*, destination: Path) -> Path:
    """Write a backup archive into `destination` and return its path."""
    destination.mkdir(parents=True, exist_ok=True)
    archive = destination / f"apc-tracker-{timezone.now():%Y%m%dT%H%M%SZ}.tar.gz"
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        database = _dump_database(folder)
        media = Path(settings.MEDIA_ROOT)
        if media.is_dir():
            shutil.copytree(media, folder / "media")
        files = sorted(path for path in folder.rglob("*") if path.is_file())
        manifest = {
            "engine": connection.vendor,
            "database": database.name,
            "files": {str(path.relative_to(folder)): _sha256(path) for path in files},
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        with tarfile.open(archive, "w:gz") as tar:
            for path in [folder / MANIFEST, *files]:
                tar.add(path, arcname=str(path.relative_to(folder)))
    return archive


def restore_backup(*, archive: Path) -> dict:
    """Replace the database and the uploaded files with the archive's; return its manifest."""
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        manifest = _unpack_and_verify(archive, folder)
        if manifest["engine"] != connection.vendor:
            raise BackupError(
                f"{archive.name} holds a {manifest['engine']} database; this app runs on {connection.vendor}."
            )
        _load_database(folder / manifest["database"])
        # Cached public figures describe the database as it was before.
        figures_changed()
        media = Path(settings.MEDIA_ROOT)
        if media.exists():
            shutil.rmtree(media)
        if (folder / "media").is_dir():
            shutil.copytree(folder / "media", media)
    return manifest


def _unpack_and_verify(archive: Path, folder: Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(folder, filter="data")
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, tarfile.TarError, ValueError, KeyError) as error:
        raise BackupError(f"{archive} is not an APC Tracker backup: {error}") from None
    for name, checksum in manifest["files"].items():
        path = folder / name
        if not path.is_file() or _sha256(path) != checksum:
            raise BackupError(f"{archive.name}: {name} is missing or damaged; nothing was restored.")
    return manifest


def _dump_database(folder: Path) -> Path:
    if connection.vendor == "sqlite":
        target = folder / SQLITE_MEMBER
        connection.ensure_connection()
        with closing(sqlite3.connect(target)) as copy:
            connection.connection.backup(copy)
        return target
    if connection.vendor == "postgresql":
        target = folder / POSTGRESQL_MEMBER
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"])
        return target
    raise BackupError(f"Backups of {connection.vendor} databases are not supported.")


def _load_database(dump: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with closing(sqlite3.connect(dump)) as source:
            source.backup(connection.connection)
        return
    connection.close()
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", str(dump)])


def _run(command: list[str]) -> None:
    """Run a PostgreSQL client tool against the app's database."""
    database = connection.settings_dict
    environment = {
        **os.environ,
        "PGDATABASE": database["NAME"],
        "PGUSER": database.get("USER") or "",
        "PGHOST": database.get("HOST") or "",
        "PGPORT": str(database.get("PORT") or ""),
        "PGPASSWORD": database.get("PASSWORD") or "",
    }
    if command[0] == "pg_restore":
        command = [command[0], f"--dbname={database['NAME']}", *command[1:]]
    try:
        # A fixed tool name and arguments built here, never a shell.
        subprocess.run(command, env=environment, check=True, capture_output=True, text=True)  # noqa: S603  # nosec B603
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client).") from None
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()}") from None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
