"""Languages and addresses: a public page's language is in its address, the admin
follows its reader's choice, and a report comes in its page's language or `?lang=`'s.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from cooperation.models import Agreement
from reporting.demo import AGREEMENT_SLUG, demo_load
from reporting.report.export import report_response as real_report_response

pytestmark = pytest.mark.django_db

PREFIXES = {"vi": "", "lo": "/lo", "en": "/en"}
YEAR_PATH = f"/agreements/{AGREEMENT_SLUG}/2022/"
PAGE_PATHS = ["/", f"/agreements/{AGREEMENT_SLUG}/", YEAR_PATH]
ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')
SWITCH_LINK = re.compile(r'<a href="(/language/[^"]+)" lang="(\w+)" hreflang="(\w+)">')


@pytest.fixture
def demo(db):
    # The real agreement and its predecessor: the list shows both, not a redirect.
    demo_load()


@pytest.mark.parametrize("language", ["vi", "lo", "en"])
@pytest.mark.parametrize("path", PAGE_PATHS, ids=["list", "agreement", "year"])
def test_each_public_page_answers_in_the_language_of_its_address(
    client, demo, language, path
):
    response = client.get(PREFIXES[language] + path)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert response["Content-Language"] == language
    # Every language's address of this very page, absolute, and Vietnamese's again
    # for readers of none of them.
    assert dict(ALTERNATE.findall(html)) == {
        "vi": f"http://testserver{path}",
        "x-default": f"http://testserver{path}",
        "lo": f"http://testserver/lo{path}",
        "en": f"http://testserver/en{path}",
    }


def test_an_address_without_a_prefix_is_vietnamese_whatever_the_reader_chose(
    client, demo
):
    client.cookies["django_language"] = "lo"
    response = client.get(YEAR_PATH, headers={"accept-language": "en"})

    assert '<html lang="vi">' in response.content.decode()
    # So a shared cache in front of the site may keep one copy per address.
    assert "Accept-Language" not in response.get("Vary", "")


def test_reverse_gives_the_address_of_the_active_language(db):
    for language, prefix in PREFIXES.items():
        with translation.override(language):
            assert reverse("reporting:agreement_list") == f"{prefix}/"


@pytest.mark.parametrize("path", [YEAR_PATH, "/", f"/agreements/{AGREEMENT_SLUG}/"])
def test_the_vietnamese_prefix_redirects_for_good_to_the_address_without_it(
    client, path
):
    response = client.get(f"/vi{path}", {"hxl": "1"})

    assert response.status_code == 301
    assert response["Location"] == f"{path}?hxl=1"


def test_the_switcher_links_the_same_page_in_the_other_languages(client, demo):
    html = client.get(f"/lo{YEAR_PATH}").content.decode()

    links = SWITCH_LINK.findall(html)
    assert links == [
        (f"/language/vi/?next={YEAR_PATH}", "vi", "vi"),
        (f"/language/en/?next=/en{YEAR_PATH}", "en", "en"),
    ]
    assert '<span aria-current="true" lang="lo">ລາວ</span>' in html

    # Following one: the choice is remembered (the admin follows it) and the
    # reader lands on the same page in that language.
    response = client.get(links[1][0])
    assert response.status_code == 302
    assert response["Location"] == f"/en{YEAR_PATH}"
    assert response.cookies["django_language"].value == "en"


def test_the_switcher_leaves_an_unknown_page_for_the_home_page_of_the_language(
    client,
):
    response = client.get("/language/lo/", {"next": "/en/no-such-page/"})

    assert response["Location"] == "/lo/"


def test_a_missing_page_answers_in_the_language_of_its_address_without_alternates(
    client, demo
):
    response = client.get(f"/lo/agreements/{AGREEMENT_SLUG}/2031/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="lo">' in html
    assert 'rel="alternate"' not in html


@pytest.fixture
def report_languages(monkeypatch):
    """The language active while each report is rendered."""
    languages = []

    def report_response(report, file_format, **options):
        languages.append(translation.get_language())
        return real_report_response(report, file_format, **options)

    monkeypatch.setattr("reporting.views.report_response", report_response)
    return languages


def test_the_year_page_links_reports_in_its_own_language(client, demo):
    html = client.get(f"/lo{YEAR_PATH}").content.decode()

    for file_format in ("pdf", "docx", "xlsx", "csv"):
        assert f'href="/lo{YEAR_PATH}report.{file_format}"' in html


@pytest.mark.parametrize("language", ["vi", "lo", "en"])
def test_a_report_comes_in_the_language_of_its_address(
    client, demo, report_languages, language
):
    response = client.get(f"{PREFIXES[language]}{YEAR_PATH}report.csv")

    assert response.status_code == 200
    assert report_languages == [language]
    assert response["Content-Language"] == language
    # Its name says its language: two languages, two files.
    assert response["Content-Disposition"].endswith(f'_2022_{language}.csv"')


def test_lang_in_the_query_overrides_the_address_and_is_cached_apart(
    client, demo, report_languages, django_assert_num_queries
):
    url = f"/lo{YEAR_PATH}report.csv"
    in_lao = client.get(url)
    in_english = client.get(url, {"lang": "en"})

    assert report_languages == ["lo", "en"]
    assert in_english["Content-Language"] == "en"
    assert in_lao["Content-Language"] == "lo"
    # Each is kept: the content version is the one query, and no file is built.
    with django_assert_num_queries(1):
        again = client.get(url, {"lang": "en"})
    assert again.content == in_english.content
    assert again["Content-Language"] == "en"
    assert report_languages == ["lo", "en"]


def test_an_unknown_report_language_is_a_404(client, demo):
    assert client.get(f"/en{YEAR_PATH}report.csv", {"lang": "fr"}).status_code == 404


@pytest.mark.parametrize(
    ("cookie", "accept", "language"),
    [
        (None, "en", "en"),
        (None, "lo,en;q=0.5", "lo"),
        ("vi", "en", "vi"),
        ("lo", "en", "lo"),
    ],
)
def test_the_admin_follows_the_cookie_then_the_browser(
    admin_client, cookie, accept, language
):
    if cookie:
        admin_client.cookies["django_language"] = cookie

    response = admin_client.get("/admin/", headers={"accept-language": accept})

    assert f'<html lang="{language}"' in response.content.decode()
    assert response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]


def test_the_admin_has_no_language_prefix(admin_client):
    assert admin_client.get("/lo/admin/").status_code == 404
    with translation.override("lo"):
        assert reverse("admin:index") == "/admin/"


def test_the_staff_report_follows_the_admin_language_or_lang(
    admin_client, demo, report_languages
):
    agreement = Agreement.objects.get(slug=AGREEMENT_SLUG)
    url = reverse("staff_agreement_report", args=[agreement.pk, 2022, "csv"])
    admin_client.cookies["django_language"] = "lo"

    assert admin_client.get(url)["Content-Language"] == "lo"
    assert admin_client.get(url, {"lang": "vi"})["Content-Language"] == "vi"
    assert report_languages == ["lo", "vi"]


def test_the_admin_links_the_public_page_in_the_admin_language(admin_client, demo):
    agreement = Agreement.objects.get(slug=AGREEMENT_SLUG)
    admin_client.cookies["django_language"] = "lo"
    html = admin_client.get(
        reverse("admin:cooperation_agreement_change", args=[agreement.pk])
    ).content.decode()

    assert f'href="/lo{YEAR_PATH}"' in html


def test_health_is_outside_the_prefixes_and_says_its_language(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/health/", headers={"accept-language": "lo"})

    assert response.status_code == 200
    assert '<html lang="lo">' in response.content.decode()
    assert client.get("/lo/health/").status_code == 404
