"""Uploaded files reach readers only through reporting/attachments.py."""

import pytest
from django.contrib.auth.models import Permission

from programs.models import DistributionAttachment, ProgramAttachment
from reporting.attachments import SANDBOX_POLICY
from tests.factories import (
    DistributionAttachmentFactory,
    GiftDistributionFactory,
    JointProgramFactory,
    UserFactory,
)
from tests.upload_files import ESCALATION_HTML, pdf_bytes, photo_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def programme_file(kind="photo", *, published=True, programme_published=True, **kw):
    content = kw.pop("content", photo_bytes() if kind == "photo" else pdf_bytes())
    name = kw.pop("name", "Trao quà.jpg" if kind == "photo" else "Biên bản.pdf")
    attachment = ProgramAttachment(
        program=JointProgramFactory(is_published=programme_published),
        kind=kind,
        caption="Gifts handed over",
        file=upload(name, content),
        is_published=published,
    )
    attachment.save()
    return attachment


def test_a_published_photo_is_sent_as_a_download_that_cannot_run(client):
    photo = programme_file("photo")

    response = client.get(photo.file.url)

    assert photo.file.url.startswith("/files/attachments/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Tr" in response["Content-Disposition"]  # the name it came with
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX_POLICY
    assert response["Cache-Control"] == "public, max-age=86400"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"


def test_a_document_downloads_under_its_own_name(client):
    document = programme_file("document")

    response = client.get(document.file.url)

    assert response["Content-Type"] == "application/pdf"
    assert (
        "filename*=utf-8''Bi%C3%AAn%20b%E1%BA%A3n.pdf"
        in (response["Content-Disposition"])
    )


@pytest.mark.parametrize(
    ("published", "programme_published"), [(False, True), (True, False)]
)
def test_an_unpublished_file_is_refused_to_anonymous_readers(
    client, published, programme_published
):
    photo = programme_file(published=published, programme_published=programme_published)

    response = client.get(photo.file.url)

    assert response.status_code == 404


def test_a_file_of_an_unpublished_programme_above_a_distribution_is_refused(client):
    distribution = GiftDistributionFactory(
        is_published=True, program__is_published=False
    )
    photo = DistributionAttachment(
        distribution=distribution,
        kind="photo",
        caption="Bicycles",
        file=upload("bicycles.png", photo_bytes("PNG")),
        is_published=True,
    )
    photo.save()

    assert client.get(photo.file.url).status_code == 404


def test_staff_who_may_view_attachments_get_an_unpublished_file(
    data_entry_client, viewer_client
):
    photo = programme_file(published=False)

    for staff in (data_entry_client, viewer_client):
        response = staff.get(photo.file.url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"


def test_staff_without_the_view_permission_are_refused(client):
    photo = programme_file(published=False)
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_jointprogram"))
    client.force_login(user)

    assert client.get(photo.file.url).status_code == 404


def test_a_stored_html_file_from_before_is_never_served_as_a_page(client, media_root):
    """An HTML file kept by an older version under a photo's name: even published,
    it arrives as bytes to save, sandboxed, never as a page of our origin."""
    (media_root / "attachments").mkdir()
    (media_root / "attachments" / "report-notes.html").write_bytes(ESCALATION_HTML)
    ProgramAttachment.objects.bulk_create(
        [
            ProgramAttachment(
                program=JointProgramFactory(is_published=True),
                kind="document",
                caption="Notes",
                file="attachments/report-notes.html",
                is_published=True,
            )
        ]
    )

    response = client.get("/files/attachments/report-notes.html")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == SANDBOX_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/files/attachments/no-such-file.jpg",
        "/files/../config/settings/base.py",
        "/media/attachments/anything.jpg",
    ],
)
def test_nothing_else_under_media_is_served(client, path):
    assert client.get(path).status_code == 404


def test_a_file_on_disk_without_an_attachment_is_not_served(client, media_root):
    (media_root / "attachments").mkdir()
    (media_root / "attachments" / "stray.pdf").write_bytes(pdf_bytes())

    assert client.get("/files/attachments/stray.pdf").status_code == 404


def test_only_reading_is_allowed(client):
    photo = programme_file()

    assert client.post(photo.file.url).status_code == 405


def test_the_year_page_shows_published_photos_through_the_file_view(client):
    photo = programme_file()
    programme = photo.program
    DistributionAttachmentFactory(distribution__program=programme, is_published=False)
    url = f"/en/agreements/{programme.agreement.slug}/{programme.year}/"

    page = client.get(url).content.decode()

    assert f'<img src="{photo.file.url}"' in page
    assert client.get(photo.file.url).status_code == 200


def test_a_file_costs_at_most_three_queries(client, django_assert_max_num_queries):
    photo = programme_file()

    with django_assert_max_num_queries(3):
        assert client.get(photo.file.url).status_code == 200
