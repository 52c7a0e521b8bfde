"""Public pages at request level: content, privacy, 404s and query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from reporting.demo import (
    AGREEMENT_SLUG,
    EXAMPLE_AGREEMENT_SLUG,
    PREDECESSOR_SLUG,
    demo_load,
)
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    DelegationVisitFactory,
    DistributionItemFactory,
    GiftDistributionFactory,
    InformationExchangeFactory,
    JointProgramFactory,
    ProgramAttachmentFactory,
    RecipientFactory,
    VisitMemberFactory,
)

pytestmark = pytest.mark.django_db


# Addresses are reversed inside each test, where English is active (tests/conftest.py):
# at import they would be the Vietnamese ones, without a prefix.
def agreement_url():
    return reverse("reporting:agreement", kwargs={"slug": AGREEMENT_SLUG})


def list_url():
    return reverse("reporting:agreement_list")


def year_url(year, slug=AGREEMENT_SLUG):
    return reverse("reporting:agreement_year", kwargs={"slug": slug, "year": year})


@pytest.fixture
def demo(db):
    demo_load()


def test_demo_2022_year_page_shows_the_article_facts(client, demo):
    response = client.get(year_url(2022))
    assert response.status_code == 200
    html = response.content.decode()
    assert "150" in html
    assert "≈\u00a0₫270,000,000" in html
    assert "Sanxay" in html and "Phouvong" in html
    assert "the source gives no split" in html
    assert "Hosted by Attapeu Provincial Red Cross." in html
    assert "Hoàng Minh/redcross.org.vn" in html
    # The real year carries no example record unless --examples was loaded.
    assert "made-up data" not in html


def test_demo_year_page_in_vietnamese_formats_numbers_the_vietnamese_way(client, demo):
    with translation.override("vi"):
        url = year_url(2022)
    response = client.get(url)
    html = response.content.decode()
    assert 'lang="vi"' in html
    assert "270.000.000" in html


def test_year_page_in_lao_renders(client, demo):
    with translation.override("lo"):
        response = client.get(year_url(2022))
    assert response.status_code == 200
    assert 'lang="lo"' in response.content.decode()
    assert "ລາວ" in response.content.decode()  # the language menu names Lao in Lao


def test_agreement_page_scorecard_next_exchange_and_predecessor(client, demo):
    response = client.get(agreement_url())
    assert response.status_code == 200
    html = response.content.decode()
    overview = response.context["overview"]
    assert [y.year for y in overview.years] == list(range(2022, 2028))
    first_year = overview.years[0]
    assert [c.status for c in first_year.commitments][0] == "met"
    assert "hosted by Kon Tum Provincial Red Cross Society." in html
    assert reverse("reporting:agreement", args=["kontum-attapeu-2019-2022"]) in html
    assert year_url(2022) in html
    assert 'class="chart__bars' in html and "Gift packages per year" in html


def test_list_shows_agreements_with_period_and_status_line(client, demo):
    response = client.get(list_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "2022–2027" in html and "2019–2022" in html
    assert "1 visit" in html and "1 programme held" in html
    # The agreement in force comes first.
    assert html.index("2022–2027") < html.index("2019–2022")


def test_predecessor_page_shows_its_note_and_no_empty_scorecard_or_charts(client, demo):
    response = client.get(reverse("reporting:agreement", args=[PREDECESSOR_SLUG]))
    assert response.status_code == 200
    assert not response.context["overview"].has_records
    html = response.content.decode()
    # The source's one statement about it, and where it comes from.
    assert "“were given attention and implemented well”" in html
    assert "đã được quan tâm triển khai thực hiện tốt" in html
    assert "Source: Vietnam Red Cross Society news article" in html
    assert "2019–2022" in html
    assert (
        "No activity under this agreement (2019–2022) is recorded in this system."
        in html
    )
    assert "The commitments of this agreement are not recorded" in html
    # Nothing to score, chart or count, and no exchange after its end.
    for absent in (
        'class="scorecard"',
        'class="chart__bars',
        "Totals to date",
        "Year by year",
        "Timeline",
        "Next yearly exchange",
        "No further exchange",
        "Plan for 2023",
        ">0<",
    ):
        assert absent not in html, absent
    listed = client.get(list_url()).content.decode()
    card = listed[listed.index("2019–2022") :]
    card = card[: card.index("</li>")]
    assert "No activity recorded in this system." in card
    assert "0 visits" not in card and "0 programmes" not in card


def test_agreement_page_shows_its_notes_and_source(client, demo):
    html = client.get(agreement_url()).content.decode()
    assert "Signing date, place and signatories are not stated in the source." in html
    assert "Source: Vietnam Red Cross Society news article" in html


def test_an_ended_agreement_with_records_keeps_its_scorecard_and_no_next_year(
    client, db
):
    agreement = AgreementFactory(
        status="ended",
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2022, 12, 31),
    )
    CommitmentFactory(agreement=agreement, ordinal=1, yearly_exchange=True)
    DelegationVisitFactory(agreement=agreement, start_date=datetime.date(2021, 5, 3))
    html = client.get(agreement.get_absolute_url()).content.decode()
    assert 'class="scorecard"' in html and "Totals to date" in html
    assert "No further exchange is due under this agreement." in html
    assert "No activity" not in html
    assert "2023" not in html


def test_a_running_agreement_with_no_record_yet_says_so_and_who_hosts_next(client, db):
    agreement = AgreementFactory()
    CommitmentFactory(agreement=agreement, ordinal=1, yearly_exchange=True)
    response = client.get(agreement.get_absolute_url())
    html = response.content.decode()
    assert (
        "No activity under this agreement (2022–2027) is recorded in this system."
        in html
    )
    # The year due depends on today: the page's own computation says which.
    next_year = response.context["overview"].rotation.next_year
    if next_year is not None:
        assert f"Next yearly exchange: {next_year}." in html
    assert 'class="scorecard"' not in html and 'class="chart__bars' not in html
    AgreementFactory()  # a second one, so that the list shows both
    listed = client.get(list_url()).content.decode()
    assert listed.count("No activity recorded in this system.") == 2


def test_list_goes_straight_to_the_only_agreement(client, db):
    agreement = AgreementFactory()
    response = client.get(list_url())
    assert response.status_code == 302
    assert response["Location"] == agreement.get_absolute_url()


@pytest.mark.parametrize("year", [2021, 2028, 1900])
def test_year_outside_the_agreement_is_a_friendly_404(client, demo, year):
    response = client.get(year_url(year))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert f"{year} is outside it" in html


def test_unknown_agreement_is_a_404(client, demo):
    response = client.get(
        reverse("reporting:agreement", kwargs={"slug": "no-such-agreement"})
    )
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_unpublished_records_never_reach_public_pages(client, db):
    agreement = AgreementFactory()
    CommitmentFactory(agreement=agreement)
    JointProgramFactory(agreement=agreement, title_en="Published programme")
    hidden = JointProgramFactory(
        agreement=agreement, title_en="Draft programme", is_published=False
    )
    GiftDistributionFactory(program=hidden, packages=777)
    DelegationVisitFactory(
        agreement=agreement, place="Secret draft place", is_published=False
    )
    for url in (agreement.get_absolute_url(), year_url(2022, agreement.slug)):
        html = client.get(url).content.decode()
        assert "Published programme" in html
        assert "Draft programme" not in html
        assert "777" not in html
        assert "Secret draft place" not in html


def test_public_pages_show_aggregates_and_officials_but_no_beneficiary_data(client, db):
    agreement = AgreementFactory()
    visit = DelegationVisitFactory(agreement=agreement)
    VisitMemberFactory(visit=visit, full_name="Nguyễn Văn Official", title="Chair")
    programme = JointProgramFactory(agreement=agreement)
    distribution = GiftDistributionFactory(
        program=programme,
        packages=42,
        recipient_description="Trần Thị Beneficiary, grade 5, Sanxay school",
        notes="List of recipients: Phạm Văn Child (12), Lê Thị Pupil (10)",
    )
    DistributionItemFactory(distribution=distribution)
    ProgramAttachmentFactory(program=programme, caption="Handing over gifts")
    html = client.get(year_url(2022, agreement.slug)).content.decode()
    assert "Nguyễn Văn Official" in html and "Chair" in html
    assert "42" in html
    for personal in ("Trần Thị Beneficiary", "Phạm Văn Child", "Lê Thị Pupil"):
        assert personal not in html


def test_example_records_are_marked_on_every_page(client, demo):
    demo_load(examples=True)
    html = client.get(year_url(2024, EXAMPLE_AGREEMENT_SLUG)).content.decode()
    assert "This agreement is made up" in html
    # Each example record's row says so, in the same words as every file: the
    # visit, two programmes, two distributions and the results sent.
    assert html.count("(Example)") >= 6
    overview_html = client.get(
        reverse("reporting:agreement", kwargs={"slug": EXAMPLE_AGREEMENT_SLUG})
    ).content.decode()
    assert 'class="badge badge--example"' in overview_html
    assert "This agreement is made up" in overview_html


def test_a_real_year_marked_with_an_example_record_says_so(client, db):
    # Someone flagged a record of a real agreement as an example: the year says so.
    programme = JointProgramFactory(year=2024, is_example=True)
    html = client.get(year_url(2024, programme.agreement.slug)).content.decode()
    assert "This year includes example records: made-up data" in html
    assert "This agreement is made up" not in html
    assert html.count("(Example)") >= 1


def build_volume(agreement, programmes):
    for index in range(programmes):
        programme = JointProgramFactory(agreement=agreement, year=2022 + index % 3)
        for _ in range(3):
            distribution = GiftDistributionFactory(program=programme)
            DistributionItemFactory(distribution=distribution)
            RecipientFactory.create_batch(2, distribution=distribution)
        ProgramAttachmentFactory(program=programme)
    for year in (2022, 2023, 2024):
        visit = DelegationVisitFactory(
            agreement=agreement, start_date=datetime.date(year, 4, 2)
        )
        VisitMemberFactory.create_batch(3, visit=visit)
        InformationExchangeFactory(agreement=agreement, year_covered=year)


@pytest.fixture
def agreement(db):
    agreement = AgreementFactory()
    CommitmentFactory(agreement=agreement, ordinal=1, yearly_exchange=True)
    CommitmentFactory(agreement=agreement, ordinal=2)
    return agreement


@pytest.mark.parametrize("programmes", [1, 15])
def test_year_page_queries_do_not_grow(
    client, agreement, programmes, django_assert_num_queries
):
    build_volume(agreement, programmes)
    # 1 content version (the page cache's key), 1 agreement, then
    # agreement_progress's 12: parties, commitments, visits joined to their
    # members, exchanges, programmes, programme districts, distributions, rates,
    # year confirmations, items, photos, recipient counts. 14 in all.
    with django_assert_num_queries(14):
        response = client.get(year_url(2022, agreement.slug))
    assert response.status_code == 200


@pytest.mark.parametrize("programmes", [1, 15])
def test_agreement_page_queries_do_not_grow(
    client, agreement, programmes, django_assert_num_queries
):
    build_volume(agreement, programmes)
    # 1 content version, 1 agreement (with its predecessor), then
    # agreement_overview's 8.
    with django_assert_num_queries(11):
        response = client.get(agreement.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("agreements", [2, 12])
def test_agreement_list_queries_do_not_grow(
    client, db, agreements, django_assert_num_queries
):
    for _ in range(agreements):
        build_volume(AgreementFactory(), programmes=2)
    # content version, agreements, their parties, their organisations, then the
    # 8 of agreements_overview (the agreement page's computation, for all at once).
    with django_assert_num_queries(13):
        response = client.get(list_url())
    assert response.status_code == 200


@pytest.mark.parametrize("status", ["cancelled", "planned"])
def test_the_list_counts_what_the_agreement_page_counts(client, db, status):
    # A cancelled or planned programme counts for nothing: not on the agreement's
    # page, not in the list (which once counted every programme recorded).
    first, second = AgreementFactory(), AgreementFactory()
    for agreement in (first, second):
        CommitmentFactory(agreement=agreement)
        JointProgramFactory(agreement=agreement, year=2022)
    JointProgramFactory(agreement=first, year=2022, status=status)
    html = client.get(list_url()).content.decode()
    assert html.count("1 programme held") == 2
    assert "2 programmes" not in html
    page = client.get(first.get_absolute_url())
    assert page.context["overview"].totals_to_date.programmes == 1


def test_the_year_page_counts_distributions_and_leaves_the_list_to_the_files(
    client, demo
):
    # A page of aggregates: a year of a thousand distributions stays one screen.
    html = client.get(year_url(2022)).content.decode()
    assert "Each gift distribution" in html
    assert "1 record: it is listed in the annual report's Word, Excel and CSV" in html
    assert 'data-table="distributions"' not in html
