"""One file that holds everything the app knows: the database and the uploads.

A backup is a tar archive:

    manifest.json      when, which database engine, rows per table, each file's SHA-256
    database.sqlite3   SQLite's own online backup: a consistent copy while the app runs
    database.pgdump    or pg_dump's custom format, restored by pg_restore
    media/…            MEDIA_ROOT as it was

Both copies keep every value as the database holds it, timestamps to the
microsecond (a `dumpdata`/`loaddata` round trip cuts them to milliseconds).

Restoring replaces the database and MEDIA_ROOT with the backup's, then checks them
against the manifest, and moves the content version past any number the page cache
has seen, so no page cached before the restore is served after it.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

from .models import ContentVersion

MANIFEST = "manifest.json"
MEDIA_PREFIX = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    pass


def engine():
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def table_counts():
    """Rows per table, every table Django knows (migrations' own included)."""
    quote = connection.ops.quote_name
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def media_files(root):
    """{relative path: SHA-256} of every file under `root`."""
    root = Path(root)
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): _sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _postgres_environment():
    """libpq's variables for the app's database, so no password is on a command line."""
    database = connection.settings_dict
    values = {
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGDATABASE": database.get("NAME"),
    }
    return {**os.environ, **{key: str(value) for key, value in values.items() if value}}


def _run(command):
    result = subprocess.run(
        command, env=_postgres_environment(), capture_output=True, text=True
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _database_copy(vendor, target):
    if vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
    else:
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "-f",
                target,
            ]
        )


def backup_write(destination):
    """Writes a backup to `destination` (a .tar path) and returns its manifest."""
    vendor = engine()
    media_root = Path(settings.MEDIA_ROOT)
    manifest = {
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "engine": vendor,
        "tables": table_counts(),
        "media": media_files(media_root),
    }
    with tempfile.TemporaryDirectory() as work:
        database_file = Path(work) / DATABASE_FILES[vendor]
        _database_copy(vendor, str(database_file))
        with tarfile.open(destination, "w") as archive:
            content = json.dumps(manifest, indent=2, sort_keys=True).encode()
            entry = tarfile.TarInfo(MANIFEST)
            entry.size = len(content)
            archive.addfile(entry, io.BytesIO(content))
            archive.add(database_file, arcname=database_file.name)
            for relative in manifest["media"]:
                archive.add(media_root / relative, f"{MEDIA_PREFIX}/{relative}")
    return manifest


@dataclass(frozen=True)
class Restored:
    tables: int
    rows: int
    files: int


def backup_restore(source):
    """Replaces the database and MEDIA_ROOT with the backup at `source`."""
    vendor = engine()
    version_before = ContentVersion.read()
    with tempfile.TemporaryDirectory() as work, tarfile.open(source) as archive:
        # The "data" filter refuses absolute paths, "..", links out and devices.
        archive.extractall(work, filter="data")
        work = Path(work)
        manifest = json.loads((work / MANIFEST).read_text())
        if manifest["engine"] != vendor:
            raise BackupError(
                f"This backup is of a {manifest['engine']} database; the app now "
                f"uses {vendor}. Restore it into {manifest['engine']}, or move the "
                "data across with dumpdata and loaddata."
            )
        _database_replace(vendor, work / DATABASE_FILES[vendor])
        _media_replace(work / MEDIA_PREFIX)
    _version_move_past(version_before)
    return _verified(manifest)


def _database_replace(vendor, database_file):
    connections.close_all()
    if vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(database_file) as copy:
            copy.backup(connection.connection)
        copy.close()
    else:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--dbname",
                connection.settings_dict["NAME"],
                str(database_file),
            ]
        )


def _media_replace(restored):
    """MEDIA_ROOT becomes the backup's files: the new tree is put in place whole,
    then the old one removed, so a failure midway leaves one or the other."""
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    incoming = media_root.with_name(media_root.name + ".restoring")
    outgoing = media_root.with_name(media_root.name + ".replaced")
    for leftover in (incoming, outgoing):
        shutil.rmtree(leftover, ignore_errors=True)
    if restored.is_dir():
        shutil.copytree(restored, incoming)
    else:
        incoming.mkdir()
    if media_root.exists():
        media_root.rename(outgoing)
    incoming.rename(media_root)
    shutil.rmtree(outgoing, ignore_errors=True)


def _version_move_past(version_before):
    """Pages cached before the restore were keyed on versions up to
    `version_before`; the restored counter may be lower, so it moves past it."""
    current = ContentVersion.read()
    counter = max(current, version_before) + 1
    if not ContentVersion.objects.filter(pk=ContentVersion.SINGLETON_PK).update(
        counter=counter
    ):
        ContentVersion.objects.create(pk=ContentVersion.SINGLETON_PK, counter=counter)


def _verified(manifest):
    """The restored database and files, checked against what the backup recorded."""
    tables = table_counts()
    # The content version row was just moved on purpose; its count is what matters.
    differences = {
        table: (count, tables.get(table))
        for table, count in manifest["tables"].items()
        if tables.get(table) != count
    }
    if differences:
        raise BackupError(
            f"Rows differ after the restore (expected, found): {differences}"
        )
    files = media_files(settings.MEDIA_ROOT)
    if files != manifest["media"]:
        raise BackupError("The restored files differ from the backup's manifest.")
    return Restored(
        tables=len(tables), rows=sum(manifest["tables"].values()), files=len(files)
    )
