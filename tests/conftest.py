import pytest
from django.core.cache import cache
from django.http import HttpRequest
from django.test import Client
from django.utils import translation

from cooperation.staff_groups import DATA_ENTRY, VIEWER
from tests.factories import home_branch, staff_user


class EnglishClient(Client):
    """A test client whose browser asks for English, as an English-reading staff
    member's does (the admin follows Accept-Language), and whose requests leave the
    test's own language as they found it.

    LocaleMiddleware activates the language of each request and never puts the
    previous one back: without this, a `reverse()` after a request to a Lao page
    would give a Lao address.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("headers", {"accept-language": "en"})
        super().__init__(*args, **kwargs)

    def login(self, **credentials):
        # django-axes counts failures per address, so it refuses to authenticate
        # without a request; Django's test client passes none.
        credentials.setdefault("request", HttpRequest())
        return super().login(**credentials)

    def request(self, **request):
        language = translation.get_language()
        try:
            return super().request(**request)
        finally:
            translation.activate(language)


@pytest.fixture(autouse=True)
def _english():
    """Tests read English unless a test switches language itself.

    The settings keep LANGUAGE_CODE "vi", as in production: the default language is
    the one whose pages have no prefix, so changing it would test another address
    scheme. English is active around each test instead: `reverse()` gives /en/…
    addresses and code called directly speaks English.
    """
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    return EnglishClient()


@pytest.fixture
def admin_client(db, admin_user):
    client = EnglishClient()
    client.force_login(admin_user)
    return client


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with no cached page: the database rolls back between tests,
    and with it the content version that cache keys carry."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def data_entry_client(client, db):
    """A clerk of the home branch, which the factories' default records belong to
    (tests/factories.py: `home_branch`)."""
    client.force_login(
        staff_user("clerk", groups=[DATA_ENTRY], organisation=home_branch())
    )
    return client


@pytest.fixture
def viewer_client(client, db):
    client.force_login(
        staff_user("reader", groups=[VIEWER], organisation=home_branch())
    )
    return client
