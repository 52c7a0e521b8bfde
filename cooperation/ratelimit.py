"""Requests counted per client address in Django's cache, in fixed windows.

A window is a stretch of `window_seconds` aligned on the clock (10:00–10:10,
10:10–10:20…); each client's count lives under a key naming the window, so a new
window starts from nothing without anyone resetting it. The count is made with the
cache's atomic add and incr: with a cache every app process shares
(CACHE_URL=redis://…), several servers count into one number. With the default
per-process memory cache each process counts on its own, so a client may get up to
the limit once per process.

The client is `cooperation.security.client_ip`: behind TRUSTED_PROXY_COUNT proxies
of ours, the address the outermost saw; a forged X-Forwarded-For counts nothing.

    @rate_limited(scope="report-download", limit_setting="…", window_seconds=600,
                  refused=lambda request, retry_after: …)
    def view(request, …): …
"""

import logging
import math
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError

from .security import client_ip

logger = logging.getLogger(__name__)


def request_counted(request, *, scope, limit, window_seconds):
    """Count `request` against its client's limit in the current window.

    Returns 0 while the client is within `limit`, otherwise the whole seconds
    until the window ends, for a Retry-After header. A `limit` of 0 or less
    counts nothing and refuses nothing.
    """
    if limit <= 0:
        return 0
    now = time.time()
    window_start = int(now // window_seconds) * window_seconds
    seconds_left = max(1, math.ceil(window_start + window_seconds - now))
    key = f"rate-limit:{scope}:{window_start}:{client_ip(request)}"
    # The key outlives its window by a second, so it cannot expire before the
    # window's last request is counted.
    try:
        count = _incremented(key, timeout=seconds_left + 1)
    except RedisError as error:
        # Like the page cache: with Redis down the site stays up, uncounted.
        logger.warning("Rate limit cache unreachable, request not counted: %s", error)
        return 0
    return 0 if count <= limit else seconds_left


def _incremented(key, *, timeout):
    # add() starts the count only where none exists; incr() raises ValueError when
    # the key went in between (evicted by a full cache, or expired): start again.
    for _attempt in range(2):
        if cache.add(key, 1, timeout):
            return 1
        try:
            return cache.incr(key)
        except ValueError:
            continue
    # A cache that loses the key twice in a row is not working: let the request
    # through rather than refuse everyone.
    return 1


def rate_limited(*, scope, limit_setting, window_seconds, refused):
    """A view decorator: past `settings.<limit_setting>` requests per window from
    one client, `refused(request, retry_after_seconds)` answers instead of the view.

    The limit is read at each request (0 turns it off), not when the view is
    decorated, so a test's settings override applies.
    """

    def decorator(view):
        @wraps(view)
        def limited_view(request, *args, **kwargs):
            retry_after = request_counted(
                request,
                scope=scope,
                limit=getattr(settings, limit_setting),
                window_seconds=window_seconds,
            )
            if retry_after:
                return refused(request, retry_after)
            return view(request, *args, **kwargs)

        return limited_view

    return decorator
