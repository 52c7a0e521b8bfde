"""The import through the admin, as a clerk does it: the button on the programme's
page, the template, the upload, the preview and the confirmation; and who may
not."""

import io
import zipfile

import openpyxl
import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cooperation.formulas import FORMULA_TRIGGERS
from cooperation.staff_groups import DATA_ENTRY
from programs.imports.files import NOT_A_SPREADSHEET
from programs.imports.views import (
    EXPIRED,
    PENDING_IMPORT_MINUTES,
    PREVIEW_CHANGED,
    YEAR_LOCKED_IMPORT,
)
from programs.models import (
    DistributionItem,
    GiftDistribution,
    PendingImport,
)
from tests.conftest import EnglishClient
from tests.factories import (
    AgreementFactory,
    ItemKindFactory,
    OrganisationFactory,
    confirm_year,
    home_branch,
    staff_user,
)
from tests.programs.import_files import (
    DISTRIBUTION_HEADERS,
    Text,
    distribution_row,
    item_row,
    table,
    workbook,
    xlsx,
)
from tests.test_lao_admin import (
    foreign_words,
    interface_text,
    lao_page,
    lao_with_vietnamese_fallback,  # noqa: F401 (a fixture used by name)
)
from tests.upload_files import ESCALATION_HTML, photo_bytes

pytestmark = pytest.mark.django_db


def import_url(program, *rest):
    return reverse("admin:programs_jointprogram_import", args=[program.pk]) + "".join(
        rest
    )


def change_url(program):
    return reverse("admin:programs_jointprogram_change", args=[program.pk])


def upload(client, program, content, name="distributions.xlsx", csv_sheet=""):
    return client.post(
        import_url(program),
        {"file": SimpleUploadedFile(name, content), "csv_sheet": csv_sheet},
    )


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def preview(client, program, content, **kwargs):
    response = upload(client, program, content, **kwargs)
    assert response.status_code == 302, response.context["form"].errors
    page = client.get(response["Location"])
    assert page.status_code == 200
    return response["Location"], page


def confirm(client, url, page, **data):
    return client.post(url, {"fingerprint": page.context["fingerprint"], **data})


# The whole way


def test_a_clerk_imports_from_the_programmes_page(
    data_entry_client, program, district, bicycle
):
    page = data_entry_client.get(change_url(program))
    assert import_url(program) in page.content.decode()
    start = data_entry_client.get(import_url(program))
    assert import_url(program, "template.xlsx") in start.content.decode()

    content = workbook([distribution_row(district)], [item_row()])
    url, page = preview(data_entry_client, program, content)
    html = page.content.decode()
    assert "Sanxay (LA1704)" in html and "Bicycle" in html
    assert page.context["may_confirm"] is True
    assert GiftDistribution.objects.count() == 0  # nothing yet

    done = confirm(data_entry_client, url, page)
    assert done.status_code == 302 and done["Location"] == change_url(program)
    assert messages_of(done) == [
        "“distributions.xlsx” imported (Distributions: 1 added, 0 changed; Items: 1 "
        "added, 0 changed). Each record's history names the file."
    ]
    assert program.distributions.get().items.get().item_kind == bicycle
    assert PendingImport.objects.count() == 0

    # The same file again: nothing to do, and nothing offered.
    url, page = preview(data_entry_client, program, content)
    assert page.context["may_confirm"] is False
    assert "importing this file would change nothing" in page.content.decode()
    history = GiftDistribution.history.count()
    confirm(data_entry_client, url, page)
    assert GiftDistribution.history.count() == history
    assert GiftDistribution.objects.count() == DistributionItem.objects.count() == 1


def test_bad_rows_are_shown_named_and_a_forged_confirmation_saves_nothing(
    data_entry_client, program, district, bicycle
):
    content = workbook(
        [
            distribution_row(district),
            distribution_row(district, Reference="2022-02", Packages="many"),
        ],
        [item_row()],
    )
    url, page = preview(data_entry_client, program, content)
    html = page.content.decode()
    assert page.context["may_confirm"] is False
    assert 'name="confirm"' not in html
    assert "Distributions, row 3, column “Packages”: Write a whole number" in html
    response = data_entry_client.post(
        url, {"fingerprint": page.context["fingerprint"], "confirm": "1"}
    )
    assert response.status_code == 200
    assert GiftDistribution.objects.count() == DistributionItem.objects.count() == 0


def test_a_record_changed_after_the_preview_is_not_overwritten(
    data_entry_client, program, district
):
    url, page = preview(
        data_entry_client, program, workbook([distribution_row(district)], None)
    )
    # Someone enters the same reference by hand meanwhile.
    other = GiftDistribution.objects.create(
        program=program,
        reference="2022-01",
        start_date=program.start_date,
        recipient_group="elderly",
        packages=3,
    )
    response = confirm(data_entry_client, url, page)
    assert response.status_code == 200
    assert messages_of(response) == [str(PREVIEW_CHANGED)]
    other.refresh_from_db()
    assert (other.packages, other.version) == (3, 1)
    # The new preview shows the update it would now make.
    assert [row.action for row in response.context["plan"].rows] == ["update"]


def test_a_file_that_is_not_a_spreadsheet_is_refused_on_the_upload_page(
    data_entry_client, program
):
    for content in (ESCALATION_HTML, photo_bytes("PNG")):
        response = upload(
            data_entry_client, program, content, name="distributions.xlsx"
        )
        assert response.status_code == 200
        assert response.context["form"].errors["file"] == [str(NOT_A_SPREADSHEET)]
    assert PendingImport.objects.count() == 0


def test_an_oversized_file_is_refused_before_it_is_read(
    data_entry_client, program, settings
):
    settings.IMPORT_MAX_BYTES = 100
    response = upload(
        data_entry_client, program, b"Reference\r\n" + b"x" * 200, name="a.csv"
    )
    assert "a spreadsheet to import may be at most 100" in response.content.decode()
    assert PendingImport.objects.count() == 0


def test_cancelling_forgets_the_upload(data_entry_client, program, district):
    url, page = preview(
        data_entry_client, program, workbook([distribution_row(district)], None)
    )
    response = data_entry_client.post(url, {"cancel": "1"})
    assert response["Location"] == import_url(program)
    assert PendingImport.objects.count() == 0
    assert GiftDistribution.objects.count() == 0


def test_an_upload_waits_only_for_its_clerk_and_only_an_hour(
    data_entry_client, program, district
):
    url, _page = preview(
        data_entry_client, program, workbook([distribution_row(district)], None)
    )
    colleague = EnglishClient()
    colleague.force_login(
        staff_user("colleague", groups=[DATA_ENTRY], organisation=home_branch())
    )
    response = colleague.get(url)
    assert response["Location"] == import_url(program)
    assert messages_of(response) == [str(EXPIRED % {"minutes": PENDING_IMPORT_MINUTES})]

    PendingImport.objects.update(
        created_at=PendingImport.objects.get().created_at
        - __import__("datetime").timedelta(minutes=PENDING_IMPORT_MINUTES + 1)
    )
    response = data_entry_client.get(url)
    assert response["Location"] == import_url(program)
    # The next upload clears what has expired.
    preview(data_entry_client, program, workbook([distribution_row(district)], None))
    assert PendingImport.objects.count() == 1


def test_a_confirmed_year_takes_no_import(data_entry_client, program, district):
    confirm_year(program.agreement, 2022)
    page = data_entry_client.get(import_url(program))
    assert messages_of(page) == [str(YEAR_LOCKED_IMPORT % {"year": 2022})]
    assert "form" not in page.context or 'type="file"' not in page.content.decode()
    upload(data_entry_client, program, workbook([distribution_row(district)], None))
    assert PendingImport.objects.count() == 0


# Who may import


def test_a_viewer_is_refused(viewer_client, program, district):
    assert (
        import_url(program)
        not in viewer_client.get(change_url(program)).content.decode()
    )
    assert viewer_client.get(import_url(program)).status_code == 403
    assert viewer_client.get(import_url(program, "template.xlsx")).status_code == 403
    response = upload(
        viewer_client, program, workbook([distribution_row(district)], None)
    )
    assert response.status_code == 403
    assert PendingImport.objects.count() == 0


def test_the_other_sides_clerk_cannot_import_into_a_programme_it_does_not_lead(
    client, program, district
):
    other_side = (
        program.agreement.party_signatures.exclude(
            organisation=program.lead_organisation
        )
        .get()
        .organisation
    )
    client.force_login(
        staff_user("other-clerk", groups=[DATA_ENTRY], organisation=other_side)
    )
    # It may view the programme, without the button.
    page = client.get(change_url(program))
    assert page.status_code == 200
    assert import_url(program) not in page.content.decode()
    assert client.get(import_url(program)).status_code == 403
    assert client.get(import_url(program, "template.xlsx")).status_code == 403
    response = upload(client, program, workbook([distribution_row(district)], None))
    assert response.status_code == 403
    assert GiftDistribution.objects.count() == PendingImport.objects.count() == 0


def test_a_clerk_of_another_agreement_is_refused_and_an_unknown_programme_is_404(
    client, program
):
    stranger = OrganisationFactory()
    AgreementFactory(parties=[stranger, OrganisationFactory()])
    client.force_login(
        staff_user("stranger", groups=[DATA_ENTRY], organisation=stranger)
    )
    assert client.get(import_url(program)).status_code == 403
    missing = reverse("admin:programs_jointprogram_import", args=[program.pk + 1000])
    assert client.get(missing).status_code == 404


def test_a_superuser_may_import(admin_client, program, district):
    url, page = preview(
        admin_client, program, workbook([distribution_row(district)], None)
    )
    confirm(admin_client, url, page)
    assert program.distributions.count() == 1


# The template


def template_of(client, program, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(import_url(program, "template.xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    return openpyxl.load_workbook(io.BytesIO(response.content)), response.content


@pytest.mark.parametrize("language", ["vi", "lo", "en"])
def test_the_template_is_in_the_clerks_language_with_dropdowns(
    data_entry_client, program, district, bicycle, language
):
    logged = LogEntry.objects.count()
    book, _content = template_of(data_entry_client, program, language)
    from programs.imports.sheets import SHEETS

    with translation.override(language):
        titles = [str(sheet.title) for sheet in SHEETS]
        headings = [
            [str(c.header) + (" *" if c.required else "") for c in sheet.columns]
            for sheet in SHEETS
        ]
    assert book.sheetnames[1:-1] == titles
    assert book.worksheets[-1].sheet_state == "hidden"  # the lists
    for title, expected in zip(titles, headings, strict=True):
        assert [cell.value for cell in book[title][1]] == expected
    distributions = book[titles[0]]
    lists = {
        str(dv.sqref)[0]: dv.formula1
        for dv in distributions.data_validations.dataValidation
        if dv.type == "list"
    }
    # Districts, recipients, currency, approximate, published.
    assert sorted(lists) == ["D", "E", "J", "K", "L"]
    lists_sheet = book.worksheets[-1]
    values = {
        lists_sheet.cell(row=1, column=n).value: [
            row[n - 1].value
            for row in lists_sheet.iter_rows(min_row=2)
            if row[n - 1].value
        ]
        for n in range(1, lists_sheet.max_column + 1)
    }
    assert values["districts"] == ["Sanxay (LA1704)"]
    assert values["currency"][:3] == ["VND", "LAK", "USD"]
    assert values["item_kind"] == [
        f"{bicycle.name_en if language != 'vi' else 'Xe đạp'} (bicycle)"
    ]
    with translation.override(language):
        assert values["recipient_group"][0] == str(
            GiftDistribution.RecipientGroup.STUDENTS.label
        )
    dates = [
        dv for dv in distributions.data_validations.dataValidation if dv.type == "date"
    ]
    assert dates and dates[0].formula1 == "DATE(2022,1,1)"
    # A GET: nothing kept, nothing logged.
    assert PendingImport.objects.count() == 0
    assert LogEntry.objects.count() == logged


def test_a_filled_in_vietnamese_template_imports_for_a_lao_clerk(
    data_entry_client, program, district, bicycle
):
    book, _content = template_of(data_entry_client, program, "vi")
    distributions, items = book.worksheets[1], book.worksheets[2]
    row = distribution_row(district)
    row["Recipients"] = book.worksheets[-1]["B2"].value  # picked from the list
    distributions.append(list(row.values()))
    items.append(["2022-01", "Xe đạp (bicycle)", 10, 1_500_000])
    buffer = io.BytesIO()
    book.save(buffer)
    data_entry_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "lo"
    url, page = preview(data_entry_client, program, buffer.getvalue())
    assert page.context["errors"] == []
    confirm(data_entry_client, url, page)
    assert program.distributions.get().items.get().quantity == 10


def test_names_in_the_template_never_run_as_formulas(
    data_entry_client, program, district
):
    payload = '=HYPERLINK("http://evil.example","x")'
    ItemKindFactory(code="evil", name_en=payload)
    book, content = template_of(data_entry_client, program, "en")
    lists = book.worksheets[-1]
    cell = next(
        c for row in lists.iter_rows() for c in row if c.value == f"{payload} (evil)"
    )
    assert cell.data_type == "s" and cell.quotePrefix
    archive = zipfile.ZipFile(io.BytesIO(content))
    for name in archive.namelist():
        if name.startswith("xl/worksheets/"):
            assert b"<f>" not in archive.read(name), name


# Imported text in the exports


def test_imported_formula_text_is_inert_in_every_export(
    admin_client, program, district
):
    payloads = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(1)"]
    rows = [
        distribution_row(
            district,
            Reference=Text(payload),
            **{"Recipients in detail": Text(payload)},
            Notes=Text(payload),
        )
        for payload in payloads
    ]
    content = xlsx({"Distributions": table(DISTRIBUTION_HEADERS, rows)})
    # Written as text, never as formulas.
    url, page = preview(admin_client, program, content)
    assert page.context["errors"] == []
    confirm(admin_client, url, page)
    assert set(GiftDistribution.objects.values_list("reference", flat=True)) == set(
        payloads
    )

    agreement = program.agreement
    for file_format in ("xlsx", "csv"):
        response = admin_client.get(
            reverse("staff_agreement_report", args=[agreement.pk, 2022, file_format])
        )
        assert response.status_code == 200
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        )
        if file_format == "csv":
            for line in body.decode("utf-8-sig").splitlines():
                for cell in line.split(","):
                    assert not cell.strip('"').startswith(FORMULA_TRIGGERS), cell
        else:
            archive = zipfile.ZipFile(io.BytesIO(body))
            for name in archive.namelist():
                if name.startswith("xl/worksheets/"):
                    assert b"<f>" not in archive.read(name), name
            book = openpyxl.load_workbook(io.BytesIO(body))
            for sheet in book:
                for row in sheet.iter_rows():
                    for cell in row:
                        if isinstance(cell.value, str):
                            assert not cell.value.startswith(FORMULA_TRIGGERS), (
                                cell.value
                            )
    # And in the preview of a later import, as escaped text.
    url, page = preview(admin_client, program, content)
    assert (
        "=HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;)"
        in page.content.decode()
    )


# Queries


def test_the_preview_costs_the_same_queries_at_one_row_as_at_twenty(
    data_entry_client, program, district, bicycle
):
    def preview_queries(count):
        rows = [
            distribution_row(district, Reference=f"2022-{n:02}") for n in range(count)
        ]
        items = [
            item_row(**{"Distribution reference": f"2022-{n:02}"}) for n in range(count)
        ]
        url, _page = preview(data_entry_client, program, workbook(rows, items))
        with CaptureQueriesContext(connection) as queries:
            assert data_entry_client.get(url).status_code == 200
        return len(queries)

    # The session, the user, the programme and its scope; the waiting file; the
    # stored distributions and items; the catalogue and the districts; whether
    # the year is locked (once); messages. None of them per row.
    assert preview_queries(1) == preview_queries(20) <= 30


# Technical names that read the same in Lao.
TECHNICAL_WORDS = {"MB", "UTF-", "xlsx"}


@pytest.mark.parametrize("page", ["upload", "preview"])
@pytest.mark.usefixtures("lao_with_vietnamese_fallback")
def test_the_import_pages_speak_only_lao(admin_client, program, district, page):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "lo"
    url = import_url(program)
    if page == "preview":
        # The file's own text in Lao too: it is shown as the file has it.
        rows = [
            distribution_row(district, **{"Recipients in detail": "ນັກຮຽນ"}),
            distribution_row(
                district, **{"Recipients in detail": "ນັກຮຽນ"}, Packages="ຫຼາຍ"
            ),
        ]
        with translation.override("lo"):
            from programs.imports.sheets import DistributionSheet

            title = str(DistributionSheet.title)
        content = xlsx({title: table(DISTRIBUTION_HEADERS, rows)})
        url, _page = preview(admin_client, program, content)
    html = lao_page(admin_client, url)
    words = set(foreign_words(interface_text(html))) - TECHNICAL_WORDS
    assert not words, f"the Lao {page} page shows words that are not Lao: {words}"
