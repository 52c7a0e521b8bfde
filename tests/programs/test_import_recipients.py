"""Importing recipient lists: matched on (distribution reference, list number),
checked by the Recipient model's own rules and by the list's length taken
together, offered and read only for staff allowed to see recipients' names."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission

from cooperation.history import change_reason_text
from cooperation.staff_groups import DATA_ENTRY
from programs.imports.columns import VALUE_REQUIRED
from programs.imports.files import FileRefused
from programs.imports.plan import (
    CREATE,
    SHEET_NOT_YOURS,
    UNCHANGED,
    UPDATE,
    import_save,
)
from programs.imports.sheets import ImportContext
from programs.imports.template import template_workbook
from programs.models import (
    BORN_AFTER_DISTRIBUTION,
    LIST_LONGER_THAN_PEOPLE_REACHED,
    AgeBand,
    GiftDistribution,
    Recipient,
)
from tests.factories import (
    GiftDistributionFactory,
    home_branch,
    staff_user,
)
from tests.programs.import_files import (
    DISTRIBUTION_HEADERS,
    csv_bytes,
    distribution_row,
    plan_of,
    table,
    xlsx,
)

pytestmark = pytest.mark.django_db

RECIPIENT_HEADERS = [
    "Distribution reference",
    "No.",
    "Full name",
    "Sex",
    "Year of birth",
    "Age band",
    "School or village",
    "Guardian",
]


def recipient_row(**cells):
    row = {
        "Distribution reference": "2022-01",
        "No.": 1,
        "Full name": "Made-up Pupil Alpha",
        "Sex": "female",
        "Year of birth": 2012,
        "Age band": None,
        "School or village": "Made-up Primary School",
        "Guardian": "Made-up Parent Alpha",
    }
    row.update(cells)
    return row


def recipients_workbook(recipients, distributions=()):
    sheets = {}
    if distributions:
        sheets["Distributions"] = table(DISTRIBUTION_HEADERS, distributions)
    sheets["Recipient lists"] = table(RECIPIENT_HEADERS, recipients)
    return xlsx(sheets)


@pytest.fixture
def clerk():
    return staff_user("importer", groups=[DATA_ENTRY], organisation=home_branch())


@pytest.fixture
def distribution(program, district):
    stored = GiftDistributionFactory(
        program=program,
        reference="2022-01",
        start_date=datetime.date(2022, 10, 5),
        people_reached=3,
    )
    stored.districts.set([district])
    return stored


def error_texts(plan):
    return [str(error) for error in plan.errors]


def test_a_list_is_imported_with_a_new_distribution_in_the_same_file(
    program, district, clerk
):
    content = recipients_workbook(
        [
            recipient_row(),
            recipient_row(
                **{"No.": 2, "Full name": "Made-up Pupil Beta", "Sex": "male"},
                **{"Year of birth": None, "Age band": "5–17 years", "Guardian": ""},
            ),
        ],
        distributions=[distribution_row(district, **{"People reached": 2})],
    )

    plan = plan_of(content, program, clerk, name="list.xlsx")
    assert error_texts(plan) == []
    assert [row.action for row in plan.sheet_plans[1].rows] == [CREATE, CREATE]
    import_save(plan, clerk, "list.xlsx")

    distribution = GiftDistribution.objects.get(program=program, reference="2022-01")
    alpha, beta = distribution.recipients.order_by("list_number")
    assert (alpha.full_name, alpha.birth_year, alpha.age_band) == (
        "Made-up Pupil Alpha",
        2012,
        AgeBand.CHILDREN,  # ten in 2022
    )
    assert (beta.sex, beta.birth_year, beta.age_band) == ("male", None, "5-17")
    assert change_reason_text(alpha.history.get().history_change_reason) == (
        "Imported from list.xlsx"
    )
    # The admin's log names the recipients by their number, never by name.
    logged = " ".join(LogEntry.objects.values_list("object_repr", flat=True))
    assert "No. 1 of" in logged
    assert "Made-up Pupil" not in logged


def test_importing_the_same_list_again_changes_nothing(distribution, clerk):
    content = recipients_workbook([recipient_row()])
    import_save(plan_of(content, distribution.program, clerk), clerk, "a.xlsx")
    versions = Recipient.history.count()

    again = plan_of(content, distribution.program, clerk)

    assert [row.action for row in again.sheet_plans[0].rows] == [UNCHANGED]
    import_save(again, clerk, "a.xlsx")
    assert Recipient.objects.count() == 1
    assert Recipient.history.count() == versions


def test_a_changed_row_updates_the_person_with_the_same_number(distribution, clerk):
    first = recipients_workbook([recipient_row()])
    import_save(plan_of(first, distribution.program, clerk), clerk, "a.xlsx")
    corrected = recipients_workbook([recipient_row(**{"Full name": "Made-up Gamma"})])

    plan = plan_of(corrected, distribution.program, clerk)

    assert [row.action for row in plan.sheet_plans[0].rows] == [UPDATE]
    import_save(plan, clerk, "b.xlsx")
    (person,) = Recipient.objects.all()
    assert person.full_name == "Made-up Gamma"
    assert person.version == 2


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_saved(distribution, clerk):
    content = recipients_workbook(
        [
            recipient_row(),
            recipient_row(**{"No.": 2, "Sex": None}),
            recipient_row(**{"No.": 3, "Year of birth": 2023}),
        ]
    )

    plan = plan_of(content, distribution.program, clerk)

    assert error_texts(plan) == [
        f"Recipient lists, row 3, column “Sex”: {VALUE_REQUIRED}",
        "Recipient lists, row 4, column “Year of birth”: "
        + BORN_AFTER_DISTRIBUTION % {"birth_year": 2023, "year": 2022},
    ]
    assert Recipient.objects.count() == 0


def test_a_list_longer_than_the_people_reached_is_refused_on_the_row_too_many(
    distribution, clerk
):
    rows = [
        recipient_row(**{"No.": n, "Full name": f"Made-up Pupil {n}"})
        for n in (1, 2, 3, 4)
    ]

    plan = plan_of(recipients_workbook(rows), distribution.program, clerk)

    message = LIST_LONGER_THAN_PEOPLE_REACHED % {"people": 3, "listed": 4}
    assert error_texts(plan) == [f"Recipient lists, row 5: {message}"]
    assert Recipient.objects.count() == 0


def test_a_semicolon_csv_of_a_list_is_recognised_by_its_headings(distribution, clerk):
    content = csv_bytes(
        table(RECIPIENT_HEADERS, [recipient_row(), recipient_row(**{"No.": 2})]),
        delimiter=";",
        bom=True,
    )

    plan = plan_of(content, distribution.program, clerk, name="list.csv")

    assert error_texts(plan) == []
    import_save(plan, clerk, "list.csv")
    assert list(distribution.recipients.values_list("list_number", flat=True)) == [1, 2]


def test_staff_without_the_names_permission_get_no_list_sheet_and_cannot_send_one(
    distribution,
):
    clerk = staff_user("no-names", groups=[DATA_ENTRY], organisation=home_branch())
    clerk.groups.get().permissions.remove(
        Permission.objects.get(codename="see_recipient_names")
    )
    clerk = type(clerk).objects.get(pk=clerk.pk)  # permissions read afresh

    book = openpyxl.load_workbook(
        io.BytesIO(template_workbook(ImportContext(distribution.program, clerk)))
    )
    assert "Recipient lists" not in book.sheetnames
    assert "Distributions" in book.sheetnames

    with pytest.raises(FileRefused) as refused:
        plan_of(recipients_workbook([recipient_row()]), distribution.program, clerk)
    assert str(refused.value) == SHEET_NOT_YOURS % {"sheet": "Recipient lists"}
    assert Recipient.objects.count() == 0
