from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from reporting.views import staff_report_download

admin.site.site_header = _("Red Cross cooperation agreements")
admin.site.site_title = _("Cooperation agreements")
admin.site.index_title = _("Records of visits, programmes and distributions")

urlpatterns = [
    # Before the admin's own URLs, whose last pattern catches everything under it.
    path(
        "admin/cooperation/agreement/<int:pk>/report/<int:year>.<str:file_format>",
        admin.site.admin_view(staff_report_download),
        name="staff_agreement_report",
    ),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("reporting.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
