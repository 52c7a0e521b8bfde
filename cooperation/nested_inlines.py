"""Rows inside an inline's rows: a programme's distributions with their items, all
entered on the programme's page and saved in one go.

Django's admin nests inlines one level only. Here each row of a parent inline (a
distribution) carries a formset of a child inline (its items), built by the child's
own InlineModelAdmin: the same fields, autocomplete, hidden version, year lock and
permissions as on the distribution's own page. The rows are shown as one field of
the parent's form, under the prefix `<parent row>-<child>`
(`distributions-0-items-1-quantity`). When "Add another" copies the parent's empty
row, Django's inlines.js renames `distributions-__prefix__` throughout it, the
child rows' names included; static/js/nested-rows.js adds and removes child rows.

Why not django-nested-admin: it replaces Django's inline templates and inlines.js
with its own (a `javascript:` link, an untranslated "Remove", a bundled jQuery UI),
which our Content-Security-Policy, three languages and history mixins would each
have to be checked against on every upgrade; this is one form field, one formset
and a small script on top of Django's own.

- A parent row is invalid while one of its child rows is: the child's message is
  shown beside it, and the parent's row says that a row below needs correcting.
- A new parent row with only child rows filled in counts as filled in, so it is
  checked (its own required fields) rather than dropped with its children.
- A parent row posted without its child rows at all (not even their management
  form, as a script might post it) leaves its children as they are.
- The parent formset saves its rows, then each row's children; the admin's save is
  one transaction, so an error anywhere leaves nothing half-saved.
- Child rows are editable only where the user may add and change both parent and
  child rows (else they are listed read-only, by the parent inline's method of the
  field's name).
"""

import copy
from dataclasses import dataclass

from django import forms
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

NESTED_ROWS_INVALID = _(
    "Correct the %(rows)s below: each message is shown beside its row. Nothing was "
    "saved."
)


@dataclass(frozen=True)
class NestedRows:
    """What a parent row needs to build, check and show its child rows; made once
    per request by `NestedRowsInlineMixin.nested_rows`."""

    inline: object  # the child InlineModelAdmin
    formset_class: type
    queryset: object
    fieldsets: list
    readonly_fields: list
    prepopulated_fields: dict
    permissions: dict

    def formset(self, parent_form, *, save_as_new):
        prefix = f"{parent_form.prefix}-{self.formset_class.get_default_prefix()}"
        # A parent row posted without any of its child rows (not even their
        # management form) leaves its children as they are.
        bound = parent_form.is_bound and f"{prefix}-TOTAL_FORMS" in parent_form.data
        formset = self.formset_class(
            data=parent_form.data if bound else None,
            files=parent_form.files if bound else None,
            instance=parent_form.instance,
            prefix=prefix,
            queryset=self.queryset,
            save_as_new=save_as_new,
        )
        if not bound and formset.initial_form_count():
            # A blank row under each parent that has children already is noise;
            # "Add another" is beside them.
            formset.extra = 0
        return formset

    def admin_formset(self, formset):
        return helpers.InlineAdminFormSet(
            self.inline,
            formset,
            self.fieldsets,
            self.prepopulated_fields,
            self.readonly_fields,
            model_admin=self.inline,
            **self.permissions,
        )


class NestedRowsWidget(forms.Widget):
    """A parent row's child rows as a table: templates/admin/nested_rows.html."""

    template_name = "admin/nested_rows.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.nested = None
        self.formset = None

    def admin_formset(self):
        if self.nested is None:
            return None
        return self.nested.admin_formset(self.formset)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["inline_admin_formset"] = self.admin_formset()
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's template engine, where the admin's template tags live.
        context = self.get_context(name, value, attrs)
        return render_to_string(self.template_name, context)

    def id_for_label(self, id_):
        # The label names the table; each cell has a label of its own.
        return ""

    def value_from_datadict(self, data, files, name):
        return None

    def value_omitted_from_data(self, data, files, name):
        return False

    @property
    def media(self):
        media = forms.Media(
            js=["admin/js/jquery.init.js", "admin/js/inlines.js", "js/nested-rows.js"],
            css={"all": ["css/nested-rows.css"]},
        )
        rows = self.admin_formset()
        return media if rows is None else rows.media + media


class NestedRowsField(forms.Field):
    """A form field that is only a place to show the child rows; it holds no value."""

    widget = NestedRowsWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        return None

    def has_changed(self, initial, data):
        return False


class NestedRowsForm:
    """Put before the ModelForm in a parent inline's form: `nested_field` names the
    NestedRowsField that shows the rows."""

    nested_field = None

    def __init__(self, *args, nested=None, nested_save_as_new=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.nested_formset = None
        if nested is not None:
            self.nested_formset = nested.formset(self, save_as_new=nested_save_as_new)
            widget = self.fields[self.nested_field].widget
            widget.nested, widget.formset = nested, self.nested_formset

    def has_changed(self):
        changed = super().has_changed()
        if changed or not self.nested_rows_posted():
            return changed
        # A new row whose children alone were filled in is checked, not dropped.
        return self.instance._state.adding and self.nested_formset.has_changed()

    def nested_rows_posted(self):
        return self.nested_formset is not None and self.nested_formset.is_bound

    def full_clean(self):
        super().full_clean()
        if not self.nested_rows_posted():
            return
        if self.empty_permitted and not self.has_changed():
            return
        if not self.nested_formset.is_valid():
            rows = self.nested_formset.model._meta.verbose_name_plural
            self.add_error(
                None,
                ValidationError(
                    NESTED_ROWS_INVALID, code="nested_rows", params={"rows": rows}
                ),
            )


class NestedRowsFormSet:
    """Put before BaseInlineFormSet in a parent inline's formset. `nested` is set on
    the class the inline makes for each request."""

    nested = None

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if self.nested is not None:
            kwargs |= {"nested": self.nested, "nested_save_as_new": self.save_as_new}
        return kwargs

    def save(self, commit=True):
        saved = super().save(commit)
        if not commit:
            return saved
        for form in self.forms:
            children = form.nested_formset
            if not form.nested_rows_posted() or form.instance.pk is None:
                continue  # no child rows posted, or a parent row left empty
            if self.can_delete and self._should_delete_form(form):
                continue
            children.save()
            # The admin's change message and log read these lists.
            self.new_objects += children.new_objects
            self.changed_objects += children.changed_objects
            self.deleted_objects += children.deleted_objects
        return saved


class PrefetchedChildrenFormSet:
    """A child formset that reads its rows from the parent's prefetched relation
    when there is one: one query for every parent's children, not one each."""

    def get_queryset(self):
        if not hasattr(self, "_queryset"):
            accessor = self.fk.remote_field.get_accessor_name()
            cache = getattr(self.instance, "_prefetched_objects_cache", {})
            if self.instance.pk is not None and accessor in cache:
                # Copies: a form writes what was posted into its record, and the
                # page's other readers of the prefetched rows show what is saved.
                self._queryset = [copy.copy(child) for child in cache[accessor]]
        return super().get_queryset()


class NestedRowsInlineMixin:
    """Put first among a parent inline's bases. `nested_inline`: the child's
    InlineModelAdmin class; `nested_field`: the form's NestedRowsField, and the
    name of this inline's method listing the children read-only."""

    nested_inline = None
    nested_field = None

    def nested_rows(self, request, obj):
        """NestedRows for the rows of `obj` (the page's record, None when adding),
        or None when the user may not edit child rows here."""
        child = self.nested_inline(self.model, self.admin_site)
        if not self.nested_editable(request, obj, child):
            return None
        formset = type(
            f"Prefetched{child.formset.__name__}",
            (PrefetchedChildrenFormSet, child.formset),
            {},
        )
        return NestedRows(
            inline=child,
            # A child row's permissions follow the page's record (its year, its
            # organisation), which every parent row on the page shares.
            formset_class=child.get_formset(request, obj, formset=formset),
            queryset=child.get_queryset(request),
            fieldsets=list(child.get_fieldsets(request, obj)),
            readonly_fields=list(child.get_readonly_fields(request, obj)),
            prepopulated_fields=dict(child.get_prepopulated_fields(request, obj)),
            permissions={
                "has_add_permission": True,
                "has_change_permission": True,
                "has_delete_permission": child.has_delete_permission(request, obj),
                "has_view_permission": True,
            },
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.nested = self.nested_rows(request, obj)
        return formset

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        child = self.nested_inline(self.model, self.admin_site)
        if not self.nested_editable(request, obj, child):
            readonly.append(self.nested_field)
        return readonly

    def nested_editable(self, request, obj, child):
        return all(
            may(request, obj)
            for may in (
                self.has_add_permission,
                self.has_change_permission,
                child.has_add_permission,
                child.has_change_permission,
            )
        )
