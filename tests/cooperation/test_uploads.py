"""Uploads judged by their content (cooperation/uploads.py), as the models apply it."""

import io

import pytest
from django.contrib.auth import get_user_model
from PIL import Image

from cooperation import uploads
from exchanges.models import VisitAttachment
from programs.models import ProgramAttachment
from tests.admin_forms import (
    admin_add_url,
    admin_change_url,
    admin_form_data,
    assert_refused_in_admin,
    assert_saved,
    full_clean_errors,
    stored_row,
)
from tests.factories import DelegationVisitFactory, JointProgramFactory
from tests.upload_files import (
    ESCALATION_HTML,
    SVG,
    docm_bytes,
    docx_bytes,
    exif_with_gps_and_rotation,
    odt_bytes,
    pdf_bytes,
    photo_bytes,
    png_declaring,
    upload,
    xlsx_bytes,
    zip_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root):
    return [path for path in root.rglob("*") if path.is_file()]


def attachment(kind, name, content, **fields):
    return ProgramAttachment(
        program=fields.pop("program", None) or JointProgramFactory(),
        kind=kind,
        caption="Gifts handed over",
        file=upload(name, content),
        **fields,
    )


# What is accepted --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [
        ("minutes.pdf", pdf_bytes(), "pdf"),
        ("Biên bản.docx", docx_bytes(), "docx"),
        ("danh sach.xlsx", xlsx_bytes(), "xlsx"),
        ("report.odt", odt_bytes(), "odt"),
    ],
)
def test_documents_are_kept_under_a_random_name_with_their_own_name_as_data(
    media_root, name, content, extension
):
    document = attachment("document", name, content)

    document.full_clean()
    document.save()

    stored = document.file.name
    assert stored.startswith("attachments/") and stored.endswith(f".{extension}")
    assert name.rsplit(".", 1)[0] not in stored
    assert document.original_name == name
    assert (media_root / stored).read_bytes() == content


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_photos_of_each_allowed_format_are_kept(media_root, image_format):
    photo = attachment("photo", "gifts.bin", photo_bytes(image_format))

    photo.full_clean()
    photo.save()

    with Image.open(media_root / photo.file.name) as stored:
        assert stored.format == image_format
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[image_format]
    assert photo.file.name.endswith(f".{extension}")


def test_a_photo_loses_its_location_and_camera_but_stays_upright(media_root):
    taken = photo_bytes(size=(40, 30), exif=exif_with_gps_and_rotation())
    with Image.open(io.BytesIO(taken)) as original:
        assert original.getexif().get_ifd(0x8825)  # the GPS position is there

    photo = attachment("photo", "IMG_2041.jpg", taken)
    photo.save()

    stored_bytes = (media_root / photo.file.name).read_bytes()
    with Image.open(io.BytesIO(stored_bytes)) as stored:
        assert not stored.getexif()
        assert not stored.getexif().get_ifd(0x8825)
        # Orientation 6 was applied to the pixels before the tag was dropped.
        assert stored.size == (30, 40)
    assert b"PhoneMaker" not in stored_bytes
    assert photo.original_name == "IMG_2041.jpg"


def test_a_large_photo_is_stored_at_the_longest_side_allowed(media_root, settings):
    settings.PHOTO_LONGEST_SIDE = 100
    photo = attachment("photo", "wide.png", photo_bytes("PNG", size=(400, 200)))

    photo.save()

    with Image.open(media_root / photo.file.name) as stored:
        assert stored.size == (100, 50)


def test_saving_again_does_not_encode_the_photo_twice(media_root):
    photo = attachment("photo", "gifts.jpg", photo_bytes())
    photo.full_clean()  # the admin cleans, then saves
    photo.save()
    first = (media_root / photo.file.name).read_bytes()

    photo.caption = "Gifts handed over in Sanxay"
    photo.full_clean()
    photo.save()

    assert len(stored_files(media_root)) == 1
    assert (media_root / photo.file.name).read_bytes() == first


# What is refused ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "name", "content", "message"),
    [
        (
            "document",
            "report-notes.html",
            ESCALATION_HTML,
            uploads.DOCUMENT_NOT_ALLOWED,
        ),
        ("photo", "report-notes.jpg", ESCALATION_HTML, uploads.PHOTO_NOT_AN_IMAGE),
        ("photo", "logo.svg", SVG, uploads.PHOTO_NOT_AN_IMAGE),
        ("document", "logo.svg", SVG, uploads.DOCUMENT_NOT_ALLOWED),
        (
            "document",
            "shell.php",
            b"<?php system($_GET['c']); ?>",
            uploads.DOCUMENT_NOT_ALLOWED,
        ),
        ("document", "plan.docx", docm_bytes(), uploads.DOCUMENT_NOT_ALLOWED),
        ("document", "site.docx", zip_bytes(), uploads.DOCUMENT_NOT_ALLOWED),
        ("photo", "minutes.jpg", pdf_bytes(), uploads.DOCUMENT_AS_PHOTO),
        ("document", "gifts.pdf", photo_bytes(), uploads.PHOTO_AS_DOCUMENT),
        ("photo", "broken.jpg", photo_bytes()[:200], uploads.PHOTO_DAMAGED),
    ],
)
def test_a_file_is_judged_by_its_content_not_its_name(
    media_root, kind, name, content, message
):
    refused = attachment(kind, name, content)

    assert full_clean_errors(refused)["file"] == [message]
    with pytest.raises(uploads.ValidationError):
        refused.save()  # code that skips full_clean() is refused all the same
    assert not ProgramAttachment.objects.exists()
    assert not stored_files(media_root)


@pytest.mark.parametrize(
    "size", [(20_000, 20_000), (12_000, 12_000), (8_000, 8_000)], ids=str
)
def test_a_decompression_bomb_is_refused_with_a_message(media_root, size):
    bomb = attachment("photo", "bomb.png", png_declaring(*size))

    errors = full_clean_errors(bomb)

    message = uploads.PHOTO_TOO_MANY_PIXELS % {"limit": 50}
    assert errors["file"] == [message]
    assert not stored_files(media_root)


def test_a_file_over_the_size_limit_is_refused(media_root, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    large = attachment("document", "minutes.pdf", pdf_bytes() + b"%" * 2000)

    errors = full_clean_errors(large)

    assert errors["file"] == [
        "This file is 2.0\xa0KB; files up to 1000\xa0bytes are accepted. Reduce it "
        "(a photo to at most a few megabytes) and upload it again."
    ]
    assert not stored_files(media_root)


def test_a_stored_file_is_checked_again_when_its_kind_changes(media_root):
    """The issue's second route: an HTML file stored as a "document" before uploads
    were checked, switched to "photo" to reach the public page."""
    (media_root / "attachments").mkdir()
    (media_root / "attachments" / "report-notes.jpg").write_bytes(ESCALATION_HTML)
    program = JointProgramFactory()
    # Stored as an older version of the app would have: no check on the way in.
    ProgramAttachment.objects.bulk_create(
        [
            ProgramAttachment(
                program=program,
                kind="document",
                caption="Notes",
                file="attachments/report-notes.jpg",
            )
        ]
    )
    legacy = ProgramAttachment.objects.get()
    before = stored_row(legacy)

    legacy.kind = "photo"
    legacy.is_published = True

    assert full_clean_errors(legacy)["file"] == [uploads.PHOTO_NOT_AN_IMAGE]
    assert stored_row(legacy) == before


def test_a_caption_change_does_not_read_the_stored_file_again(media_root):
    photo = attachment("photo", "gifts.jpg", photo_bytes())
    photo.save()
    (media_root / photo.file.name).unlink()  # e.g. media not restored yet

    loaded = ProgramAttachment.objects.get()
    loaded.caption = "Gifts handed over in Sanxay"
    loaded.full_clean()


def test_a_changed_kind_of_a_missing_file_says_so(media_root):
    photo = attachment("photo", "gifts.jpg", photo_bytes())
    photo.save()
    (media_root / photo.file.name).unlink()

    loaded = ProgramAttachment.objects.get()
    loaded.kind = "document"

    assert full_clean_errors(loaded)["file"] == [uploads.STORED_FILE_MISSING]


# Through the admin, as the clerk of the issue -------------------------------------


def test_the_html_escalation_upload_is_refused_and_the_clerk_stays_a_clerk(
    data_entry_client, media_root
):
    visit = DelegationVisitFactory()
    url = admin_add_url(VisitAttachment)
    data = admin_form_data(
        data_entry_client,
        url,
        visit=visit,
        kind="document",
        caption="Notes of the meeting",
        file=upload("report-notes.html", ESCALATION_HTML),
    )

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "file", uploads.DOCUMENT_NOT_ALLOWED)
    assert not VisitAttachment.objects.exists()
    assert not stored_files(media_root)
    clerk = get_user_model().objects.get(username="clerk")
    assert not clerk.is_superuser


def test_switching_a_stored_html_file_to_photo_is_refused_in_the_admin(
    data_entry_client, media_root
):
    (media_root / "attachments").mkdir()
    (media_root / "attachments" / "notes.jpg").write_bytes(ESCALATION_HTML)
    visit = DelegationVisitFactory()
    VisitAttachment.objects.bulk_create(
        [
            VisitAttachment(
                visit=visit,
                kind="document",
                caption="Notes",
                file="attachments/notes.jpg",
            )
        ]
    )
    legacy = VisitAttachment.objects.get()
    url = admin_change_url(legacy)
    data = admin_form_data(data_entry_client, url, kind="photo", is_published=True)

    response = data_entry_client.post(url, data)

    assert_refused_in_admin(response, "file", uploads.PHOTO_NOT_AN_IMAGE)
    assert stored_row(legacy)["kind"] == "document"
    assert not stored_row(legacy)["is_published"]


def test_a_photo_uploaded_in_the_admin_shows_the_name_it_came_with(
    data_entry_client, media_root
):
    visit = DelegationVisitFactory()
    url = admin_add_url(VisitAttachment)
    data = admin_form_data(
        data_entry_client,
        url,
        visit=visit,
        kind="photo",
        caption="The delegations meet",
        file=upload("Gặp mặt.jpg", photo_bytes(exif=exif_with_gps_and_rotation())),
    )

    assert_saved(data_entry_client.post(url, data))

    stored = VisitAttachment.objects.get()
    assert stored.original_name == "Gặp mặt.jpg"
    page = data_entry_client.get(admin_change_url(stored)).content.decode()
    assert "Gặp mặt.jpg" in page
    assert 'accept=".jpg,.png,.webp,.pdf,.docx,.xlsx,.odt,.jpeg"' in page


def test_a_request_over_the_limit_is_refused_before_it_is_read(
    data_entry_client, settings, media_root
):
    settings.REQUEST_MAX_BYTES = 10_240
    visit = DelegationVisitFactory()
    url = admin_add_url(VisitAttachment)
    data = admin_form_data(
        data_entry_client,
        url,
        visit=visit,
        kind="document",
        caption="Minutes",
        file=upload("minutes.pdf", pdf_bytes() + b"%" * 20_000),
    )

    response = data_entry_client.post(url, data)

    assert response.status_code == 413
    assert "at most 10.0\xa0KB can be sent at once" in response.content.decode()
    assert not VisitAttachment.objects.exists()
    assert not stored_files(media_root)


def test_the_size_refusal_reads_in_the_readers_language(client, settings):
    settings.REQUEST_MAX_BYTES = 10
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "lo"

    response = client.post("/admin/login/", {"username": "x" * 50})

    assert response.status_code == 413
    assert "ສົ່ງ" in response.content.decode()
