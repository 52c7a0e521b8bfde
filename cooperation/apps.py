from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = _("Agreements, parties and places")

    def ready(self):
        # The audit log's receivers (sign-ins, failures, lockouts, sign-outs).
        from cooperation.signin import audit  # noqa: F401
