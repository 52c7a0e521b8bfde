"""The admin, held to each staff member's organisation (cooperation/scopes.py).

Enforced where Django decides, not by hiding buttons: the querysets, the
permission methods, the forms, and the three places where Django's admin reaches
past a model admin's queryset: dropdowns and autocomplete (the related model's
default manager), sidebar filters on related fields (every related row) and
actions (the bulk delete skips the per-object permission).
"""

import functools

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import scopes

NO_ORGANISATION = _(
    "Your account is not assigned to an organisation yet, so it shows no records. "
    "Ask an administrator to set your organisation."
)


def out_of_scope_message(count, action_name):
    if action_name == "delete_selected":
        text = ngettext(
            "You may not delete %(count)d of the selected records (another "
            "organisation's, or in a confirmed year): nothing was deleted.",
            "You may not delete %(count)d of the selected records (other "
            "organisations', or in a confirmed year): nothing was deleted.",
            count,
        )
    else:
        text = ngettext(
            "%(count)d of the selected records is another organisation's: nothing "
            "was changed.",
            "%(count)d of the selected records are other organisations': nothing "
            "was changed.",
            count,
        )
    return text % {"count": count}


class OfferedChoiceIterator(ModelChoiceIterator):
    """The rows a dropdown offers (`field.offered`); the field still accepts any
    row of its queryset, so a forged choice reaches the form's clean(), which says
    why it is refused."""

    def __init__(self, field):
        super().__init__(field)
        self.queryset = field.offered


def scope_checked_form(form_class, user, model):
    """`form_class`, refusing a record that would not be the user's organisation's.

    Checked after the model's own validation, on the record as the form would
    save it: a field that is wrong already (not a party, say) keeps its own
    message, and nothing is saved either way.
    """
    deciding_fields = {
        lookup.partition("__")[0] for lookup in scopes.rule_for(model).changed_by
    }

    def _post_clean(self):
        super(checked, self)._post_clean()
        if any(name in self.errors for name in deciding_fields):
            return
        message = scopes.refusal(
            user, model, lambda name: getattr(self.instance, name, None)
        )
        if message is not None:
            field = scopes.refused_field(model)
            self.add_error(field if field in self.fields else None, message)

    checked = type(form_class.__name__, (form_class,), {"_post_clean": _post_clean})
    return checked


def autocomplete_source(request):
    """(model, field name) of the form asking an autocomplete for choices."""
    match = request.resolver_match
    if match is None or match.url_name != "autocomplete":
        return None
    try:
        model = apps.get_model(request.GET["app_label"], request.GET["model_name"])
        model._meta.get_field(request.GET["field_name"])
    except (KeyError, LookupError, FieldDoesNotExist):
        return None
    return model, request.GET["field_name"]


class OrganisationScopeMixin:
    """Put first among a model admin's bases: it narrows what the others allow."""

    def get_queryset(self, request):
        return scopes.viewable(request.user, super().get_queryset(request))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and not request.user.is_superuser:
            field = (
                self.model._meta.pk
                if from_field is None
                else self.model._meta.get_field(from_field)
            )
            try:
                key = field.to_python(object_id)
            except ValidationError:
                return None
            if self.model._default_manager.filter(**{field.name: key}).exists():
                # Another organisation's: refused, rather than "perhaps deleted".
                raise PermissionDenied
        return obj

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or scopes.may_view(request.user, obj))

    def has_add_permission(self, request, *args, **kwargs):
        return super().has_add_permission(request, *args, **kwargs) and scopes.may_add(
            request.user, self.model
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_change(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_change(
            request, obj
        )

    def _may_change(self, request, obj):
        if obj is None:
            return scopes.may_change_some(request.user, self.model)
        return scopes.may_change(request.user, obj)

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        return scope_checked_form(form_class, request.user, self.model)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        queryset = kwargs.get("queryset")
        if queryset is None:
            queryset = self.get_field_queryset(kwargs.get("using"), db_field, request)
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.all()
        if queryset.model._meta.label_lower in scopes.RULES:
            queryset = scopes.viewable(request.user, queryset)
        kwargs["queryset"] = queryset
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        deciding = scopes.deciding_lookups(self.model, db_field.name) is not None
        # An autocomplete narrows its own answers (get_search_results, below).
        autocompleted = db_field.name in self.get_autocomplete_fields(request)
        if field is not None and deciding and not autocompleted:
            field.offered = scopes.choices_offered(
                request.user, self.model, db_field.name, queryset
            )
            field.iterator = OfferedChoiceIterator
            field.widget.choices = field.choices
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            queryset = self.get_field_queryset(kwargs.get("using"), db_field, request)
            if queryset is None:
                queryset = db_field.remote_field.model._default_manager.all()
            kwargs["queryset"] = scopes.choices_offered(
                request.user, self.model, db_field.name, queryset
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        source = autocomplete_source(request)
        if source is not None:
            model, field_name = source
            if model._meta.label_lower in scopes.RULES:
                queryset = scopes.choices_offered(
                    request.user, model, field_name, queryset
                )
        if not queryset.ordered:
            # An admin queryset annotated with counts groups its rows, and Django
            # then drops Meta.ordering: autocomplete would page an unordered list.
            queryset = queryset.order_by(*(self.model._meta.ordering or ["pk"]))
        return queryset, may_have_duplicates

    def get_list_filter(self, request):
        return [self._related_only(entry) for entry in super().get_list_filter(request)]

    def _related_only(self, entry):
        """A sidebar filter on a relation lists only the related rows of the
        records in scope, as RelatedOnlyFieldListFilter does over get_queryset."""
        path = entry[0] if isinstance(entry, tuple | list) else entry
        if not isinstance(path, str):
            return entry
        if isinstance(entry, tuple | list) and not issubclass(
            entry[1], admin.RelatedFieldListFilter
        ):
            return entry
        try:
            fields = get_fields_from_path(self.model, path)
        except (FieldDoesNotExist, NotRelationField):
            return entry
        if not fields[-1].is_relation:
            return entry
        return (path, admin.RelatedOnlyFieldListFilter)

    def get_actions(self, request):
        actions = super().get_actions(request)
        return {
            name: (self._scope_guarded(function, name), name, description)
            for name, (function, name, description) in actions.items()
        }

    def _scope_guarded(self, function, name):
        """`function`, refused as a whole when a selected record is out of reach:
        outside the user's scope, or, for a delete, in a confirmed year (what
        has_delete_permission says of each record, asked of them all in one
        query; publishing skips confirmed years itself and says so)."""

        @functools.wraps(function)
        def guarded(model_admin, request, queryset):
            model = model_admin.model
            reachable = scopes.changeable(request.user, model._default_manager.all())
            out_of_reach = ~Q(pk__in=reachable.values("pk"))
            if name == "delete_selected" and hasattr(model, "locked_condition"):
                out_of_reach |= model.locked_condition()
            refused = queryset.filter(out_of_reach).count()
            if refused:
                model_admin.message_user(
                    request, out_of_scope_message(refused, name), messages.ERROR
                )
                return None
            return function(model_admin, request, queryset)

        return guarded

    def delete_queryset(self, request, queryset):
        # The bulk delete reaches here only through the guarded action; a second
        # look costs one query and holds should another path call it.
        reachable = scopes.changeable(request.user, self.model._default_manager.all())
        if queryset.exclude(pk__in=reachable.values("pk")).exists():
            raise PermissionDenied
        super().delete_queryset(request, queryset)

    def changelist_view(self, request, extra_context=None):
        scope = scopes.staff_scope(request.user)
        if not scope.is_superuser and not scope.has_organisation:
            self.message_user(request, NO_ORGANISATION, messages.WARNING)
        return super().changelist_view(request, extra_context)
