"""Signing in: Django's own model backend, less the passwords this repository
publishes.

The demo login's password is in the README and the Makefile, so it opens any
site where the account was ever created. With DEBUG off (production) no one
signs in with it, even if the account is still in the database.
"""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-cooperation"
PUBLISHED_PASSWORDS = frozenset({DEMO_PASSWORD})


class PublishedPasswordRefusingBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.DEBUG and password in PUBLISHED_PASSWORDS:
            return None
        return super().authenticate(
            request, username=username, password=password, **kwargs
        )
