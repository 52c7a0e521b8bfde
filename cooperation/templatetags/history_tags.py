from django import template

from cooperation.history import change_reason_text

register = template.Library()


@register.filter
def change_reason(reason):
    """Why a version was written, in the reader's language (stored in English)."""
    return change_reason_text(reason)
