"""The translation catalogues are complete and up to date with the code.

A Vietnamese or Lao clerk reads English wherever a string is missing, so a missing,
empty or fuzzy entry fails here: `msgfmt --statistics` counts them, and a fresh
`makemessages` over a copy of the code must find no message the committed
catalogue lacks (a string added to the code without a translation).
"""

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
