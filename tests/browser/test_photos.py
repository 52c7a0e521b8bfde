"""A photo sent as a sandboxed download still shows on the year page."""

import pytest

from programs.models import ProgramAttachment
from tests.factories import JointProgramFactory
from tests.upload_files import exif_with_gps_and_rotation, photo_bytes, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_published_photo_shows_on_the_year_page(media_root, visit, screenshot):
    programme = JointProgramFactory(is_published=True)
    photo = ProgramAttachment(
        program=programme,
        kind="photo",
        caption="Gifts handed over",
        file=upload("IMG_2041.jpg", photo_bytes(exif=exif_with_gps_and_rotation())),
        is_published=True,
    )
    photo.save()

    page = visit(f"/en/agreements/{programme.agreement.slug}/{programme.year}/")
    image = page.locator(f'img[src="{photo.file.url}"]')
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    screenshot("year-page-photo")

    # Upright: the phone's quarter turn is in the pixels, not in a dropped tag.
    assert image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [30, 40]
