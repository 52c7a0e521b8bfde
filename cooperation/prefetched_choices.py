"""Autocomplete fields that show their chosen value without a query per row.

Django's autocomplete widget looks up the label of its selected value each time it
is drawn: one query per row of an inline, so a programme's page with twenty items
asked twenty times for their item kinds. Where the row's record already holds the
related objects (a `select_related` or a `prefetch_related` of the inline's
queryset), the form hands their labels to the widget, which then asks nothing. A
value the record does not hold (another choice posted back after an error) is
looked up as before.
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple


class PrefetchedChoicesMixin:
    # {value as posted: label}, set by PrefetchedChoicesForm from the record.
    known = None

    def optgroups(self, name, value, attr=None):
        empty = self.choices.field.empty_values
        selected = {str(v) for v in value if str(v) not in empty}
        if self.known is None or not selected <= self.known.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for option_value, label in self.known.items():
            if option_value in selected:
                options.append(
                    self.create_option(
                        name, option_value, label, selected, len(options)
                    )
                )
        return [(None, options, 0)]


class PrefetchedAutocompleteSelect(PrefetchedChoicesMixin, AutocompleteSelect):
    pass


class PrefetchedAutocompleteSelectMultiple(
    PrefetchedChoicesMixin, AutocompleteSelectMultiple
):
    pass


class PrefetchedChoicesAdminMixin:
    """For an admin or inline: its autocomplete fields use the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = PrefetchedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = PrefetchedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def related_objects_held(instance, name):
    """The objects `instance` already holds for its relation `name` (selected or
    prefetched with it), or None when reading them would take a query."""
    field = instance._meta.get_field(name)
    if field.many_to_many:
        cache = getattr(instance, "_prefetched_objects_cache", {})
        return list(cache[name]) if name in cache else None
    if field.many_to_one and field.is_cached(instance):
        related = field.get_cached_value(instance)
        return [] if related is None else [related]
    return None


class PrefetchedChoicesForm:
    """Put before the ModelForm: hands the record's related objects to its
    prefetched-choice widgets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # the "+" wrapper
            if not isinstance(widget, PrefetchedChoicesMixin):
                continue
            held = related_objects_held(self.instance, name)
            if held is None:
                continue
            key = field.to_field_name or "pk"
            widget.known = {
                str(getattr(obj, key)): field.label_from_instance(obj) for obj in held
            }
