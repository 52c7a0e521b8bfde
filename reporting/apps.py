from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Progress and reports")

    def ready(self):
        from .content_triggers import content_triggers_install

        post_migrate.connect(
            content_triggers_install, sender=self, dispatch_uid="content_triggers"
        )
