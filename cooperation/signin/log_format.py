"""The audit log's time stamps (base.py's LOGGING loads this before any app: no
Django imports here)."""

import logging
import time


class UTCFormatter(logging.Formatter):
    """ISO-8601 time in UTC, to the second: 2026-11-28T23:40:00Z, whatever the
    server's or the site's time zone."""

    def formatTime(self, record, datefmt=None):
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created))
