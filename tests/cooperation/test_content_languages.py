"""Names, titles and clauses in three languages: a reader sees their own, else the
language the record was written in, else another."""

import importlib

import pytest
from django.utils import translation

from cooperation.models import Agreement, Organisation
from exchanges.models import DelegationVisit
from programs.models import JointProgram
from tests.admin_forms import admin_add_url


@pytest.mark.parametrize(
    ("active", "original", "shown"),
    [
        ("lo", "vi", "Biên bản ghi nhớ"),  # no Lao: the Vietnamese original
        ("lo", "en", "Memorandum"),  # no Lao: the English original
        ("lo", "", "Memorandum"),  # original unknown: Lao readers fall back to English
        ("vi", "en", "Biên bản ghi nhớ"),  # the reader's own language first
        ("en", "vi", "Memorandum"),
    ],
)
def test_a_reader_sees_their_language_else_the_original(active, original, shown):
    agreement = Agreement(
        title_vi="Biên bản ghi nhớ",
        title_en="Memorandum",
        original_language=original,
    )
    with translation.override(active):
        assert agreement.title == shown


def test_the_original_language_is_the_only_one_filled_for_a_new_name():
    organisation = Organisation(name_lo="ກາແດງແຂວງອັດຕະປື", original_language="lo")
    for language in ("vi", "lo", "en"):
        with translation.override(language):
            assert organisation.name == "ກາແດງແຂວງອັດຕະປື"


@pytest.mark.parametrize("language", ["vi", "lo", "en"])
def test_a_new_record_is_written_in_its_clerks_language(admin_client, language):
    admin_client.cookies["django_language"] = language
    for model, field in ((Agreement, "title"), (Organisation, "name")):
        response = admin_client.get(admin_add_url(model))
        form = response.context["adminform"].form
        assert form.initial["original_language"] == language
        # The three languages stand side by side, on one row of the form.
        row = f"field-{field}_vi field-{field}_lo field-{field}_en"
        assert row in response.content.decode(), model


# Purposes, outcomes and descriptions: one text in three languages.


def test_a_visit_purpose_reads_in_the_readers_language_else_the_original():
    visit = DelegationVisit(
        purpose_vi="Thăm và làm việc tại tỉnh Attapư.",
        purpose_lo="",
        purpose_en="Visit and working session in Attapeu.",
        original_language="vi",
    )
    with translation.override("en"):
        assert visit.purpose == "Visit and working session in Attapeu."
    with translation.override("lo"):
        # No Lao: the Vietnamese it was written in, not the English translation.
        assert visit.purpose == "Thăm và làm việc tại tỉnh Attapư."


def test_setting_a_text_writes_the_records_own_language():
    programme = JointProgram(original_language="lo", description="ມອບຂອງຂວັນ")
    assert (programme.description_lo, programme.description_en) == ("ມອບຂອງຂວັນ", "")
    with translation.override("vi"):
        visit = DelegationVisit(purpose="Thăm và làm việc.")
    assert visit.purpose_vi == "Thăm và làm việc."


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Visit and working session of the two branches.", "en"),
        ("Thăm và làm việc của Hội Chữ thập đỏ tỉnh Kon Tum.", "vi"),
        ("Đoàn công tác", "vi"),
        ("ການຢ້ຽມຢາມຂອງຄະນະຜູ້ແທນ", "lo"),
        ("Phouvong and Sanxay", "en"),
    ],
)
def test_an_existing_text_moves_to_the_language_it_is_written_in(text, language):
    migration = importlib.import_module("cooperation.migrations._content_languages")
    assert migration.language_of(text) == language


def test_the_visit_form_shows_each_text_in_three_languages_side_by_side(
    admin_client,
):
    response = admin_client.get(admin_add_url(DelegationVisit))
    html = response.content.decode()
    for field in ("purpose", "outcomes"):
        assert f"field-{field}_vi field-{field}_lo field-{field}_en" in html
