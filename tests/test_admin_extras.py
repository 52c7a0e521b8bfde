"""Small admin conveniences: view a record on the site, start from a copy."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from exchanges.models import DelegationVisit
from tests.factories import DelegationVisitFactory, GiftDistributionFactory

pytestmark = pytest.mark.django_db


def test_view_on_site_leads_from_a_distribution_to_its_public_year_page(admin_client):
    distribution = GiftDistributionFactory()
    programme = distribution.program
    content_type = ContentType.objects.get_for_model(distribution)
    response = admin_client.get(
        reverse("admin:view_on_site", args=[content_type.pk, distribution.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == "http://testserver" + reverse(
        "reporting:agreement_year",
        kwargs={"slug": programme.agreement.slug, "year": programme.year},
    )


def test_a_visit_can_be_saved_as_a_new_copy(admin_client):
    visit = DelegationVisitFactory()
    url = reverse("admin:exchanges_delegationvisit_change", args=[visit.pk])
    assert 'name="_saveasnew"' in admin_client.get(url).content.decode()
    assert DelegationVisit.objects.count() == 1
