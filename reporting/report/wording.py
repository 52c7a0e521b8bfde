"""Every sentence of the pages and the report, once, in the active language.

The sections, the renderers and the pages' template filters all call these, so
the page and the files say the same thing and one translation serves them all:
the rotation, the next exchange, a target, a record line, a district's label.
Nothing here queries the database: every record comes with its relations loaded.
"""

import re
import unicodedata

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext

from cooperation.formatting import date_text, number_text
from cooperation.validation import succession_day
from exchanges.models import DelegationVisit, InformationExchange
from programs.models import ItemKind

# Characters that XML 1.0 forbids: Word refuses the document, openpyxl raises
# IllegalCharacterError. Tab, line feed and carriage return stay.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(value):
    """`value` as text that XML can carry; '' for None."""
    if value is None:
        return ""
    return XML_ILLEGAL.sub("", str(value))


# A run this long without a space gets a zero-width space every BREAK_EVERY
# characters, never before a combining mark (Vietnamese tones, Lao vowels). Lao and
# Thai are left alone: they are written without spaces, and Pango finds their word
# breaks itself.
LONG_RUN = re.compile(r"[^\s\u0e00-\u0eff]{40,}")
BREAK_EVERY = 20
ZERO_WIDTH_SPACE = "\u200b"


def _break_run(match):
    run, pieces, length = match.group(0), [], 0
    for character in run:
        if length >= BREAK_EVERY and not unicodedata.combining(character):
            pieces.append(ZERO_WIDTH_SPACE)
            length = 0
        pieces.append(character)
        length += 1
    return "".join(pieces)


def with_break_points(text):
    """`text` where every unbroken run of 40+ characters may wrap (for HTML/PDF)."""
    if text is None:
        return text
    return LONG_RUN.sub(_break_run, str(text))


def example_mark():
    return "(" + gettext("Example") + ")"


def with_example_mark(text, is_example):
    return f"{text} {example_mark()}" if is_example else text


def districts_text(areas, separator=" + "):
    if not areas:
        return gettext("no district recorded")
    return separator.join(area.name for area in areas)


def district_label(total):
    """A DistrictTotal's name: 'Sanxay', or 'Sanxay + Phouvong (together)'."""
    names = " + ".join(area.name for area in total.districts)
    if total.is_joint:
        return gettext("%(names)s (together)") % {"names": names}
    return names or gettext("no district recorded")


def joint_districts_note():
    return gettext(
        "Districts marked “together” have one total: the source gives no split."
    )


def people_reached_definition():
    return gettext(
        "People reached counts each programme once: its own figure where recorded "
        "(it includes the people its gift distributions reached), otherwise the sum "
        "of its distributions’ gift recipients."
    )


def recipients_coverage_text(breakdown):
    """How much of the gift recipients the recipient lists break down."""
    params = {
        "listed": number_text(breakdown.listed),
        "recipients": number_text(breakdown.gift_recipients),
        "listed_distributions": number_text(breakdown.distributions_listed),
        "distributions": number_text(breakdown.distributions),
    }
    if breakdown.gift_recipients is None:
        return (
            gettext(
                "Counted from the recipient lists of %(listed_distributions)s of "
                "%(distributions)s gift distributions: %(listed)s people."
            )
            % params
        )
    return (
        gettext(
            "Counted from the recipient lists of %(listed_distributions)s of "
            "%(distributions)s gift distributions: %(listed)s of the %(recipients)s "
            "gift recipients. The others are counted without sex or age."
        )
        % params
    )


def age_bands_note():
    return gettext(
        "Ages are those reached in the year of the distribution, in the bands of "
        "humanitarian sex- and age-disaggregated data: 0–4, 5–17, 18–59, 60 and over."
    )


def recipients_privacy_note():
    return gettext(
        "Only counts are published: the names and other details on the lists stay "
        "with the staff of the parties, and are erased after the retention period."
    )


def approximate_note():
    return gettext("≈ marks an approximate value, as the source gives it.")


def rates_text(converted):
    """'Converted at 2022: 1 USD = 23,500 VND (…). No rate recorded for LAK.'"""
    text = gettext("Converted at %(rates)s.") % {
        "rates": "; ".join(rate_text(rate) for rate in converted.rates)
    }
    if converted.missing_currencies:
        text += " " + gettext("No rate recorded for %(currencies)s: left out.") % {
            "currencies": ", ".join(converted.missing_currencies)
        }
    return text


def unit_text(unit):
    """The item kind's unit in words (piece, kg, box…), or the stored code."""
    try:
        return str(ItemKind.Unit(unit).label)
    except ValueError:
        return unit


def target_text(commitment):
    """'1–2 a year', '1 a year, hosts in turn' or 'qualitative'."""
    if not commitment.is_countable:
        return gettext("qualitative")
    low, high = commitment.yearly_target_min, commitment.yearly_target_max
    if high and high != low:
        text = gettext("%(low)s–%(high)s a year") % {"low": low, "high": high}
    else:
        text = gettext("%(low)s a year") % {"low": low}
    if commitment.host_rotation:
        text = gettext("%(target)s, hosts in turn") % {"target": text}
    return text


def record_line(record):
    """One line of evidence: a visit, an information exchange or a programme."""
    if isinstance(record, DelegationVisit):
        text = gettext("Visit (%(kind)s), %(date)s: %(sender)s to %(host)s") % {
            "kind": record.get_kind_display(),
            "date": date_text(record.start_date),
            "sender": record.sending_party.name,
            "host": record.host_party.name,
        }
    elif isinstance(record, InformationExchange):
        text = gettext("Information, %(date)s: %(sender)s to %(recipient)s") % {
            "date": date_text(record.exchanged_on),
            "sender": record.from_party.name,
            "recipient": record.to_party.name,
        }
    else:
        label = gettext("Programme")
        text = f"{label}: {record.title}"
    return with_example_mark(text, record.is_example)


def member_line(member):
    """'Name, title (organisation) — head of delegation'."""
    text = member.full_name
    if member.title:
        text = f"{text}, {member.title}"
    if member.organisation is not None:
        text = f"{text} ({member.organisation.name})"
    if member.leads_delegation:
        head = gettext("head of delegation")
        text = f"{text} — {head}"
    return text


def members_text(visit):
    return "; ".join(member_line(m) for m in getattr(visit, "member_list", ()))


def rotation_text(progress, commitment):
    """Who hosted the year's exchange and whether it was their turn; '' if none."""
    if not commitment.host_rotation:
        return ""
    turn = next((t for t in progress.rotation.turns if t.year == progress.year), None)
    if turn is None or turn.host is None:
        return ""
    text = gettext("Hosted by %(host)s.") % {"host": turn.host.name}
    if turn.expected_host is None:
        remark = gettext("The first exchange: either party could host.")
    elif turn.turn_kept:
        remark = gettext("The turn was kept.")
    else:
        remark = gettext("Out of turn: %(expected)s was due to host.") % {
            "expected": turn.expected_host.name
        }
    return f"{text} {remark}"


def next_exchange_text(progress):
    rotation = progress.rotation
    if not rotation.next_year:
        return ""
    if rotation.next_host is not None:
        return gettext("Next yearly exchange: %(year)s, hosted by %(host)s.") % {
            "year": rotation.next_year,
            "host": rotation.next_host.name,
        }
    return gettext("Next yearly exchange: %(year)s.") % {"year": rotation.next_year}


def confirmation_text(state, names, *, has_ended):
    """Whether the parties have confirmed the year's records, and what follows.

    `names` maps a party's pk to the name its side goes by (`side_name`).
    """

    def _names(parties):
        return ", ".join(
            names.get(p.party.pk, p.party.organisation.name) for p in parties
        )

    year = state.year
    if not has_ended:
        return gettext(
            "Each party confirms its records of %(year)s as complete once the year "
            "has ended. Until every party has, an activity without a record reads "
            "“no record yet”, not “not met”."
        ) % {"year": year}
    if state.is_confirmed:
        return gettext(
            "Every party has confirmed that its records of %(year)s are complete: "
            "the verdicts are final, and the records can only change if the year "
            "is reopened."
        ) % {"year": year}
    if state.confirmed:
        return gettext(
            "%(confirmed)s confirmed its records of %(year)s as complete; "
            "%(missing)s has not yet. Until every party has, an activity without a "
            "record reads “no record yet”, not “not met”."
        ) % {
            "confirmed": _names(state.confirmed),
            "missing": _names(state.unconfirmed),
            "year": year,
        }
    return gettext(
        "No party has confirmed its records of %(year)s as complete yet. Until "
        "every party has, an activity without a record reads “no record yet”, not "
        "“not met”."
    ) % {"year": year}


def confirmed_on_text(confirmation):
    """'12 January 2026', or 'not yet' for a party that has not confirmed."""
    if confirmation is None:
        return gettext("not yet")
    return date_text(timezone.localdate(confirmation.confirmed_at))


def confirmation_short_text(state, *, has_ended):
    """The scorecard's cell: 'confirmed', '1 of 2 parties', 'not yet' or '–'."""
    if not has_ended:
        return "–"
    if state.is_confirmed:
        return gettext("confirmed")
    if state.confirmed:
        return gettext("%(confirmed)d of %(parties)d parties") % {
            "confirmed": len(state.confirmed),
            "parties": len(state.parties),
        }
    return gettext("not yet")


def signature_confirmation_text(confirmation):
    """Above a party's signature: whether it has confirmed the year's records."""
    if confirmation is None:
        return gettext("Records not yet confirmed complete.")
    return gettext("Records confirmed complete on %(date)s.") % {
        "date": confirmed_on_text(confirmation)
    }


def reopened_text(confirmation, party_name):
    """A reopening, as it stays on record: when, for whom and why."""
    return gettext("Reopened on %(date)s for %(party)s: %(reason)s") % {
        "date": date_text(timezone.localdate(confirmation.reopened_at)),
        "party": party_name,
        "reason": confirmation.reopen_reason,
    }


def topics_text(exchange):
    return capfirst(", ".join(str(topic) for topic in exchange.topics))


def plan_source_text(plan):
    if plan.source is None:
        return gettext("No plan for this year was recorded.")
    return gettext("Plan sent on %(date)s by %(sender)s.") % {
        "date": date_text(plan.source.exchanged_on),
        "sender": plan.source.from_party.name,
    }


def rate_text(rate):
    """'2022: 1 USD = 23,500 VND (31/12/2022, State Bank of Vietnam)'."""
    units = number_text(rate.units_per_reporting_unit)
    day = date_format(rate.rate_date, "SHORT_DATE_FORMAT")
    return (
        f"{rate.year}: 1 {rate.reporting_currency} = {units} {rate.currency} "
        f"({day}, {rate.source})"
    )


def published_note(report):
    if report.published_only:
        return gettext("Published records only.")
    return gettext("Includes unpublished records: not for publication.")


def examples_note():
    return gettext(
        "This year includes example records: made-up data for demonstration, "
        "marked wherever they appear."
    )


def example_agreement_note():
    return gettext(
        "This agreement is made up: an example for demonstration, between "
        "fictional parties. Nothing in it is real."
    )


def example_note(agreement, has_examples):
    """What a page or file of `agreement` says about made-up data, or ''.

    A made-up agreement says so on every page and in every file, whatever the
    year holds; a real one only where a year holds example records.
    """
    if agreement.is_example:
        return example_agreement_note()
    if has_examples:
        return examples_note()
    return ""


def report_title(report):
    return gettext("Annual report %(year)s") % {"year": report.year}


def document_title(report):
    """'Annual report 2022 – <agreement title>', for the files' properties."""
    return f"{report_title(report)} – {report.agreement.title}"


def document_subject(report):
    return gettext("Progress of the cooperation agreement in %(year)s") % {
        "year": report.year
    }


def area_with_level(area):
    """'Kon Tum province': an area's name with its level.

    Vietnamese and Lao names carry their level already ("tỉnh Kon Tum",
    "ແຂວງອັດຕະປື"); English ones do not ("Kon Tum"), so only those get it.
    """
    if area.name != area.name_en:
        return area.name
    # Translators: an area's English name and its level, e.g. "Kon Tum province".
    return gettext("%(area)s %(level)s") % {
        "area": area.name,
        "level": area.get_level_display(),
    }


def side_name(standing):
    """A side as it stands (`SideStanding`): 'Attapeu Provincial Red Cross', or
    'Quảng Ngãi Provincial Red Cross (formerly Kon Tum Provincial Red Cross,
    since 1 July 2025)' where a successor took over."""
    name = standing.organisation.name
    if standing.predecessor is None:
        return name
    if standing.since is None:
        return gettext("%(organisation)s (formerly %(predecessor)s)") % {
            "organisation": name,
            "predecessor": standing.predecessor.name,
        }
    return gettext("%(organisation)s (formerly %(predecessor)s, since %(date)s)") % {
        "organisation": name,
        "predecessor": standing.predecessor.name,
        "date": date_text(standing.since),
    }


def side_note(standing):
    """What became of a side's area or organisation when no successor
    organisation is recorded; '' when nothing did."""
    notes = []
    area = standing.ended_area
    if area is not None and standing.area_successor is not None:
        notes.append(
            gettext(
                "%(area)s was merged into %(successor)s on %(date)s; no successor "
                "branch is recorded."
            )
            % {
                "area": area_with_level(area),
                "successor": area_with_level(standing.area_successor),
                "date": date_text(succession_day(area, standing.area_successor)),
            }
        )
    elif area is not None:
        notes.append(
            gettext("%(area)s ended on %(date)s; no successor branch is recorded.")
            % {"area": area_with_level(area), "date": date_text(standing.area_ended_on)}
        )
    if standing.ended_on is not None:
        notes.append(
            gettext("%(organisation)s ended on %(date)s; no successor is recorded.")
            % {
                "organisation": standing.organisation.name,
                "date": date_text(standing.ended_on),
            }
        )
    return " ".join(notes)


def side_names(standings):
    """Each side's name (`side_name`), in signing order."""
    return [side_name(standing) for standing in standings]


def side_notes(standings):
    """The sides' notes (`side_note`) that say something, in signing order."""
    return [note for note in map(side_note, standings) if note]


def document_keywords(report):
    names = [standing.organisation.name for standing in report.progress.sides]
    return ", ".join(
        [gettext("Red Cross"), gettext("annual report"), str(report.year), *names]
    )
