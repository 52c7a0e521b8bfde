"""A deadline for preparing a report inside a web request.

Why: a report that takes too long (a very full year, a text the PDF layout
struggles with) must not hold a worker. Gunicorn's sync worker serves one request
at a time and, past its own timeout, kills the worker without a word to the
reader. Under this deadline the work stops, the reader gets a page that says so
(a 503 with Retry-After, see `reporting.views`) and the worker moves on.

How: SIGALRM through `signal.setitimer(signal.ITIMER_REAL, …)`, the only way to
interrupt running Python code from outside it in the same thread. Two limits
follow from that, both of which fall back to no deadline rather than fail:

- Signals reach only the main thread of a process. Gunicorn's sync workers serve
  requests there; the development server serves each request in a thread of its
  own unless started with `--nothreading`, and gunicorn's threaded workers
  (`--threads`) do too. There the report runs without a deadline.
- Python runs the handler between two of its own instructions, so one long call
  into C (a database query, a Pango layout) finishes before the work stops.

The management command `export_report` never enters a deadline: a command line
may take its time.
"""

import signal
import threading
from contextlib import contextmanager

from django.conf import settings

# A minute: a reader who reloads at once would only start the same work again,
# and a busy moment has passed by then. Any change to the data retires the
# refusal sooner, as cached pages carry the content version in their key.
RETRY_AFTER_SECONDS = 60


class ReportTooSlow(BaseException):
    """The report was not ready within the deadline.

    A BaseException, like KeyboardInterrupt, so that an `except Exception` inside a
    renderer (WeasyPrint has several, around fonts and images) cannot swallow it
    and carry on past the deadline.
    """


def deadline_available():
    """True where a deadline can interrupt the work: the main thread, on a system
    with interval timers (not Windows)."""
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )


def _too_slow(signum, frame):
    raise ReportTooSlow


@contextmanager
def report_deadline(seconds=None):
    """Raise ReportTooSlow in the block if it runs longer than `seconds`.

    `seconds` defaults to settings.REPORT_RENDER_SECONDS; 0 or less, or a thread
    that cannot receive signals, means no deadline.
    """
    if seconds is None:
        seconds = settings.REPORT_RENDER_SECONDS
    if seconds <= 0 or not deadline_available():
        yield
        return
    previous_handler = signal.signal(signal.SIGALRM, _too_slow)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        # Disarm first: the timer must not fire once the block is left.
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
