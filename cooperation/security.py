"""Response headers Django does not set on its own, and who a request came from."""

from django.conf import settings

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
