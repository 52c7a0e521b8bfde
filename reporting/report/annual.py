"""What the annual report says, built once from the progress computation.

The CSV, XLSX, DOCX and PDF renderers format an `AnnualReport` and never query
the database, so the four files and the year page always carry the same numbers.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from reporting.progress import agreement_progress

from . import wording
from .sections import report_sections

RECORD_VISIT = "visit"
RECORD_PROGRAMME = "programme"
RECORD_DISTRIBUTION = "distribution"
# Each party's confirmation of the year's records: one row per party, after the
# activities, so the CSV says whether its rows are the whole year.
RECORD_CONFIRMATION = "confirmation"

# On one day a visit comes first, then its programme, then the programme's gifts.
RECORD_ORDER = {RECORD_VISIT: 0, RECORD_PROGRAMME: 1, RECORD_DISTRIBUTION: 2}

RECORD_TYPE_LABELS = {
    RECORD_VISIT: _("visit"),
    RECORD_PROGRAMME: _("programme"),
    RECORD_DISTRIBUTION: _("distribution"),
    RECORD_CONFIRMATION: _("year confirmation"),
}


@dataclass(frozen=True)
class ActivityRow:
    """One visit, programme or distribution, flat: the CSV's row and more.

    Figures are never counted twice down a column: `packages`, `value` and
    `gift_recipients` are on distributions only; `people_reached` and `cost` on
    programmes only. A programme's people reached is the one the page counts
    (its own figure, else its distributions' sum; None when it does not count:
    planned, cancelled or not started).
    """

    record_type: str
    record_id: int
    programme_id: int | None
    kind: str
    title: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    from_organisation: str
    to_organisation: str
    country_code: str
    province: str
    province_code: str
    districts: str
    district_codes: str
    recipients: str
    packages: int | None
    people_reached: int | None
    gift_recipients: int | None
    value: Decimal | None
    currency: str
    value_is_approximate: bool
    cost: Decimal | None
    status: str  # a programme's (planned, completed, cancelled…); '' otherwise
    is_example: bool
    # A distribution's recipient list as counts: ((sex, age band), count), or ()
    # without a list. Never a person.
    listed: tuple = ()


@dataclass(frozen=True)
class AnnualReport:
    agreement: object
    year: int
    progress: object  # YearProgress
    generated_at: datetime.datetime
    published_only: bool
    activities: tuple  # of ActivityRow, by date
    sections: tuple  # of Section, in the report's order
    language: str = ""  # the language it was built in: "vi", "lo" or "en"

    @property
    def filename_stem(self):
        """Safe ASCII with the language: `kontum-attapeu-2022-2027_2022_lo`, so the
        same report in two languages downloads as two files."""
        slug = slugify(self.agreement.slug) or "agreement"
        stem = (
            f"{slug}_{self.year}_{self.language}"
            if self.language
            else (f"{slug}_{self.year}")
        )
        return re.sub(r"[^A-Za-z0-9_-]", "", stem)

    @property
    def parties(self):
        return self.progress.parties

    @property
    def totals(self):
        return self.progress.totals


def _join(values):
    return "; ".join(value for value in values if value)


def _visit_row(visit):
    return ActivityRow(
        record_type=RECORD_VISIT,
        record_id=visit.pk,
        programme_id=None,
        kind=str(visit.get_kind_display()),
        title=visit.purpose or visit.place,
        start_date=visit.start_date,
        end_date=visit.end_date,
        from_organisation=visit.sending_party.name,
        to_organisation=visit.host_party.name,
        country_code=_country_code(visit.area),
        province=visit.area.name if visit.area else "",
        province_code=(visit.area.pcode or visit.area.iso_code) if visit.area else "",
        districts="",
        district_codes="",
        recipients="",
        packages=None,
        people_reached=None,
        gift_recipients=None,
        value=None,
        currency="",
        value_is_approximate=False,
        cost=None,
        status="",
        is_example=visit.is_example,
    )


def _country_code(area):
    """ISO 3166-1 from the area's own code (VN-28 → VN), without a query."""
    if area is None or not area.iso_code:
        return ""
    return area.iso_code.split("-")[0]


def _programme_row(programme, host_names, people_reached, *, held):
    districts = list(programme.districts.all())
    return ActivityRow(
        record_type=RECORD_PROGRAMME,
        record_id=programme.pk,
        programme_id=programme.pk,
        kind=", ".join(str(label) for label in programme.activity_labels),
        title=programme.title,
        start_date=programme.start_date,
        end_date=programme.end_date,
        from_organisation=programme.lead_organisation.name,
        to_organisation=host_names,
        country_code="",
        province="",
        province_code="",
        districts=_join(area.name for area in districts),
        district_codes=_join(area.pcode for area in districts),
        recipients="",
        packages=None,
        people_reached=people_reached,
        gift_recipients=None,
        value=None,
        currency=programme.currency,
        value_is_approximate=False,
        # A programme not held (planned, cancelled) counts for nothing, as on the
        # page.
        cost=programme.actual_cost if held else None,
        status=str(programme.get_status_display()),
        is_example=programme.is_example,
    )


def _distribution_row(row, programme, recipients_label, listed):
    provinces = {area.parent.pk: area.parent for area in row.districts if area.parent}
    countries = {p.parent.iso_code for p in provinces.values() if p.parent}
    return ActivityRow(
        record_type=RECORD_DISTRIBUTION,
        record_id=row.pk,
        programme_id=row.program_id,
        kind=str(recipients_label),
        title=programme.title if programme else "",
        start_date=row.start_date,
        end_date=row.end_date,
        from_organisation=programme.lead_organisation.name if programme else "",
        to_organisation="",
        country_code=_join(sorted(countries)),
        province=_join(p.name for p in provinces.values()),
        province_code=_join(p.pcode or p.iso_code for p in provinces.values()),
        districts=_join(area.name for area in row.districts),
        district_codes=_join(area.pcode for area in row.districts),
        recipients=str(recipients_label),
        packages=row.packages,
        people_reached=None,
        gift_recipients=row.people_reached,
        value=row.total_value,
        currency=row.currency,
        value_is_approximate=row.value_is_approximate,
        cost=None,
        status="",
        is_example=row.is_example,
        listed=listed,
    )


def _confirmation_row(side, confirmation):
    """A party's confirmation of the year, or its absence, as a row without
    figures: every numeric column still sums to the page's figures."""
    return ActivityRow(
        record_type=RECORD_CONFIRMATION,
        record_id=confirmation.pk if confirmation else None,
        programme_id=None,
        kind=str(RECORD_TYPE_LABELS[RECORD_CONFIRMATION]),
        title=confirmation.signatory if confirmation else "",
        start_date=timezone.localdate(confirmation.confirmed_at)
        if confirmation
        else None,
        end_date=None,
        from_organisation=wording.side_name(side),
        to_organisation="",
        country_code="",
        province="",
        province_code="",
        districts="",
        district_codes="",
        recipients="",
        packages=None,
        people_reached=None,
        gift_recipients=None,
        value=None,
        currency="",
        value_is_approximate=False,
        cost=None,
        status=str(
            _("records confirmed complete")
            if confirmation
            else _("records not yet confirmed complete")
        ),
        is_example=False,
    )


def annual_report_build(*, agreement, year, today=None, published_only=True):
    """The annual report of `agreement` for `year`, from `agreement_progress`.

    Public downloads pass `published_only=True`; the admin's download passes False.
    """
    from programs.models import GiftDistribution

    today = today or timezone.localdate()
    progress = agreement_progress(
        agreement=agreement, year=year, today=today, published_only=published_only
    )
    programmes = {programme.pk: programme for programme in progress.programmes}
    recipient_labels = dict(GiftDistribution.RecipientGroup.choices)
    activities = [_visit_row(visit) for visit in progress.visits]
    for programme in progress.programmes:
        # The other sides, as they stand in the year: a successor by its name.
        others = [
            wording.side_name(side)
            for side in progress.sides
            if not side.includes(programme.lead_organisation)
        ]
        activities.append(
            _programme_row(
                programme,
                _join(others),
                progress.people_by_programme.get(programme.pk),
                held=programme.pk in progress.held_programmes,
            )
        )
    for row in progress.distributions:
        activities.append(
            _distribution_row(
                row,
                programmes.get(row.program_id),
                recipient_labels.get(row.recipient_group, row.recipient_group),
                progress.recipients_by_distribution.get(row.pk, ()),
            )
        )
    activities.sort(
        key=lambda a: (
            a.start_date or datetime.date(year, 12, 31),
            RECORD_ORDER[a.record_type],
        )
    )
    activities.extend(
        _confirmation_row(side, confirmation)
        for side, confirmation in progress.signatures
    )
    return AnnualReport(
        agreement=agreement,
        year=year,
        progress=progress,
        generated_at=timezone.localtime(),
        language=(get_language() or "")[:2],
        published_only=published_only,
        activities=tuple(activities),
        sections=report_sections(progress),
    )
