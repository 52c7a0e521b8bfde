"""The public pages and downloads, once per language (see config/urls.py)."""

from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.agreement_list, name="agreement_list"),
    path("agreements/<slug:slug>/", views.agreement_detail, name="agreement"),
    path(
        "agreements/<slug:slug>/<int:year>/",
        views.agreement_year,
        name="agreement_year",
    ),
    path(
        "agreements/<slug:slug>/<int:year>/report.<str:file_format>",
        views.agreement_report,
        name="agreement_report",
    ),
]
