"""Production refuses the demo login's published password, on the admin's own
sign-in page, and the refusal is in the audit log."""

from django.contrib.auth import get_user_model

from cooperation.auth import DEMO_PASSWORD, DEMO_USERNAME

from .conftest import OFFICE, sign_in, signed_in_as


def test_the_demo_password_does_not_open_a_production_admin(
    client, db, settings, audit_log
):
    settings.DEBUG = False
    get_user_model().objects.create_user(
        DEMO_USERNAME, password=DEMO_PASSWORD, is_staff=True
    )

    response = sign_in(client, DEMO_USERNAME, DEMO_PASSWORD)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert signed_in_as(client) is None
    (event,) = audit_log("login_failed")
    assert (event["user"], event["ip"]) == (DEMO_USERNAME, OFFICE)
    assert DEMO_PASSWORD not in audit_log.text()


def test_in_development_the_demo_password_still_works(client, db, settings):
    settings.DEBUG = True
    get_user_model().objects.create_user(
        DEMO_USERNAME, password=DEMO_PASSWORD, is_staff=True
    )

    assert sign_in(client, DEMO_USERNAME, DEMO_PASSWORD).status_code == 302
