import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict

from cooperation.models import Agreement, Area, Commitment
from exchanges.models import DelegationVisit, InformationExchange, VisitMember
from programs.models import GiftDistribution, JointProgram
from reporting.demo import (
    AGREEMENT_SLUG,
    EXAMPLE_AGREEMENT_SLUG,
    PREDECESSOR_SLUG,
    demo_load,
)
from tests.factories import (
    DelegationVisitFactory,
    DistributionItemFactory,
    GiftDistributionFactory,
    InformationExchangeFactory,
    JointProgramFactory,
    VisitMemberFactory,
)

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
    assert all(
        programme.title_en.startswith("[Example]")
        for programme in JointProgram.objects.filter(is_example=True)
    )


def test_examples_live_on_their_own_made_up_agreement_only():
    demo_load(examples=True)
    real = Agreement.objects.filter(slug__in=[AGREEMENT_SLUG, PREDECESSOR_SLUG])
    example = Agreement.objects.get(slug=EXAMPLE_AGREEMENT_SLUG)
    assert example.is_example and not any(a.is_example for a in real)
    for model in (DelegationVisit, InformationExchange, JointProgram):
        assert not model.objects.filter(agreement__in=real, is_example=True).exists()
        # Everything on the example agreement is flagged too.
        assert not model.objects.filter(agreement=example, is_example=False).exists()
    assert not GiftDistribution.objects.filter(
        program__agreement__in=real, is_example=True
    ).exists()
    # The real memorandum holds the source's records and nothing else.
    memorandum = real.get(slug=AGREEMENT_SLUG)
    assert memorandum.visits.count() == 1
    assert memorandum.programs.count() == 1
    assert not memorandum.information_exchanges.exists()
    assert GiftDistribution.objects.filter(program__agreement=memorandum).count() == 1


def test_the_example_agreement_says_it_is_made_up_in_each_language():
    demo_load(examples=True)
    example = Agreement.objects.get(slug=EXAMPLE_AGREEMENT_SLUG)
    assert example.title_en.startswith("[Example] Made-up")
    assert example.title_vi.startswith("[Ví dụ]") and "không có thật" in (
        example.title_vi
    )
    assert example.title_lo.startswith("[ຕົວຢ່າງ]") and "ບໍ່ແມ່ນຂໍ້ມູນຈິງ" in (example.title_lo)
    assert example.predecessor is None


def test_the_example_parties_and_places_are_fictional_not_real_branches():
    demo_load(examples=True)
    example = Agreement.objects.get(slug=EXAMPLE_AGREEMENT_SLUG)
    memorandum = Agreement.objects.get(slug=AGREEMENT_SLUG)
    parties = list(example.parties.all())
    assert len(parties) == 2
    assert not set(parties) & set(memorandum.parties.all())
    for organisation in parties:
        assert "(fictional)" in organisation.name_en
        assert "(hư cấu)" in organisation.name_vi
        assert "(ສົມມຸດ)" in organisation.name_lo
        assert organisation.parent is None  # claims no real national society
        assert "(fictional)" in organisation.home_area.name_en
    areas = {
        area
        for model in (JointProgram, GiftDistribution)
        for record in model.objects.filter(is_example=True)
        for area in record.districts.all()
    } | {visit.area for visit in DelegationVisit.objects.filter(is_example=True)}
    assert areas and all("(fictional)" in area.name_en for area in areas)


def test_the_example_agreement_copies_the_commitment_structure_not_the_text():
    demo_load(examples=True)

    def structure(slug):
        return list(
            Commitment.objects.filter(agreement__slug=slug)
            .order_by("ordinal")
            .values_list(
                "ordinal",
                "kind",
                "yearly_target_min",
                "yearly_target_max",
                "host_rotation",
            )
        )

    assert structure(EXAMPLE_AGREEMENT_SLUG) == structure(AGREEMENT_SLUG)
    real_texts = set(
        Commitment.objects.filter(agreement__slug=AGREEMENT_SLUG).values_list(
            "text_en", flat=True
        )
    )
    for commitment in Commitment.objects.filter(agreement__slug=EXAMPLE_AGREEMENT_SLUG):
        assert commitment.text_en.startswith("[Example] ")
        assert commitment.text_vi.startswith("[Ví dụ] ")
        assert commitment.text_en not in real_texts


def test_every_example_distribution_is_worth_the_sum_of_its_priced_items():
    # Once, 2024's items added up to ₫104,500,000 under a value of ₫190,000,000.
    demo_load(examples=True)
    distributions = GiftDistribution.objects.filter(
        program__agreement__slug=EXAMPLE_AGREEMENT_SLUG
    )
    assert distributions.count() == 5
    for distribution in distributions:
        items = list(distribution.items.all())
        assert items and all(
            item.quantity is not None and item.unit_value is not None for item in items
        )
        assert distribution.total_value == sum(
            item.quantity * item.unit_value for item in items
        ), distribution
        assert distribution.currency == distribution.program.currency


def stale_examples(agreement):
    """Example records as an earlier demo left them on the real memorandum."""
    kon_tum, attapeu = [p.organisation for p in agreement.party_signatures.all()]
    visit = DelegationVisitFactory(
        agreement=agreement,
        sending_party=attapeu,
        host_party=kon_tum,
        start_date=datetime.date(2023, 10, 10),
        is_example=True,
    )
    VisitMemberFactory(visit=visit)
    programme = JointProgramFactory(
        agreement=agreement, year=2023, lead_organisation=kon_tum, is_example=True
    )
    distribution = GiftDistributionFactory(program=programme, is_example=True)
    DistributionItemFactory(distribution=distribution)
    InformationExchangeFactory(
        agreement=agreement,
        year_covered=2022,
        from_party=kon_tum,
        to_party=attapeu,
        exchanged_on=datetime.date(2022, 12, 15),
        is_example=True,
    )


def test_load_demo_removes_example_records_left_on_the_real_memorandum():
    demo_load()
    memorandum = Agreement.objects.get(slug=AGREEMENT_SLUG)
    stale_examples(memorandum)
    output = io.StringIO()
    call_command("load_demo", "--examples", stdout=output)
    # A visit, a programme, its distribution and an information exchange; the
    # visit's member and the distribution's item go with them.
    assert (
        "Removed 4 example records from the real agreements (1 gift distribution, "
        "1 joint programme, 1 delegation visit, 1 information exchange)"
    ) in output.getvalue()
    for model in (DelegationVisit, InformationExchange, JointProgram):
        assert not model.objects.filter(agreement=memorandum, is_example=True)
    assert not GiftDistribution.objects.filter(
        program__agreement=memorandum, is_example=True
    )
    assert not VisitMember.objects.filter(visit__agreement=memorandum).exists()
    assert memorandum.visits.get().start_date == datetime.date(2022, 9, 28)
    # Nothing left to remove the second time.
    output = io.StringIO()
    call_command("load_demo", "--examples", stdout=output)
    assert "Removed" not in output.getvalue()


def test_removing_examples_never_touches_a_real_record():
    demo_load()
    memorandum = Agreement.objects.get(slug=AGREEMENT_SLUG)
    kon_tum = memorandum.party_signatures.first().organisation
    # A staff member's real records: a programme during an example visit, and a
    # real distribution under an example programme.
    example_visit = DelegationVisitFactory(
        agreement=memorandum,
        start_date=datetime.date(2024, 3, 1),
        is_example=True,
    )
    real_programme = JointProgramFactory(
        agreement=memorandum, year=2024, lead_organisation=kon_tum, visit=example_visit
    )
    example_programme = JointProgramFactory(
        agreement=memorandum, year=2024, lead_organisation=kon_tum, is_example=True
    )
    real_distribution = GiftDistributionFactory(program=example_programme)
    before = {
        record._meta.label: model_to_dict(record)
        for record in (real_programme, real_distribution)
    }
    report = demo_load()
    assert set(report.kept) == {example_visit, example_programme}
    assert report.removed == []
    for record in (real_programme, real_distribution):
        record.refresh_from_db()
        assert model_to_dict(record) == before[record._meta.label]
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    assert "Kept 2 example records on the real agreements" in output.getvalue()
