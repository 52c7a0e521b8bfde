"""Searching agreements in the admin: the running one first.

"2022" is in the title of the 2019–2022 memorandum that ended and of the 2022–2027
one in force; a clerk who types it means the one in force, in the list and in the
box that picks an agreement on a visit or a programme.
"""

import datetime

import pytest
from django.apps import apps
from django.urls import reverse

from cooperation.models import Agreement
from cooperation.staff_groups import staff_groups_sync
from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db

# A day inside the 2022–2027 agreement and after the 2019–2022 one.
TODAY = datetime.date(2024, 6, 1)


@pytest.fixture(autouse=True)
def _staff_groups():
    """The clerk's group comes from a migration; a transaction test that ran
    before on the same worker may have emptied it (as tests/test_history.py)."""
    staff_groups_sync(apps)


@pytest.fixture
def agreements(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: TODAY)
    # Made in the order a wrong answer would give: the ended one first by id and
    # by slug, the example beside the real one.
    ended = AgreementFactory(
        slug="a-kontum-attapeu-2019-2022",
        title_en="Cooperation between Kon Tum and Attapeu, 2019–2022",
        status=Agreement.Status.ENDED,
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2022, 12, 31),
    )
    example = AgreementFactory(
        slug="b-example-2022-2027",
        title_en="[Example] Made-up cooperation agreement, 2022–2027",
        is_example=True,
    )
    running = AgreementFactory(
        slug="c-kontum-attapeu-2022-2027",
        title_en="Memorandum of Understanding, 2022–2027",
    )
    AgreementFactory(
        slug="later",
        title_en="A later agreement, 2030–2035",
        status=Agreement.Status.DRAFT,
        start_date=datetime.date(2030, 1, 1),
        end_date=datetime.date(2035, 12, 31),
    )
    return running, example, ended


def test_searching_a_year_lists_the_running_agreement_before_the_ended_one(
    admin_client, agreements
):
    response = admin_client.get(
        reverse("admin:cooperation_agreement_changelist"), {"q": "2022"}
    )

    assert list(response.context["cl"].result_list) == list(agreements)


def test_agreement_list_without_a_search_also_starts_with_the_running_one(
    admin_client, agreements
):
    response = admin_client.get(reverse("admin:cooperation_agreement_changelist"))

    running, example, ended = agreements
    shown = list(response.context["cl"].result_list)
    assert shown[:2] == [running, example]
    assert shown.index(ended) > 1


@pytest.mark.parametrize(
    "source",
    [
        {"app_label": "programs", "model_name": "jointprogram"},
        {"app_label": "exchanges", "model_name": "delegationvisit"},
        {"app_label": "exchanges", "model_name": "informationexchange"},
    ],
    ids=["programme", "visit", "information exchange"],
)
def test_the_agreement_box_of_a_form_offers_the_running_agreement_first(
    data_entry_client, agreements, source
):
    response = data_entry_client.get(
        reverse("admin:autocomplete"),
        {"term": "2022", "field_name": "agreement", **source},
    )

    assert response.status_code == 200
    offered = [result["id"] for result in response.json()["results"]]
    assert offered == [str(agreement.pk) for agreement in agreements]


def test_a_clerk_can_still_sort_the_agreements_by_period(admin_client, agreements):
    period_column = 2  # after the action checkbox, "title"
    response = admin_client.get(
        reverse("admin:cooperation_agreement_changelist"),
        {"q": "2022", "o": str(period_column)},
    )

    running, example, ended = agreements
    assert list(response.context["cl"].result_list)[0] == ended
