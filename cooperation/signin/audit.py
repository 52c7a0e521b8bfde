"""The audit log: who signed in, failed, was locked out, signed out, was refused
(403) or exported a staff report, from which address, and when (UTC).

One line per event on the `cooperation.audit` logger, as `key=value` pairs:
`event=login_failed user=alice ip=203.0.113.5 method=POST path=/admin/login/`. The
username and the request's address and path only: never a password, never other
form data, never a beneficiary's record. A value that is not a plain word is
JSON-quoted, so a username with a newline cannot forge a second line.
"""

import json
import logging
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.dispatch import receiver

from cooperation.security import client_ip

AUDIT_LOGGER = logging.getLogger("cooperation.audit")
PLAIN_VALUE = re.compile(r"[A-Za-z0-9_.:/@+-]+")
# A username field holds at most this much; whatever else was typed there is noise.
USERNAME_LENGTH = 150


def _quoted(value):
    text = str(value)
    return text if PLAIN_VALUE.fullmatch(text) else json.dumps(text, ensure_ascii=False)


def _signed_in_username(request):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.get_username()
    return ""


def audit_event(event, request, *, username=None, level=logging.INFO, **details):
    """Log `event` for `request`: the user (the signed-in one unless `username`
    says who tried), the client's address, the method and path, then `details`."""
    if username is None:
        username = _signed_in_username(request) if request is not None else ""
    fields = {
        "event": event,
        "user": str(username)[:USERNAME_LENGTH],
        "ip": client_ip(request) if request is not None else "",
        "method": getattr(request, "method", None) or "",
        "path": getattr(request, "path", ""),
        **details,
    }
    line = " ".join(f"{name}={_quoted(value)}" for name, value in fields.items())
    AUDIT_LOGGER.log(level, line, extra={"audit": fields})


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender, request, user, **kwargs):
    audit_event("login", request, username=user.get_username())


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    # Only the name typed: `credentials` holds the (masked) password too.
    username = credentials.get(get_user_model().USERNAME_FIELD) or ""
    audit_event("login_failed", request, username=username, level=logging.WARNING)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender, request, user, **kwargs):
    audit_event("logout", request, username=user.get_username() if user else "")


class ForbiddenAuditMiddleware:
    """Every 403, whichever view or check refused: the CSRF check, the admin's
    permissions, a staff download."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            audit_event("forbidden", request, level=logging.WARNING)
        return response


# Imported here, after the receivers above are connected: importing axes.signals
# connects axes' own failed-login receiver, which announces the lockout, and the
# log should read the failure before the lockout it causes.
from axes.signals import user_locked_out  # noqa: E402


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def _locked_out(sender, request, username, **kwargs):
    audit_event("locked_out", request, username=username or "", level=logging.WARNING)
