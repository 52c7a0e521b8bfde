from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = _("Agreements, parties and places")

    def ready(self):
        from django.apps import apps

        from .page_cache import connect_signals

        connect_signals(apps.get_app_configs())
