"""`backup` and `restore`: the demo round-trips, row by row and file by file.

Runs against whichever database the suite has (SQLite, or PostgreSQL through
DATABASE_URL in CI's second pass, where pg_dump and pg_restore do the work). The
data must be committed for pg_dump to see it, hence transactional_db.
"""

import io
import tarfile
import tempfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from programs.models import (
    DistributionAttachment,
    DistributionItem,
    GiftDistribution,
    JointProgram,
    ProgramAttachment,
)
from reporting.backup import MANIFEST, BackupError, backup_restore, backup_write
from reporting.demo import demo_load
from reporting.models import ContentVersion
from tests.factories import JointProgramFactory
from tests.upload_files import pdf_bytes, photo_bytes, upload


def programmes_delete(programmes):
    """Delete `programmes` with their children, which refuse to be left behind."""
    distributions = GiftDistribution.objects.filter(program__in=programmes)
    DistributionItem.objects.filter(distribution__in=distributions).delete()
    DistributionAttachment.objects.filter(distribution__in=distributions).delete()
    distributions.delete()
    ProgramAttachment.objects.filter(program__in=programmes).delete()
    programmes.delete()


pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files_attach(programme):
    for kind, name, content in [
        ("photo", "Trao quà.jpg", photo_bytes()),
        ("document", "Biên bản.pdf", pdf_bytes()),
    ]:
        ProgramAttachment(
            program=programme, kind=kind, caption=name, file=upload(name, content)
        ).save()


@pytest.fixture
def demo_with_files(media_root):
    demo_load(examples=True)
    files_attach(JointProgram.objects.order_by("pk").first())


@pytest.fixture
def records_with_files(media_root):
    """Quicker than the demo, for the tests that need only something to restore."""
    files_attach(JointProgramFactory())
    JointProgramFactory.create_batch(2)


def every_row():
    """Every table's rows, in key order, as the database returns them."""
    quote = connection.ops.quote_name
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {quote(table)}")
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


def every_file(root):
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_the_demo_round_trips_with_nothing_lost(demo_with_files, media_root, tmp_path):
    rows_before, files_before = every_row(), every_file(media_root)
    version_before = ContentVersion.read()
    created = [programme.created_at for programme in JointProgram.objects.all()]
    assert any(moment.microsecond % 1000 for moment in created), (
        "the check needs timestamps finer than a millisecond"
    )
    archive = tmp_path / "backup.tar"

    manifest = backup_write(archive)
    # What happens after a backup: a programme deleted, with its children
    # first, a file lost, a new one added, a title changed.
    programmes_delete(JointProgram.objects.filter(pk=JointProgram.objects.first().pk))
    JointProgram.objects.update(title_en="Changed after the backup")
    next(iter(media_root.rglob("*.pdf"))).unlink()
    (media_root / "stray.txt").write_text("not in the backup")
    assert every_row() != rows_before
    version_at_restore = ContentVersion.read()

    restored = backup_restore(archive)

    rows_after = every_row()
    version_table = ContentVersion._meta.db_table
    # The content version alone moves on, past every number pages were cached under.
    assert ContentVersion.read() > version_at_restore > version_before
    rows_after.pop(version_table), rows_before.pop(version_table)
    assert rows_after == rows_before
    assert every_file(media_root) == files_before
    assert restored.files == 2 == len(manifest["media"])
    assert restored.rows == sum(manifest["tables"].values())


def test_after_a_restore_no_page_cached_before_is_served(
    records_with_files, media_root, tmp_path, client
):
    backup_write(tmp_path / "backup.tar")
    cached_under = ContentVersion.read()
    ContentVersion.bump()
    ContentVersion.bump()

    backup_restore(tmp_path / "backup.tar")

    assert ContentVersion.read() > cached_under + 2


def test_the_manifest_lists_tables_and_file_digests(records_with_files, tmp_path):
    archive = tmp_path / "backup.tar"
    backup_write(archive)

    with tarfile.open(archive) as opened:
        names = opened.getnames()
        manifest = opened.extractfile(MANIFEST).read().decode()

    database_file = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
    assert database_file[connection.vendor] in names
    assert sum(name.startswith("media/attachments/") for name in names) == 2
    assert '"programs_jointprogram":' in manifest


def test_a_backup_of_another_engine_is_refused_and_changes_nothing(
    records_with_files, tmp_path
):
    archive = tmp_path / "other.tar"
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    content = f'{{"engine": "{other}", "tables": {{}}, "media": {{}}}}'.encode()
    with tarfile.open(archive, "w") as written:
        entry = tarfile.TarInfo(MANIFEST)
        entry.size = len(content)
        written.addfile(entry, io.BytesIO(content))
    before = every_row()

    with pytest.raises(BackupError, match=f"This backup is of a {other} database"):
        backup_restore(archive)

    assert every_row() == before


def test_an_archive_escaping_its_folder_is_refused(
    records_with_files, tmp_path, monkeypatch
):
    # Extraction happens in a temporary folder; put it two levels below tmp_path,
    # so that "../../" would land in this test's own tmp_path.
    extraction_parent = tmp_path / "a" / "b"
    extraction_parent.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(extraction_parent))
    archive = tmp_path / "hostile.tar"
    with tarfile.open(archive, "w") as written:
        entry = tarfile.TarInfo("../../../outside.txt")
        entry.size = 3
        written.addfile(entry, io.BytesIO(b"bad"))
    before = every_row()

    with pytest.raises(tarfile.OutsideDestinationError):
        backup_restore(archive)

    assert not list(tmp_path.rglob("outside.txt"))
    assert every_row() == before


def test_the_commands_write_and_restore(records_with_files, tmp_path, capsys):
    archive = tmp_path / "by-command.tar"

    call_command("backup", output=str(archive))
    assert "2 files" in capsys.readouterr().out
    programmes_delete(JointProgram.objects.all())
    call_command("restore", str(archive), yes=True)

    assert JointProgram.objects.exists()
    assert "match the backup's manifest" in capsys.readouterr().out


def test_restore_asks_first_and_does_nothing_without_the_word(
    records_with_files, tmp_path, monkeypatch
):
    archive = tmp_path / "backup.tar"
    backup_write(archive)
    programmes_delete(JointProgram.objects.all())
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")

    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("restore", str(archive))

    assert not JointProgram.objects.exists()
