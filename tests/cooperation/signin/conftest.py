import logging

import pytest
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "a-long-password-nobody-guesses"
WRONG_PASSWORD = "not-the-password-at-all"
OFFICE = "203.0.113.10"


def sign_in(client, username, password, *, address=OFFICE, token=None, **headers):
    """POST the admin's sign-in form from `address`, as a browser would."""
    data = {"username": username, "password": password, "next": "/admin/"}
    if token is not None:
        data["otp_token"] = token
    return client.post(reverse("admin:login"), data, REMOTE_ADDR=address, **headers)


def signed_in_as(client):
    """The username the client's session belongs to, or None."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    cookie = client.cookies.get("sessionid")
    if cookie is None or not cookie.value:
        return None
    user_id = SessionStore(session_key=cookie.value).get("_auth_user_id")
    if user_id is None:
        return None
    return get_user_model().objects.get(pk=user_id).get_username()


@pytest.fixture
def clerk(db):
    return UserFactory(username="clerk", password=PASSWORD)


@pytest.fixture
def audit_log(caplog, monkeypatch):
    """The audit log's records. The logger does not propagate (its own handler
    writes each line once), so caplog's handler on the root would see nothing."""
    monkeypatch.setattr(logging.getLogger("cooperation.audit"), "propagate", True)
    caplog.set_level(logging.INFO, logger="cooperation.audit")

    def events(name=None):
        return [
            record.audit
            for record in caplog.records
            if record.name == "cooperation.audit"
            and (name is None or record.audit["event"] == name)
        ]

    events.text = lambda: caplog.text
    return events
