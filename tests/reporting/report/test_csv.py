"""report.csv read back: the page's totals, HXL tags, inert payloads, no queries."""

import csv
import datetime
import io
from collections import defaultdict
from decimal import Decimal

import pytest

from cooperation.models import Agreement
from reporting.demo import AGREEMENT_SLUG, EXAMPLE_AGREEMENT_SLUG, demo_load
from reporting.report.annual import annual_report_build
from reporting.report.csv import report_csv
from reporting.report.safe import neutralise
from tests.factories import (
    AgreementFactory,
    DelegationVisitFactory,
    GiftDistributionFactory,
    JointProgramFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 28)
# A leading tab never reaches a one-line field (the models trim it); `neutralise`
# guards against it all the same (test_neutralise_leaves_numbers_and_plain_text…).
FORMULA_PAYLOADS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2", "@SUM(A1)", "=1"]
HTML_PAYLOAD = "<script>alert(1)</script><b>x</b>"


def rows_of(text, *, hxl=False):
    reader = list(csv.reader(io.StringIO(text)))
    header = reader[0]
    body = reader[2:] if hxl else reader[1:]
    return [dict(zip(header, row, strict=True)) for row in body], reader


def totals_from_csv(rows):
    distributions = [r for r in rows if r["record type"] == "distribution"]
    values = defaultdict(Decimal)
    for row in distributions:
        if row["gift value"]:
            values[row["currency"]] += Decimal(row["gift value"])
    return sum(int(r["packages"]) for r in distributions), dict(values)


def test_demo_2022_csv_carries_the_page_totals():
    demo_load()
    report = annual_report_build(
        agreement=Agreement.objects.get(slug=AGREEMENT_SLUG), year=2022, today=TODAY
    )
    rows, _raw = rows_of(report_csv(report))
    packages, values = totals_from_csv(rows)
    assert packages == report.totals.packages == 150
    assert values == {m.currency: m.amount for m in report.totals.values}
    assert values == {"VND": Decimal("270000000")}
    (distribution,) = [r for r in rows if r["record type"] == "distribution"]
    assert distribution["value is approximate"] == "yes"
    assert distribution["district codes"] == "LA1705; LA1704"
    assert distribution["country code"] == "LA"
    # After the activities, each party's confirmation of the year (none yet).
    assert [r["record type"] for r in rows] == [
        "visit",
        "programme",
        "distribution",
        "confirmation",
        "confirmation",
    ]
    assert {r["programme status"] for r in rows[3:]} == {
        "records not yet confirmed complete"
    }


def test_hxl_row_tags_every_column():
    agreement = AgreementFactory()
    GiftDistributionFactory(program=JointProgramFactory(agreement=agreement))
    report = annual_report_build(agreement=agreement, year=2022, today=TODAY)
    rows, raw = rows_of(report_csv(report, hxl=True), hxl=True)
    tags = raw[1]
    assert len(tags) == len(raw[0])
    assert all(tag.startswith("#") for tag in tags)
    assert {
        "#adm2+name",
        "#output+num",
        "#reached+ind",
        "#value",
        "#currency+code",
    } <= set(tags)
    assert [row["record type"] for row in rows] == [
        "programme",
        "distribution",
        "confirmation",
        "confirmation",
    ]


def test_generated_year_totals_match_in_two_currencies():
    agreement = AgreementFactory()
    for index in range(4):
        programme = JointProgramFactory(agreement=agreement, year=2023)
        GiftDistributionFactory(program=programme, packages=10 + index)
        GiftDistributionFactory(
            program=programme,
            packages=5,
            currency="LAK",
            total_value=Decimal("2000000"),
        )
    report = annual_report_build(agreement=agreement, year=2023, today=TODAY)
    rows, _raw = rows_of(report_csv(report))
    packages, values = totals_from_csv(rows)
    assert packages == report.totals.packages == 66
    assert values == {m.currency: m.amount for m in report.totals.values}


@pytest.mark.parametrize("payload", [*FORMULA_PAYLOADS, HTML_PAYLOAD])
def test_payloads_in_titles_come_out_inert(payload):
    agreement = AgreementFactory()
    JointProgramFactory(agreement=agreement, title_en=payload)
    DelegationVisitFactory(agreement=agreement, purpose=payload)
    report = annual_report_build(agreement=agreement, year=2022, today=TODAY)
    rows, _raw = rows_of(report_csv(report))
    titles = [r["title"] for r in rows]
    assert titles.count(neutralise(payload)) == 2
    for title in titles:
        assert not title.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_rendering_the_csv_makes_no_query(django_assert_num_queries):
    agreement = AgreementFactory()
    GiftDistributionFactory(program=JointProgramFactory(agreement=agreement))
    report = annual_report_build(agreement=agreement, year=2022, today=TODAY)
    with django_assert_num_queries(0):
        report_csv(report, hxl=True)


def test_neutralise_leaves_numbers_and_plain_text_alone():
    assert neutralise(-5) == -5
    assert neutralise("Sanxay") == "Sanxay"
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("\t=1") == "'\t=1"
    assert neutralise("\r=1") == "'\r=1"


@pytest.mark.parametrize("programmes", [1, 10])
def test_report_build_reads_the_same_queries_at_any_volume(
    programmes, django_assert_num_queries
):
    agreement = AgreementFactory()
    for _ in range(programmes):
        programme = JointProgramFactory(agreement=agreement)
        GiftDistributionFactory.create_batch(3, program=programme)
        DelegationVisitFactory(agreement=agreement)
    # agreement_progress's twelve: parties, commitments, visits with members,
    # exchanges, programmes, programme districts, distributions, rates, year
    # confirmations, items, photos, recipient counts. The build adds none.
    with django_assert_num_queries(12):
        annual_report_build(agreement=agreement, year=2022, today=TODAY)


def test_demo_2023_hxl_columns_sum_to_the_page_figures_once_each():
    # Before: programme and distribution rows both carried #reached+ind (500, not
    # 420), and a sum of #value matched #value+cost too (₫159,000,000, not ₫64M).
    from tests.reporting.report.readback import hxl_sums

    demo_load(examples=True)
    report = annual_report_build(
        agreement=Agreement.objects.get(slug=EXAMPLE_AGREEMENT_SLUG),
        year=2023,
        today=TODAY,
    )
    sums = hxl_sums(report_csv(report, hxl=True).encode("utf-8-sig"))
    assert sums[("#reached+ind", "")] == report.totals.people_reached == 420
    assert sums[("#x_recipients+ind", "")] == 80
    assert sums[("#value", "VND")] == Decimal("64000000")
    assert sums[("#x_cost", "VND")] == Decimal("95000000")
    assert sums[("#output+num", "")] == report.totals.packages


def test_no_hxl_measure_tag_matches_another_measure():
    agreement = AgreementFactory()
    GiftDistributionFactory(program=JointProgramFactory(agreement=agreement))
    report = annual_report_build(agreement=agreement, year=2022, today=TODAY)
    _rows, raw = rows_of(report_csv(report, hxl=True), hxl=True)
    tags = raw[1]
    # HXL matches a pattern against any tag with the same hashtag and more
    # attributes: no measure's tag, used as a pattern, may match another measure.
    # The breakdown of listed recipients shares #reached with the programmes'
    # people reached, but by sex and age attributes that never match +ind.
    measures = [
        t
        for t in tags
        if t.split("+")[0]
        in ("#value", "#x_cost", "#reached", "#x_recipients", "#output")
    ]
    assert len(set(measures)) == len(measures)
    for pattern in measures:
        assert [tag for tag in measures if hxl_matches(pattern, tag)] == [pattern]
    assert "#value+cost" not in tags
    assert hxl_matches("#value", "#value+cost")


def hxl_matches(pattern, tag):
    """HXL's rule: the same hashtag, and every attribute of the pattern."""
    hashtag, *attributes = pattern.split("+")
    tag_hashtag, *tag_attributes = tag.split("+")
    return hashtag == tag_hashtag and set(attributes) <= set(tag_attributes)


@pytest.mark.parametrize("status", ["cancelled", "planned"])
def test_a_programme_that_does_not_count_carries_no_people_and_no_cost(status):
    # A planned programme counts nowhere, as a cancelled one: the CSV's columns
    # still sum to the page's figures.
    agreement = AgreementFactory()
    JointProgramFactory(
        agreement=agreement,
        status=status,
        people_reached=300,
        actual_cost=Decimal("5000000"),
    )
    report = annual_report_build(agreement=agreement, year=2022, today=TODAY)
    rows, _raw = rows_of(report_csv(report))
    (programme,) = [row for row in rows if row["record type"] == "programme"]
    assert programme["people reached"] == "" and programme["programme cost"] == ""
    assert programme["programme status"] == status
