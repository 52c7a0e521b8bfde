"""Cached public pages: one query when cached, never older than the data."""

import socket

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation

from programs.models import JointProgram
from reporting.content_triggers import TRIGGER_PREFIX, record_tables
from reporting.models import ContentVersion
from reporting.page_cache import page_key
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    GiftDistributionFactory,
    JointProgramFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(db):
    agreement = AgreementFactory()
    CommitmentFactory(agreement=agreement)
    return JointProgramFactory(agreement=agreement, title_en="School gifts")


def year_url(programme):
    return reverse(
        "reporting:agreement_year",
        kwargs={"slug": programme.agreement.slug, "year": programme.year},
    )


def test_a_cached_year_page_costs_one_query(
    client, programme, django_assert_num_queries
):
    first = client.get(year_url(programme))
    # The content version, which the cache key carries; nothing else.
    with django_assert_num_queries(1):
        second = client.get(year_url(programme))
    assert second.status_code == 200
    assert second.content == first.content


def test_saving_a_record_retires_the_cached_page(client, programme):
    assert "School gifts" in client.get(year_url(programme)).content.decode()
    programme.title_en = "Bicycles for students"
    programme.save()
    html = client.get(year_url(programme)).content.decode()
    assert "Bicycles for students" in html and "School gifts" not in html


def test_a_new_distribution_and_a_deleted_one_show_at_once(client, programme):
    client.get(year_url(programme))
    distribution = GiftDistributionFactory(program=programme, packages=321)
    assert "321" in client.get(year_url(programme)).content.decode()
    distribution.delete()
    assert "321" not in client.get(year_url(programme)).content.decode()


def test_bulk_unpublish_in_the_admin_retires_the_cached_page(
    admin_client, client, programme
):
    assert "School gifts" in client.get(year_url(programme)).content.decode()
    response = admin_client.post(
        reverse("admin:programs_jointprogram_changelist"),
        {"action": "unpublish", "_selected_action": [programme.pk]},
    )
    assert response.status_code == 302
    assert "School gifts" not in client.get(year_url(programme)).content.decode()


def test_each_language_has_its_own_cached_page(
    client, programme, django_assert_num_queries
):
    addresses = {}
    for language in ("en", "lo"):
        with translation.override(language):
            addresses[language] = year_url(programme)
    first = {language: client.get(url) for language, url in addresses.items()}
    for language, url in addresses.items():
        # The content version, which the cache key carries; nothing else.
        with django_assert_num_queries(1):
            again = client.get(url)
        assert again.content == first[language].content
        assert f'<html lang="{language}">' in again.content.decode()
        assert again["Content-Language"] == language


def test_the_cache_key_carries_the_active_language(programme):
    # The address carries it too; a report's ?lang= makes the active language
    # differ from the address's, and must not be served the other's file.
    request = RequestFactory().get(year_url(programme))
    keys = set()
    for language in ("vi", "lo", "en"):
        with translation.override(language):
            keys.add(page_key(request, ContentVersion.read()))
    assert len(keys) == 3


def test_a_queryset_update_retires_the_cached_page(client, programme):
    # update() sends no signal; the database trigger sees it all the same.
    assert "School gifts" in client.get(year_url(programme)).content.decode()
    JointProgram.objects.filter(pk=programme.pk).update(title_en="Rice for families")
    html = client.get(year_url(programme)).content.decode()
    assert "Rice for families" in html and "School gifts" not in html


def test_raw_sql_retires_the_cached_page(client, programme):
    client.get(year_url(programme))
    table = connection.ops.quote_name(JointProgram._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET title_en = %s WHERE id = %s",
            ["Medicine kits", programme.pk],
        )
    assert "Medicine kits" in client.get(year_url(programme)).content.decode()


def installed_triggers():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE %s",
                [TRIGGER_PREFIX + "%"],
            )
        else:
            cursor.execute(
                "SELECT event_object_table FROM information_schema.triggers "
                "WHERE trigger_name LIKE %s",
                [TRIGGER_PREFIX + "%"],
            )
        return {table for (table,) in cursor.fetchall()}


def test_every_record_table_has_a_content_trigger(db):
    tables = record_tables()
    # Many-to-many tables count: a district added to a programme changes a page.
    assert "programs_jointprogram_districts" in tables
    assert "cooperation_agreement" in tables
    assert set(tables) <= installed_triggers()


def test_report_downloads_ignore_query_parameters_they_do_not_read(
    client, programme, django_assert_num_queries
):
    url = reverse(
        "reporting:agreement_report",
        kwargs={
            "slug": programme.agreement.slug,
            "year": programme.year,
            "file_format": "csv",
        },
    )
    first = client.get(url)
    # `?r=1` must not build a fresh file: one query, the content version.
    with django_assert_num_queries(1):
        again = client.get(url, {"r": "1"})
    assert again.content == first.content
    with_tags = client.get(url, {"hxl": "1"})
    assert with_tags.content != first.content
    assert b"#activity+name" in with_tags.content


def test_the_content_version_only_goes_up(programme):
    before = ContentVersion.objects.get().counter
    programme.save()
    assert ContentVersion.objects.get().counter == before + 1


def test_gzip_is_served_to_readers_who_ask_for_it(client, programme):
    import gzip

    plain = client.get(year_url(programme))
    packed = client.get(year_url(programme), headers={"accept-encoding": "gzip"})
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content


def test_public_pages_set_no_cookie_and_carry_no_csrf_token(client, programme):
    response = client.get(year_url(programme))
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_choosing_a_language_sets_the_cookie_and_returns_to_the_page_in_it(client):
    response = client.get("/language/lo/", {"next": "/en/agreements/x/2022/?a=1"})
    assert response.status_code == 302
    assert response["Location"] == "/lo/agreements/x/2022/?a=1"
    assert response.cookies["django_language"].value == "lo"


def test_choosing_a_language_never_redirects_off_site(client):
    response = client.get("/language/vi/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_an_unknown_language_is_a_404(client):
    assert client.get("/language/fr/").status_code == 404


def test_an_entry_stored_before_the_status_was_kept_is_served_as_a_200(
    client, programme
):
    # A shared cache can keep entries of the former (content, gzip, headers) form
    # across a deploy; every one of them was a 200.
    request = RequestFactory().get(year_url(programme))
    with translation.override("en"):
        key = page_key(request, ContentVersion.read())
    cache.set(key, (b"stored earlier", None, (("Content-Type", "text/html"),)))

    response = client.get(year_url(programme), headers={"accept-language": "en"})

    assert response.status_code == 200
    assert response.content == b"stored earlier"


def test_each_response_says_whether_it_came_from_the_cache(client, programme):
    assert client.get(year_url(programme))["X-Page-Cache"] == "miss"
    assert client.get(year_url(programme))["X-Page-Cache"] == "hit"


def closed_port():
    """A loopback port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_pages_render_uncached_while_redis_is_unreachable(client, programme, caplog):
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }
    with override_settings(CACHES=unreachable):
        first = client.get(year_url(programme))
        second = client.get(year_url(programme))

    assert first.status_code == second.status_code == 200
    assert "School gifts" in second.content.decode()
    assert second["X-Page-Cache"] == "miss"
    warnings = [
        r.getMessage() for r in caplog.records if r.name == "reporting.page_cache"
    ]
    assert len(warnings) == 4, warnings  # a failed read and a failed write per request
    assert warnings[0].startswith("Page cache unreachable, rendering uncached: ")
    assert "Connection refused" in warnings[0]
    assert warnings[1].startswith("Page cache unreachable, page not kept: ")
