import pytest
from django.core.cache import cache

from cooperation.staff_groups import DATA_ENTRY, VIEWER
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _english(settings):
    """Tests read English messages unless a test switches language itself."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with no cached page: the database rolls back between tests,
    and with it the content version that cache keys carry."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def data_entry_client(client, db):
    client.force_login(UserFactory(username="clerk", groups=[DATA_ENTRY]))
    return client


@pytest.fixture
def viewer_client(client, db):
    client.force_login(UserFactory(username="reader", groups=[VIEWER]))
    return client
