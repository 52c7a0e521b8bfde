"""Which records a staff member may view and change: the one place that says so.

Each staff account works for one organisation (`StaffMembership`). Its staff view
every record of the agreements the organisation is a party to, and add and change
the records it leads, sends, hosts or confirms, with what hangs under them
(members, distributions, items, photos and documents); the groups then say whether
they may change at all (Data entry) or only view (Viewer). Superusers see and
change everything. A staff account without an organisation sees the shared lists
(places, organisations, item kinds, exchange rates) and no record.

A successor continues its predecessors' side of an agreement (see
`Agreement.sides`), so the staff of Quảng Ngãi's branch, which took over from Kon
Tum's in July 2025, keep Kon Tum's records; a predecessor's staff do not reach the
successor's other agreements: the administrator moves them to the successor.

Rules name models by label, not by import: `cooperation` does not import the apps
above it (tests/test_layers.py).
"""

import dataclasses

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import AgreementParty, Organisation, StaffMembership


@dataclasses.dataclass(frozen=True)
class Rule:
    """How a model's rows are scoped.

    `agreement`: the lookup from the model to its agreement's pk; None for shared
    lists every staff member sees. `changed_by`: lookups to the organisations whose
    staff change a row; none means only superusers change it. `added_by_staff`:
    shared lists that data entry may add to. `refusal`: what the form says when a
    clerk picks something that would make the record another organisation's.
    """

    agreement: str | None = None
    changed_by: tuple[str, ...] = ()
    added_by_staff: bool = False
    refusal: str = ""


VISIT_SIDES = ("sending_party", "host_party")
PICK_OWN_VISIT = _(
    "Choose a visit that your organisation, %(organisation)s, sends or hosts."
)
PICK_OWN_PROGRAMME = _(
    "Choose a programme that your organisation, %(organisation)s, leads."
)
PICK_OWN_DISTRIBUTION = _(
    "Choose a distribution of a programme that your organisation, %(organisation)s, "
    "leads."
)

RULES = {
    # The agreement and what its text says (parties, commitments) bind both sides:
    # neither side's staff changes them alone; an administrator does, as agreed.
    "cooperation.agreement": Rule(agreement="pk"),
    "cooperation.agreementparty": Rule(agreement="agreement"),
    "cooperation.commitment": Rule(agreement="agreement"),
    "cooperation.yearconfirmation": Rule(
        agreement="party__agreement",
        changed_by=("party__organisation",),
        refusal=_(
            "You confirm years for your own organisation, %(organisation)s: choose "
            "its party."
        ),
    ),
    # Places and item kinds: a clerk meets a missing district or a new kind of
    # gift while entering a distribution, and adding one takes nothing from the
    # other side; changing or deleting one changes both sides' records, so that
    # is for an administrator. Organisations and exchange rates, likewise shared,
    # change rarely and decide scopes and totals: administrators only.
    "cooperation.area": Rule(added_by_staff=True),
    "cooperation.organisation": Rule(),
    "cooperation.exchangerate": Rule(),
    "programs.itemkind": Rule(added_by_staff=True),
    "exchanges.delegationvisit": Rule(
        agreement="agreement",
        changed_by=VISIT_SIDES,
        refusal=_("Your organisation, %(organisation)s, must send or host the visit."),
    ),
    "exchanges.visitmember": Rule(
        agreement="visit__agreement",
        changed_by=tuple(f"visit__{side}" for side in VISIT_SIDES),
        refusal=PICK_OWN_VISIT,
    ),
    "exchanges.visitattachment": Rule(
        agreement="visit__agreement",
        changed_by=tuple(f"visit__{side}" for side in VISIT_SIDES),
        refusal=PICK_OWN_VISIT,
    ),
    "exchanges.informationexchange": Rule(
        agreement="agreement",
        changed_by=("from_party",),
        refusal=_(
            "Your organisation, %(organisation)s, must be the one that sends the "
            "information."
        ),
    ),
    "programs.jointprogram": Rule(
        agreement="agreement",
        changed_by=("lead_organisation",),
        refusal=_("Your organisation, %(organisation)s, must lead the programme."),
    ),
    "programs.giftdistribution": Rule(
        agreement="program__agreement",
        changed_by=("program__lead_organisation",),
        refusal=PICK_OWN_PROGRAMME,
    ),
    "programs.programattachment": Rule(
        agreement="program__agreement",
        changed_by=("program__lead_organisation",),
        refusal=PICK_OWN_PROGRAMME,
    ),
    "programs.distributionitem": Rule(
        agreement="distribution__program__agreement",
        changed_by=("distribution__program__lead_organisation",),
        refusal=PICK_OWN_DISTRIBUTION,
    ),
    # Recipient lists: the permission to see names (programs.Recipient) comes on
    # top of this; the scope alone never shows one.
    "programs.recipient": Rule(
        agreement="distribution__program__agreement",
        changed_by=("distribution__program__lead_organisation",),
        refusal=PICK_OWN_DISTRIBUTION,
    ),
    "programs.distributionattachment": Rule(
        agreement="distribution__program__agreement",
        changed_by=("distribution__program__lead_organisation",),
        refusal=PICK_OWN_DISTRIBUTION,
    ),
}


def rule_for(model):
    return RULES[model._meta.label_lower]


@dataclasses.dataclass(frozen=True)
class StaffScope:
    """A signed-in user's reach: everything, or one organisation's."""

    is_superuser: bool
    organisation: Organisation | None = None
    # The organisation and every one it succeeded, directly or through others.
    organisation_ids: frozenset = frozenset()
    # (model label, pk, "view" or "change") → answer, for the pages that ask twice.
    answers: dict = dataclasses.field(default_factory=dict, compare=False)

    @property
    def has_organisation(self):
        return self.organisation is not None

    def agreement_ids(self):
        """A subquery of the pks of the agreements a side of which is ours."""
        return AgreementParty.objects.filter(
            organisation__in=self.organisation_ids
        ).values("agreement")


def staff_scope(user):
    """The user's StaffScope, read once per request (kept on the user object)."""
    scope = getattr(user, "_staff_scope", None)
    if scope is None:
        scope = _scope_read(user)
        user._staff_scope = scope
    return scope


def _scope_read(user):
    if user.is_superuser:
        return StaffScope(is_superuser=True)
    if not user.is_authenticated:
        return StaffScope(is_superuser=False)
    membership = (
        StaffMembership.objects.select_related("organisation").filter(user=user).first()
    )
    if membership is None:
        return StaffScope(is_superuser=False)
    ids = frontier = {membership.organisation_id}
    while frontier:
        frontier = (
            set(
                Organisation.objects.filter(successor__in=frontier).values_list(
                    "pk", flat=True
                )
            )
            - ids
        )
        ids = ids | frontier
    return StaffScope(
        is_superuser=False,
        organisation=membership.organisation,
        organisation_ids=frozenset(ids),
    )


def _changers_condition(lookups, scope):
    condition = Q(pk__in=[])
    for lookup in lookups:
        condition |= Q(**{f"{lookup}__in": scope.organisation_ids})
    return condition


def viewable(user, queryset, *, rows_of=None):
    """`queryset` less the rows `user` may not view. `rows_of` names the model
    whose rule applies when the rows are another's: a history table's rows carry
    their record's relations, so the record's rule filters them."""
    scope, rule = staff_scope(user), rule_for(rows_of or queryset.model)
    if scope.is_superuser or rule.agreement is None:
        return queryset
    if not scope.has_organisation:
        return queryset.none()
    return queryset.filter(**{f"{rule.agreement}__in": scope.agreement_ids()})


def changeable(user, queryset, *, rows_of=None):
    """`queryset` less the rows `user` may not change (or delete), groups aside;
    `rows_of` as for `viewable`."""
    scope, rule = staff_scope(user), rule_for(rows_of or queryset.model)
    if scope.is_superuser:
        return queryset
    if not (scope.has_organisation and rule.changed_by):
        return queryset.none()
    return viewable(user, queryset, rows_of=rows_of).filter(
        _changers_condition(rule.changed_by, scope)
    )


def may_add(user, model):
    scope, rule = staff_scope(user), rule_for(model)
    if scope.is_superuser:
        return True
    return scope.has_organisation and bool(rule.changed_by or rule.added_by_staff)


def may_change_some(user, model):
    """Whether `user` may change any row of `model` at all (the list's actions)."""
    scope = staff_scope(user)
    return scope.is_superuser or (
        scope.has_organisation and bool(rule_for(model).changed_by)
    )


def _answer(user, obj, action, select):
    scope = staff_scope(user)
    if scope.is_superuser:
        return True
    key = (obj._meta.label_lower, obj.pk, action)
    if key not in scope.answers:
        rows = type(obj)._default_manager.filter(pk=obj.pk)
        scope.answers[key] = select(user, rows).exists()
    return scope.answers[key]


def may_view(user, obj):
    return _answer(user, obj, "view", viewable)


def may_change(user, obj):
    """Whether `user`'s organisation may change (or delete) the saved `obj`."""
    return _answer(user, obj, "change", changeable)


def deciding_lookups(model, field_name):
    """The `changed_by` lookups beyond `field_name` when that field alone decides
    whose a `model` record is ("" for the field itself), else None.

    A programme's lead organisation decides; a visit's sending party does not,
    since the host's staff may change it too.
    """
    lookups = rule_for(model).changed_by
    rests = []
    for lookup in lookups:
        first, _sep, rest = lookup.partition("__")
        if first != field_name:
            return None
        rests.append(rest)
    return rests or None


def choices_offered(user, model, field_name, queryset):
    """What a `model` form offers `user` in `field_name`, a relation whose rows
    are `queryset`: where the field decides whose the record is, only rows that
    keep it the user's own; elsewhere what the user may view."""
    scope = staff_scope(user)
    if queryset.model._meta.label_lower in RULES:
        queryset = viewable(user, queryset)
    rests = deciding_lookups(model, field_name)
    if scope.is_superuser or rests is None:
        return queryset
    if not scope.has_organisation:
        return queryset.none()
    condition = Q(pk__in=[])
    for rest in rests:
        condition |= Q(**{f"{rest or 'pk'}__in": scope.organisation_ids})
    return queryset.filter(condition)


def refusal(user, model, value_of):
    """The message to show when the record, with the values the form holds
    (`value_of(field name)`), would not be one the user's organisation may change;
    None when it would be."""
    scope, rule = staff_scope(user), rule_for(model)
    if scope.is_superuser or not rule.changed_by:
        return None
    for lookup in rule.changed_by:
        first, *rest = lookup.split("__")
        value = value_of(first)
        for name in rest:
            value = getattr(value, name, None) if value is not None else None
        if value is not None and value.pk in scope.organisation_ids:
            return None
    return rule.refusal % {"organisation": scope.organisation}


def refused_field(model):
    """The form field a refusal belongs on, or None for the form as a whole."""
    firsts = {lookup.partition("__")[0] for lookup in rule_for(model).changed_by}
    return firsts.pop() if len(firsts) == 1 else None
