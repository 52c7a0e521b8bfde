"""Which language a request is answered in, and a page's address in another one.

Public pages take their language from their address alone: Vietnamese, the default,
without a prefix (/agreements/…), Lao under /lo/ and English under /en/; /vi/…
redirects to the address without it (config/urls.py). An address says one language
whoever asks, so a cached page needs no Vary on the reader's browser or cookie.

Everything outside the prefixes that a person reads (the admin and its report
downloads) follows the reader's choice instead: the `django_language` cookie that
the language switch on every public page sets, then the browser's Accept-Language,
then Vietnamese.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404
from django.urls import (
    LocalePrefixPattern,
    Resolver404,
    URLResolver,
    get_resolver,
    reverse,
    translate_url,
)
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _


def _public_resolver(urlconf):
    """The resolver of the pages under `i18n_patterns` in `urlconf`, if any."""
    for pattern in get_resolver(urlconf).url_patterns:
        if isinstance(pattern, URLResolver) and isinstance(
            pattern.pattern, LocalePrefixPattern
        ):
            return pattern
    return None


def _is_default_language_address(path_info, urlconf):
    """Whether `path_info`, which has no language prefix, is read in the default
    language: a public page, or no page at all (a 404 is answered like the pages
    around it). The admin and the other addresses outside the prefixes are not."""
    public = _public_resolver(urlconf)
    if public is None:
        return False
    # The public patterns match the unprefixed address only in the default language.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            public.resolve(path_info.removeprefix("/"))
        except Resolver404:
            pass
        else:
            return True
        try:
            get_resolver(urlconf).resolve(path_info)
        except Resolver404:
            return True
    return False


class LanguageMiddleware:
    """Django's LocaleMiddleware, except that an address outside the language
    prefixes follows the reader's cookie and browser.

    Django's own, with `prefix_default_language=False`, answers every address
    without a prefix in LANGUAGE_CODE, the admin's included, whatever the staff
    member chose.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        from_address = translation.get_language_from_path(request.path_info)
        if from_address is None and _is_default_language_address(
            request.path_info, urlconf
        ):
            from_address = settings.LANGUAGE_CODE
        translation.activate(
            from_address or translation.get_language_from_request(request)
        )
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        if from_address is None:
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        # A view that answers in another language (a report's ?lang=) says so itself.
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


def address_language(url):
    """The language the public page at `url` is in: its prefix, or the default."""
    path = urlsplit(url).path
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


def address_in_language(url, language):
    """`url` (a path, its query kept) as the same page's address in `language`.

    An address that is no public page has no translation: the language's home page
    stands for it, so that choosing a language always lands on a page in it.
    """
    source = address_language(url)
    with translation.override(source):
        translated = translate_url(url, language)
    if translated == url and language != source:
        with translation.override(language):
            return reverse("reporting:agreement_list")
    return translated


def report_language(request):
    """The language a report download is written in: `?lang=` when given (one of
    LANGUAGES), otherwise the language of the page it is linked from, which is the
    language of its own address."""
    code = request.GET.get("lang")
    if code is None:
        return translation.get_language()
    if code not in dict(settings.LANGUAGES):
        raise Http404(_("Unknown language."))
    return code
