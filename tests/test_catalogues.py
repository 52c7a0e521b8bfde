"""The translation catalogues are complete and up to date with the code.

A Vietnamese or Lao clerk reads English wherever a string is missing, so a missing,
empty or fuzzy entry fails here: `msgfmt --statistics` counts them, and a fresh
`makemessages` over a copy of the code must find no message the committed
catalogue lacks (a string added to the code without a translation).
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(ROOT.glob("locale/**/LC_MESSAGES/*.po"))
PROJECT_CATALOGUES = sorted(ROOT.glob("locale/*/LC_MESSAGES/django.po"))
SOURCES = ("config", "cooperation", "exchanges", "programs", "reporting", "templates")


def msgids(path):
    """The msgids of a .po file (not the header), joined across lines."""
    text = Path(path).read_text(encoding="utf-8")
    found = set()
    for match in re.finditer(r'^msgid ((?:".*"\n)+)', text, flags=re.M):
        parts = re.findall(r'"(.*)"', match.group(1))
        msgid = "".join(parts)
        if msgid:
            found.add(msgid)
    return found


def test_every_language_has_a_catalogue():
    languages = {path.parent.parent.name for path in PROJECT_CATALOGUES}
    assert {"vi", "lo"} <= languages


@pytest.mark.parametrize(
    "catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT))
)
def test_no_entry_is_untranslated_or_fuzzy(catalogue):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "--output-file=/dev/null", catalogue],
        capture_output=True,
        text=True,
        check=True,
    )
    # "580 translated messages." or "570 translated messages, 2 fuzzy
    # translations, 8 untranslated messages."
    statistics = result.stderr.strip()
    assert re.fullmatch(r"\d+ translated messages?\.", statistics), statistics


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory):
    """`makemessages` run over a copy of the code: what the catalogues should hold."""
    copy = tmp_path_factory.mktemp("catalogues")
    for name in SOURCES:
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    (copy / "locale").mkdir()
    languages = sorted({path.parent.parent.name for path in PROJECT_CATALOGUES})
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-obsolete"]
        + [f"--locale={language}" for language in languages],
        cwd=copy,
        check=True,
        capture_output=True,
        # manage.py's own default settings, not the test run's.
        env={
            key: value
            for key, value in os.environ.items()
            if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
        },
    )
    return copy


@pytest.mark.parametrize(
    "catalogue", PROJECT_CATALOGUES, ids=lambda p: p.parent.parent.name
)
def test_the_catalogue_holds_every_message_of_the_code(fresh_catalogues, catalogue):
    fresh = fresh_catalogues / catalogue.relative_to(ROOT)
    missing = msgids(fresh) - msgids(catalogue)
    assert not missing, (
        "Marked in the code but not in the catalogue: run `manage.py makemessages "
        f"-l {catalogue.parent.parent.name} …` (see the README) and translate:\n"
        + "\n".join(sorted(missing))
    )


def django_admin_entries(domain):
    """(context, msgid) of every string of Django's admin in `domain`, from its
    English catalogue (which lists them all)."""
    import django

    path = Path(django.__file__).parent / "contrib/admin/locale/en/LC_MESSAGES"
    text = (path / f"{domain}.po").read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n")[1:]:
        context = re.search(r'^msgctxt "(.*)"$', block, flags=re.M)
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, flags=re.M)
        if msgid is None or block.lstrip().startswith("#~"):
            continue
        text_of_id = "".join(re.findall(r'"(.*)"', msgid.group(1)))
        if text_of_id:
            entries.append((context.group(1) if context else None, text_of_id))
    return entries


def test_a_vietnamese_clerk_reads_every_string_of_djangos_admin_in_vietnamese():
    """Django's Vietnamese catalogue lacks some admin strings ("Show counts",
    "Skip to main content"); locale/django/vi adds them."""
    from django.utils import translation

    def unescaped(text):
        return text.replace('\\"', '"')

    with translation.override("vi"):
        english = [
            msgid
            for context, msgid in django_admin_entries("django")
            if (
                translation.pgettext(context, unescaped(msgid))
                if context
                else translation.gettext(unescaped(msgid))
            )
            == unescaped(msgid)
        ]
    # The one string that reads the same in both languages.
    assert english == ["%(class_name)s %(instance)s"]


def test_the_admins_scripts_read_vietnamese_too(admin_client):
    response = admin_client.get("/admin/jsi18n/", headers={"accept-language": "vi"})

    text = response.content.decode()
    for phrase in ("Chọn tất cả %s", "Chủ nhật", "(bấm để xóa)"):
        assert json.dumps(phrase)[1:-1] in text or phrase in text, phrase
