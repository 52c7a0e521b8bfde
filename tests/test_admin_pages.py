"""Every admin screen of the three apps, requested the way a browser requests it.

The models come from the admin registry and their factories from `tests/factories.py`
(`<Model>Factory`), so a newly registered model is covered without editing this file.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.urls import reverse

from cooperation.admin_tools import PublishActionsMixin
from cooperation.models import Agreement, Area, Organisation
from cooperation.staff_groups import RECORD_APPS
from exchanges.models import DelegationVisit
from programs.models import GiftDistribution, JointProgram
from tests import factories

pytestmark = pytest.mark.django_db

REGISTERED_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in RECORD_APPS),
    key=lambda model: model._meta.label,
)
DATED_MODELS = [
    model for model in REGISTERED_MODELS if admin.site._registry[model].date_hierarchy
]
SEARCHABLE_MODELS = [
    model for model in REGISTERED_MODELS if admin.site._registry[model].search_fields
]
PUBLISHABLE_MODELS = [
    model
    for model in REGISTERED_MODELS
    if isinstance(admin.site._registry[model], PublishActionsMixin)
]
# One factory per model, found by the house naming convention (`AreaFactory` builds a
# district, the level most records point at).
FACTORY_FOR_MODEL = {
    value._meta.model: value
    for name, value in vars(factories).items()
    if isinstance(value, type)
    and issubclass(value, factories.factory.django.DjangoModelFactory)
    and value._meta.model is not None
    and name == f"{value._meta.model.__name__}Factory"
}


def label(model):
    return model._meta.label


def admin_url(model, view, *args, query=""):
    opts = model._meta
    return (
        reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args) + query
    )


def row_create(model):
    factory_class = FACTORY_FOR_MODEL.get(model)
    if factory_class is None:
        pytest.fail(
            f"{label(model)} is registered in the admin but tests/factories.py has no "
            f"{model.__name__}Factory."
        )
    builder = ROW_WITH_RELATED.get(model)
    return builder() if builder else factory_class()


# Rows with the related objects their changelist columns show, so that a column that
# queries per row (an N+1) shows up as a count that grows with the rows.
def area_with_successor():
    return factories.DistrictFactory(successor=factories.DistrictFactory())


def organisation_with_parent():
    return factories.OrganisationFactory(parent=factories.OrganisationFactory())


def agreement_with_commitments():
    agreement = factories.AgreementFactory()
    factories.CommitmentFactory(agreement=agreement, yearly_exchange=True)
    factories.CommitmentFactory(agreement=agreement)
    return agreement


def visit_with_members():
    visit = factories.DelegationVisitFactory()
    factories.VisitMemberFactory.create_batch(3, visit=visit)
    factories.VisitAttachmentFactory(visit=visit)
    return visit


def distribution_with_items(**kwargs):
    distribution = factories.GiftDistributionFactory(
        districts=[factories.DistrictFactory(), factories.DistrictFactory()], **kwargs
    )
    factories.DistributionItemFactory(distribution=distribution)
    factories.DistributionItemFactory(distribution=distribution, quantity=None)
    factories.DistributionAttachmentFactory(distribution=distribution)
    return distribution


def programme_with_distributions():
    programme = factories.JointProgramFactory(
        districts=[factories.DistrictFactory(), factories.DistrictFactory()],
        actual_cost=Decimal("120000000"),
    )
    distribution_with_items(program=programme)
    distribution_with_items(program=programme)
    factories.ProgramAttachmentFactory(program=programme)
    return programme


ROW_WITH_RELATED = {
    Area: area_with_successor,
    Organisation: organisation_with_parent,
    Agreement: agreement_with_commitments,
    DelegationVisit: visit_with_members,
    JointProgram: programme_with_distributions,
    GiftDistribution: distribution_with_items,
}

# Queries of one changelist request. Every page pays 2 (session, user) and 2 counts
# (the filtered rows and, for "x of y", all rows) and 1 for the page of rows; a
# date_hierarchy adds 2 (first/last date, then the dates of the chosen level); a
# related, RelatedOnly or all-values list_filter adds 1 for its choices (choice and
# boolean filters add none); each prefetch_related lookup adds 1.
CHANGELIST_QUERIES = {
    # + parent (RelatedOnly) choices
    "cooperation.Area": 6,
    # + country (RelatedOnly) choices
    "cooperation.Organisation": 6,
    # + party signatures and their organisations (prefetch 2) + date hierarchy 2
    "cooperation.Agreement": 9,
    # + agreement choices
    "cooperation.Commitment": 6,
    # + rates' year values
    "cooperation.ExchangeRate": 6,
    # + agreement choices, the year filter's years, date hierarchy 2
    "exchanges.DelegationVisit": 9,
    # + organisation (RelatedOnly) choices
    "exchanges.VisitMember": 6,
    "exchanges.VisitAttachment": 5,
    # + agreement choices, year_covered values, date hierarchy 2
    "exchanges.InformationExchange": 9,
    "programs.ItemKind": 5,
    # + agreement choices, year values, districts (RelatedOnly) choices,
    #   districts prefetch, date hierarchy 2
    "programs.JointProgram": 11,
    # + agreement (RelatedOnly) choices, programme year values, districts (RelatedOnly)
    #   choices, districts prefetch, date hierarchy 2
    "programs.GiftDistribution": 11,
    # + item kind (RelatedOnly) choices
    "programs.DistributionItem": 6,
    # + agreement (RelatedOnly) choices, programme year values (the distribution
    #   comes joined, for its name in each row)
    "programs.Recipient": 7,
    "programs.ProgramAttachment": 5,
    "programs.DistributionAttachment": 5,
}
# A model registered after this table was written gets a generous ceiling; the exact
# comparison between 1 and 20 rows still catches an N+1 in it.
NEW_MODEL_CEILING = 12
MORE_ROWS = 19


def query_log(captured):
    return "\n".join(query["sql"] for query in captured.captured_queries)


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=label)
def test_changelist_opens_for_a_superuser(admin_client, model):
    row_create(model)
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=label)
def test_add_page_opens_for_a_superuser(admin_client, model):
    assert admin_client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=label)
def test_change_page_opens_for_a_superuser(admin_client, model):
    row = row_create(model)
    response = admin_client.get(admin_url(model, "change", row.pk))
    assert response.status_code == 200
    assert response.context["original"] == row


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=label)
def test_changelist_query_count_is_the_same_at_one_and_at_twenty_rows(
    admin_client, django_assert_max_num_queries, model
):
    ceiling = CHANGELIST_QUERIES.get(label(model), NEW_MODEL_CEILING)
    url = admin_url(model, "changelist")
    row_create(model)
    admin_client.get(url)  # warm the per-process caches (content types, templates)

    # The fixture yields Django's CaptureQueriesContext: the two counts compare exactly.
    with django_assert_max_num_queries(ceiling) as one_row:
        assert admin_client.get(url).status_code == 200
    for _ in range(MORE_ROWS):
        row_create(model)
    with django_assert_max_num_queries(ceiling) as twenty_rows:
        response = admin_client.get(url)

    assert response.context["cl"].result_count >= MORE_ROWS + 1
    assert len(twenty_rows) == len(one_row), query_log(twenty_rows)
    if label(model) in CHANGELIST_QUERIES:
        # Fewer queries than the table says is good news: update the table.
        assert len(one_row) == ceiling, query_log(one_row)


@pytest.mark.parametrize("model", SEARCHABLE_MODELS, ids=label)
def test_changelist_search_answers_and_finds_nothing_for_an_unknown_term(
    admin_client, model
):
    row_create(model)
    response = admin_client.get(admin_url(model, "changelist", query="?q=zzqx-none"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=label)
def test_every_list_filter_choice_answers(admin_client, model):
    # Two rows, so that RelatedOnly filters have two choices and show.
    row_create(model)
    row_create(model)
    url = admin_url(model, "changelist")
    changelist = admin_client.get(url).context["cl"]
    query_strings = {
        choice["query_string"]
        for spec in changelist.filter_specs
        for choice in spec.choices(changelist)
    }
    assert query_strings or not admin.site._registry[model].list_filter
    for query_string in sorted(query_strings):
        response = admin_client.get(url + query_string)
        # An unknown lookup would redirect to ?e=1; every offered choice must filter.
        assert response.status_code == 200, query_string


@pytest.mark.parametrize("model", DATED_MODELS, ids=label)
def test_date_hierarchy_year_month_and_day_answer(admin_client, model):
    field = admin.site._registry[model].date_hierarchy
    row = row_create(model)
    day = getattr(row, field)
    url = admin_url(model, "changelist")
    for query in (
        f"?{field}__year={day.year}",
        f"?{field}__year={day.year}&{field}__month={day.month}",
        f"?{field}__year={day.year}&{field}__month={day.month}&{field}__day={day.day}",
    ):
        response = admin_client.get(url + query)
        assert response.status_code == 200, query
        assert response.context["cl"].result_count >= 1, query


@pytest.mark.parametrize(
    ("model", "query", "expected"),
    [
        (DelegationVisit, "?is_published__exact=1", 2),
        (DelegationVisit, "?is_published__exact=0", 1),
        (DelegationVisit, "?year=2022", 2),
        (DelegationVisit, "?year=2023", 1),
        (DelegationVisit, "?kind__exact=yearly_exchange", 2),
        (DelegationVisit, "?kind__exact=on_request", 1),
        (DelegationVisit, "?start_date__year=2023", 1),
        (JointProgram, "?year__exact=2022", 1),
        (JointProgram, "?year=2023", 1),
        (JointProgram, "?status__exact=planned", 1),
        (JointProgram, "?is_published__exact=1", 2),
        (GiftDistribution, "?program__year__exact=2023", 1),
        (GiftDistribution, "?recipient_group__exact=families", 1),
        (Agreement, "?status__exact=in_force", 1),
        (Agreement, "?start_date__year=2022", 1),
    ],
)
def test_filter_query_string_keeps_the_matching_rows(
    admin_client, model, query, expected
):
    agreement = factories.AgreementFactory()
    factories.DelegationVisitFactory(agreement=agreement)
    factories.DelegationVisitFactory(agreement=agreement, is_published=False)
    factories.DelegationVisitFactory(
        agreement=agreement,
        kind=DelegationVisit.Kind.ON_REQUEST,
        start_date=datetime.date(2023, 3, 1),
    )
    programme = factories.JointProgramFactory(agreement=agreement)
    factories.GiftDistributionFactory(program=programme)
    later = factories.JointProgramFactory(agreement=agreement, year=2023, planned=True)
    factories.GiftDistributionFactory(
        program=later, recipient_group=GiftDistribution.RecipientGroup.FAMILIES
    )

    response = admin_client.get(admin_url(model, "changelist", query=query))

    assert response.status_code == 200
    assert response.context["cl"].result_count == expected


def test_visit_found_through_one_member_is_listed_with_all_members_counted(
    admin_client,
):
    visit = factories.DelegationVisitFactory()
    factories.VisitMemberFactory(visit=visit, full_name="Nguyễn Văn An")
    factories.VisitMemberFactory(visit=visit, full_name="Trần Thị Bình")

    response = admin_client.get(admin_url(DelegationVisit, "changelist", query="?q=An"))

    rows = list(response.context["cl"].result_list)
    assert rows == [visit]
    assert rows[0].number_of_members == 2


def test_visit_found_through_two_members_is_listed_once_with_both_counted(
    admin_client,
):
    visit = factories.DelegationVisitFactory()
    factories.VisitMemberFactory(visit=visit, full_name="Nguyễn Văn An")
    factories.VisitMemberFactory(visit=visit, full_name="Nguyễn Thị Bình")

    response = admin_client.get(
        admin_url(DelegationVisit, "changelist", query="?q=Nguyễn")
    )

    rows = list(response.context["cl"].result_list)
    assert rows == [visit]
    assert rows[0].number_of_members == 2


def test_programme_filtered_by_one_of_its_districts_keeps_its_package_total(
    admin_client,
):
    first, second = factories.DistrictFactory(), factories.DistrictFactory()
    programme = factories.JointProgramFactory(districts=[first, second])
    factories.GiftDistributionFactory(program=programme, packages=50)
    factories.GiftDistributionFactory(program=programme, packages=70)

    response = admin_client.get(
        admin_url(JointProgram, "changelist", query=f"?districts__id__exact={first.pk}")
    )

    [row] = response.context["cl"].result_list
    assert row.total_packages == 120


def test_programme_search_by_title_finds_the_programme(admin_client):
    wanted = factories.JointProgramFactory(title_en="Bicycles for Sanxay students")
    factories.JointProgramFactory(title_en="Medical check-ups")

    response = admin_client.get(
        admin_url(JointProgram, "changelist", query="?q=Sanxay")
    )

    assert list(response.context["cl"].result_list) == [wanted]


# Computed totals on change pages


def test_programme_change_page_shows_the_totals_of_its_distributions(admin_client):
    programme = factories.JointProgramFactory()
    factories.GiftDistributionFactory(program=programme, packages=50, people_reached=60)
    factories.GiftDistributionFactory(
        program=programme, packages=70, people_reached=None
    )
    factories.GiftDistributionFactory(
        program=programme,
        packages=5,
        people_reached=5,
        currency="USD",
        total_value=Decimal("1234.50"),
    )

    response = admin_client.get(admin_url(JointProgram, "change", programme.pk))

    content = response.content.decode()
    assert "<div>distributions: 3</div>" in content
    assert "<div>packages: 125</div>" in content
    assert "<div>people reached: 65</div>" in content
    # Two currencies are never added together; VND is shown without minor units.
    assert "<div>value: 1,234.50\u00a0USD</div>" in content
    assert "<div>value: 180,000,000\u00a0VND</div>" in content


def test_programme_add_page_shows_a_dash_for_the_totals(admin_client):
    response = admin_client.get(admin_url(JointProgram, "add"))
    assert response.status_code == 200
    assert "<div>packages:" not in response.content.decode()


def test_distribution_change_page_lists_its_items_and_the_value_of_priced_ones(
    admin_client,
):
    distribution = factories.GiftDistributionFactory()
    bicycle = factories.ItemKindFactory(code="bicycle", name_en="Bicycle")
    sweets = factories.ItemKindFactory(code="sweets", name_en="Sweets")
    factories.DistributionItemFactory(
        distribution=distribution,
        item_kind=bicycle,
        quantity=10,
        unit_value=Decimal("1500000"),
    )
    factories.DistributionItemFactory(
        distribution=distribution, item_kind=sweets, quantity=None, unit_value=None
    )

    response = admin_client.get(admin_url(GiftDistribution, "change", distribution.pk))

    content = response.content.decode()
    assert "<div>10 × Bicycle </div>" in content
    assert "<div>Sweets </div>" in content
    assert "<div>value of priced items 15,000,000\u00a0VND</div>" in content


def test_distribution_without_items_says_none_is_recorded(admin_client):
    distribution = factories.GiftDistributionFactory()
    response = admin_client.get(admin_url(GiftDistribution, "change", distribution.pk))
    assert "No item recorded yet." in response.content.decode()


def test_agreement_change_page_counts_its_records(admin_client):
    agreement = factories.AgreementFactory()
    factories.DelegationVisitFactory.create_batch(2, agreement=agreement)
    factories.InformationExchangeFactory(agreement=agreement)
    factories.JointProgramFactory.create_batch(3, agreement=agreement)
    factories.JointProgramFactory()  # another agreement's programme

    response = admin_client.get(admin_url(Agreement, "change", agreement.pk))

    assert (
        "2 visits, 1 information exchanges, 3 programmes" in response.content.decode()
    )


# Bulk publish and unpublish


def action_post(client, model, action, rows):
    return client.post(
        admin_url(model, "changelist"),
        {
            "action": action,
            "_selected_action": [row.pk for row in rows],
            "index": "0",
            "select_across": "0",
        },
        follow=True,
    )


def success_messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("model", PUBLISHABLE_MODELS, ids=label)
def test_publish_action_publishes_only_the_selected_rows(admin_client, model):
    first, second, untouched = (row_create(model) for _ in range(3))
    model.objects.update(is_published=False)

    response = action_post(admin_client, model, "publish", [first, second])

    assert response.status_code == 200
    published = set(
        model.objects.filter(is_published=True).values_list("pk", flat=True)
    )
    assert published == {first.pk, second.pk}
    assert "2 records published." in success_messages(response)


@pytest.mark.parametrize("model", PUBLISHABLE_MODELS, ids=label)
def test_unpublish_action_counts_only_rows_that_changed(admin_client, model):
    published, already_hidden = row_create(model), row_create(model)
    model.objects.filter(pk=published.pk).update(is_published=True)
    model.objects.filter(pk=already_hidden.pk).update(is_published=False)

    response = action_post(
        admin_client, model, "unpublish", [published, already_hidden]
    )

    assert not model.objects.filter(is_published=True).exists()
    assert "1 record unpublished." in success_messages(response)


@pytest.mark.parametrize("model", [DelegationVisit, JointProgram, GiftDistribution])
def test_data_entry_can_publish(data_entry_client, model):
    row = row_create(model)
    model.objects.update(is_published=False)

    response = action_post(data_entry_client, model, "publish", [row])

    assert model.objects.get(pk=row.pk).is_published
    assert "1 record published." in success_messages(response)


@pytest.mark.parametrize("model", PUBLISHABLE_MODELS, ids=label)
def test_viewer_is_not_offered_the_publish_actions_and_cannot_run_them(
    viewer_client, model
):
    row = row_create(model)
    model.objects.update(is_published=False)

    changelist = viewer_client.get(admin_url(model, "changelist"))
    action_form = changelist.context["action_form"]
    offered = (
        {name for name, _label in action_form.fields["action"].choices}
        if action_form
        else set()
    )
    response = action_post(viewer_client, model, "publish", [row])

    assert changelist.status_code == 200
    assert not offered & {"publish", "unpublish"}
    assert response.status_code in (200, 403)
    assert not model.objects.get(pk=row.pk).is_published
    assert not any("published" in text for text in success_messages(response))


# Autocomplete of districts


def autocomplete(client, app_label, model_name, field_name, term):
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": app_label,
            "model_name": model_name,
            "field_name": field_name,
            "term": term,
        },
    )
    assert response.status_code == 200
    return {int(result["id"]) for result in response.json()["results"]}


@pytest.fixture
def sanxay_areas():
    """A country, province, district and commune that all match the term "Sanxay"."""
    country = factories.CountryFactory(name_en="Sanxay Republic")
    province = factories.ProvinceFactory(parent=country, name_en="Sanxay Province")
    district = factories.DistrictFactory(parent=province, name_en="Sanxay")
    # Vietnam since 2025: communes directly inside the province.
    commune = factories.DistrictFactory(
        parent=province, level=Area.Level.COMMUNE, name_en="Sanxay Commune"
    )
    factories.DistrictFactory(name_en="Phouvong")
    return {
        "country": country,
        "province": province,
        "district": district,
        "commune": commune,
    }


@pytest.mark.parametrize(
    ("app_label", "model_name"),
    [("programs", "jointprogram"), ("programs", "giftdistribution")],
)
def test_district_autocomplete_offers_districts_and_communes_only(
    admin_client, sanxay_areas, app_label, model_name
):
    found = autocomplete(admin_client, app_label, model_name, "districts", "Sanxay")
    assert found == {sanxay_areas["district"].pk, sanxay_areas["commune"].pk}


def test_country_autocomplete_of_an_organisation_offers_countries_only(
    admin_client, sanxay_areas
):
    found = autocomplete(
        admin_client, "cooperation", "organisation", "country", "Sanxay"
    )
    assert found == {sanxay_areas["country"].pk}


def test_district_autocomplete_answers_data_entry_staff(
    data_entry_client, sanxay_areas
):
    found = autocomplete(
        data_entry_client, "programs", "jointprogram", "districts", "Sanxay"
    )
    assert sanxay_areas["district"].pk in found


def test_autocomplete_result_text_is_the_area_name(admin_client, sanxay_areas):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "programs",
            "model_name": "jointprogram",
            "field_name": "districts",
            "term": "Sanxay Commune",
        },
    )
    assert [result["text"] for result in response.json()["results"]] == [
        "Sanxay Commune"
    ]


def test_registered_models_cover_the_three_apps():
    labels = {model._meta.app_label for model in REGISTERED_MODELS}
    assert labels == set(RECORD_APPS)
    assert {DelegationVisit, JointProgram, GiftDistribution} <= set(DATED_MODELS)
    assert {DelegationVisit, JointProgram, GiftDistribution} <= set(PUBLISHABLE_MODELS)


def test_every_registered_model_has_a_factory():
    missing = [
        label(model) for model in REGISTERED_MODELS if model not in FACTORY_FOR_MODEL
    ]
    assert not missing, f"add <Model>Factory to tests/factories.py for {missing}"


def test_change_page_of_a_missing_row_redirects_with_a_message(admin_client):
    response = admin_client.get(admin_url(JointProgram, "change", 999999))
    assert response.status_code == 302
    assert re.search(r"/admin/$", response.url)
