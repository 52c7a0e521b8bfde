"""The current page in every language: the switcher and the hreflang alternates."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.utils import translation

from reporting.languages import address_in_language

register = template.Library()


@dataclass(frozen=True)
class PageLanguage:
    code: str
    name_local: str
    path: str
    url: str
    is_current: bool
    is_default: bool


@register.simple_tag(takes_context=True)
def page_languages(context):
    """The page being rendered in each of LANGUAGES, in their order: its path and
    absolute URL there, and whether it is the language shown or the default one.

    The query string is left out: no public page reads one, and the page cache
    keeps one copy per path, so a page must not repeat its first reader's query.
    """
    request = context["request"]
    current = translation.get_language()
    return [
        PageLanguage(
            code=code,
            name_local=translation.get_language_info(code)["name_local"],
            path=(path := address_in_language(request.path, code)),
            url=request.build_absolute_uri(path),
            is_current=code == current,
            is_default=code == settings.LANGUAGE_CODE,
        )
        for code, _name in settings.LANGUAGES
    ]
