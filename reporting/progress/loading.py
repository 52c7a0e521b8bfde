"""Reading what the progress computation needs, in a fixed number of queries."""

from collections import defaultdict

from django.db import models
from django.db.models import Count, F, Q, Sum

from cooperation.models import (
    AgreementParty,
    Area,
    Commitment,
    ExchangeRate,
    Organisation,
    YearConfirmation,
)
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
    JointProgram,
    ProgramAttachment,
    Recipient,
)

from .types import DistributionRow, Photo, ProgrammeSums, ProgressData, Side

# Successions followed from a party's organisation within the parties' one query.
# A branch succeeded three times within one agreement's years is beyond anything
# seen (Vietnam reorganised its provinces once in decades); a fourth successor
# would be judged by `clean()`, but the rotation would not know it.
SUCCESSION_DEPTH = 3


def _side_paths():
    """select_related paths: each party's organisation, its successors, and the
    home area of each with that area's successor."""
    paths, path = [], "organisation"
    for _depth in range(SUCCESSION_DEPTH + 1):
        paths.append(f"{path}__home_area__successor")
        path = f"{path}__successor"
    return paths


SIDE_PATHS = _side_paths()


def side_of_party(party):
    """The party's Side, from what `SIDE_PATHS` read: no query."""
    organisations, seen = [party.organisation], {party.organisation.pk}
    while True:
        last = organisations[-1]
        if not Organisation.successor.is_cached(last) or last.successor is None:
            break
        if last.successor.pk in seen:
            break
        seen.add(last.successor.pk)
        organisations.append(last.successor)
    return Side(party=party, organisations=tuple(organisations))


def _published(queryset, published_only):
    return queryset.filter(is_published=True) if published_only else queryset


def progress_data_load(
    *, agreement, years, today, published_only, detail, reporting_currency="USD"
):
    """Read what the computation needs, in a number of queries fixed by `detail`.

    Distributions are those given by `today` (`GiftDistribution.given_by`): the
    rules count the same programmes as held on the same day.

    Always: 1 parties (joined to their successors, see `SIDE_PATHS`),
    2 commitments, 3 visits (with `detail`, joined to their members),
    4 information exchanges, 5 programmes, 6 programme districts,
    7 distributions (rows with `detail`, sums per programme without), 8 exchange
    rates, 9 year confirmations. With `detail` also: 10 item sums, 11 photos,
    12 recipient counts by sex and age band (never a name). Nothing here grows
    with the number of rows.
    """
    first, last = agreement.start_date.year, agreement.end_date.year
    years = tuple(year for year in years if first <= year <= last)
    parties = tuple(
        AgreementParty.objects.filter(agreement=agreement)
        .select_related(*SIDE_PATHS)
        .order_by("order", "pk")
    )
    commitments = tuple(agreement.commitments.order_by("ordinal"))

    visits = _published(
        DelegationVisit.objects.filter(
            agreement=agreement,
            start_date__gte=agreement.start_date,
            start_date__lte=agreement.end_date,
        ),
        published_only,
    ).select_related("sending_party", "host_party", "area")
    exchanges = _published(
        InformationExchange.objects.filter(
            agreement=agreement, year_covered__gte=first - 1, year_covered__lte=last
        ),
        published_only,
    ).select_related("from_party", "to_party")
    programmes = _published(
        JointProgram.objects.filter(agreement=agreement, year__in=years),
        published_only,
    ).select_related("lead_organisation", "visit")

    # A programme not held by today (planned, cancelled, not started) counts for
    # nothing, its distributions included, so the totals, the district and item
    # tables and the rows always add up.
    distributions = GiftDistribution.objects.filter(
        program__agreement=agreement, program__year__in=years
    ).given_by(today)
    if published_only:
        distributions = distributions.published()
    if detail:
        distribution_rows = _distribution_rows_load(distributions)
        programme_sums = _programme_sums_from_rows(distribution_rows)
    else:
        distribution_rows = ()
        programme_sums = _programme_sums_load(distributions)

    rates = {
        (rate.year, rate.currency): rate
        for rate in ExchangeRate.objects.filter(
            year__in=years, reporting_currency=reporting_currency
        )
    }
    return ProgressData(
        agreement=agreement,
        years=years,
        parties=parties,
        sides=tuple(side_of_party(party) for party in parties),
        commitments=commitments,
        visits=_visits_with_members(visits)
        if detail
        else tuple(visits.order_by("start_date", "pk")),
        exchanges=tuple(exchanges.order_by("exchanged_on", "pk")),
        programmes=tuple(
            programmes.prefetch_related("districts").order_by(
                "year", "start_date", "pk"
            )
        ),
        programme_sums=programme_sums,
        distributions=distribution_rows,
        item_sums=_item_sums_load(distributions) if detail else (),
        photos=_photos_load(agreement, years, published_only) if detail else (),
        rates=rates,
        reporting_currency=reporting_currency,
        confirmations=tuple(
            _confirmations(YearConfirmation.objects.filter(party__agreement=agreement))
        ),
        recipient_counts=_recipient_counts_load(distributions) if detail else (),
    )


def _confirmations(queryset):
    """Year confirmations, standing and reopened, with whoever made them.

    Confirmations are not records and are never unpublished: whether a year is
    confirmed decides public verdicts, so public pages read them all.
    """
    return queryset.select_related("party", "confirmed_by", "reopened_by").order_by(
        "year", "confirmed_at", "pk"
    )


def overview_data_load_many(
    *, agreements, today, published_only, reporting_currency="USD"
):
    """`progress_data_load(detail=False)` for several agreements at once.

    The same 9 queries whatever the number of agreements (the agreement list shows
    every agreement's figures); rows are then shared out per agreement, keeping
    only what each agreement's own load would keep. Returns {agreement pk: data}.
    """
    agreements = list(agreements)
    by_pk = {agreement.pk: agreement for agreement in agreements}
    years = {agreement.pk: tuple(agreement.years) for agreement in agreements}
    all_years = sorted({year for span in years.values() for year in span})

    def grouped(rows, key):
        groups = defaultdict(list)
        for row in rows:
            groups[key(row)].append(row)
        return groups

    parties = grouped(
        AgreementParty.objects.filter(agreement__in=agreements)
        .select_related(*SIDE_PATHS)
        .order_by("order", "pk"),
        lambda party: party.agreement_id,
    )
    commitments = grouped(
        Commitment.objects.filter(agreement__in=agreements).order_by("ordinal"),
        lambda commitment: commitment.agreement_id,
    )
    visits = grouped(
        (
            visit
            for visit in _published(
                DelegationVisit.objects.filter(agreement__in=agreements),
                published_only,
            )
            .select_related("sending_party", "host_party", "area")
            .order_by("start_date", "pk")
            if by_pk[visit.agreement_id].start_date
            <= visit.start_date
            <= by_pk[visit.agreement_id].end_date
        ),
        lambda visit: visit.agreement_id,
    )
    exchanges = grouped(
        (
            exchange
            for exchange in _published(
                InformationExchange.objects.filter(agreement__in=agreements),
                published_only,
            )
            .select_related("from_party", "to_party")
            .order_by("exchanged_on", "pk")
            if years[exchange.agreement_id][0] - 1
            <= exchange.year_covered
            <= years[exchange.agreement_id][-1]
        ),
        lambda exchange: exchange.agreement_id,
    )
    programmes = grouped(
        (
            programme
            for programme in _published(
                JointProgram.objects.filter(
                    agreement__in=agreements, year__in=all_years
                ),
                published_only,
            )
            .select_related("lead_organisation", "visit")
            .prefetch_related("districts")
            .order_by("year", "start_date", "pk")
            if programme.year in years[programme.agreement_id]
        ),
        lambda programme: programme.agreement_id,
    )
    distributions = GiftDistribution.objects.filter(
        program__agreement__in=agreements, program__year__in=all_years
    ).given_by(today)
    if published_only:
        distributions = distributions.published()
    programme_sums = _programme_sums_load(distributions)
    rates = {
        (rate.year, rate.currency): rate
        for rate in ExchangeRate.objects.filter(
            year__in=all_years, reporting_currency=reporting_currency
        )
    }
    confirmations = grouped(
        _confirmations(
            YearConfirmation.objects.filter(party__agreement__in=agreements)
        ),
        lambda confirmation: confirmation.party.agreement_id,
    )
    return {
        agreement.pk: ProgressData(
            agreement=agreement,
            years=years[agreement.pk],
            parties=tuple(parties[agreement.pk]),
            sides=tuple(side_of_party(party) for party in parties[agreement.pk]),
            commitments=tuple(commitments[agreement.pk]),
            visits=tuple(visits[agreement.pk]),
            exchanges=tuple(exchanges[agreement.pk]),
            programmes=tuple(programmes[agreement.pk]),
            programme_sums={
                programme.pk: programme_sums[programme.pk]
                for programme in programmes[agreement.pk]
                if programme.pk in programme_sums
            },
            distributions=(),
            item_sums=(),
            photos=(),
            rates=rates,
            reporting_currency=reporting_currency,
            confirmations=tuple(confirmations[agreement.pk]),
        )
        for agreement in agreements
    }


MEMBER_COLUMNS = {
    "member_pk": F("members__pk"),
    "member_full_name": F("members__full_name"),
    "member_title": F("members__title"),
    "member_leads": F("members__leads_delegation"),
    "member_organisation_pk": F("members__organisation__pk"),
    "member_organisation_vi": F("members__organisation__name_vi"),
    "member_organisation_lo": F("members__organisation__name_lo"),
    "member_organisation_en": F("members__organisation__name_en"),
}


def _visits_with_members(visits):
    """One query: each visit joined to its members, folded into `visit.member_list`.

    A prefetch would cost a second query; the year page has a budget of twelve.
    """
    ordered = visits.annotate(**MEMBER_COLUMNS).order_by(
        "start_date",
        "pk",
        "-members__leads_delegation",
        "members__order",
        "members__pk",
    )
    folded = {}
    for row in ordered:
        visit = folded.setdefault(row.pk, row)
        if visit is row:
            visit.member_list = []
        if row.member_pk is None:
            continue
        organisation = None
        if row.member_organisation_pk is not None:
            organisation = Organisation(
                pk=row.member_organisation_pk,
                name_vi=row.member_organisation_vi,
                name_lo=row.member_organisation_lo,
                name_en=row.member_organisation_en,
            )
        visit.member_list.append(
            VisitMember(
                pk=row.member_pk,
                full_name=row.member_full_name,
                title=row.member_title,
                leads_delegation=row.member_leads,
                organisation=organisation,
            )
        )
    return tuple(folded.values())


def _distribution_rows_load(distributions):
    """One query: a row per (distribution, district), folded into DistributionRow.

    The year page of a busy year reads about a thousand of these, so plain tuples
    are read and each district becomes one shared Area object.
    """
    columns = (
        "pk",
        "program_id",
        "program__year",
        "start_date",
        "end_date",
        "recipient_group",
        "packages",
        "people_reached",
        "currency",
        "total_value",
        "value_is_approximate",
        "is_example",
        "districts__pk",
        "districts__name_vi",
        "districts__name_lo",
        "districts__name_en",
        "districts__pcode",
        # The province and country, for the exports' admin-level columns.
        "districts__parent__pk",
        "districts__parent__name_vi",
        "districts__parent__name_lo",
        "districts__parent__name_en",
        "districts__parent__pcode",
        "districts__parent__iso_code",
        "districts__parent__parent__iso_code",
    )
    rows, areas, area_objects = {}, defaultdict(list), {}
    ordered = distributions.order_by("start_date", "pk", "districts__name_en")
    for values in ordered.values_list(*columns):
        pk, area_pk = values[0], values[12]
        rows.setdefault(pk, values)
        if area_pk is not None:
            area = area_objects.get(area_pk)
            if area is None:
                province = None
                if values[17] is not None:
                    province = Area(
                        pk=values[17],
                        level=Area.Level.PROVINCE,
                        name_vi=values[18],
                        name_lo=values[19],
                        name_en=values[20],
                        pcode=values[21],
                        iso_code=values[22],
                        parent=Area(level=Area.Level.COUNTRY, iso_code=values[23]),
                    )
                area = area_objects[area_pk] = Area(
                    pk=area_pk,
                    level=Area.Level.DISTRICT,
                    name_vi=values[13],
                    name_lo=values[14],
                    name_en=values[15],
                    pcode=values[16],
                    parent=province,
                )
            areas[pk].append(area)
    return tuple(
        DistributionRow(*values[:12], districts=tuple(areas[pk]))
        for pk, values in rows.items()
    )


def _programme_sums_from_rows(rows):
    sums = defaultdict(ProgrammeSums)
    for row in rows:
        programme = sums[row.program_id]
        programme.distributions += 1
        programme.packages += row.packages
        if row.people_reached is not None:
            programme.people_reached += row.people_reached
            programme.people_known = True
        if row.total_value is not None:
            programme.values[row.currency] += row.total_value
            if row.value_is_approximate:
                programme.approximate.add(row.currency)
    return dict(sums)


def _programme_sums_load(distributions):
    """One query: distribution sums per programme and currency."""
    sums = defaultdict(ProgrammeSums)
    grouped = (
        distributions.values("program_id", "currency")
        .annotate(
            count=Count("pk"),
            packages=Sum("packages"),
            people=Sum("people_reached"),
            value=Sum("total_value"),
            approximate=Count("pk", filter=Q(value_is_approximate=True)),
        )
        .order_by()
    )
    for values in grouped:
        programme = sums[values["program_id"]]
        programme.distributions += values["count"]
        programme.packages += values["packages"] or 0
        if values["people"] is not None:
            programme.people_reached += values["people"]
            programme.people_known = True
        if values["value"] is not None:
            programme.values[values["currency"]] += values["value"]
            if values["approximate"]:
                programme.approximate.add(values["currency"])
    return dict(sums)


def _item_sums_load(distributions):
    """One query: item quantities and priced values per year, item kind, currency."""
    return tuple(
        DistributionItem.objects.filter(distribution__in=distributions)
        .values(
            "distribution__program__year",
            "distribution__currency",
            "item_kind__code",
            "item_kind__name_vi",
            "item_kind__name_lo",
            "item_kind__name_en",
            "item_kind__original_language",
            "item_kind__unit",
        )
        .annotate(
            total_quantity=Sum("quantity"),
            lines_without_quantity=Count("pk", filter=Q(quantity__isnull=True)),
            total_value=Sum(
                F("quantity") * F("unit_value"),
                output_field=models.DecimalField(max_digits=28, decimal_places=2),
            ),
        )
        .order_by("item_kind__code", "distribution__currency")
    )


def _recipient_counts_load(distributions):
    """One query: (distribution pk, sex, age band, count) of the distributions'
    recipient lists. Counts only: no name, year of birth or place is read."""
    return tuple(
        Recipient.objects.filter(distribution__in=distributions)
        .values_list("distribution_id", "sex", "age_band")
        .annotate(count=Count("pk"))
        .order_by("distribution_id", "sex", "age_band")
    )


def _photos_load(agreement, years, published_only):
    """One query: photos of the years' visits, programmes and distributions."""
    columns = ["caption", "credit", "file", "source_url", "order"]
    visit_photos = VisitAttachment.objects.filter(
        kind="photo", visit__agreement=agreement, visit__start_date__year__in=years
    )
    programme_photos = ProgramAttachment.objects.filter(
        kind="photo", program__agreement=agreement, program__year__in=years
    )
    distribution_photos = DistributionAttachment.objects.filter(
        kind="photo",
        distribution__program__agreement=agreement,
        distribution__program__year__in=years,
    )
    if published_only:
        # The same rule as the file view's (reporting/attachments.py).
        visit_photos = visit_photos.published()
        programme_photos = programme_photos.published()
        distribution_photos = distribution_photos.published()
    union = (
        # Each part drops its default ordering: compound statements forbid it.
        visit_photos.order_by()
        .values_list(*columns)
        .union(
            programme_photos.order_by().values_list(*columns),
            distribution_photos.order_by().values_list(*columns),
            all=True,
        )
        .order_by("order")
    )
    return tuple(
        Photo(caption=caption, credit=credit, file=file, source_url=url)
        for caption, credit, file, url, _order in union
    )
