"""report.pdf: what the PDF says, in which fonts, and that it only formats the report.

Each render takes about half a second (WeasyPrint) and reading the text back with
pypdf about as long, so a test renders once and checks several things in that text,
and the module loads the demo once and renders a PDF that several tests only read
once (module-scoped fixtures, their records rolled back: see `rolled_back`).
"""

import datetime
import io
import unicodedata
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.text import capfirst
from PIL import Image
from pypdf import PdfReader

from cooperation.models import Agreement
from reporting.demo import AGREEMENT_SLUG, EXAMPLE_AGREEMENT_SLUG, demo_load
from reporting.page_charts import year_charts
from reporting.report.annual import annual_report_build
from reporting.report.pdf import (
    LocalFileFetcher,
    photo_uri,
    report_html,
    report_pdf,
    short_title,
)
from reporting.templatetags.progress_tags import money, number
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    DelegationVisitFactory,
    DistributionItemFactory,
    DistrictFactory,
    GiftDistributionFactory,
    JointProgramFactory,
    ProgramAttachmentFactory,
    VisitMemberFactory,
)
from tests.reporting.report.report_years import build, rolled_back

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 28)
HTML_PAYLOAD = "<script>alert(1)</script><b>x</b>"
FORMULA_PAYLOAD = '=HYPERLINK("https://example.com","x")'
PHOTO_CAPTION = "The Kon Tum Provincial Red Cross Society presented gifts"


@pytest.fixture(scope="module")
def demo_reports(django_db_setup, django_db_blocker):
    """The demo's 2022 report in English, public (True) and staff copy (False),
    from one load of the demo."""
    with rolled_back(django_db_blocker):
        demo_load()
        agreement = Agreement.objects.get(slug=AGREEMENT_SLUG)
        return {
            published_only: build(agreement, 2022, published_only=published_only)
            for published_only in (True, False)
        }


@pytest.fixture(scope="module")
def demo_report(demo_reports):
    return demo_reports[True]


@pytest.fixture(scope="module")
def demo_pdf(demo_report):
    """The public 2022 report in English, rendered once for the tests that read it."""
    with translation.override("en"):
        return report_pdf(demo_report)


def pdf_pages(pdf):
    """The text of each page, NFC-normalised (PDF text may carry decomposed marks)."""
    reader = PdfReader(io.BytesIO(pdf))
    return [unicodedata.normalize("NFC", page.extract_text()) for page in reader.pages]


def pdf_text(pdf):
    return "\n".join(pdf_pages(pdf))


def compact(text):
    """Text without any whitespace: table cells wrap, and extraction puts spaces
    between a Lao consonant and the vowel mark above it."""
    return "".join(text.split())


def embedded_fonts(pdf):
    """Base names of every font the PDF uses, without the subset prefix."""
    reader = PdfReader(io.BytesIO(pdf))
    names = set()

    def visit(resources):
        resources = resources.get_object() if resources else {}
        for font in (resources.get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Resources"):
                visit(xobject["/Resources"])

    for page in reader.pages:
        visit(page.get("/Resources"))
    return names


COMMITTED_FONTS = {
    f"{family}{weight}"
    for family in (
        "Noto-Sans",
        "Noto-Sans-Lao",
        "Noto-Sans-Math",
        "Noto-Sans-Symbols-2",
    )
    for weight in ("", "-Bold")
}


def test_demo_2022_in_english_states_the_article_facts(demo_report, demo_pdf):
    report, pdf = demo_report, demo_pdf
    assert pdf.startswith(b"%PDF-")
    pages = pdf_pages(pdf)
    text = "\n".join(pages)
    flat = compact(text)
    assert "Annual report 2022" in text
    assert "150" in text
    assert "270,000,000" in text
    for name in ("Sanxay", "Phouvong", "Attapeu"):
        assert name in text
    for party in (
        "Kon Tum Provincial Red Cross Society",
        "Attapeu Provincial Red Cross",
    ):
        assert compact(party) in flat
    assert len(report.progress.commitments) == 6
    for result in report.progress.commitments:
        assert compact(capfirst(result.commitment.get_kind_display())) in flat
    assert "Published records only" in text
    assert "Hosted by Attapeu Provincial Red Cross." in text
    assert compact("Next yearly exchange: 2026, hosted by Kon Tum") in flat
    assert compact("Phouvong + Sanxay (together)") in flat
    assert compact("Districts marked “together” have one total") in flat
    # "Nearly ₫270,000,000": the ≈ is text, so a reader copying the figure keeps it.
    assert "≈ ₫270,000,000" in text.replace("\u00a0", " ")
    # The photo has no file here: its caption and credit stand in for it.
    assert compact(PHOTO_CAPTION) in flat
    assert compact("(Photo: Hoàng Minh/redcross.org.vn)") in flat
    # Every page: its number out of all, and the generation date in the footer.
    generated = f"Generated {report.generated_at:%b}"
    for number_, page in enumerate(pages, start=1):
        assert f"{number_} / {len(pages)}" in page
        assert generated in page
    # A signature block per party.
    assert text.count("Name and title") == 2


def test_the_pdf_embeds_only_the_committed_noto_fonts(demo_pdf):
    fonts = embedded_fonts(demo_pdf)
    # Anything else would mean a glyph fell back to a system font. The signs (≈,
    # ✓, ▲…) come from the committed Noto Sans Math and Symbols 2 subsets.
    assert fonts <= COMMITTED_FONTS
    assert {"Noto-Sans", "Noto-Sans-Bold"} <= fonts


def test_vietnamese_report_keeps_its_diacritics(demo_report):
    with translation.override("vi"):
        pdf = report_pdf(demo_report)
    text = pdf_text(pdf)
    assert "Kon Tum" in text
    assert "Hội Chữ thập đỏ tỉnh Kon Tum" in text
    assert "Biên bản ghi nhớ hợp tác hoạt động nhân đạo" in text
    assert "270.000.000" in text
    assert embedded_fonts(pdf) <= COMMITTED_FONTS


def test_lao_report_shows_lao_district_names_in_the_lao_font(demo_report):
    with translation.override("lo"):
        html = report_html(demo_report)
        pdf = report_pdf(demo_report)
    assert 'font-family: "Noto Sans Lao", "Noto Sans", "Noto Sans Math"' in html
    flat = compact(pdf_text(pdf))
    assert "ເມືອງຊານໄຊ" in flat
    assert "ເມືອງພູວົງ" in flat
    assert {"Noto-Sans-Lao", "Noto-Sans-Lao-Bold"} <= embedded_fonts(pdf)


def test_latin_first_outside_lao(demo_report):
    with translation.override("vi"):
        html = report_html(demo_report)
    assert 'font-family: "Noto Sans", "Noto Sans Lao", "Noto Sans Math"' in html


def test_rendering_reads_nothing_from_the_database(
    demo_reports, django_assert_num_queries
):
    report = demo_reports[False]
    with translation.override("en"), django_assert_num_queries(0):
        pdf = report_pdf(report)
    assert "Includes unpublished records (staff copy)" in pdf_text(pdf)


def test_without_photos_the_photo_section_is_left_out(demo_report):
    with translation.override("en"):
        text = pdf_text(report_pdf(demo_report, photos=False))
    assert compact(PHOTO_CAPTION) not in compact(text)
    assert compact("(Photo: Hoàng Minh/redcross.org.vn)") not in compact(text)
    assert "Photos" not in text


def busy_year():
    """A generated 2023: two programmes, VND and LAK, one approximate value."""
    agreement = AgreementFactory()
    CommitmentFactory(agreement=agreement, ordinal=1, yearly_exchange=True)
    CommitmentFactory(agreement=agreement, ordinal=2)
    CommitmentFactory(agreement=agreement, ordinal=3, qualitative=True)
    visit = DelegationVisitFactory(
        agreement=agreement, start_date=datetime.date(2023, 9, 20)
    )
    VisitMemberFactory(visit=visit, full_name="Nguyễn Văn An", leads_delegation=True)
    first, second = DistrictFactory.create_batch(2)
    gifts = JointProgramFactory(
        agreement=agreement, year=2023, title_en=HTML_PAYLOAD, districts=[first]
    )
    medicine = JointProgramFactory(
        agreement=agreement,
        year=2023,
        title_en=FORMULA_PAYLOAD,
        currency="LAK",
        districts=[second],
    )
    for packages, districts in ((40, [first]), (25, [first, second])):
        GiftDistributionFactory(
            program=gifts,
            packages=packages,
            total_value=Decimal("12345678"),
            districts=districts,
        )
    GiftDistributionFactory(
        program=medicine,
        currency="LAK",
        packages=33,
        total_value=Decimal("98765432"),
        value_is_approximate=True,
        districts=[second],
    )
    DistributionItemFactory(distribution__program=gifts, quantity=7)
    return agreement


@pytest.fixture(scope="module")
def busy_report(django_db_setup, django_db_blocker):
    """The generated 2023 in English, built once for the module."""
    with rolled_back(django_db_blocker):
        return build(busy_year(), 2023)


@pytest.fixture(scope="module")
def busy_pdf_text(busy_report):
    """The generated 2023 in English, rendered and read back once for the module."""
    with translation.override("en"):
        return pdf_text(report_pdf(busy_report))


def test_generated_year_shows_the_same_totals_as_the_computation(
    busy_report, busy_pdf_text
):
    totals = busy_report.progress.totals
    text = busy_pdf_text
    with translation.override("en"):
        expected = [number(totals.packages), number(totals.distributions)]
        expected += [money(value.amount, value.currency) for value in totals.values]
    assert totals.packages == 40 + 25 + 33 + 50  # the item's own distribution too
    assert {value.currency for value in totals.values} == {"LAK", "VND"}
    flat = compact(text)
    for figure in expected:
        assert compact(figure) in flat
    assert "Nguyễn Văn An" in text


def test_record_text_is_printed_literally_never_as_markup(busy_report, busy_pdf_text):
    with translation.override("en"):
        html = report_html(busy_report)
    flat = compact(busy_pdf_text)
    assert HTML_PAYLOAD not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;" in html
    assert HTML_PAYLOAD in flat
    # Nothing to neutralise in a PDF: the formula is just text, shown as typed.
    assert FORMULA_PAYLOAD in flat


def test_the_chart_is_the_year_pages_chart(busy_report):
    with translation.override("en"):
        html = report_html(busy_report)
        [chart] = year_charts(busy_report.progress)
    assert chart.title in html
    for bar in chart.bars:
        assert bar.label in html


def test_a_held_photo_is_embedded_from_media_root(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    (tmp_path / "attachments").mkdir()
    Image.new("RGB", (40, 30), "red").save(tmp_path / "attachments" / "gifts.png")
    programme = JointProgramFactory(year=2023)
    CommitmentFactory(agreement=programme.agreement, ordinal=1)
    ProgramAttachmentFactory(
        program=programme, file="attachments/gifts.png", caption="Held photo"
    )
    report = annual_report_build(agreement=programme.agreement, year=2023, today=TODAY)
    with translation.override("en"):
        html = report_html(report)
        pdf = report_pdf(report)
    assert (tmp_path / "attachments" / "gifts.png").as_uri() in html
    reader = PdfReader(io.BytesIO(pdf))
    images = [image for page in reader.pages for image in page.images]
    assert images, "the photo should be in the PDF"
    assert "Held photo" in pdf_text(pdf)


def test_photo_paths_outside_media_root_are_never_read(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media").mkdir()
    (tmp_path / "secret.png").write_bytes(b"not for the report")
    assert photo_uri("../secret.png") == ""
    assert photo_uri("/etc/hostname") == ""
    assert photo_uri("") == ""
    assert photo_uri("missing.png") == ""


def test_short_title_cuts_at_a_word():
    assert short_title("Kon Tum – Attapeu 2022–2027") == "Kon Tum – Attapeu 2022–2027"
    title = (
        "Memorandum of Understanding on cooperation in humanitarian and "
        "charitable activities, 2022–2027"
    )
    assert short_title(title) == "Memorandum of Understanding on cooperation in…"


def test_example_records_are_announced_on_the_cover():
    # A real agreement on which someone flagged a record as an example.
    programme = JointProgramFactory(year=2023, is_example=True)
    report = annual_report_build(agreement=programme.agreement, year=2023, today=TODAY)
    assert report.progress.has_examples
    with translation.override("en"):
        text = pdf_text(report_pdf(report))
    assert compact("This year includes example records: made-up data") in compact(text)


def test_the_made_up_agreement_is_announced_on_every_cover():
    demo_load(examples=True)
    agreement = Agreement.objects.get(slug=EXAMPLE_AGREEMENT_SLUG)
    for year in (2023, 2026):
        report = annual_report_build(agreement=agreement, year=year, today=TODAY)
        with translation.override("en"):
            cover = pdf_pages(report_pdf(report))[0]
        assert compact("This agreement is made up") in compact(cover), year
        assert compact("This year includes") not in compact(cover), year


def test_rotation_sentence_says_when_the_turn_was_not_kept(db):
    agreement = AgreementFactory()
    CommitmentFactory(agreement=agreement, ordinal=1, yearly_exchange=True)
    first, second = [p.organisation for p in agreement.party_signatures.all()]
    for year in (2022, 2023):  # the second party should have sent in 2023
        DelegationVisitFactory(
            agreement=agreement,
            start_date=datetime.date(year, 9, 1),
            sending_party=first,
            host_party=second,
        )
    report = annual_report_build(agreement=agreement, year=2023, today=TODAY)
    with translation.override("en"):
        html = report_html(report)
    assert f"Hosted by {second.name}." in html
    assert f"Out of turn: {first.name} was due to host." in html
    assert f"Next yearly exchange: 2026, hosted by {first.name}." in html
    assert "partly met" in html


def test_the_renderer_reads_no_url_but_its_own_files(tmp_path):
    (tmp_path / "inside.txt").write_text("ok")
    (tmp_path.parent / "outside.txt").write_text("no")
    fetcher = LocalFileFetcher([tmp_path])
    assert fetcher.fetch((tmp_path / "inside.txt").as_uri()).read() == b"ok"
    for url in (
        "https://example.com/tracker.png",
        (tmp_path.parent / "outside.txt").as_uri(),
        (tmp_path / ".." / "outside.txt").as_uri(),
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_a_40000_character_word_wraps_inside_the_page():
    # Timed against the same report without it in `make bench` (a ratio, ≤ 2×).
    from tests.reporting.report.report_years import long_word_report

    demo_load()
    with translation.override("en"):
        report = long_word_report("x" * 40_000)
        html = report_html(report)
        pdf = report_pdf(report)
    # Break points every 20 characters, so the text engine wraps it line by line.
    assert ("x" * 20 + "\u200b") * 3 in html
    assert "x" * 21 not in html
    # Every character is printed (across pages, between footers), none cut off.
    assert pdf_text(pdf).count("x") >= 40_000
