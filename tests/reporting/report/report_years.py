"""Years of records for the annual report's renderer tests (XLSX, DOCX).

`busy_year` has several programmes, distributions with items in two currencies,
exchange rates, a visit with its delegation and both plans; `hostile_year` puts
formula and markup payloads where users type text; `empty_report` has nothing.

A report's sections are worded in the language active when it is built, so every
builder here takes the language and builds inside it.
"""

import contextlib
import dataclasses
import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import translation

from cooperation.models import Agreement
from exchanges.models import DelegationVisit
from reporting.demo import AGREEMENT_SLUG, EXAMPLE_AGREEMENT_SLUG, demo_load
from reporting.report.annual import annual_report_build
from reporting.report.sections import report_sections
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    DelegationVisitFactory,
    DistributionItemFactory,
    DistrictFactory,
    ExchangeRateFactory,
    GiftDistributionFactory,
    InformationExchangeFactory,
    ItemKindFactory,
    JointProgramFactory,
    RecipientFactory,
    VisitMemberFactory,
)

TODAY = datetime.date(2026, 11, 28)
YEAR = 2023

FORMULA_PAYLOADS = (
    '=HYPERLINK("http://evil","x")',
    "+1+1",
    "-2",
    "@SUM(A1)",
    # A leading tab or line break never reaches a one-line field: the models
    # store it trimmed (tests/cooperation/test_text_normalisation.py); the
    # renderers' own guard against it is tested on `neutralise` directly.
    "=1",
)
HTML_PAYLOAD = "<script>alert(1)</script><b>x</b>"
PAYLOADS = (*FORMULA_PAYLOADS, HTML_PAYLOAD)


def build(agreement, year=YEAR, *, language="en", **options):
    """The annual report of `agreement` for `year`, worded in `language`."""
    with translation.override(language):
        return annual_report_build(
            agreement=agreement, year=year, today=TODAY, **options
        )


@contextlib.contextmanager
def rolled_back(django_db_blocker):
    """Records made inside the block are gone once it ends: for module fixtures
    that build a year once and leave the database as they found it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def demo_agreement(slug=AGREEMENT_SLUG):
    """A demo agreement, the example one loaded too (or brought up to date)."""
    demo_load(examples=True)
    return Agreement.objects.get(slug=slug)


def demo_report(year=2022, *, language="en", **options):
    """A year of the real memorandum. 2022 holds what the source states: one
    visit, one programme, 150 packages, ≈270,000,000 VND (the source says
    "nearly"), people reached not recorded; later years hold nothing."""
    return build(demo_agreement(), year, language=language, **options)


def example_report(year=2023, *, language="en", **options):
    """A year of the made-up example agreement. 2023 is busy: a visit with its
    delegation, a check-up programme with a distribution, both parties' results
    and a plan for 2024."""
    return build(
        demo_agreement(EXAMPLE_AGREEMENT_SLUG), year, language=language, **options
    )


def busy_year():
    """The agreement and its 2023: three programmes, three distributions, VND+LAK."""
    agreement = AgreementFactory()
    parties = [party.organisation for party in agreement.party_signatures.all()]
    CommitmentFactory(agreement=agreement, ordinal=1, yearly_exchange=True)
    CommitmentFactory(agreement=agreement, ordinal=2)
    CommitmentFactory(agreement=agreement, ordinal=3, qualitative=True)
    visit = DelegationVisitFactory(
        agreement=agreement,
        start_date=datetime.date(YEAR, 10, 10),
        purpose="Working session on the year's programmes.",
        outcomes="Two programmes agreed.",
    )
    VisitMemberFactory(visit=visit, full_name="Nguyễn Văn A", leads_delegation=True)
    VisitMemberFactory(visit=visit, full_name="Trần Thị B", title="Officer")
    DelegationVisitFactory(
        agreement=agreement,
        kind=DelegationVisit.Kind.ON_REQUEST,
        sending_party=parties[1],
        host_party=parties[0],
        start_date=datetime.date(YEAR, 4, 3),
        is_example=True,
    )
    InformationExchangeFactory(
        agreement=agreement, year_covered=YEAR - 1, planned_visits=1
    )
    InformationExchangeFactory(
        agreement=agreement,
        year_covered=YEAR,
        from_party=parties[1],
        to_party=parties[0],
        covers_disease_situation=True,
        planned_visits=2,
        planned_programmes=1,
        plan_notes="One medical programme in Sanxay.",
    )
    first, second = (
        DistrictFactory(name_en="Sanxay"),
        DistrictFactory(name_en="Phouvong"),
    )
    rice = ItemKindFactory(code="rice", name_en="Rice", unit="kg")
    blanket = ItemKindFactory(code="blanket", name_en="Blanket")

    rice_programme = JointProgramFactory(
        agreement=agreement,
        year=YEAR,
        title_en="Rice for families",
        districts=[first, second],
    )
    sanxay = GiftDistributionFactory(
        program=rice_programme,
        districts=[first],
        packages=40,
        people_reached=40,
        total_value=Decimal("60000000"),
    )
    # Six of Sanxay's 40 on a recipient list: both sexes, an elder, a child the
    # list gives no age for, one it gives no sex for.
    for number, (sex, birth_year) in enumerate(
        [
            ("female", 2013),
            ("female", 2020),
            ("male", 2010),
            ("male", 1950),
            ("female", None),
            ("not_recorded", 1990),
        ],
        start=1,
    ):
        RecipientFactory(
            distribution=sanxay,
            list_number=number,
            full_name=f"Made-up Pupil {number}",
            sex=sex,
            birth_year=birth_year,
        )
    joint = GiftDistributionFactory(
        program=rice_programme,
        districts=[first, second],
        start_date=datetime.date(YEAR, 9, 29),
        packages=60,
        people_reached=None,
        total_value=Decimal("90000000"),
        value_is_approximate=True,
    )
    blanket_programme = JointProgramFactory(
        agreement=agreement,
        year=YEAR,
        title_en="[Example] Blankets for elderly people",
        currency="LAK",
        is_example=True,
        districts=[second],
    )
    blankets = GiftDistributionFactory(
        program=blanket_programme,
        districts=[second],
        packages=25,
        people_reached=25,
        currency="LAK",
        total_value=Decimal("12500000"),
        is_example=True,
    )
    JointProgramFactory(
        agreement=agreement,
        year=YEAR,
        title_en="Check-ups in Phouvong",
        includes_gifts=False,
        includes_checkups=True,
        people_reached=300,
        actual_cost=Decimal("1234.56"),
        currency="USD",
        districts=[second],
    )
    DistributionItemFactory(
        distribution=sanxay, item_kind=rice, quantity=400, unit_value=Decimal("15000")
    )
    DistributionItemFactory(
        distribution=blankets, item_kind=rice, quantity=250, unit_value=Decimal("20000")
    )
    DistributionItemFactory(
        distribution=joint, item_kind=blanket, quantity=None, unit_value=None
    )
    DistributionItemFactory(
        distribution=blankets,
        item_kind=blanket,
        quantity=25,
        unit_value=Decimal("500000"),
    )
    ExchangeRateFactory(year=YEAR, currency="VND", units_per_reporting_unit=23500)
    ExchangeRateFactory(
        year=YEAR,
        currency="LAK",
        units_per_reporting_unit=19000,
        source="Bank of the Lao PDR",
    )
    return agreement


def busy_report(language="en"):
    return build(busy_year(), language=language)


def empty_report(language="en"):
    """A year with no record at all: every section says it is empty."""
    return build(AgreementFactory(), language=language)


def hostile_report(language="en"):
    """A year whose typed text is formulas and markup, and one control character."""
    agreement = AgreementFactory()
    item = ItemKindFactory(code="hostile", name_en="=1+2")
    for day, payload in enumerate(PAYLOADS, start=1):
        visit = DelegationVisitFactory(
            agreement=agreement,
            kind=DelegationVisit.Kind.ON_REQUEST,
            start_date=datetime.date(YEAR, 3, day),
            purpose=payload,
            outcomes="Outcome\x0bwith a vertical tab",
        )
        VisitMemberFactory(visit=visit, full_name=HTML_PAYLOAD, title="-chair")
        programme = JointProgramFactory(
            agreement=agreement,
            year=YEAR,
            title_en=payload,
            start_date=datetime.date(YEAR, 5, day),
        )
        distribution = GiftDistributionFactory(program=programme, packages=day)
        DistributionItemFactory(distribution=distribution, item_kind=item)
    return build(agreement, language=language)


def long_word_report(word):
    """The demo 2022 whose visit purpose is one unbroken `word`.

    The database holds at most 4,000 characters of purpose; a longer word is put on
    the loaded visit, as if a limit were ever lifted, to show what the renderers
    do with it.
    """
    report = build(demo_agreement(), 2022)
    return report_with_purpose(report, word)


def report_with_purpose(report, purpose):
    """`report` with its first visit's purpose replaced, sections rebuilt."""
    # In every language, so whichever the report reads holds the word.
    for language in ("vi", "lo", "en"):
        setattr(report.progress.visits[0], f"purpose_{language}", purpose)
    return dataclasses.replace(report, sections=report_sections(report.progress))


PUBLISHED_PURPOSE = "Working session, checked and published."
UNPUBLISHED_PURPOSE = "Draft visit, not checked yet."


def half_published_year():
    """An agreement whose year has one published and one unpublished visit."""
    agreement = AgreementFactory()
    DelegationVisitFactory(
        agreement=agreement,
        start_date=datetime.date(YEAR, 3, 1),
        purpose=PUBLISHED_PURPOSE,
    )
    DelegationVisitFactory(
        agreement=agreement,
        kind=DelegationVisit.Kind.ON_REQUEST,
        start_date=datetime.date(YEAR, 6, 1),
        purpose=UNPUBLISHED_PURPOSE,
        is_published=False,
    )
    return agreement
