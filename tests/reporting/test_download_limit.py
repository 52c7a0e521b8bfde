"""Public report downloads per client address: past the limit, a translated 429."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from cooperation import ratelimit
from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db

LIMIT = 3
CLIENT_ADDRESS = "203.0.113.7"
# A ten-minute window's start, in seconds since the epoch (a multiple of 600), and
# a moment 450 seconds into it: 150 remain, which a reader is told as 3 minutes.
WINDOW_START = 1_767_261_600
NOW = WINDOW_START + 450
SECONDS_LEFT = 150


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.REPORT_DOWNLOADS_PER_TEN_MINUTES = LIMIT
    settings.TRUSTED_PROXY_COUNT = 0


class Clock:
    def __init__(self, now):
        self.now = now

    def time(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(NOW)
    monkeypatch.setattr(ratelimit, "time", clock)
    return clock


@pytest.fixture
def agreement():
    return AgreementFactory()


def report_url(agreement, language="en", file_format="csv"):
    with translation.override(language):
        return reverse(
            "reporting:agreement_report",
            kwargs={"slug": agreement.slug, "year": 2022, "file_format": file_format},
        )


def download(client, url, address=CLIENT_ADDRESS, **headers):
    return client.get(url, REMOTE_ADDR=address, **headers)


def test_downloads_up_to_the_limit_pass_and_the_next_gets_a_429(
    client, agreement, clock
):
    url = report_url(agreement)
    for _ in range(LIMIT):
        assert download(client, url).status_code == 200

    refused = download(client, url)

    assert refused.status_code == 429
    assert refused["Retry-After"] == str(SECONDS_LEFT)
    html = refused.content.decode()
    assert "Too many downloads" in html
    assert "Please try again in 3 minutes." in html
    year_page = reverse(
        "reporting:agreement_year", kwargs={"slug": agreement.slug, "year": 2022}
    )
    assert f'href="{year_page}"' in html
    assert refused["Content-Type"].startswith("text/html")


def test_the_refusal_speaks_the_language_of_the_address(client, agreement, clock):
    for _ in range(LIMIT):
        download(client, report_url(agreement, "vi"))

    vietnamese = download(client, report_url(agreement, "vi"))
    lao = download(client, report_url(agreement, "lo"))

    assert vietnamese.status_code == lao.status_code == 429
    assert "Quá nhiều lượt tải xuống" in vietnamese.content.decode()
    assert "Vui lòng thử lại sau 3 phút." in vietnamese.content.decode()
    assert 'lang="vi"' in vietnamese.content.decode()
    assert "ດາວໂຫຼດຫຼາຍເກີນໄປ" in lao.content.decode()
    assert "ກະລຸນາລອງໃໝ່ອີກໃນ 3 ນາທີ." in lao.content.decode()
    assert 'lang="lo"' in lao.content.decode()


def test_every_format_and_language_counts_towards_one_limit(client, agreement, clock):
    download(client, report_url(agreement, "en", "csv"))
    download(client, report_url(agreement, "vi", "xlsx"))
    download(client, report_url(agreement, "lo", "csv"))

    assert download(client, report_url(agreement, "en", "docx")).status_code == 429


def test_another_address_is_not_affected(client, agreement, clock):
    url = report_url(agreement)
    for _ in range(LIMIT + 1):
        download(client, url)

    assert download(client, url, address="198.51.100.20").status_code == 200


def test_a_forged_forwarded_for_header_does_not_start_a_new_count(
    client, agreement, clock
):
    url = report_url(agreement)
    for number in range(LIMIT):
        download(client, url, HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")

    refused = download(client, url, HTTP_X_FORWARDED_FOR="10.9.9.9")

    assert refused.status_code == 429


def test_a_new_window_starts_a_new_count(client, agreement, clock):
    url = report_url(agreement)
    for _ in range(LIMIT + 1):
        download(client, url)

    clock.now = WINDOW_START + 600

    assert download(client, url).status_code == 200


def test_the_refusal_never_replaces_the_cached_file(client, agreement, clock):
    url = report_url(agreement)
    first = download(client, url)
    for _ in range(LIMIT):
        download(client, url)

    clock.now = WINDOW_START + 600
    again = download(client, url)

    assert again.status_code == 200
    assert again.content == first.content


def test_a_limit_of_zero_turns_the_limit_off(client, agreement, clock, settings):
    settings.REPORT_DOWNLOADS_PER_TEN_MINUTES = 0
    url = report_url(agreement)

    statuses = {download(client, url).status_code for _ in range(LIMIT + 2)}

    assert statuses == {200}


def test_staff_downloads_from_the_admin_are_not_limited(admin_client, agreement, clock):
    url = reverse("staff_agreement_report", args=[agreement.pk, 2022, "csv"])

    statuses = {
        admin_client.get(url, REMOTE_ADDR=CLIENT_ADDRESS).status_code
        for _ in range(LIMIT + 2)
    }

    assert statuses == {200}


class CacheLosingTheKeyOnce:
    """The real cache, except that the key is gone at the first incr(): it
    expired, or a full cache evicted it, after add() found it still there."""

    def __init__(self):
        self.lost = False

    def add(self, *args, **kwargs):
        return cache.add(*args, **kwargs)

    def incr(self, key, delta=1):
        if not self.lost:
            self.lost = True
            cache.delete(key)
        return cache.incr(key, delta)


def test_a_count_lost_between_add_and_incr_starts_again(rf, clock, monkeypatch):
    request = rf.get("/", REMOTE_ADDR=CLIENT_ADDRESS)
    counted = {"scope": "test", "limit": 1, "window_seconds": 600}
    assert ratelimit.request_counted(request, **counted) == 0
    monkeypatch.setattr(ratelimit, "cache", CacheLosingTheKeyOnce())

    # Counted as the first of a new count rather than failing with ValueError…
    assert ratelimit.request_counted(request, **counted) == 0
    # …and the count goes on from there.
    assert ratelimit.request_counted(request, **counted) == SECONDS_LEFT


class UnreachableRedis:
    def add(self, *args, **kwargs):
        from redis.exceptions import ConnectionError

        raise ConnectionError("Connection refused")

    incr = add


def test_with_the_cache_unreachable_downloads_go_on_uncounted(
    client, agreement, clock, monkeypatch, caplog
):
    monkeypatch.setattr(ratelimit, "cache", UnreachableRedis())

    responses = [download(client, report_url(agreement)) for _ in range(LIMIT + 2)]

    assert [response.status_code for response in responses] == [200] * (LIMIT + 2)
    assert "Rate limit cache unreachable" in caplog.text
