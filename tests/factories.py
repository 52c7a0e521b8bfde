"""One factory per model. Defaults build a valid record inside a two-party agreement."""

import datetime
from decimal import Decimal

import factory
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cooperation.models import (
    Agreement,
    AgreementParty,
    Area,
    Commitment,
    ExchangeRate,
    Organisation,
    StaffMembership,
    YearConfirmation,
)
from cooperation.staff_groups import staff_groups_sync
from exchanges.models import (
    DelegationVisit,
    InformationExchange,
    VisitAttachment,
    VisitMember,
)
from programs.models import (
    DistributionAttachment,
    DistributionItem,
    GiftDistribution,
    ItemKind,
    JointProgram,
    ProgramAttachment,
    Recipient,
    Sex,
)


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    level = Area.Level.COUNTRY
    name_en = factory.Sequence(lambda n: f"Country {n}")
    iso_code = factory.Sequence(lambda n: f"C{n}")


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    level = Area.Level.PROVINCE
    parent = factory.SubFactory(CountryFactory)
    name_en = factory.Sequence(lambda n: f"Province {n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    level = Area.Level.DISTRICT
    parent = factory.SubFactory(ProvinceFactory)
    name_en = factory.Sequence(lambda n: f"District {n}")
    pcode = factory.Sequence(lambda n: f"XX{n:05d}")


AreaFactory = DistrictFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.PROVINCIAL_BRANCH
    name_en = factory.Sequence(lambda n: f"Provincial Red Cross {n}")
    name_vi = factory.LazyAttribute(lambda o: f"Hội Chữ thập đỏ {o.name_en}")
    acronym = factory.Sequence(lambda n: f"PRC{n}")
    home_area = factory.SubFactory(ProvinceFactory)
    country = factory.LazyAttribute(lambda o: o.home_area.parent)


def succeeded(record, *, on, successor=None, **fields):
    """`record` (an Organisation or an Area) ends the day before `on`, succeeded
    from `on` by `successor`, or by a new organisation made with `fields`."""
    if successor is None:
        successor = OrganisationFactory(valid_from=on, **fields)
    record.valid_until = on - datetime.timedelta(days=1)
    record.successor = successor
    record.save(update_fields=["valid_until", "successor"])
    return successor


HOME_BRANCH_ACRONYM = "HOME"


def home_branch():
    """The branch the suite's clerk and viewer work for (tests/conftest.py): the
    first party of every default agreement, so the records the factories make by
    default (sent, led, confirmed by the first party) are the clerk's own."""
    branch = Organisation.objects.filter(acronym=HOME_BRANCH_ACRONYM).first()
    if branch is None:
        branch = OrganisationFactory(
            acronym=HOME_BRANCH_ACRONYM, name_en="Home Provincial Red Cross"
        )
    return branch


class AgreementFactory(factory.django.DjangoModelFactory):
    """An agreement for 2022–2027 between the home branch and a new one (pass
    `parties=[...]` for others)."""

    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"agreement-{n}")
    title_en = factory.Sequence(lambda n: f"Cooperation agreement {n}")
    title_vi = factory.LazyAttribute(lambda o: f"Biên bản ghi nhớ {o.title_en}")
    status = Agreement.Status.IN_FORCE
    start_date = datetime.date(2022, 1, 1)
    end_date = datetime.date(2027, 12, 31)

    @factory.post_generation
    def parties(self, create, extracted, **kwargs):
        if not create:
            return
        organisations = extracted
        if organisations is None:
            organisations = [home_branch(), OrganisationFactory()]
        for order, organisation in enumerate(organisations, start=1):
            AgreementParty.objects.create(
                agreement=self, organisation=organisation, order=order
            )


class AgreementPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementParty

    agreement = factory.SubFactory(AgreementFactory, parties=[])
    organisation = factory.SubFactory(OrganisationFactory)
    signatory_name = "Signatory Name"
    signatory_title = "Chair"


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    agreement = factory.SubFactory(AgreementFactory)
    ordinal = factory.Sequence(lambda n: n + 1)
    kind = Commitment.Kind.JOINT_PROGRAMMES
    text_en = "Organise 1 to 2 humanitarian programmes a year."
    yearly_target_min = 1
    yearly_target_max = 2

    class Params:
        qualitative = factory.Trait(
            kind=Commitment.Kind.DISEASE_PREVENTION,
            yearly_target_min=None,
            yearly_target_max=None,
        )
        yearly_exchange = factory.Trait(
            kind=Commitment.Kind.YEARLY_EXCHANGE,
            yearly_target_min=1,
            yearly_target_max=1,
            host_rotation=True,
        )


def _party(agreement, index):
    return agreement.party_signatures.order_by("order", "pk")[index].organisation


class DelegationVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DelegationVisit

    agreement = factory.SubFactory(AgreementFactory)
    kind = DelegationVisit.Kind.YEARLY_EXCHANGE
    sending_party = factory.LazyAttribute(lambda o: _party(o.agreement, 0))
    host_party = factory.LazyAttribute(lambda o: _party(o.agreement, 1))
    start_date = datetime.date(2022, 9, 28)
    end_date = factory.LazyAttribute(
        lambda o: o.start_date + datetime.timedelta(days=2)
    )
    place = "Provincial capital"
    is_published = True


class VisitMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitMember

    visit = factory.SubFactory(DelegationVisitFactory)
    full_name = factory.Sequence(lambda n: f"Official {n}")
    title = "Vice-chair"
    organisation = factory.LazyAttribute(lambda o: o.visit.sending_party)


class VisitAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitAttachment

    visit = factory.SubFactory(DelegationVisitFactory)
    caption = "The delegations meet"
    credit = "Photographer/redcross.org.vn"
    is_published = True


class InformationExchangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InformationExchange

    agreement = factory.SubFactory(AgreementFactory)
    year_covered = 2022
    from_party = factory.LazyAttribute(lambda o: _party(o.agreement, 0))
    to_party = factory.LazyAttribute(lambda o: _party(o.agreement, 1))
    exchanged_on = factory.LazyAttribute(
        lambda o: datetime.date(o.year_covered, 12, 15)
    )
    covers_results = True
    covers_next_year_plan = True
    planned_visits = 1
    planned_programmes = 2
    is_published = True


class ItemKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItemKind
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"item-{n}")
    name_en = factory.LazyAttribute(lambda o: o.code.replace("-", " ").title())
    unit = ItemKind.Unit.PIECE


class JointProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JointProgram
        skip_postgeneration_save = True

    agreement = factory.SubFactory(AgreementFactory)
    year = 2022
    title_en = factory.Sequence(lambda n: f"Joint programme {n}")
    includes_gifts = True
    start_date = factory.LazyAttribute(lambda o: datetime.date(o.year, 9, 28))
    lead_organisation = factory.LazyAttribute(lambda o: _party(o.agreement, 0))
    currency = "VND"
    status = JointProgram.Status.COMPLETED
    is_published = True

    @factory.post_generation
    def districts(self, create, extracted, **kwargs):
        if create and extracted:
            self.districts.set(extracted)

    class Params:
        completed = factory.Trait(status=JointProgram.Status.COMPLETED)
        planned = factory.Trait(status=JointProgram.Status.PLANNED, start_date=None)


class GiftDistributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GiftDistribution
        skip_postgeneration_save = True

    program = factory.SubFactory(JointProgramFactory)
    start_date = factory.LazyAttribute(
        lambda o: o.program.start_date or datetime.date(o.program.year, 6, 1)
    )
    recipient_group = GiftDistribution.RecipientGroup.STUDENTS
    packages = 50
    people_reached = 50
    currency = "VND"
    total_value = Decimal("90000000")
    is_published = True

    @factory.post_generation
    def districts(self, create, extracted, **kwargs):
        if not create:
            return
        self.districts.set(extracted if extracted is not None else [DistrictFactory()])


class DistributionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DistributionItem

    distribution = factory.SubFactory(GiftDistributionFactory)
    item_kind = factory.SubFactory(ItemKindFactory)
    quantity = 10
    unit_value = Decimal("150000")


class RecipientFactory(factory.django.DjangoModelFactory):
    """A pupil on a distribution's list; made-up names only (they are personal
    data in real use)."""

    class Meta:
        model = Recipient

    distribution = factory.SubFactory(GiftDistributionFactory)
    list_number = factory.Sequence(lambda n: n + 1)
    full_name = factory.Sequence(lambda n: f"Made-up Pupil {n}")
    sex = Sex.FEMALE
    birth_year = factory.LazyAttribute(lambda o: o.distribution.start_date.year - 10)
    school_or_village = "Made-up Primary School"


class ProgramAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramAttachment

    program = factory.SubFactory(JointProgramFactory)
    caption = "Gifts handed over"
    credit = "Photographer/redcross.org.vn"
    is_published = True


class DistributionAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DistributionAttachment

    distribution = factory.SubFactory(GiftDistributionFactory)
    caption = "Students receive bicycles"
    credit = "Photographer/redcross.org.vn"
    is_published = True


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    """A yearly VND rate per US dollar; each new factory row takes the next year."""

    class Meta:
        model = ExchangeRate

    year = factory.Sequence(lambda n: 2022 + n)
    currency = "VND"
    reporting_currency = "USD"
    units_per_reporting_unit = Decimal("23500")
    rate_date = factory.LazyAttribute(lambda o: datetime.date(o.year, 12, 31))
    source = "State Bank of Vietnam, central rate"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "password")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            groups = Group.objects.filter(name__in=extracted)
            if len(groups) < len(set(extracted)):
                # The staff groups come from a migration: a test that empties the
                # database (a browser or transaction test run before on the same
                # worker) takes them away. Made again, as the migration makes them.
                staff_groups_sync(apps)
            self.groups.set(groups.all())
        if create:
            self.save()


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)


def staff_user(username, *, groups, organisation):
    """A staff account in `groups` working for `organisation` (None: for none)."""
    user = UserFactory(username=username, groups=groups)
    if organisation is not None:
        StaffMembershipFactory(user=user, organisation=organisation)
    return user


class YearConfirmationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YearConfirmation

    party = factory.SubFactory(AgreementPartyFactory)
    year = factory.LazyAttribute(lambda o: o.party.agreement.start_date.year)
    signatory = "Nguyễn Văn A, Vice-President"
    confirmed_by = factory.SubFactory(UserFactory)


def confirm_year(agreement, year, *, parties=None):
    """Every party of `agreement` (or those given) confirms `year`; returns the
    confirmations."""
    if parties is None:
        parties = agreement.party_signatures.all()
    return [YearConfirmationFactory(party=party, year=year) for party in parties]
