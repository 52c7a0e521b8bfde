from decimal import Decimal

import pytest
from django.core.management import call_command

from cooperation.models import Agreement, Area, Commitment
from exchanges.models import DelegationVisit
from programs.models import GiftDistribution
from reporting.demo import AGREEMENT_SLUG, PREDECESSOR_SLUG, demo_load

pytestmark = pytest.mark.django_db


def snapshot():
    """Every row of every demo model, with its timestamps, to compare two loads."""
    from django.apps import apps

    rows = {}
    for label in ("cooperation", "exchanges", "programs"):
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = sorted(
                map(repr, model.objects.order_by("pk").values())
            )
    return rows


def test_loading_twice_changes_nothing():
    call_command("load_demo", "--examples")
    first = snapshot()
    report = demo_load(examples=True)
    assert report.created == [] and report.updated == []
    assert snapshot() == first


def test_demo_agreement_is_the_2022_2027_memorandum_with_six_commitments_in_order():
    demo_load()
    agreement = Agreement.objects.get(slug=AGREEMENT_SLUG)
    assert (agreement.start_date.year, agreement.end_date.year) == (2022, 2027)
    assert agreement.predecessor.slug == PREDECESSOR_SLUG
    assert [p.organisation.name_en for p in agreement.party_signatures.all()] == [
        "Kon Tum Provincial Red Cross Society",
        "Attapeu Provincial Red Cross",
    ]
    commitments = list(agreement.commitments.order_by("ordinal"))
    assert [
        (c.kind, c.yearly_target_min, c.yearly_target_max) for c in commitments
    ] == [
        (Commitment.Kind.YEARLY_EXCHANGE, 1, 1),
        (Commitment.Kind.VISITS_ON_REQUEST, None, None),
        (Commitment.Kind.INFORMATION_SHARING, None, None),
        (Commitment.Kind.JOINT_PROGRAMMES, 1, 2),
        (Commitment.Kind.DISEASE_PREVENTION, None, None),
        (Commitment.Kind.RESULTS_EXCHANGE, 1, 1),
    ]
    assert commitments[0].host_rotation


def test_demo_states_only_what_the_article_states():
    demo_load()
    agreement = Agreement.objects.get(slug=AGREEMENT_SLUG)
    assert agreement.signed_on is None
    assert all(not p.signatory_name for p in agreement.party_signatures.all())
    visit = DelegationVisit.objects.get(agreement=agreement)
    assert (visit.start_date.isoformat(), visit.end_date.isoformat()) == (
        "2022-09-28",
        "2022-09-30",
    )
    assert visit.host_party.name_en == "Attapeu Provincial Red Cross"
    assert visit.members.count() == 0
    distribution = GiftDistribution.objects.get(program__agreement=agreement)
    assert distribution.packages == 150
    assert distribution.total_value == Decimal("270000000")
    assert distribution.value_is_approximate
    # One total for both districts: no invented split, no invented item quantities.
    assert sorted(d.name_en for d in distribution.districts.all()) == [
        "Phouvong",
        "Sanxay",
    ]
    assert all(item.quantity is None for item in distribution.items.all())
    assert sorted(distribution.items.values_list("item_kind__code", flat=True)) == [
        "bicycle",
        "milk",
        "school-backpack",
        "school-supplies",
        "sweets",
    ]
    photo = distribution.program.attachments.get()
    assert photo.credit == "Hoàng Minh/redcross.org.vn"
    assert not any(
        record.is_example for record in [visit, distribution, distribution.program]
    )


def test_kon_tum_is_succeeded_by_the_merged_province_but_the_branch_is_not():
    demo_load()
    kon_tum = Area.objects.get(iso_code="VN-28")
    assert kon_tum.valid_until.isoformat() == "2025-06-30"
    assert kon_tum.successor.name_vi == "tỉnh Quảng Ngãi"
    branch = kon_tum.organisations.get()
    assert branch.successor is None and branch.valid_until is None


def test_example_records_are_flagged_and_say_so():
    demo_load(examples=True)
    examples = DelegationVisit.objects.filter(is_example=True)
    assert examples.exists()
    assert all(visit.place.startswith("[Example]") for visit in examples)
    assert not DelegationVisit.objects.filter(start_date__year=2022, is_example=True)
