"""Addresses: the public pages once per language, everything else once.

The public pages (reporting/urls.py) are in Vietnamese without a prefix, in Lao
under /lo/ and in English under /en/; /vi/… redirects to the address without it.
The admin, its report downloads, the language switch and /health/ stay outside
the prefixes: the admin follows the language its reader chose (see
reporting/languages.py).
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from reporting.attachments import attachment_file
from reporting.views import (
    default_language_redirect,
    health,
    language_choose,
    staff_report_download,
)

urlpatterns = [
    # Before the admin's own URLs, whose last pattern catches everything under it.
    path(
        "admin/cooperation/agreement/<int:pk>/report/<int:year>.<str:file_format>",
        admin.site.admin_view(staff_report_download),
        name="staff_agreement_report",
    ),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    # Uploaded files, never MEDIA_ROOT directly (reporting/attachments.py).
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", attachment_file, name="file"),
    # The one way to choose a language: a link (no form, so no CSRF token on the
    # cached pages), which sets the cookie the admin follows. Django's set_language
    # (django.conf.urls.i18n) is a POST form, so it is not offered as a second way.
    path("language/<str:code>/", language_choose, name="language"),
    re_path(rf"^{settings.LANGUAGE_CODE}/", default_language_redirect),
    *i18n_patterns(
        path("", include("reporting.urls")),
        prefix_default_language=False,
    ),
]
