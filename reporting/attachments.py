"""Uploaded photos and documents, served only through here.

Nothing serves MEDIA_ROOT directly, in development or production: each file is
looked up among the attachments, sent to anyone when it and every record above it
are published, else only to staff allowed to view that kind of attachment, and
always as a download that a browser will not run: its type from the allowlist (or
octet-stream), `nosniff`, and a CSP that sandboxes it should it be opened anyway.
An <img> still shows a photo sent as a download.
"""

from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from cooperation import scopes, uploads
from exchanges.models import VisitAttachment
from programs.models import DistributionAttachment, ProgramAttachment

ATTACHMENT_MODELS = (VisitAttachment, ProgramAttachment, DistributionAttachment)
SANDBOX_POLICY = "default-src 'none'; sandbox"
# Stored names are random and never reused, so a public file can be kept a day.
PUBLIC_CACHE = "public, max-age=86400"


def attachment_found(name):
    """The attachment stored under `name`, and whether the public may see it."""
    for model in ATTACHMENT_MODELS:
        attachment = model.objects.filter(file=name).first()
        if attachment is not None:
            published = model.objects.published().filter(pk=attachment.pk).exists()
            return attachment, published
    raise Http404


def may_view(user, attachment):
    """Staff allowed to view this kind of attachment, of a record their
    organisation may view (cooperation/scopes.py)."""
    options = attachment._meta
    return (
        user.is_active
        and user.is_staff
        and user.has_perm(f"{options.app_label}.view_{options.model_name}")
        and scopes.may_view(user, attachment)
    )


@require_safe
def attachment_file(request, name):
    attachment, published = attachment_found(name)
    if not published and not may_view(request.user, attachment):
        # Not found, rather than forbidden: an unpublished file's existence is
        # not the public's business either.
        raise Http404
    try:
        stored = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        stored,
        as_attachment=True,
        filename=attachment.download_name,
        content_type=uploads.served_type(attachment.file.name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = PUBLIC_CACHE if published else "private, no-store"
    return response
