"""A report past REPORT_RENDER_SECONDS stops with a 503 page, and readers who ask
again within Retry-After get that page without the work starting again."""

import signal
import threading
import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from reporting.report import export
from reporting.report.deadline import (
    RETRY_AFTER_SECONDS,
    ReportTooSlow,
    deadline_available,
    report_deadline,
)
from tests.factories import AgreementFactory, JointProgramFactory

pytestmark = pytest.mark.django_db

TOO_SLOW = "This report is taking too long to prepare"
# Far past the test's deadline, yet short enough to notice if nothing stops it.
SLOW_SECONDS = 5


@pytest.fixture(autouse=True)
def _tiny_deadline(settings):
    # Long enough for the report to be built before rendering starts even on a
    # loaded CI machine (at 0.2 s the build itself sometimes ran out of time),
    # far shorter than SLOW_SECONDS.
    settings.REPORT_RENDER_SECONDS = 1.0


@pytest.fixture
def slow_renderer(monkeypatch):
    """Every renderer sleeps past the deadline; `calls` counts the renders begun."""
    calls = []

    def render_slowly(report, file_format, **options):
        calls.append(file_format)
        time.sleep(SLOW_SECONDS)
        return b"never reached"

    monkeypatch.setattr(export, "report_render", render_slowly)
    return calls


@pytest.fixture
def agreement(db):
    agreement = AgreementFactory(slug="north-south-2022-2027")
    JointProgramFactory(agreement=agreement, title_en="School gifts")
    return agreement


def report_url(agreement, file_format="pdf"):
    return reverse(
        "reporting:agreement_report",
        kwargs={"slug": agreement.slug, "year": 2022, "file_format": file_format},
    )


def timed_get(client, url):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


def test_a_report_past_its_deadline_stops_with_a_page_that_says_so(
    client, agreement, slow_renderer
):
    response, seconds = timed_get(client, report_url(agreement))

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Content-Type"].startswith("text/html")
    assert TOO_SLOW in response.content.decode()
    assert seconds < SLOW_SECONDS / 2, "the work was not stopped"
    assert slow_renderer == ["pdf"]


def test_asking_again_within_retry_after_does_not_start_the_work_again(
    client, agreement, slow_renderer
):
    client.get(report_url(agreement))

    again, seconds = timed_get(client, report_url(agreement))

    assert again.status_code == 503
    assert again["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert TOO_SLOW in again.content.decode()
    assert seconds < SLOW_SECONDS / 2
    assert slow_renderer == ["pdf"]


def test_the_refusal_is_kept_for_that_report_only(client, agreement, slow_renderer):
    client.get(report_url(agreement, "pdf"))
    client.get(report_url(agreement, "docx"))

    assert slow_renderer == ["pdf", "docx"]


def test_a_change_to_the_data_retires_the_refusal(client, agreement, slow_renderer):
    client.get(report_url(agreement))
    JointProgramFactory(agreement=agreement, title_en="Blankets")

    client.get(report_url(agreement))

    assert slow_renderer == ["pdf", "pdf"]


def test_a_staff_report_past_its_deadline_names_the_command_without_one(
    admin_client, agreement, slow_renderer
):
    url = reverse("staff_agreement_report", args=[agreement.pk, 2022, "xlsx"])

    response, seconds = timed_get(admin_client, url)

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    html = response.content.decode()
    assert TOO_SLOW in html
    assert (
        "export_report north-south-2022-2027 2022 --format xlsx --include-unpublished"
    ) in html
    assert seconds < SLOW_SECONDS / 2


def test_a_report_within_its_deadline_is_served(client, agreement, settings):
    settings.REPORT_RENDER_SECONDS = 20

    response = client.get(report_url(agreement, "csv"))

    assert response.status_code == 200
    assert b"School gifts" in response.content


def test_export_report_is_never_stopped_by_the_deadline(
    agreement, monkeypatch, tmp_path
):
    def render_slowly(report, file_format, **options):
        time.sleep(1.5)  # past the 1-second deadline
        return b"written anyway"

    monkeypatch.setattr(
        "reporting.management.commands.export_report.report_render", render_slowly
    )
    output = tmp_path / "report.pdf"

    call_command("export_report", agreement.slug, "2022", "--output", output)

    assert output.read_bytes() == b"written anyway"


# The deadline itself ----------------------------------------------------------------


def test_the_deadline_leaves_no_timer_and_the_previous_handler_behind():
    previous = signal.getsignal(signal.SIGALRM)

    with pytest.raises(ReportTooSlow), report_deadline(0.05):
        time.sleep(1)

    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is previous


def test_the_deadline_is_not_swallowed_by_a_catch_all_in_a_renderer():
    def renderer_that_catches_everything():
        try:
            time.sleep(1)
        except Exception:  # as WeasyPrint does around fonts and images
            return "carried on"
        return "finished"

    with pytest.raises(ReportTooSlow), report_deadline(0.05):
        renderer_that_catches_everything()


def test_no_deadline_when_it_is_zero():
    with report_deadline(0):
        time.sleep(0.1)


def test_no_deadline_outside_the_main_thread():
    # Signals reach only the main thread: a threaded server serves without one.
    outcome = {}

    def work():
        outcome["available"] = deadline_available()
        with report_deadline(0.05):
            time.sleep(0.2)
        outcome["finished"] = True

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()

    assert outcome == {"available": False, "finished": True}
