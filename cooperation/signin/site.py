"""The admin site: Django's, plus a second factor for superusers when
OTP_REQUIRED_FOR_SUPERUSERS is on, and the page a locked-out reader sees."""

import functools
import logging
import math

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core import checks
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cooperation.security import client_ip

from .audit import audit_event

SECOND_FACTOR_MISSING = _(
    "Your account needs a second factor to sign in. Ask the site's administrator "
    "to set one up for you (manage.py otp_enrol)."
)
SECOND_FACTOR_REQUIRED = _(
    "Enter the code from your authenticator app, or one of your backup codes."
)
SECOND_FACTOR_WRONG = _(
    "That code is not right, or it has expired. Enter the code your authenticator "
    "app shows now."
)
SECOND_FACTOR_PAUSED = _(
    "Too many wrong codes. Wait a minute, then enter the code your authenticator "
    "app shows."
)


def second_factor_required(user):
    return settings.OTP_REQUIRED_FOR_SUPERUSERS and user.is_superuser


class SecondFactorAdminAuthenticationForm(
    OTPAuthenticationFormMixin, AdminAuthenticationForm
):
    """Django's admin sign-in form; a superuser also gives a one-time code when
    OTP_REQUIRED_FOR_SUPERUSERS is on. Other staff sign in as before.

    One field for the code: six digits are the authenticator app's, anything else a
    backup code. (django-otp's own form asks which device in a second step.)
    """

    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )
    otp_device = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_challenge = forms.CharField(required=False, widget=forms.HiddenInput)

    otp_error_messages = {
        **OTPAuthenticationFormMixin.otp_error_messages,
        "token_required": SECOND_FACTOR_REQUIRED,
        "invalid_token": SECOND_FACTOR_WRONG,
        "device_required": SECOND_FACTOR_MISSING,
        "n_failed_attempts": SECOND_FACTOR_PAUSED,
        "verification_not_allowed": SECOND_FACTOR_PAUSED,
    }

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if user is not None and second_factor_required(user):
            if not user_has_device(user):
                raise forms.ValidationError(SECOND_FACTOR_MISSING, code="no_device")
            self.clean_otp(user)
        return cleaned_data

    def _chosen_device(self, user):
        token = (self.cleaned_data.get("otp_token") or "").strip()
        kind = TOTPDevice if token.isdigit() else StaticDevice
        return kind.objects.devices_for_user(user, confirmed=True).first()

    def _verify_token(self, user, token, device=None):
        try:
            return super()._verify_token(user, token, device)
        except forms.ValidationError:
            audit_event(
                "second_factor_failed",
                self.request,
                username=user.get_username(),
                level=logging.WARNING,
            )
            raise


# The admin's menu in the order of a clerk's work: the agreement and its year first,
# then what happens under it (visits, programmes, distributions), the shared
# reference lists after them, accounts last. Anything not named keeps Django's
# alphabetical place after the named ones.
MENU_ORDER = [
    "cooperation.agreement",
    "cooperation.yearconfirmation",
    "cooperation.commitment",
    "exchanges.delegationvisit",
    "exchanges.visitmember",
    "exchanges.informationexchange",
    "exchanges.visitattachment",
    "programs.jointprogram",
    "programs.giftdistribution",
    "programs.distributionitem",
    "programs.recipient",
    "programs.programattachment",
    "programs.distributionattachment",
    "programs.itemkind",
    "cooperation.organisation",
    "cooperation.area",
    "cooperation.exchangerate",
]
APP_ORDER = ["cooperation", "exchanges", "programs"]


def menu_position(label, order):
    return order.index(label) if label in order else len(order)


LOGO_NOT_FOUND = "SOCIETY_LOGO names %s, which is not among the static files."


@functools.cache
def _static_file_exists(path):
    # Asked on every admin page; a new file needs a restart (collectstatic does).
    return bool(finders.find(path)) or staticfiles_storage.exists(path)


def society_logo():
    """The SOCIETY_LOGO setting as {"url", "alt"} for the admin's header, or None
    when none is set or its file cannot be found: the header then shows its text
    only, rather than a broken image or (with the manifest storage) an error on
    every page. `society_logo_check` says why at start-up."""
    path = settings.SOCIETY_LOGO
    if not path or not _static_file_exists(path):
        return None
    try:
        url = staticfiles_storage.url(path)
    except ValueError:  # not in the manifest that collectstatic wrote
        return None
    return {"url": url, "alt": settings.SOCIETY_LOGO_ALT}


def society_logo_check(app_configs=None, **kwargs):
    """A warning when SOCIETY_LOGO names a file that is not among the static files."""
    path = settings.SOCIETY_LOGO
    if not path or _static_file_exists(path):
        return []
    return [
        checks.Warning(
            LOGO_NOT_FOUND % path,
            hint="Put the file in static/img/ (or another STATICFILES_DIRS folder) "
            "and run collectstatic, or leave SOCIETY_LOGO empty for a text header.",
            id="cooperation.W001",
        )
    ]


class CooperationAdminSite(admin.AdminSite):
    login_form = SecondFactorAdminAuthenticationForm
    site_header = _("Red Cross cooperation agreements")
    site_title = _("Cooperation agreements")
    index_title = _("Records of visits, programmes and distributions")

    def each_context(self, request):
        return {**super().each_context(request), "society_logo": society_logo()}

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            app["models"].sort(
                key=lambda model: menu_position(
                    f"{app['app_label']}.{model['object_name'].lower()}", MENU_ORDER
                )
            )
        app_list.sort(key=lambda app: menu_position(app["app_label"], APP_ORDER))
        return app_list

    @property
    def login_template(self):
        if settings.OTP_REQUIRED_FOR_SUPERUSERS:
            return "admin/login_second_factor.html"
        return None

    def has_permission(self, request):
        """Staff, as Django has it; a superuser also verified by a second factor
        when one is required (signed in before it was: asked to sign in again)."""
        if not super().has_permission(request):
            return False
        user = request.user
        if second_factor_required(user):
            return getattr(user, "is_verified", lambda: False)()
        return True


def _minutes_left(request, credentials):
    """Whole minutes until the lockout of this username at this address ends."""
    cool_off = get_cool_off(request)
    last_failure = AccessAttempt.objects.filter(
        username=get_client_username(request, credentials),
        ip_address=client_ip(request),
    ).aggregate(last=Max("attempt_time"))["last"]
    if last_failure is None:
        return max(1, math.ceil(cool_off.total_seconds() / 60))
    left = last_failure + cool_off - timezone.now()
    return max(1, math.ceil(left.total_seconds() / 60))


def signin_locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE): the admin's look,
    in the reader's language, saying for how long. 429 Too Many Requests."""
    context = {
        **admin.site.each_context(request),
        "title": _("Signing in is paused"),
        "minutes": _minutes_left(request, credentials),
    }
    return render(
        request,
        "admin/locked_out.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
