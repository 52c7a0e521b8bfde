"""The Content-Security-Policy header on the public pages and in the admin.

Whether the pages still work under it is for the browser (tests/browser/test_csp.py);
here, that each page carries the policy, and that a view's own stricter policy is
left as the view set it.
"""

import re

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.urls import path, reverse

from tests.factories import (
    AgreementFactory,
    DelegationVisitFactory,
    GiftDistributionFactory,
    VisitMemberFactory,
)

pytestmark = pytest.mark.django_db

EXPECTED_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# What a view serving an uploaded file sets for itself.
ATTACHMENT_POLICY = "default-src 'none'; sandbox"
TEMPLATES = settings.BASE_DIR / "templates"


def directives(response):
    header = response["Content-Security-Policy"]
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in parts}


def attachment_like_view(request):
    response = HttpResponse(b"%PDF-1.7", content_type="application/pdf")
    response["Content-Security-Policy"] = ATTACHMENT_POLICY
    return response


# This module doubles as a URLconf (pytest.mark.urls below) with that one view.
urlpatterns = [path("attachment-like/", attachment_like_view)]


@pytest.fixture
def agreement():
    return AgreementFactory()


@pytest.mark.parametrize(
    "page",
    ["list", "agreement", "year"],
)
def test_public_pages_carry_the_policy(client, agreement, page):
    # Two agreements, so the list is a page of its own rather than a redirect.
    AgreementFactory()
    url = {
        "list": reverse("reporting:agreement_list"),
        "agreement": agreement.get_absolute_url(),
        "year": reverse(
            "reporting:agreement_year", kwargs={"slug": agreement.slug, "year": 2022}
        ),
    }[page]

    response = client.get(url)

    assert response.status_code == 200
    assert directives(response) == EXPECTED_DIRECTIVES
    assert "unsafe" not in response["Content-Security-Policy"]


def test_a_page_served_from_the_page_cache_carries_the_policy_too(client, agreement):
    url = agreement.get_absolute_url()
    client.get(url)

    cached = client.get(url)

    assert directives(cached) == EXPECTED_DIRECTIVES


def test_admin_login_carries_the_policy(client):
    response = client.get(reverse("admin:login"))

    assert response.status_code == 200
    assert directives(response) == EXPECTED_DIRECTIVES


@pytest.mark.parametrize(
    "make_record, url_name",
    [
        (
            lambda: GiftDistributionFactory().program,
            "admin:programs_jointprogram_change",
        ),
        (
            lambda: VisitMemberFactory(visit=DelegationVisitFactory()).visit,
            "admin:exchanges_delegationvisit_change",
        ),
    ],
    ids=["joint-programme", "delegation-visit"],
)
def test_admin_changelist_and_change_form_carry_the_policy(
    admin_client, make_record, url_name
):
    record = make_record()
    changelist_url = reverse(url_name.replace("_change", "_changelist"))

    changelist = admin_client.get(changelist_url)
    change_form = admin_client.get(reverse(url_name, args=[record.pk]))

    assert changelist.status_code == change_form.status_code == 200
    assert directives(changelist) == EXPECTED_DIRECTIVES
    assert directives(change_form) == EXPECTED_DIRECTIVES


@pytest.mark.urls(__name__)
def test_a_view_that_sets_its_own_policy_keeps_it(client):
    response = client.get("/attachment-like/")

    assert response["Content-Security-Policy"] == ATTACHMENT_POLICY


INLINE_STYLE = re.compile(r"\sstyle=")
EVENT_HANDLER = re.compile(r"\son[a-z]+=|javascript:")
SCRIPT_TAG = re.compile(r"<script\b[^>]*>")


def runs_inline(script_tag):
    return "src=" not in script_tag and 'type="application/json"' not in script_tag


def test_no_template_of_ours_served_to_a_browser_has_inline_style_or_script():
    """The policy allows neither: a page with one would be broken, not insecure.

    The report templates (templates/reports/) are laid out by WeasyPrint, never
    served, and keep their inline widths.
    """
    offending = []
    for template in TEMPLATES.rglob("*.html"):
        if template.parent.name == "reports":
            continue
        text = template.read_text()
        if (
            INLINE_STYLE.search(text)
            or EVENT_HANDLER.search(text)
            or any(runs_inline(tag) for tag in SCRIPT_TAG.findall(text))
        ):
            offending.append(str(template.relative_to(TEMPLATES)))

    assert offending == []
