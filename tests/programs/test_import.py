"""Importing a programme's distributions and items: every row checked by the
models' own rules, errors named by sheet, row and column, all rows saved in one
transaction or none, and a file imported again changing nothing."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.db import IntegrityError
from django.utils import translation

from cooperation.history import (
    RecordChangedMeanwhile,
    change_reason_text,
    import_reason,
)
from cooperation.validation import AMOUNT_HAS_DECIMALS, YEAR_LOCKED
from programs.imports.columns import (
    FORMULA_IN_CELL,
    NO_SUCH_DISTRICT,
    NO_SUCH_ITEM,
    VALUE_REQUIRED,
    WHOLE_NUMBER_UNREADABLE,
)
from programs.imports.files import FileRefused
from programs.imports.plan import (
    COLUMN_MISSING,
    CREATE,
    HEADER_TWICE,
    NEW_ROW_NEEDS_COLUMN,
    PARENT_MISSING,
    ROW_REPEATED,
    UNCHANGED,
    UNKNOWN_HEADER,
    UNNAMED_COLUMN,
    UPDATE,
    import_save,
)
from programs.models import (
    DISTRIBUTION_OUTSIDE_PROGRAMME_YEAR,
    DistributionItem,
    GiftDistribution,
)
from tests.factories import (
    DistrictFactory,
    GiftDistributionFactory,
    ItemKindFactory,
    UserFactory,
    confirm_year,
    home_branch,
)
from tests.programs.import_files import (
    DISTRIBUTION_HEADERS,
    ITEM_HEADERS,
    csv_bytes,
    distribution_row,
    item_row,
    plan_of,
    table,
    workbook,
    xlsx,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk():
    return UserFactory(username="importer")


def error_texts(plan):
    return [str(error) for error in plan.errors]


def saved(plan, user, name="distributions.xlsx"):
    assert not plan.errors, error_texts(plan)
    return import_save(plan, user, name)


def history_rows():
    return GiftDistribution.history.count() + DistributionItem.history.count()


# Good rows


def test_good_rows_create_distributions_with_their_items(
    program, district, bicycle, clerk
):
    backpack = ItemKindFactory(code="backpack", name_en="School backpack")
    content = workbook(
        [
            distribution_row(district),
            distribution_row(
                district,
                Reference="2022-02",
                **{"Date (or first day)": datetime.date(2022, 11, 20)},
                Currency="LAK",
                **{"Total value": 1_500_000, "Value is approximate": "yes"},
            ),
        ],
        [
            item_row(),
            item_row(Item="School backpack (backpack)", Quantity=40),
            item_row(**{"Distribution reference": "2022-02", "Item": "bicycle"}),
        ],
    )
    plan = plan_of(content, program, clerk)
    assert [row.action for row in plan.rows] == [CREATE] * 5

    assert saved(plan, clerk) == {"distributions": (2, 0), "items": (3, 0)}
    first, second = program.distributions.order_by("reference")
    assert first.reference == "2022-01"
    assert first.start_date == datetime.date(2022, 10, 5)
    assert list(first.districts.all()) == [district]
    assert first.recipient_group == GiftDistribution.RecipientGroup.STUDENTS
    assert (first.packages, first.people_reached) == (40, 40)
    assert (first.total_value, first.currency) == (Decimal(60_000_000), "VND")
    assert first.value_is_approximate is False
    assert second.currency == "LAK" and second.value_is_approximate is True
    assert {(i.item_kind, i.quantity) for i in first.items.all()} == {
        (bicycle, 10),
        (backpack, 40),
    }
    assert [i.item_kind for i in second.items.all()] == [bicycle]
    # Publication and the example flag follow the programme.
    assert first.is_published is program.is_published is True
    assert first.is_example is program.is_example is False


def test_each_record_has_a_history_row_naming_the_file_and_an_admin_log_entry(
    program, district, bicycle, clerk
):
    plan = plan_of(workbook([distribution_row(district)], [item_row()]), program, clerk)
    saved(plan, clerk, "Danh sách 2022.xlsx")
    distribution = program.distributions.get()
    item = distribution.items.get()
    for record in (distribution, item):
        reasons = {row.history_change_reason for row in record.history.all()}
        assert reasons == {"Imported from Danh sách 2022.xlsx"}
        assert {row.history_user for row in record.history.all()} == {clerk}
        entry = LogEntry.objects.get(
            object_id=str(record.pk), content_type__model=record._meta.model_name
        )
        assert entry.action_flag == ADDITION and entry.user == clerk
    # The district is in the history too.
    assert list(
        distribution.history.first().districts.values_list("area", flat=True)
    ) == [district.pk]
    # Stored in English, shown in the reader's language.
    with translation.override("en"):
        assert change_reason_text("Imported from Danh sách 2022.xlsx") == (
            "Imported from Danh sách 2022.xlsx"
        )


def test_importing_the_same_file_again_writes_nothing(
    program, district, bicycle, clerk
):
    content = workbook([distribution_row(district)], [item_row()])
    saved(plan_of(content, program, clerk), clerk)
    distribution = program.distributions.get()
    before = (
        history_rows(),
        LogEntry.objects.count(),
        distribution.version,
        distribution.updated_at,
    )

    plan = plan_of(content, program, clerk)
    assert [row.action for row in plan.rows] == [UNCHANGED, UNCHANGED]
    assert plan.writes == []
    assert import_save(plan, clerk, "again.xlsx") == {
        "distributions": (0, 0),
        "items": (0, 0),
    }
    distribution.refresh_from_db()
    after = (
        history_rows(),
        LogEntry.objects.count(),
        distribution.version,
        distribution.updated_at,
    )
    assert after == before
    assert GiftDistribution.objects.count() == 1
    assert DistributionItem.objects.count() == 1


def test_a_changed_row_updates_only_what_changed_with_one_history_row(
    program, district, bicycle, clerk
):
    saved(
        plan_of(workbook([distribution_row(district)], [item_row()]), program, clerk),
        clerk,
    )
    distribution = program.distributions.get()
    version, history = distribution.version, distribution.history.count()
    other = DistrictFactory(parent=district.parent, name_en="Phouvong", pcode="LA1705")

    content = workbook(
        [distribution_row(district, Packages=45, Districts="LA1704; Phouvong")],
        [item_row()],
    )
    plan = plan_of(content, program, clerk)
    distribution_plan, item_plan = plan.rows
    assert (distribution_plan.action, item_plan.action) == (UPDATE, UNCHANGED)
    assert [(c.column.key, c.before, c.after) for c in distribution_plan.changes] == [
        ("districts", "Sanxay (LA1704)", "Sanxay (LA1704); Phouvong (LA1705)"),
        ("packages", "40", "45"),
    ]
    assert saved(plan, clerk) == {"distributions": (0, 1), "items": (0, 0)}

    distribution.refresh_from_db()
    assert distribution.packages == 45
    assert set(distribution.districts.all()) == {district, other}
    assert distribution.version == version + 1
    # One history row with both changes, the districts included.
    assert distribution.history.count() == history + 1
    latest = distribution.history.first()
    assert latest.packages == 45
    assert set(latest.districts.values_list("area", flat=True)) == {
        district.pk,
        other.pk,
    }
    entry = LogEntry.objects.filter(action_flag=CHANGE).get()
    assert entry.get_change_message() == "Changed Districts and Packages."


def test_an_empty_cell_leaves_a_field_that_cannot_be_empty_and_empties_one_that_can(
    program, district, clerk
):
    saved(plan_of(workbook([distribution_row(district)], None), program, clerk), clerk)
    content = workbook(
        [distribution_row(district, Packages=None, **{"People reached": None})], None
    )
    (row,) = plan_of(content, program, clerk).rows
    assert [change.column.key for change in row.changes] == ["people_reached"]
    saved(plan_of(content, program, clerk), clerk)
    distribution = program.distributions.get()
    assert (distribution.packages, distribution.people_reached) == (40, None)


def test_distributions_without_a_reference_are_never_touched(program, district, clerk):
    by_hand = GiftDistributionFactory(program=program, packages=7, districts=[district])
    saved(plan_of(workbook([distribution_row(district)], None), program, clerk), clerk)
    by_hand.refresh_from_db()
    assert by_hand.packages == 7 and by_hand.version == 1
    assert program.distributions.count() == 2


def test_items_may_be_added_to_a_distribution_the_programme_already_has(
    program, district, bicycle, clerk
):
    stored = GiftDistributionFactory(program=program, reference="2022-01")
    plan = plan_of(workbook(None, [item_row(Quantity=3)]), program, clerk)
    assert [row.action for row in plan.rows] == [CREATE]
    saved(plan, clerk)
    assert stored.items.get().quantity == 3


# Bad rows


def test_bad_rows_name_sheet_row_and_column_and_nothing_is_saved(
    program, district, bicycle, clerk
):
    content = workbook(
        [
            distribution_row(district),
            distribution_row(
                district,
                Reference="2022-02",
                **{"Date (or first day)": datetime.date(2023, 1, 5)},
            ),
            distribution_row(district, Reference="2022-03", Packages="many"),
            distribution_row(district, Reference="2022-04", Districts="Atlantis"),
            distribution_row(
                district, Reference="2022-05", **{"Total value": Decimal("10.5")}
            ),
            distribution_row(district, Reference=None),
            distribution_row(district),
        ],
        [
            item_row(Item="unicycle"),
            item_row(**{"Distribution reference": "2021-99"}),
        ],
    )
    plan = plan_of(content, program, clerk)
    outside = DISTRIBUTION_OUTSIDE_PROGRAMME_YEAR % {"date_year": 2023, "year": 2022}
    decimals = AMOUNT_HAS_DECIMALS % {"currency": "Vietnamese đồng (VND)"}
    assert error_texts(plan) == [
        f"Distributions, row 3, column “Date (or first day)”: {outside}",
        "Distributions, row 4, column “Packages”: "
        + WHOLE_NUMBER_UNREADABLE % {"example": "1,500"},
        "Distributions, row 5, column “Districts”: "
        + NO_SUCH_DISTRICT % {"value": "Atlantis"},
        f"Distributions, row 6, column “Total value”: {decimals}",
        f"Distributions, row 7, column “Reference”: {VALUE_REQUIRED}",
        "Distributions, row 8, column “Reference”: "
        + ROW_REPEATED % {"row": 2, "columns": "“Reference”"},
        "Items, row 2, column “Item”: " + NO_SUCH_ITEM % {"value": "unicycle"},
        "Items, row 3, column “Distribution reference”: "
        + PARENT_MISSING % {"sheet": "Distributions", "value": "2021-99"},
    ]
    assert GiftDistribution.objects.count() == 0
    assert DistributionItem.objects.count() == 0


def test_a_changed_row_is_checked_by_the_models_rules_and_stays_as_saved(
    program, district, clerk
):
    saved(plan_of(workbook([distribution_row(district)], None), program, clerk), clerk)
    content = workbook(
        [distribution_row(district, **{"Total value": Decimal("60000000.5")})], None
    )
    plan = plan_of(content, program, clerk)
    decimals = AMOUNT_HAS_DECIMALS % {"currency": "Vietnamese đồng (VND)"}
    assert error_texts(plan) == [
        f"Distributions, row 2, column “Total value”: {decimals}"
    ]
    assert program.distributions.get().total_value == Decimal(60_000_000)


def test_a_formula_cell_is_refused_and_named(program, district, clerk):
    row = distribution_row(district, Packages="=SUM(1,2)")
    plan = plan_of(xlsx({"Distributions": table(DISTRIBUTION_HEADERS, [row])}), program)
    assert error_texts(plan) == [
        "Distributions, row 2, column “Packages”: "
        + FORMULA_IN_CELL % {"formula": "=SUM(1,2)"}
    ]


def test_a_confirmed_year_refuses_every_row(program, district, clerk):
    confirm_year(program.agreement, 2022)
    plan = plan_of(workbook([distribution_row(district)], None), program, clerk)
    assert error_texts(plan) == [
        "Distributions, row 2: " + YEAR_LOCKED % {"year": 2022}
    ]


# Headings


def test_an_unknown_heading_refuses_the_file(program, district):
    rows = table([*DISTRIBUTION_HEADERS, "Packgaes"], [distribution_row(district)])
    with pytest.raises(FileRefused) as refused:
        plan_of(xlsx({"Distributions": rows}), program)
    columns = ", ".join(f"“{heading}”" for heading in DISTRIBUTION_HEADERS)
    assert str(refused.value) == str(
        UNKNOWN_HEADER
        % {"sheet": "Distributions", "header": "Packgaes", "columns": columns}
    )


def test_a_repeated_heading_and_an_unnamed_column_with_values_refuse_the_file(
    program, district
):
    rows = table([*DISTRIBUTION_HEADERS, "Packages"], [distribution_row(district)])
    with pytest.raises(FileRefused) as refused:
        plan_of(xlsx({"Distributions": rows}), program)
    assert str(refused.value) == str(
        HEADER_TWICE % {"sheet": "Distributions", "header": "Packages"}
    )
    rows = table(DISTRIBUTION_HEADERS, [distribution_row(district)])
    rows[0].append(None)
    rows[1].append("a remark")
    with pytest.raises(FileRefused) as refused:
        plan_of(xlsx({"Distributions": rows}), program)
    assert str(refused.value) == str(
        UNNAMED_COLUMN % {"sheet": "Distributions", "number": 14}
    )


def test_sheets_of_other_names_are_listed_as_not_read(program, district, clerk):
    content = xlsx(
        {
            "Distributions": table(DISTRIBUTION_HEADERS, [distribution_row(district)]),
            "My notes": [["anything"], ["to remember"]],
            "Instructions": [["the template's own"], ["text"]],
        }
    )
    plan = plan_of(content, program, clerk)
    assert plan.ignored_sheets == ["My notes"]
    assert [row.action for row in plan.rows] == [CREATE]


def test_a_missing_key_column_refuses_the_file(program, district):
    headers = [h for h in DISTRIBUTION_HEADERS if h != "Reference"]
    with pytest.raises(FileRefused) as refused:
        plan_of(
            xlsx({"Distributions": table(headers, [distribution_row(district)])}),
            program,
        )
    assert str(refused.value) == str(
        COLUMN_MISSING % {"sheet": "Distributions", "column": "Reference"}
    )


def test_a_vietnamese_file_imports_for_a_lao_clerk(program, district, bicycle, clerk):
    with translation.override("vi"):
        from programs.imports.sheets import SHEETS

        headings = {
            sheet.key: {
                c.key: str(c.header) + (" *" if c.required else "")
                for c in sheet.columns
            }
            for sheet in SHEETS
        }
        titles = {sheet.key: str(sheet.title) for sheet in SHEETS}
    distribution = distribution_row(district)
    keys = [c.key for c in SHEETS[0].columns]
    rows = [[headings["distributions"][k] for k in keys], list(distribution.values())]
    items = [
        [headings["items"][c.key] for c in SHEETS[1].columns],
        list(item_row().values()),
    ]
    content = xlsx({titles["distributions"]: rows, titles["items"]: items})
    with translation.override("lo"):
        plan = plan_of(content, program, clerk)
        assert [row.action for row in plan.rows] == [CREATE, CREATE]
        saved(plan, clerk)
    assert program.distributions.get().items.count() == 1


# CSV


def test_a_semicolon_csv_in_vietnamese_style_imports(program, district, clerk):
    row = distribution_row(
        district,
        **{"Total value": "60.000.000", "Date (or first day)": "05/10/2022"},
        Recipients="học sinh có hoàn cảnh khó khăn",
    )
    with translation.override("vi"):
        from programs.imports.sheets import DistributionSheet

        recipients = str(GiftDistribution.RecipientGroup.STUDENTS.label)
        row["Recipients"] = recipients
    content = csv_bytes(table(DISTRIBUTION_HEADERS, [row]), delimiter=";")
    with translation.override("vi"):
        plan = plan_of(content, program, clerk, name="phat.csv")
        saved(plan, clerk)
    distribution = program.distributions.get()
    assert distribution.total_value == Decimal(60_000_000)
    assert distribution.start_date == datetime.date(2022, 10, 5)
    assert DistributionSheet.key == plan.sheet_plans[0].sheet.key


def test_a_comma_csv_with_byte_order_mark_imports_items(
    program, district, bicycle, clerk
):
    GiftDistributionFactory(program=program, reference="2022-01")
    content = csv_bytes(table(ITEM_HEADERS, [item_row()]), bom=True)
    plan = plan_of(content, program, clerk, name="items.csv")
    assert plan.sheet_plans[0].sheet.key == "items"
    saved(plan, clerk)
    assert DistributionItem.objects.get().quantity == 10


# Saving: all or nothing


def test_a_row_refused_by_the_database_at_save_time_rolls_back_every_row(
    program, district, bicycle, clerk
):
    content = workbook(
        [distribution_row(district), distribution_row(district, Reference="2022-02")],
        [item_row()],
    )
    plan = plan_of(content, program, clerk)
    # Someone else saves "2022-02" between the preview and the confirmation.
    GiftDistributionFactory(program=program, reference="2022-02")
    with pytest.raises(IntegrityError):
        import_save(plan, clerk, "late.xlsx")
    assert list(program.distributions.values_list("reference", flat=True)) == [
        "2022-02"
    ]
    assert DistributionItem.objects.count() == 0
    assert LogEntry.objects.count() == 0


def test_a_record_changed_meanwhile_rolls_back_every_row(
    program, district, bicycle, clerk
):
    saved(plan_of(workbook([distribution_row(district)], None), program, clerk), clerk)
    content = workbook(
        [
            distribution_row(district, Packages=41),
            distribution_row(district, Reference="2022-02"),
        ],
        None,
    )
    plan = plan_of(content, program, clerk)
    GiftDistribution.objects.filter(reference="2022-01").update(version=5, packages=39)
    with pytest.raises(RecordChangedMeanwhile):
        import_save(plan, clerk, "late.xlsx")
    assert list(program.distributions.values_list("reference", "packages")) == [
        ("2022-01", 39)
    ]


# Formulas stay text


def test_text_that_looks_like_a_formula_is_stored_as_typed(program, district, clerk):
    payload = '=HYPERLINK("http://evil.example","click")'
    row = distribution_row(
        district, **{"Recipients in detail": payload}, Notes="@SUM(1+1)"
    )
    content = csv_bytes(table(DISTRIBUTION_HEADERS, [row]))
    saved(plan_of(content, program, clerk, name="f.csv"), clerk)
    distribution = program.distributions.get()
    assert distribution.recipient_description == payload
    assert distribution.notes == "@SUM(1+1)"


# The database's rules, said by the model before the database is asked


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        ({"Packages": -1}, "Packages"),
        ({"Packages": 2_000_000}, "Packages"),
        ({"People reached": 20_000_000}, "People reached"),
        ({"Last day": datetime.date(2022, 10, 1)}, "Last day"),
        ({"Total value": -5}, "Total value"),
        ({"Total value": Decimal("10.5")}, "Total value"),
        ({"Currency": "XYZ"}, "Currency"),
        ({"Notes": "x" * 5001}, "Notes"),
        ({"Recipients in detail": "x" * 301}, "Recipients in detail"),
        ({"Reference": "x" * 41}, "Reference"),
    ],
    ids=[
        "negative-packages",
        "too-many-packages",
        "too-many-people",
        "end-before-start",
        "negative-value",
        "decimals-in-vnd",
        "unknown-currency",
        "notes-too-long",
        "detail-too-long",
        "reference-too-long",
    ],
)
def test_each_database_rule_is_named_on_its_column_before_saving(
    program, district, clerk, cells, column
):
    """The import leaves the CheckConstraints to the database at save time (plan.py):
    each is mirrored by clean() or a field's validator, which names the column."""
    plan = plan_of(
        workbook([distribution_row(district, **cells)], None), program, clerk
    )
    assert [error.column for error in plan.errors] == [column], error_texts(plan)
    assert GiftDistribution.objects.count() == 0


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        ({"Quantity": -3}, "Quantity"),
        ({"Quantity": 2_000_000}, "Quantity"),
        ({"Value per unit": -1}, "Value per unit"),
        ({"Value per unit": Decimal("1.5")}, "Value per unit"),
    ],
    ids=["negative", "too-many", "negative-value", "decimals-in-vnd"],
)
def test_each_database_rule_of_an_item_is_named_on_its_column(
    program, district, bicycle, clerk, cells, column
):
    plan = plan_of(
        workbook([distribution_row(district)], [item_row(**cells)]), program, clerk
    )
    assert [error.column for error in plan.errors] == [column], error_texts(plan)


def test_names_are_read_in_any_language_and_with_brackets_of_their_own(
    program, clerk, bicycle
):
    fictional = DistrictFactory(
        parent=home_branch().home_area,
        name_en="Example District East (fictional)",
        name_vi="Huyện Ví Dụ Đông (hư cấu)",
        pcode="",
    )
    rows = [
        distribution_row(fictional, Districts="Example District East (fictional)"),
        distribution_row(
            fictional, Reference="2022-02", Districts="huyện ví dụ đông (hư cấu)"
        ),
    ]
    items = [item_row(Item="Xe đạp"), item_row(Item="BICYCLE")]
    items[1]["Distribution reference"] = "2022-02"
    plan = plan_of(workbook(rows, items), program, clerk)
    assert not plan.errors, error_texts(plan)
    assert [
        row.values.get("districts") or row.values.get("item_kind") for row in plan.rows
    ] == [
        [fictional],
        [fictional],
        bicycle,
        bicycle,
    ]


def test_headings_are_distinct_and_hold_no_csv_delimiter_in_every_language():
    from programs.imports.files import DELIMITERS
    from programs.imports.sheets import SHEETS

    for sheet in SHEETS:
        seen = {}
        for column in sheet.columns:
            for heading in column.headers_recognised:
                assert seen.setdefault(heading, column.key) == column.key, heading
                assert not any(d in heading for d in DELIMITERS), heading


def test_the_reason_is_stored_in_english_and_read_in_the_readers_language():
    reason = import_reason("Danh sách 2022.xlsx")
    assert reason == "Imported from Danh sách 2022.xlsx"
    with translation.override("vi"):
        assert change_reason_text(reason) == "Nhập từ tệp Danh sách 2022.xlsx"
    # Within simple-history's hundred characters, however long the name.
    assert len(import_reason("x" * 300 + ".xlsx")) == 100


def test_a_csv_whose_sheet_is_chosen_on_the_form_is_read_as_that_sheet(
    program, district, clerk
):
    # The key column alone: the headings name no sheet for certain.
    rows = [["Reference", "Packages"], ["2022-01", "41"]]
    GiftDistributionFactory(program=program, reference="2022-01", districts=[district])
    with pytest.raises(FileRefused):
        plan_of(csv_bytes([["Notes"], ["x"]]), program, clerk, name="a.csv")
    plan = plan_of(
        csv_bytes(rows), program, clerk, name="a.csv", csv_sheet="distributions"
    )
    assert [(row.action, [c.after for c in row.changes]) for row in plan.rows] == [
        (UPDATE, ["41"])
    ]


def test_a_file_without_a_column_new_rows_need_updates_saved_rows_and_names_new_ones(
    program, district, clerk
):
    GiftDistributionFactory(program=program, reference="2022-01", districts=[district])
    rows = [["Reference", "Packages"], ["2022-01", 41], ["2022-02", 5]]
    plan = plan_of(xlsx({"Distributions": rows}), program, clerk)
    assert [row.action for row in plan.rows] == [UPDATE, CREATE]
    assert error_texts(plan) == [
        f"Distributions, row 3, column “{heading}”: {NEW_ROW_NEEDS_COLUMN}"
        for heading in ("Date (or first day)", "Districts", "Recipients")
    ]
