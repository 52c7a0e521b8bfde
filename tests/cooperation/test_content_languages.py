"""Names, titles and clauses in three languages: a reader sees their own, else the
language the record was written in, else another."""

import pytest
from django.utils import translation

from cooperation.models import Agreement, Organisation
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
