"""Whose address a lockout or rate limit counts: never what a client wrote alone."""

import pytest
from django.test import RequestFactory

from cooperation.security import client_ip


def request_from(remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_proxies_a_forged_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("198.51.100.1", "198.51.100.1"),
        # A client wrote the first entry; our proxy appended the address it saw.
        ("1.2.3.4, 198.51.100.1", "198.51.100.1"),
        ("", "10.0.0.2"),
    ],
)
def test_behind_one_proxy_the_address_it_saw(settings, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from("10.0.0.2", forwarded)) == expected


def test_behind_two_proxies_the_outer_ones_view(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = request_from("10.0.0.3", "1.2.3.4, 198.51.100.1, 10.0.0.2")
    assert client_ip(request) == "198.51.100.1"
