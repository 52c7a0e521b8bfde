"""The test suite: SQLite in memory unless DATABASE_URL points at PostgreSQL."""

import os
import tempfile

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
# The admin tests sign superusers in without a second factor; tests/signin turn it on.
os.environ.setdefault("OTP_REQUIRED_FOR_SUPERUSERS", "false")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="cooperation-test-media-"))
# Tests never read a developer's .env.
os.environ["ENV_FILE"] = os.devnull

from .base import *  # noqa: E402, F403
from .base import DATABASES  # noqa: E402

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["NAME"] = ":memory:"

# WhiteNoise looks for STATIC_ROOT when the app starts; tests never collect into it.
STATIC_ROOT = tempfile.mkdtemp(prefix="cooperation-test-static-")
# Each test empties the cache (tests/conftest.py): never a Redis that CACHE_URL names.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests run without collectstatic; the manifest storage would need its manifest.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
