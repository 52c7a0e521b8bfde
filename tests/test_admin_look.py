"""The admin's own identity: its name, its icon and the society's logo setting.

The colours, their contrast and the layout at laptop widths are checked in a real
browser (tests/browser/test_admin_look.py).
"""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core import checks
from django.urls import reverse

from cooperation.signin.site import society_logo_check

pytestmark = pytest.mark.django_db

# A static file every checkout has, standing in for a society's logo.
LOGO = "img/app-icon.svg"
LOGO_ALT = "Kon Tum Provincial Red Cross Society"


def header(response):
    """The <div id="site-name"> of an admin page."""
    html = response.content.decode()
    return re.search(r'<div id="site-name">.*?</div>', html, re.S).group(0)


def test_admin_carries_the_apps_name_in_its_header_and_title(admin_client):
    response = admin_client.get(reverse("admin:index"))

    assert "Red Cross cooperation agreements" in header(response)
    assert "<title>Records of visits, programmes and distributions | Cooperation " in (
        response.content.decode()
    )
    assert "Django administration" not in response.content.decode()


def test_admin_header_reads_in_the_readers_language(admin_client):
    response = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="vi")

    assert "Thỏa thuận hợp tác của Hội Chữ thập đỏ" in header(response)


def test_admin_pages_name_an_icon_of_the_app_so_no_favicon_is_requested(
    admin_client, client
):
    for response in (
        admin_client.get(reverse("admin:index")),
        client.get(reverse("admin:login")),
    ):
        html = response.content.decode()
        icon = re.search(r'<link rel="icon" href="([^"]+)"', html)
        assert icon is not None
        assert icon.group(1).endswith("img/app-icon.svg")
    # The icon is a file of ours, not the emblem's cross: two rings.
    svg = open(finders.find(LOGO), encoding="utf-8").read()
    assert svg.count("<circle") == 2


def test_without_a_logo_setting_the_header_is_text_only(admin_client, settings):
    settings.SOCIETY_LOGO = ""

    response = admin_client.get(reverse("admin:index"))

    assert "<img" not in header(response)
    assert society_logo_check() == []


def test_the_societys_logo_shows_in_the_header_with_its_alt_text(
    admin_client, settings
):
    settings.SOCIETY_LOGO = LOGO
    settings.SOCIETY_LOGO_ALT = LOGO_ALT

    response = admin_client.get(reverse("admin:index"))

    logo = re.search(r"<img [^>]*>", header(response)).group(0)
    assert 'class="society-logo"' in logo
    assert f'alt="{LOGO_ALT}"' in logo
    assert re.search(r'src="/static/img/app-icon[^"]*\.svg"', logo)
    # The name stays beside it: the logo adds to the header, never replaces it.
    assert "Red Cross cooperation agreements" in header(response)
    # The sign-in page, before anyone is known, shows it too.
    admin_client.logout()
    assert LOGO_ALT in header(admin_client.get(reverse("admin:login")))


def test_a_logo_file_that_is_not_there_leaves_the_text_header_and_a_warning(
    admin_client, settings
):
    settings.SOCIETY_LOGO = "img/no-such-logo.png"
    settings.SOCIETY_LOGO_ALT = LOGO_ALT

    response = admin_client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert "<img" not in header(response)
    (warning,) = society_logo_check()
    assert isinstance(warning, checks.Warning)
    assert warning.id == "cooperation.W001"
    assert "img/no-such-logo.png" in warning.msg


def public_brand(client):
    html = client.get(reverse("reporting:agreement_list")).content.decode()
    return html, re.search(r'<a class="brand".*?</a>', html, re.S).group(0)


def test_public_pages_carry_the_apps_icon_and_draw_no_emblem(client, settings):
    settings.SOCIETY_LOGO = ""

    html, brand = public_brand(client)

    assert re.search(r'<link rel="icon" href="/static/img/app-icon[^"]*\.svg"', html)
    # Decorative beside the name: read by no screen reader.
    assert re.search(r'<img class="brand__icon" src="[^"]*app-icon[^"]*" alt=""', brand)
    assert "cross" not in brand
    stylesheet = finders.find("css/site.css")
    with open(stylesheet, encoding="utf-8") as css:
        assert "brand__cross" not in css.read()


def test_public_pages_show_the_societys_logo_when_one_is_set(client, settings):
    settings.SOCIETY_LOGO = LOGO
    settings.SOCIETY_LOGO_ALT = LOGO_ALT

    _html, brand = public_brand(client)

    assert '<img class="brand__logo" src="/static/img/app-icon' in brand
    assert f'alt="{LOGO_ALT}"' in brand
    assert "Red Cross cooperation agreements" in brand
