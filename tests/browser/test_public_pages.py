"""The public pages in a real browser: what a reader sees, accessibility, small screens.

Each test loads the demo (the real memorandum, and the made-up example agreement
with its busy years) into the live server's database. Screenshots land in
/tmp/browser-shots/ for a person to look at; nothing compares them.
"""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cooperation.models import Agreement
from reporting.demo import (
    AGREEMENT_SLUG,
    EXAMPLE_AGREEMENT_SLUG,
    PREDECESSOR_SLUG,
    demo_load,
)
from reporting.progress import agreement_overview

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def english(name, **kwargs):
    """The English address: the tests read English, and at import, where the
    parametrized paths are made, no language is active and reverse() would give
    the Vietnamese one."""
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


LIST_URL = english("reporting:agreement_list")
AGREEMENT_URL = english("reporting:agreement", slug=AGREEMENT_SLUG)
# Blocking for a reader using assistive technology; "moderate" and "minor" are not.
BLOCKING_IMPACTS = {"serious", "critical"}
PHONE_WIDTH = 360


EXAMPLE_URL = english("reporting:agreement", slug=EXAMPLE_AGREEMENT_SLUG)
PREDECESSOR_URL = english("reporting:agreement", slug=PREDECESSOR_SLUG)


def year_url(year, slug=AGREEMENT_SLUG):
    """The year page in the active language: English in a test, unless it says."""
    return reverse("reporting:agreement_year", kwargs={"slug": slug, "year": year})


@pytest.fixture
def demo(transactional_db):
    demo_load(examples=True)


def test_agreement_page_scorecard_shows_six_commitments_over_2022_to_2027(
    demo, visit, screenshot
):
    page = visit(AGREEMENT_URL)

    scorecard = page.locator("table.scorecard")
    assert scorecard.locator("tbody tr").count() == 6
    year_headings = scorecard.locator("thead th a").all_inner_texts()
    assert year_headings == [str(year) for year in range(2022, 2028)]

    exchange_row = scorecard.locator("tbody tr").filter(
        has=page.locator("th", has_text="Yearly delegation exchange")
    )
    first_year_cell = exchange_row.locator("td").first
    assert first_year_cell.locator(".status span[title]").inner_text() == "met"

    # The host due next depends on today's date, so ask the same selector the page
    # uses; in 2026 it is Kon Tum, Attapeu having hosted the last one (2022).
    agreement = Agreement.objects.get(slug=AGREEMENT_SLUG)
    rotation = agreement_overview(
        agreement=agreement, today=timezone.localdate()
    ).rotation
    callout = page.locator("section.callout")
    if rotation.next_host is not None:
        assert (
            f"Next yearly exchange: {rotation.next_year}, "
            f"hosted by {rotation.next_host.name}."
        ) in callout.inner_text()
    else:
        assert "No further exchange" in callout.inner_text()

    screenshot("agreement-1280")


def test_2022_year_page_shows_the_article_facts_in_english(demo, visit, screenshot):
    page = visit(year_url(2022))

    assert page.locator("html").get_attribute("lang") == "en"
    packages = page.locator(".totals div").filter(
        has=page.locator("dt", has_text="Gift packages")
    )
    assert packages.locator("dd").inner_text() == "150"
    districts = page.locator(
        "section[aria-labelledby=districts-heading] .table-scroll tbody tr"
    )
    assert districts.count() == 1
    assert districts.locator("th").inner_text().startswith("Phouvong + Sanxay")
    assert districts.locator("td").nth(1).inner_text() == "150"
    assert "Hosted by Attapeu Provincial Red Cross" in page.locator("main").inner_text()

    screenshot("year-2022-1280")


@pytest.mark.parametrize(
    "path",
    [
        LIST_URL,
        AGREEMENT_URL,
        english("reporting:agreement_year", slug=AGREEMENT_SLUG, year=2022),
        EXAMPLE_URL,
        english("reporting:agreement_year", slug=EXAMPLE_AGREEMENT_SLUG, year=2024),
        PREDECESSOR_URL,
    ],
    ids=[
        "list",
        "agreement",
        "year-2022",
        "example",
        "example-year-2024",
        "predecessor",
    ],
)
def test_public_page_has_no_serious_accessibility_violation(demo, visit, axe, path):
    page = visit(path)

    results = axe.run(page)

    blocking = [
        violation
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
    assert not blocking, results.generate_report()


def test_year_page_at_phone_width_does_not_scroll_sideways(demo, visit, screenshot):
    page = visit(year_url(2022))
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    # One pixel of rounding; wide tables scroll inside their .table-scroll region.
    assert scroll_width <= PHONE_WIDTH + 1, scroll_width
    # Each table wider than the screen says that it scrolls; none does at 1280.
    table = page.locator(".data--districts").locator("xpath=..")
    assert page.evaluate(
        "(box) => box.scrollWidth > box.clientWidth", table.element_handle()
    )
    hint = page.locator("#districts .scroll-hint")
    assert hint.is_visible()
    assert "sideways" in hint.inner_text()

    screenshot("year-2022-360")
    page.set_viewport_size({"width": 1280, "height": 800})
    assert not hint.is_visible()


CHART_TEXT_CHECK = """() => {
    const texts = [...document.querySelectorAll(
        '.chart__title, .chart__bars th, .chart__value')];
    const charts = [...document.querySelectorAll('.chart')];
    return {
        texts: texts.length,
        smallest: Math.min(...texts.map(e => parseFloat(getComputedStyle(e).fontSize))),
        clipped: [...texts, ...charts]
            .filter(e => e.scrollWidth > e.clientWidth + 1)
            .map(e => e.textContent.trim()),
        outside: texts
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .map(e => e.textContent.trim()),
    };
}"""


@pytest.mark.parametrize("language", ["vi", "lo", "en"])
def test_charts_stay_readable_at_phone_width_in_every_language(
    demo, page, live_server, screenshot, language
):
    with translation.override(language):
        # Reversed in the language: its own address once pages carry a prefix.
        paths = [
            reverse("reporting:agreement", kwargs={"slug": EXAMPLE_AGREEMENT_SLUG}),
            year_url(2023, EXAMPLE_AGREEMENT_SLUG),
        ]
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        found = page.evaluate(CHART_TEXT_CHECK)
        assert found["texts"] > 0, path
        assert found["smallest"] >= 12, (path, found)
        assert found["clipped"] == [] and found["outside"] == [], (path, found)
    screenshot(f"charts-{language}-360")
