"""The admin's import pages for one programme: the template, the upload, the
preview and the confirmation.

Who may import: a staff member allowed to add and change every kind of row the
import writes (Data entry), into a programme their organisation may change
(cooperation/scopes.py); anyone else is refused (403), a Viewer included. A
programme in a year every party has confirmed takes no import.

Between the preview and the confirmation the file waits in the database
(`PendingImport`), for the clerk who uploaded it and for an hour; the
confirmation reads it again and saves only if it would still write exactly what
the preview showed.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cooperation import scopes
from cooperation.history import RecordChangedMeanwhile
from cooperation.uploads import XLSX

from ..models import PendingImport
from .files import FileRefused, file_read, size_check
from .plan import columns_mapped, import_plan, import_save, sheets_matched
from .sheets import (
    SHEETS,
    DistributionSheet,
    ImportContext,
    ItemSheet,
    sheets_for,
)
from .template import template_workbook

PENDING_IMPORT_MINUTES = 60

IMPORT_TITLE = _("Import distributions from a spreadsheet")
PREVIEW_TITLE = _("Check the import of “%(file)s”")
EXPIRED = _(
    "This upload is no longer waiting (an upload waits %(minutes)s minutes, and "
    "only for the staff member who made it): upload the file again."
)
PREVIEW_CHANGED = _(
    "The programme's records changed since the preview was shown, so nothing was "
    "saved: check the preview below again and confirm it."
)
NOTHING_TO_IMPORT = _(
    "Every row of “%(file)s” is already saved as it is: nothing was changed."
)
SAVE_REFUSED = _(
    "Nothing was saved: the database refused a row (%(reason)s). Someone may have "
    "changed the programme's distributions meanwhile; check the preview again."
)
CHANGED_DURING = _(
    "Nothing was saved: “%(record)s” was changed by someone else while the import "
    "was being saved. Check the preview again and confirm it."
)
CANCELLED = _("The import of “%(file)s” was cancelled: nothing was saved.")
IMPORTED = _("“%(file)s” imported (%(counts)s). Each record's history names the file.")
YEAR_LOCKED_IMPORT = _(
    "Every party has confirmed the records of %(year)s as complete, so nothing can "
    "be imported into this programme. To correct them, reopen the year first."
)


def imported_message(file_name, done):
    """ "“2024.xlsx” imported: 2 distributions added, 1 changed; 5 items added."."""
    parts = []
    for sheet in SHEETS:
        created, updated = done.get(sheet.key, (0, 0))
        if not (created or updated):
            continue
        parts.append(
            ngettext(
                "%(records)s: %(created)s added, %(updated)s changed",
                "%(records)s: %(created)s added, %(updated)s changed",
                created + updated,
            )
            % {"records": sheet.title, "created": created, "updated": updated}
        )
    return IMPORTED % {"file": file_name, "counts": "; ".join(parts)}


def pending_imports_forget():
    """Deletes the uploads that have waited longer than PENDING_IMPORT_MINUTES
    (every visit to an import page does; a confirmed or cancelled one is deleted
    at once)."""
    expired = timezone.now() - datetime.timedelta(minutes=PENDING_IMPORT_MINUTES)
    PendingImport.objects.filter(created_at__lt=expired).delete()


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("The filled-in template (.xlsx), or one of its sheets as CSV."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )
    csv_sheet = forms.ChoiceField(
        label=_("A CSV file holds"),
        required=False,
        help_text=_("Only for a CSV file, which holds one sheet."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["csv_sheet"].choices = [
            ("", _("the sheet its headings name")),
            *((sheet.key, sheet.title) for sheet in SHEETS),
        ]


class DistributionImportMixin:
    """Put before RecordAdmin in a programme admin's bases: adds the import pages
    and the button on the programme's page that leads to them."""

    change_form_template = "admin/programs/jointprogram/change_form_import.html"
    import_template = "admin/programs/import/upload.html"
    import_preview_template = "admin/programs/import/preview.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}_import"
        return [
            path("<int:program_id>/import/", view(self.import_view), name=name),
            path(
                "<int:program_id>/import/template.xlsx",
                view(self.import_template_view),
                name=f"{name}_template",
            ),
            path(
                "<int:program_id>/import/<uuid:token>/",
                view(self.import_preview_view),
                name=f"{name}_preview",
            ),
            *super().get_urls(),
        ]

    def import_url(self, program, suffix="", *args):
        opts = self.model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}_import{suffix}"
        return reverse(name, args=[program.pk, *args], current_app=self.admin_site.name)

    def may_import(self, request, program):
        return request.user.has_perms(self.import_permissions()) and scopes.may_change(
            request.user, program
        )

    def render_change_form(self, request, context, add=False, change=False, **kw):
        response = super().render_change_form(request, context, add, change, **kw)
        # Django has just asked whether this user may change this programme (its
        # scope and year lock): the button costs no query more. The response is
        # not rendered yet, so its context still takes the address.
        program = kw.get("obj")
        if (
            program is not None
            and response.context_data.get("has_change_permission")
            and request.user.has_perms(self.import_permissions())
        ):
            response.context_data["import_url"] = self.import_url(program)
        return response

    def import_permissions(self):
        """What every import asks: adding and changing distributions and their
        items. A sheet that asks more (recipients) says so itself
        (`Sheet.may_import`)."""
        return [
            f"{sheet.model._meta.app_label}.{action}_{sheet.model._meta.model_name}"
            for sheet in (DistributionSheet, ItemSheet)
            for action in ("add", "change")
        ]

    def import_program(self, request, program_id):
        program = self.get_object(request, str(program_id))
        if program is None:
            raise Http404
        if not self.may_import(request, program):
            raise PermissionDenied
        return program

    def import_context(self, request, program, **context):
        opts = self.model._meta
        return {
            **self.admin_site.each_context(request),
            "opts": opts,
            "app_label": opts.app_label,
            "original": program,
            "program": program,
            "change_url": reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=[program.pk],
                current_app=self.admin_site.name,
            ),
            "import_url": self.import_url(program),
            "template_url": self.import_url(program, "_template"),
            "max_size": filesizeformat(settings.IMPORT_MAX_BYTES),
            "max_rows": settings.IMPORT_MAX_ROWS,
            **context,
        }

    def import_template_view(self, request, program_id):
        program = self.import_program(request, program_id)
        content = template_workbook(ImportContext(program, request.user))
        response = HttpResponse(content, content_type=XLSX.content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="distributions-{program.year}-{program.pk}.xlsx"'
        )
        return response

    def import_view(self, request, program_id):
        program = self.import_program(request, program_id)
        pending_imports_forget()
        locked = program.locked_year_errors()
        form = UploadForm()
        if locked:
            messages.error(request, YEAR_LOCKED_IMPORT % {"year": program.year})
        elif request.method == "POST":
            form = UploadForm(request.POST, request.FILES)
            if form.is_valid():
                pending = self.upload_keep(request, program, form)
                if pending is not None:
                    return HttpResponseRedirect(
                        self.import_url(program, "_preview", pending.token)
                    )
        context = self.import_context(
            request,
            program,
            title=IMPORT_TITLE,
            form=form,
            locked=bool(locked),
            sheets=sheets_for(request.user),
        )
        return TemplateResponse(request, self.import_template, context)

    def upload_keep(self, request, program, form):
        """The upload as a PendingImport, or None with the form's error saying
        why the file is refused."""
        upload = form.cleaned_data["file"]
        csv_sheet = form.cleaned_data["csv_sheet"]
        try:
            size_check(upload.size)
            content = upload.read()
            raw = file_read(content, upload.name)
            for sheet, raw_sheet in sheets_matched(raw, csv_sheet)[0]:
                columns_mapped(sheet, raw_sheet)
        except FileRefused as refusal:
            form.add_error("file", str(refusal))
            return None
        return PendingImport.objects.create(
            user=request.user,
            program=program,
            file_name=(upload.name or "")[-255:],
            content=content,
            csv_sheet=csv_sheet if raw.kind == "csv" else "",
        )

    def import_preview_view(self, request, program_id, token):
        program = self.import_program(request, program_id)
        pending_imports_forget()
        pending = PendingImport.objects.filter(
            token=token, user=request.user, program=program
        ).first()
        if pending is None:
            messages.error(request, EXPIRED % {"minutes": PENDING_IMPORT_MINUTES})
            return HttpResponseRedirect(self.import_url(program))
        if request.method == "POST" and "cancel" in request.POST:
            pending.delete()
            messages.info(request, CANCELLED % {"file": pending.file_name})
            return HttpResponseRedirect(self.import_url(program))
        if program.locked_year_errors():
            messages.error(request, YEAR_LOCKED_IMPORT % {"year": program.year})
            return HttpResponseRedirect(self.import_url(program))
        try:
            raw = file_read(bytes(pending.content), pending.file_name)
            plan = import_plan(
                raw, ImportContext(program, request.user), pending.csv_sheet
            )
        except FileRefused as refusal:
            pending.delete()
            messages.error(request, str(refusal))
            return HttpResponseRedirect(self.import_url(program))
        if request.method == "POST":
            response = self.import_confirm(request, program, pending, plan)
            if response is not None:
                return response
        context = self.import_context(
            request,
            program,
            title=PREVIEW_TITLE % {"file": pending.file_name},
            pending=pending,
            plan=plan,
            errors=plan.errors,
            fingerprint=plan.fingerprint(),
            may_confirm=not plan.errors and bool(plan.writes),
        )
        return TemplateResponse(request, self.import_preview_template, context)

    def import_confirm(self, request, program, pending, plan):
        """Saves the plan and redirects, or None to show the preview again."""
        if plan.errors:
            return None
        if request.POST.get("fingerprint") != plan.fingerprint():
            messages.warning(request, PREVIEW_CHANGED)
            return None
        if plan.writes:
            try:
                done = import_save(plan, request.user, pending.file_name)
            except RecordChangedMeanwhile as changed:
                messages.error(request, CHANGED_DURING % {"record": changed.args[0]})
                return None
            except DatabaseError as error:
                messages.error(request, SAVE_REFUSED % {"reason": error})
                return None
            messages.success(request, imported_message(pending.file_name, done))
        else:
            messages.info(request, NOTHING_TO_IMPORT % {"file": pending.file_name})
        pending.delete()
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=[program.pk],
                current_app=self.admin_site.name,
            )
        )
