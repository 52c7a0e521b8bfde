"""Whole-page caching for the public pages, invalidated by ContentVersion.

A public page is a pure function of the published records, its language, the date
(which year is "current") and the address, host and scheme included (its hreflang
alternates are absolute URLs). The key holds all four plus
the content version, which database triggers change on any write
(`content_triggers`), so any change retires every cached page at once, in every
app process, without a cache-wide delete. Pages are kept gzipped too, as
every browser asks for it: a year page shrinks from about 50 kB to 6 kB.

With a shared cache (Redis, see CACHE_URL) that stops answering, pages are
rendered uncached and a warning is logged: slower, never an error page. Each
response says `X-Page-Cache: hit` or `miss`, so whoever runs several servers can
see that they share one cache.

A 503 with Retry-After (a report stopped by its deadline) is kept too, for the
seconds it names: the server has said the answer stands until then, and a reader
who reloads must not start the same slow work again.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile
from django.utils.text import compress_string
from django.utils.translation import get_language
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")


def page_key(request, version, variant=()):
    """The cache key: version, language, date, address, and what `variant` names.

    The language is the active one, which the address gives a public page and a
    report's `?lang=` overrides; it is in the key as well as the path, so that a
    view answering in another language than its address's gets its own entry.

    The query string is left out: a parameter the view does not read must not make
    a new entry (`report.pdf?r=1`, `?r=2`… would each build a fresh PDF). A view
    whose response depends on a parameter passes its parsed value in `variant`.
    """
    raw = "|".join(
        [
            str(version),
            get_language() or "",
            timezone.localdate().isoformat(),
            request.scheme,
            request.get_host(),
            request.path,
            repr(tuple(variant)),
        ]
    )
    return "public-page:" + hashlib.sha256(raw.encode()).hexdigest()


# Headers kept with the body: what a download needs to arrive as a file, and when
# to ask again after a refusal.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Retry-After")
# Only text gains from gzip; PDF, XLSX and DOCX are compressed already.
COMPRESSIBLE = ("text/",)
CACHE_HEADER = "X-Page-Cache"


# `status` comes last with a default: entries stored before it was kept (in a
# shared cache that outlives a deploy) were all 200 responses.
def _response(request, content, compressed, headers, status=200, *, hit=False):
    if compressed is not None and ACCEPTS_GZIP.search(
        request.headers.get("accept-encoding", "")
    ):
        response = HttpResponse(compressed, status=status)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    patch_vary_headers(response, ["Accept-Encoding"])
    response[CACHE_HEADER] = "hit" if hit else "miss"
    return response


def cached_page(request, version, render, *, variant=()):
    """The cached page for this request at `version`, or `render()` kept for later.

    `variant`: the parsed query parameters the response depends on, if any.

    Only successful responses that set no cookie are kept, for
    PUBLIC_PAGE_CACHE_SECONDS: a page that sets a cookie belongs to one reader,
    and errors are cheap to make again. The exception is a 503 with Retry-After,
    kept for that many seconds, as its error was expensive to reach.
    """
    if request.method not in ("GET", "HEAD") or version is None:
        return render()
    key = page_key(request, version, variant)
    stored = _cache_get(key)
    if stored is not None:
        return _response(request, *stored, hit=True)
    response = render()
    response[CACHE_HEADER] = "miss"
    timeout = _keep_seconds(response)
    if not timeout or response.cookies or response.streaming:
        return response
    content = response.content
    headers = tuple((name, response[name]) for name in KEPT_HEADERS if name in response)
    compressed = None
    if response.get("Content-Type", "").startswith(COMPRESSIBLE):
        compressed = compress_string(content)
        if len(compressed) >= len(content):
            compressed = None
    stored = (content, compressed, headers, response.status_code)
    _cache_set(key, stored, timeout)
    return _response(request, *stored)


def _cache_get(key):
    """The stored entry, or None when there is none or the cache cannot be reached."""
    try:
        return cache.get(key)
    except RedisError as error:
        logger.warning("Page cache unreachable, rendering uncached: %s", error)
        return None


def _cache_set(key, stored, timeout):
    try:
        cache.set(key, stored, timeout)
    except RedisError as error:
        logger.warning("Page cache unreachable, page not kept: %s", error)


def _keep_seconds(response):
    """How long `response` may be served from the cache: 0 for not at all."""
    if response.status_code == 200:
        return settings.PUBLIC_PAGE_CACHE_SECONDS
    if response.status_code == 503 and response.get("Retry-After", "").isdigit():
        return int(response["Retry-After"])
    return 0
