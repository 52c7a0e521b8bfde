"""Text is stored as readers should see it, however it was typed or sent.

A decomposed "Hội" (NFD, as some keyboards and pasted PDFs give it) and a
composed one are one name; a right-to-left override or a zero-width space would
change what a reader sees ("exe.live" for "evil.exe") and is dropped; a one-line
field stays on one line even when a forged POST sends a line break.
"""

import unicodedata

import pytest

from cooperation.models import Agreement, text_normalised
from tests.admin_forms import admin_change_url, admin_form_data, assert_saved
from tests.factories import AgreementFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

COMPOSED = "Hội Chữ thập đỏ tỉnh Kon Tum"
DECOMPOSED = unicodedata.normalize("NFD", COMPOSED)


def test_a_decomposed_name_is_stored_composed():
    assert DECOMPOSED != COMPOSED
    organisation = OrganisationFactory(name_vi=DECOMPOSED)
    organisation.refresh_from_db()
    assert organisation.name_vi == COMPOSED


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("invoice\u202eexe.live", "invoiceexe.live"),  # right-to-left override
        ("Kon\u200bTum", "KonTum"),  # zero-width space
        ("\ufeffAttapeu", "Attapeu"),  # byte-order mark
        ("\u2066Attapeu\u2069", "Attapeu"),  # isolates
        ("ກາແດງແຂວງອັດຕະປື", "ກາແດງແຂວງອັດຕະປື"),  # Lao is left as typed
    ],
)
def test_invisible_characters_are_dropped(typed, stored):
    agreement = AgreementFactory(title_en=typed)
    agreement.refresh_from_db()
    assert agreement.title_en == stored


def test_long_text_keeps_its_lines_and_a_one_line_field_stays_on_one():
    assert text_normalised("Agenda:\n1. Visit", single_line=False) == (
        "Agenda:\n1. Visit"
    )
    assert text_normalised("A title\r\nwith a break\n", single_line=True) == (
        "A title with a break"
    )


def test_a_forged_post_cannot_put_a_line_break_or_an_override_in_a_title(
    admin_client,
):
    agreement = AgreementFactory()
    url = admin_change_url(agreement)
    data = admin_form_data(admin_client, url)
    # The form's text box would not send these; a forged POST can.
    data["title_en"] = "Forged\ntitle\u202e"
    data["notes"] = "First line\nsecond line\u200b"

    assert_saved(admin_client.post(url, data))

    agreement = Agreement.objects.get(pk=agreement.pk)
    assert agreement.title_en == "Forged title"
    assert agreement.notes == "First line\nsecond line"
