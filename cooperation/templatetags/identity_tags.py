"""The app's identity on public pages: the society's own logo when SOCIETY_LOGO
names one (the admin's header shows the same, cooperation/signin/site.py)."""

from django import template

from cooperation.signin.site import society_logo as configured_logo

register = template.Library()


@register.simple_tag
def society_logo():
    """{"url", "alt"} of the configured logo, or None."""
    return configured_logo()
