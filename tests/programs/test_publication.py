"""A distribution is published with its programme unless the clerk withholds it.

Its own box is ticked by default; what the public sees is a distribution whose box
is ticked *and* whose programme is published (`GiftDistribution.objects.published`).
So a clerk who publishes a programme publishes the gifts entered with it, one
unticked box withholds a single distribution, and an unpublished programme hides
them all, on the year page and in the downloaded reports alike.
"""

import csv
import datetime
import io

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from programs.models import GiftDistribution, JointProgram
from tests.admin_forms import admin_change_url
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    DistrictFactory,
    JointProgramFactory,
)

pytestmark = pytest.mark.django_db

SHOWN_PACKAGES = 777
WITHHELD_PACKAGES = 333


def year_page(client, programme):
    url = reverse(
        "reporting:agreement_year",
        kwargs={"slug": programme.agreement.slug, "year": programme.year},
    )
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def report_packages(client, programme):
    """The packages of each distribution row of the public CSV report."""
    url = reverse(
        "reporting:agreement_report",
        kwargs={
            "slug": programme.agreement.slug,
            "year": programme.year,
            "file_format": "csv",
        },
    )
    response = client.get(url)
    assert response.status_code == 200
    rows = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    return sorted(
        int(row["packages"]) for row in rows if row["record type"] == "distribution"
    )


def distribution_entered(programme, packages, **fields):
    """A distribution as a clerk enters it: its publication box left as it comes."""
    distribution = GiftDistribution.objects.create(
        program=programme,
        start_date=datetime.date(programme.year, 9, 28),
        recipient_group=GiftDistribution.RecipientGroup.STUDENTS,
        packages=packages,
        **fields,
    )
    distribution.districts.set([DistrictFactory()])
    return distribution


def publish(client, programme, action):
    response = client.post(
        reverse("admin:programs_jointprogram_changelist"),
        {"action": action, helpers.ACTION_CHECKBOX_NAME: [programme.pk]},
    )
    assert response.status_code == 302


@pytest.fixture
def draft_programme(db):
    agreement = AgreementFactory()
    CommitmentFactory(agreement=agreement)
    return JointProgramFactory(agreement=agreement, is_published=False)


def test_a_new_distribution_is_ticked_published_with_its_programme(
    admin_client, draft_programme
):
    field = GiftDistribution._meta.get_field("is_published")
    assert field.default is True
    assert str(field.verbose_name) == "published with its programme"
    # The programme's form offers a new distribution with the box ticked.
    response = admin_client.get(admin_change_url(draft_programme))
    (distributions,) = [
        formset
        for formset in response.context["inline_admin_formsets"]
        if formset.formset.model is GiftDistribution
    ]
    empty = distributions.formset.empty_form
    assert empty["is_published"].value() is True
    html = response.content.decode()
    assert "Untick to keep this distribution off public pages" in html
    # The programme's own box says what publishing it does to them.
    assert "Its distributions are published with it" in html


def test_publishing_the_programme_publishes_its_distributions_but_not_a_withheld_one(
    client, admin_client, draft_programme
):
    distribution_entered(draft_programme, SHOWN_PACKAGES)
    distribution_entered(draft_programme, WITHHELD_PACKAGES, is_published=False)
    html = year_page(client, draft_programme)
    assert str(SHOWN_PACKAGES) not in html
    assert report_packages(client, draft_programme) == []

    publish(admin_client, draft_programme, "publish")

    draft_programme.refresh_from_db()
    assert draft_programme.is_published
    html = year_page(client, draft_programme)
    assert str(SHOWN_PACKAGES) in html
    assert str(WITHHELD_PACKAGES) not in html
    assert report_packages(client, draft_programme) == [SHOWN_PACKAGES]
    # Publishing the programme wrote nothing to its distributions.
    assert sorted(GiftDistribution.objects.values_list("packages", "is_published")) == [
        (WITHHELD_PACKAGES, False),
        (SHOWN_PACKAGES, True),
    ]


def test_unpublishing_the_programme_hides_all_its_distributions(client, admin_client):
    agreement = AgreementFactory()
    CommitmentFactory(agreement=agreement)
    programme = JointProgramFactory(agreement=agreement)
    distribution_entered(programme, SHOWN_PACKAGES)
    assert str(SHOWN_PACKAGES) in year_page(client, programme)
    assert report_packages(client, programme) == [SHOWN_PACKAGES]

    publish(admin_client, programme, "unpublish")

    assert not JointProgram.objects.get(pk=programme.pk).is_published
    assert str(SHOWN_PACKAGES) not in year_page(client, programme)
    assert report_packages(client, programme) == []
    assert GiftDistribution.objects.published().count() == 0
    assert GiftDistribution.objects.get().is_published
