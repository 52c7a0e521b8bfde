from django.contrib.admin.apps import AdminConfig


class SigninAdminConfig(AdminConfig):
    """Django's admin app, with `admin.site` an instance of our site."""

    default_site = "cooperation.signin.site.CooperationAdminSite"

    def ready(self):
        super().ready()
        from django.contrib import admin
        from django.core import checks
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        # django-otp's device pages exist only in English (no Vietnamese, no Lao)
        # and show secrets; `manage.py otp_enrol` enrols and replaces devices.
        for model in (TOTPDevice, StaticDevice):
            if admin.site.is_registered(model):
                admin.site.unregister(model)

        from .site import society_logo_check

        checks.register(society_logo_check, checks.Tags.staticfiles)
