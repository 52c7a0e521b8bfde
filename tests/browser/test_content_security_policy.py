"""The site under its Content-Security-Policy, in chromium: nothing refused, and the
admin's scripts still work (inline rows, the calendar, autocomplete, the "+" popup).

Every refusal is caught twice: chromium's own console message ("… violates the
following Content Security Policy directive …") and a `securitypolicyviolation`
listener added before any page script runs, which logs to the console as well, so
the messages of popups and of pages left since are all kept.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from cooperation.models import Area
from programs.models import JointProgram
from reporting.demo import AGREEMENT_SLUG, EXAMPLE_AGREEMENT_SLUG, demo_load
from tests.factories import (
    CountryFactory,
    DelegationVisitFactory,
    GiftDistributionFactory,
    VisitMemberFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

USERNAME = "chief"
PASSWORD = "a-long-test-password"

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
    console.error(
        `CSP violation: ${event.violatedDirective} refused `
        + `${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`
    );
});
"""


def is_violation(message):
    return "Content Security Policy" in message or "CSP violation" in message


@pytest.fixture
def violations(page):
    """The policy's refusals so far, in this tab and in any popup it opens."""
    found = []
    page.context.add_init_script(REPORT_VIOLATIONS)
    page.context.on(
        "console",
        lambda message: is_violation(message.text) and found.append(message.text),
    )
    return found


@pytest.fixture
def signed_in(page, live_server, django_user_model, violations):
    """A superuser, signed in through the admin's own login page."""
    django_user_model.objects.create_superuser(USERNAME, password=PASSWORD)
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}{reverse('admin:index')}")
    return page


def public_paths():
    with translation.override("en"):
        return [
            reverse("reporting:agreement_list"),
            reverse("reporting:agreement", kwargs={"slug": AGREEMENT_SLUG}),
            reverse(
                "reporting:agreement_year",
                kwargs={"slug": AGREEMENT_SLUG, "year": 2022},
            ),
            reverse(
                "reporting:agreement_year",
                kwargs={"slug": EXAMPLE_AGREEMENT_SLUG, "year": 2024},
            ),
        ]


def test_the_listener_reports_what_the_policy_refuses(page, live_server, violations):
    # Without this, a listener that never fired would pass every test below.
    page.goto(f"{live_server.url}{reverse('admin:login')}")

    with page.expect_console_message(lambda message: is_violation(message.text)):
        page.evaluate(
            "document.body.insertAdjacentHTML("
            "'beforeend', '<p style=\"color: red\">injected</p>')"
        )

    assert any("style-src" in message for message in violations), violations


def test_public_pages_load_without_a_refusal(page, live_server, violations):
    demo_load(examples=True)

    for path in public_paths():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        # The stylesheet applied: the header is laid out as a flex row.
        assert (
            page.locator(".site-header__inner").evaluate(
                "element => getComputedStyle(element).display"
            )
            == "flex"
        ), path

    assert violations == []


def test_programme_form_inlines_calendar_autocomplete_and_popup_work(
    signed_in, live_server, violations, screenshot
):
    page = signed_in
    programme = GiftDistributionFactory().program
    CountryFactory(name_en="Cambodia")
    page.goto(
        f"{live_server.url}"
        + reverse("admin:programs_jointprogram_change", args=[programme.pk])
    )
    screenshot("admin-programme-change-form")

    # An inline row added by inlines.js.
    distributions = page.locator("#distributions-group")
    rows = distributions.locator(".inline-related:not(.empty-form)")
    assert rows.count() == 1
    distributions.locator(".add-row a").click()
    assert rows.count() == 2

    # The calendar of DateTimeShortcuts.js, on the programme's start date.
    link = page.locator("#id_start_date ~ .datetimeshortcuts a[id^=calendarlink]")
    calendar = page.locator("#" + link.get_attribute("id").replace("link", "box"))
    assert not calendar.is_visible()
    link.click()
    assert calendar.is_visible()
    calendar.locator("td a", has_text="15").first.click()
    assert page.locator("#id_start_date").input_value() != ""

    # Autocomplete (select2 through autocomplete.js and the admin's JSON view).
    page.locator(".field-lead_organisation .select2-selection").click()
    # Wait for the answer, not for select2's "Searching…" row that comes first.
    options = page.locator(".select2-results__option:not(.loading-results)")
    options.nth(1).wait_for()
    assert options.count() >= 2

    page.keyboard.press("Escape")

    # The "+" popup: a new organisation, handed back to the form by
    # popup_response.js, which reads its data from a JSON script element.
    with page.expect_popup() as opened:
        page.locator("#add_id_lead_organisation").click()
    popup = opened.value
    popup.wait_for_load_state()
    popup.select_option("#id_kind", "other")
    popup.locator(".field-country .select2-selection").click()
    popup.locator(".select2-search__field").fill("Camb")
    popup.locator(".select2-results__option", has_text="Cambodia").click()
    popup.fill("#id_name_en", "Added through the popup")
    with popup.expect_event("close"):
        popup.locator("input[name=_save]").click()

    selected = page.locator("#id_lead_organisation option:checked")
    assert selected.inner_text() == "Added through the popup"
    assert JointProgram.objects.count() == 1
    assert violations == []


def test_visit_form_adds_a_member_row_without_a_refusal(
    signed_in, live_server, violations
):
    page = signed_in
    visit = VisitMemberFactory(visit=DelegationVisitFactory()).visit
    page.goto(
        f"{live_server.url}"
        + reverse("admin:exchanges_delegationvisit_change", args=[visit.pk])
    )
    members = page.locator("#members-group tbody tr.form-row:not(.empty-form)")
    before = members.count()

    page.locator("#members-group .add-row a").click()

    assert members.count() == before + 1
    assert violations == []


def test_changelists_and_index_load_without_a_refusal(
    signed_in, live_server, violations
):
    page = signed_in
    GiftDistributionFactory()
    assert Area.objects.exists()
    for name in (
        "admin:index",
        "admin:programs_jointprogram_changelist",
        "admin:exchanges_delegationvisit_changelist",
        "admin:cooperation_organisation_changelist",
    ):
        response = page.goto(f"{live_server.url}{reverse(name)}")
        assert response.status == 200, name
    # The changelist's select-all box, driven by actions.js.
    page.locator("#action-toggle").check()
    assert page.locator("input.action-select:checked").count() >= 1
    assert violations == []
