"""The admin in Lao: no interface word falls back to Vietnamese or English.

Django ships no Lao. The project's catalogue (locale/lo) covers its own strings and
locale/django/lo covers Django's (admin, auth, forms, dates); whatever either lacks
falls back to LANGUAGE_CODE, which is Vietnamese in production. The tests here run
with that fallback (the suite's default is English), so a missing Lao string shows
up as a Vietnamese or English word on the page.
"""

import importlib.util
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info, trans_real

from programs.models import JointProgram
from reporting.demo import AGREEMENT_SLUG, demo_load
from tests.factories import (
    GiftDistributionFactory,
    JointProgramFactory,
    ProgramAttachmentFactory,
)

ROOT = Path(settings.BASE_DIR)
CATALOGUES = [
    ROOT / "locale" / "lo" / "LC_MESSAGES" / "django.po",
    ROOT / "locale" / "django" / "lo" / "LC_MESSAGES" / "django.po",
    ROOT / "locale" / "django" / "lo" / "LC_MESSAGES" / "djangojs.po",
]

# Latin-script words a Lao page may carry: codes and names that Lao writes in Latin
# letters too (file formats, standards, currency codes).
ALLOWED_LATIN = {
    "PDF",
    "CSV",
    "HXL",
    "ISO",
    "P-code",
    "Word",
    "Excel",
    "VND",
    "LAK",
    "USD",
    "EUR",
    "CHF",
    "THB",
    "KHR",
    "CNY",
    "DOCX",
    "XLSX",
    "JPEG",
    "PNG",
    "WebP",
    "OpenDocument",
    "LDAP",
    # Django's help for multiple choices names the keys as printed on them.
    "Control",
    "Command",
    "Mac",
}
LATIN_LETTER = "A-Za-z\u00c0-\u024f\u1e00-\u1eff"
LATIN_WORD = re.compile(f"[{LATIN_LETTER}][{LATIN_LETTER}'’-]*")
URL = re.compile(r"\b(?:https?://|www\.)\S+")
# Letters only Vietnamese uses among Latin scripts (ă â đ ê ô ơ ư and the tone marks
# of Latin Extended Additional), in either case.
VIETNAMESE = re.compile(
    "[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9àáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ"
    "ÀÁẢÃẠÈÉẺẼẸÌÍỈĨỊÒÓỎÕỌÙÚỦŨỤỲÝỶỸỴ]"
)
# Attributes whose text a reader sees or hears: tooltips, placeholders, alternative
# text, labels for screen readers, and the words on submit buttons.
SHOWN_ATTRIBUTES = {"title", "placeholder", "alt", "aria-label"}
# Django 5.2 writes these alt texts of the admin's own icons in English, unmarked for
# translation: the yes/no icons of a boolean column ("True", "False": str() of the
# value, django/contrib/admin/templatetags/admin_list.py) and the magnifier of the
# search box ("Search", admin/search_form.html). No catalogue can translate them.
UNMARKED_ICON_ALT = {"True", "False", "Search"}


def load_update_script():
    path = ROOT / "locale" / "django" / "update.py"
    spec = importlib.util.spec_from_file_location("django_lo_update", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class VisibleText(HTMLParser):
    """The text of a page as a reader meets it: text nodes outside scripts and
    styles, plus the attributes above and the value of buttons."""

    SKIPPED = {"script", "style", "noscript", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipping += 1
            return
        attrs = dict(attrs)
        if "/admin/img/" in (attrs.get("src") or "") and (
            attrs.get("alt") in UNMARKED_ICON_ALT
        ):
            del attrs["alt"]
        for name in SHOWN_ATTRIBUTES & attrs.keys():
            self.parts.append(attrs[name] or "")
        if tag == "input" and attrs.get("type") in {"submit", "button", "reset"}:
            self.parts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_parts(html):
    parser = VisibleText()
    parser.feed(html)
    return [part.strip() for part in parser.parts if part.strip()]


def record_strings():
    """Every text the database holds: names, titles, captions, usernames… and each
    record's str(). They are data, in whatever language the clerk typed them."""
    found = set()
    for model in apps.get_models():
        text_fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
        ]
        for record in model._default_manager.all():
            found.add(str(record))
            found.update(str(getattr(record, name) or "") for name in text_fields)
    return sorted((text for text in found if text.strip()), key=len, reverse=True)


def interface_text(html):
    records = record_strings()
    # A record's text cut short ("Memorandum of Understanding on …") is data too.
    parts = [
        part
        for part in visible_parts(html)
        if not (
            part.endswith("…")
            and any(record.startswith(part[:-1].strip("› ")) for record in records)
        )
    ]
    text = "\n".join(parts)
    for record in records:
        # Whole words only: the country code "LA" is not to be cut out of "LAK".
        text = re.sub(rf"(?<!\w){re.escape(record)}(?!\w)", " ", text)
    return URL.sub(" ", text)


def foreign_words(text):
    """The Latin-script words that are not allowed, and every word with a letter
    only Vietnamese uses."""
    latin = {w for w in LATIN_WORD.findall(text) if w.strip("'’-") not in ALLOWED_LATIN}
    vietnamese = {word for word in text.split() if VIETNAMESE.search(word)}
    return sorted(latin | vietnamese)


@pytest.fixture
def lao_with_vietnamese_fallback(settings):
    """A Lao reader on the production set-up: LANGUAGE_CODE vi is what Django falls
    back to. Translations are cached with their fallback, so they are rebuilt."""
    settings.LANGUAGE_CODE = "vi"
    trans_real._translations = {}
    yield
    trans_real._translations = {}


@pytest.fixture
def lao_admin(admin_client, lao_with_vietnamese_fallback):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "lo"
    return admin_client


@pytest.fixture
def programme(db):
    programme = JointProgramFactory(description="Checks and gifts at the school.")
    GiftDistributionFactory(program=programme)
    ProgramAttachmentFactory(program=programme)
    return programme


def lao_page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert '<html lang="lo"' in html, "the admin did not switch to Lao"
    return html


@pytest.mark.parametrize(
    "page",
    ["index", "changelist", "change form"],
)
def test_admin_pages_speak_only_lao(lao_admin, programme, page):
    url = {
        "index": reverse("admin:index"),
        "changelist": reverse("admin:programs_jointprogram_changelist"),
        "change form": reverse(
            "admin:programs_jointprogram_change", args=[programme.pk]
        ),
    }[page]
    html = lao_page(lao_admin, url)
    if page == "change form":
        # The inlines are there, so their headings and fields are checked too.
        assert 'id="distributions-group"' in html
        assert 'id="attachments-group"' in html
    words = foreign_words(interface_text(html))
    assert not words, (
        f"the Lao {page} ({url}) shows words that are not Lao: {', '.join(words)}"
    )


def test_the_check_finds_a_missing_translation(lao_admin, programme, settings):
    """The check itself: without Django's Lao catalogue the same page falls back
    to Vietnamese, and the check names the words."""
    settings.LOCALE_PATHS = settings.LOCALE_PATHS[:1]
    trans_real._translations = {}
    html = lao_page(lao_admin, reverse("admin:index"))
    words = foreign_words(interface_text(html))
    assert any(VIETNAMESE.search(word) for word in words), words


def test_calendar_and_time_widgets_are_lao(lao_admin):
    """The date and time widgets are drawn by JavaScript from the admin's catalogue."""
    response = lao_admin.get(reverse("admin:jsi18n"))
    assert response.status_code == 200
    found = re.search(
        r"const newcatalog = (\{.*?\});", response.content.decode(), re.DOTALL
    )
    assert found, "the JavaScript catalogue is empty: no Lao for the widgets"
    catalog = json.loads(found.group(1))
    for msgid in ["Today", "Now", "Choose a time", "Cancel", "January", "Sunday"]:
        text = catalog.get(msgid, msgid)
        assert re.search("[\u0e80-\u0eff]", text), f"{msgid!r} reads {text!r}"


# The catalogues themselves


def entries(path):
    return load_update_script().parse(path)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_lao_entry_is_translated_and_none_is_fuzzy(path):
    text = path.read_text(encoding="utf-8")
    assert "Plural-Forms: nplurals=1; plural=0;" in text
    found = entries(path)
    assert found
    fuzzy = [e["msgid"] for e in found if "fuzzy" in e["flags"]]
    empty = [e["msgid"] for e in found if not all(e["msgstr"].values())]
    extra_forms = [e["msgid"] for e in found if set(e["msgstr"]) != {0}]
    assert not fuzzy, f"fuzzy: {fuzzy}"
    assert not empty, f"no msgstr: {empty}"
    assert not extra_forms, f"Lao has one plural form, msgstr[0]: {extra_forms}"


PLACEHOLDER = re.compile(r"%(?:\([a-z_0-9]+\))?[sdr]|\{[a-z_0-9]*\}")


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_lao_entry_keeps_its_placeholders(path):
    wrong = []
    for entry in entries(path):
        # Lao's one form follows the plural ("in %(minutes)s minutes").
        source = entry.get("msgid_plural") or entry["msgid"]
        wanted = set(PLACEHOLDER.findall(source))
        if set(PLACEHOLDER.findall(entry["msgstr"][0])) != wanted:
            wrong.append(entry["msgid"])
    assert not wrong, wrong


def test_django_lao_catalogue_covers_every_django_string_staff_meet():
    """After a Django upgrade, `locale/django/update.py` adds the new msgids."""
    update = load_update_script()
    for domain in ("django", "djangojs"):
        have = {
            update.entry_key(entry) for entry in entries(update.OUT / f"{domain}.po")
        }
        wanted = {update.entry_key(entry) for entry in update.source_entries(domain)}
        missing = sorted(msgid for _, msgid in wanted - have)
        assert not missing, f"run locale/django/update.py: {missing}"


def test_login_page_speaks_only_lao(client, db, lao_with_vietnamese_fallback):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "lo"
    html = lao_page(client, reverse("admin:login"))
    words = foreign_words(interface_text(html))
    assert not words, f"the Lao login page shows words that are not Lao: {words}"


# The public pages, with the demo's records (many of them only in English or
# Vietnamese: data, left out like the admin's).


@pytest.fixture
def demo(db):
    demo_load()


@pytest.mark.parametrize("page", ["list", "agreement", "year"])
def test_public_pages_speak_only_lao(client, demo, lao_with_vietnamese_fallback, page):
    # Public pages take their language from the address: /lo/…
    with translation.override("lo"):
        url = {
            "list": reverse("reporting:agreement_list"),
            "agreement": reverse(
                "reporting:agreement", kwargs={"slug": AGREEMENT_SLUG}
            ),
            "year": reverse(
                "reporting:agreement_year",
                kwargs={"slug": AGREEMENT_SLUG, "year": 2022},
            ),
        }[page]
    assert url.startswith("/lo/")
    html = lao_page(client, url)
    text = interface_text(html)
    # The language menu names each language in itself ("Tiếng Việt", "English").
    for code, _name in settings.LANGUAGES:
        text = text.replace(get_language_info(code)["name_local"], " ")
    words = foreign_words(text)
    assert not words, (
        f"the Lao {page} page ({url}) shows words that are not Lao: {words}"
    )


def test_every_admin_list_and_form_speaks_only_lao(lao_admin, demo):
    """Each registered model's list, its add form and one record's change form (the
    user's change form shows fragments of a password hash: left out)."""
    offending = {}
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        urls = [
            reverse("admin:{}_{}_changelist".format(*info)),
            reverse("admin:{}_{}_add".format(*info)),
        ]
        record = model._default_manager.first()
        if record is not None and model is not get_user_model():
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[record.pk]))
        for url in urls:
            words = foreign_words(interface_text(lao_page(lao_admin, url)))
            if words:
                offending[url] = words
    assert not offending, f"pages with words not in Lao: {offending}"


def test_history_pages_speak_only_lao(lao_admin, programme):
    """The history, an earlier version (revert) and the deleted records, whose
    templates come from django-simple-history and are the project's own here."""
    programme.title_en = "Another title"
    programme.status = JointProgram.Status.PLANNED
    programme.save()
    deleted = ProgramAttachmentFactory(program=programme)
    deleted.delete()
    first = programme.history.earliest()
    urls = [
        reverse("admin:programs_jointprogram_history", args=[programme.pk]),
        reverse(
            "admin:programs_jointprogram_simple_history",
            args=[programme.pk, first.history_id],
        ),
        reverse("admin:programs_programattachment_deleted"),
    ]
    offending = {}
    for url in urls:
        words = foreign_words(interface_text(lao_page(lao_admin, url)))
        if words:
            offending[url] = words
    assert not offending, f"history pages with words not in Lao: {offending}"
