"""The retention rule: recipient lists lose their personal details after the period.

After RECIPIENT_RETENTION_YEARS full years from a distribution's last day, its
recipients keep their list number, sex and age band and lose name, year of birth,
school or village and guardian, in the record and in every version of its
history; the counts on pages and reports stay as they were. A second run
changes nothing.
"""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cooperation.history import REASON_ANONYMISED
from programs.models import AgeBand, GiftDistribution, Recipient, Sex
from programs.retention import recipients_anonymise, retention_cutoff
from reporting.progress import agreement_progress
from tests.factories import (
    GiftDistributionFactory,
    JointProgramFactory,
    RecipientFactory,
    confirm_year,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 28)
YEARS = 3  # cutoff 28 November 2023
NAME = "Zyxwa Quorrelby"
PERSONAL = ("Quorrelby", "Xantrop", "Yvexa")


def listed(year, day=None, **fields):
    """A recipient with every personal detail, on a distribution of `year`."""
    programme = JointProgramFactory(year=year)
    distribution = GiftDistributionFactory(
        program=programme, start_date=day or datetime.date(year, 6, 1)
    )
    values = {
        "distribution": distribution,
        "list_number": 1,
        "full_name": NAME,
        "sex": Sex.FEMALE,
        "birth_year": year - 9,
        "school_or_village": "Xantrop Hamlet School",
        "guardian": "Yvexa Quorrelby",
    } | fields
    return RecipientFactory(**values)


def renamed(recipient, name):
    """A second version in the history, with another name."""
    recipient.full_name = name
    recipient.save()
    return recipient


def personal_text(rows):
    return " ".join(
        f"{row.full_name} {row.school_or_village} {row.guardian} {row.birth_year or ''}"
        for row in rows
    )


def test_the_cutoff_is_the_same_day_years_before():
    assert retention_cutoff(TODAY, 3) == datetime.date(2023, 11, 28)
    assert retention_cutoff(datetime.date(2028, 2, 29), 3) == datetime.date(2025, 2, 28)


def test_an_old_list_loses_its_personal_details_here_and_in_its_history():
    recipient = renamed(listed(2022), f"{NAME} Junior")

    result = recipients_anonymise(today=TODAY, years=YEARS)

    recipient.refresh_from_db()
    assert (result.recipients, result.distributions) == (1, 1)
    assert recipient.full_name == recipient.guardian == ""
    assert recipient.school_or_village == ""
    assert recipient.birth_year is None
    # What the counts read stays.
    assert (recipient.sex, recipient.age_band) == (Sex.FEMALE, AgeBand.CHILDREN)
    assert recipient.list_number == 1
    assert recipient.anonymised_at is not None
    versions = list(recipient.history.order_by("history_date", "history_id"))
    assert len(versions) == 3
    assert versions[-1].history_change_reason == REASON_ANONYMISED
    assert versions[-1].version == recipient.version
    assert personal_text(versions).strip() == ""
    assert all(version.age_band == AgeBand.CHILDREN for version in versions)
    assert result.history_rows == 2


def test_a_list_within_the_period_is_left_alone():
    recipient = listed(2024)

    result = recipients_anonymise(today=TODAY, years=YEARS)

    recipient.refresh_from_db()
    assert result.recipients == 0
    assert recipient.full_name == NAME
    assert recipient.history.get().full_name == NAME


@pytest.mark.parametrize(
    ("last_day", "anonymised"),
    [(datetime.date(2022, 11, 27), True), (datetime.date(2022, 11, 28), False)],
)
def test_the_period_runs_from_the_distributions_last_day(last_day, anonymised):
    recipient = listed(2022, day=datetime.date(2022, 11, 1))
    GiftDistribution.objects.filter(pk=recipient.distribution_id).update(
        end_date=last_day
    )

    recipients_anonymise(today=TODAY, years=4)  # cutoff 28 November 2022

    recipient.refresh_from_db()
    assert (recipient.anonymised_at is not None) is anonymised


def test_deleted_recipients_and_distributions_leave_no_details_in_the_history():
    deleted_recipient = listed(2022)
    deleted_recipient.delete()
    gone = listed(2022)
    distribution = gone.distribution
    gone.delete()
    distribution.delete()

    result = recipients_anonymise(today=TODAY, years=YEARS)

    assert result.recipients == 0
    assert result.history_rows == 4  # each: its creation and its deletion
    assert personal_text(Recipient.history.all()).strip() == ""


def test_a_recipient_moved_to_an_old_distribution_loses_its_earlier_versions_too():
    recipient = listed(2024)
    agreement = recipient.distribution.program.agreement
    old = GiftDistributionFactory(
        program=JointProgramFactory(year=2022, agreement=agreement)
    )
    recipient.distribution = old
    recipient.birth_year = 2013
    recipient.save()

    recipients_anonymise(today=TODAY, years=YEARS)

    assert personal_text(Recipient.history.all()).strip() == ""


def test_a_confirmed_year_is_anonymised_all_the_same():
    recipient = listed(2022)
    confirm_year(recipient.distribution.program.agreement, 2022)

    recipients_anonymise(today=TODAY, years=YEARS)

    recipient.refresh_from_db()
    assert recipient.full_name == ""


def test_a_second_run_changes_nothing():
    listed(2022)
    recipients_anonymise(today=TODAY, years=YEARS)
    rows = Recipient.history.count()
    before = list(Recipient.objects.values())

    result = recipients_anonymise(today=TODAY, years=YEARS)

    assert (result.recipients, result.history_rows) == (0, 0)
    assert Recipient.history.count() == rows
    assert list(Recipient.objects.values()) == before


def test_a_dry_run_counts_and_changes_nothing():
    recipient = renamed(listed(2022), "Other name")

    result = recipients_anonymise(today=TODAY, years=YEARS, dry_run=True)

    assert (result.recipients, result.distributions, result.history_rows) == (1, 1, 2)
    recipient.refresh_from_db()
    assert recipient.full_name == "Other name"
    assert Recipient.history.count() == 2


def test_the_counts_on_pages_and_reports_stay_as_they_were():
    recipient = listed(2022)
    agreement = recipient.distribution.program.agreement
    before = agreement_progress(agreement=agreement, year=2022, today=TODAY)

    recipients_anonymise(today=TODAY, years=YEARS)

    after = agreement_progress(agreement=agreement, year=2022, today=TODAY)
    assert after.recipients == before.recipients
    assert after.recipients.listed == 1


# The command ------------------------------------------------------------------------


def run(*args):
    output = io.StringIO()
    call_command("anonymise_recipients", *args, stdout=output)
    return output.getvalue()


def test_the_command_says_what_it_did_in_counts_never_names():
    today = timezone.localdate()
    listed(2022, day=datetime.date(2022, 6, 1))
    assert today.year >= 2026  # so that 2022 is past the default three years

    dry = run("--dry-run")
    done = run()
    again = run()

    assert "Would anonymise 1 recipients of 1 distributions" in dry
    assert "Nothing was changed" in dry
    assert "Anonymised 1 recipients of 1 distributions" in done
    assert "Anonymised 0 recipients of 0 distributions" in again
    for secret in PERSONAL:
        assert secret not in dry + done + again
    assert Recipient.objects.get().full_name == ""


@override_settings(RECIPIENT_RETENTION_YEARS=0)
def test_the_command_refuses_a_period_under_a_year():
    recipient = listed(2026, day=timezone.localdate().replace(month=1, day=1))
    with pytest.raises(CommandError, match="at least 1"):
        run()
    recipient.refresh_from_db()
    assert recipient.full_name == NAME


def test_the_history_page_of_an_anonymised_recipient_shows_no_detail(admin_client):
    recipient = renamed(listed(2022), "Zyxwa Quorrelby Second")
    recipients_anonymise(today=TODAY, years=YEARS)

    html = admin_client.get(
        reverse("admin:programs_recipient_history", args=[recipient.pk])
    ).content.decode()

    assert "Anonymised under the retention rule" in html
    for secret in PERSONAL:
        assert secret not in html
