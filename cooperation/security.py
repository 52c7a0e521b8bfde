"""Response headers Django does not set on its own, and who a request came from."""

from django.conf import settings
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _

# Nothing in the app uses these browser features; a page (or a script injected
# into one) may not ask for them. Only features Chromium knows, so the header never
# logs an error in the console.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def client_ip(request):
    """The address a request came from, as far as it can be believed.

    REMOTE_ADDR, unless TRUSTED_PROXY_COUNT says that many proxies of ours stand in
    front of the app: then the address the outermost of them saw, counted from the
    right of X-Forwarded-For. Entries further left are whatever the client wrote,
    so a forged header cannot dodge a lockout or a rate limit.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]


class RequestSizeLimitMiddleware:
    """Refuses a request body larger than REQUEST_MAX_BYTES before it is read.

    Django limits form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not uploaded files,
    which it streams to disk whatever their size. Placed first, so that nothing
    (the CSRF check reads the form) has read the body yet. Django reads no more
    than Content-Length says, so a body without one is read as empty.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.REQUEST_MAX_BYTES
        if length > limit:
            # Before the language middleware: the reader's cookie or browser decides.
            with translation.override(translation.get_language_from_request(request)):
                message = _(
                    "This upload is %(size)s; at most %(limit)s can be sent at once. "
                    "Send fewer or smaller files."
                ) % {"size": filesizeformat(length), "limit": filesizeformat(limit)}
            return HttpResponse(
                message, status=413, content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)
