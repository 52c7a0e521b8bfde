"""Every field a clerk might not understand says what it wants.

A field without help is listed here as self-explanatory, read with a clerk's eyes:
a name, a title, a text in each language, a date whose label says which one. A
new field must either carry help or be added to that list on purpose.
"""

import pytest
from django.apps import apps
from django.utils import translation

RECORD_APPS = ("cooperation", "exchanges", "programs")

# "<model>.<field>" whose label says it all.
SELF_EXPLANATORY = {
    *(
        f"{model}.{field}_{code}"
        for model, field in [
            ("area", "name"),
            ("organisation", "name"),
            ("agreement", "title"),
            ("commitment", "text"),
            ("itemkind", "name"),
            ("jointprogram", "title"),
            ("jointprogram", "description"),
            ("delegationvisit", "purpose"),
            ("delegationvisit", "outcomes"),
        ]
        for code in ("vi", "lo", "en")
    ),
    "area.notes",
    "organisation.country",
    "organisation.website",
    "agreement.signed_at",
    "agreement.start_date",
    "agreement.end_date",
    "agreement.notes",
    "agreement.parties",
    "agreementparty.agreement",
    "agreementparty.organisation",
    "agreementparty.signatory_title",
    "commitment.agreement",
    "yearconfirmation.year",
    "yearconfirmation.reopen_reason",  # its form gives the help (cooperation/admin.py)
    # Set by the app when a year is confirmed or reopened; shown read-only.
    "yearconfirmation.confirmed_by",
    "yearconfirmation.confirmed_at",
    "yearconfirmation.reopened_by",
    "yearconfirmation.reopened_at",
    "staffmembership.user",
    "delegationvisit.agreement",
    "delegationvisit.start_date",
    "delegationvisit.end_date",
    "visitmember.visit",
    "visitmember.full_name",
    "visitmember.organisation",
    "visitattachment.visit",
    "informationexchange.agreement",
    "informationexchange.from_party",
    "informationexchange.to_party",
    "informationexchange.covers_results",
    "informationexchange.covers_models_and_experience",
    "informationexchange.covers_next_year_plan",
    "informationexchange.covers_socio_economic",
    "informationexchange.covers_disease_situation",
    "informationexchange.summary",
    "informationexchange.plan_notes",
    "jointprogram.agreement",
    "jointprogram.includes_checkups",
    "jointprogram.includes_free_medicine",
    "jointprogram.includes_gifts",
    "jointprogram.includes_disease_prevention",
    "jointprogram.includes_other",
    "jointprogram.start_date",
    "jointprogram.end_date",
    "giftdistribution.program",
    "giftdistribution.start_date",
    "giftdistribution.notes",
    "distributionitem.distribution",
    "recipient.distribution",
    "recipient.full_name",
    "recipient.sex",
    "programattachment.program",
    "distributionattachment.distribution",
}
# Filled in by the app, never by a clerk.
BOOKKEEPING = {"id", "version", "created_at", "updated_at"}


# An uploaded spreadsheet waiting for its confirmation: the import's own bookkeeping,
# which no form shows (programs/imports/).
NOT_SHOWN_TO_CLERKS = {"pendingimport"}


def clerk_fields():
    """(label, field) for every field of the three apps a form can show."""
    for app in RECORD_APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            if model._meta.model_name in NOT_SHOWN_TO_CLERKS:
                continue
            for field in model._meta.get_fields():
                concrete = getattr(field, "concrete", False) or field.many_to_many
                if field.auto_created or not concrete or not field.editable:
                    continue
                if field.name in BOOKKEEPING:
                    continue
                yield f"{model._meta.model_name}.{field.name}", field


def test_every_field_a_clerk_might_not_understand_has_help():
    missing = sorted(
        label
        for label, field in clerk_fields()
        if not field.help_text and label not in SELF_EXPLANATORY
    )

    assert missing == []


def test_the_list_of_self_explanatory_fields_names_real_fields_only():
    labels = {label for label, _field in clerk_fields()}

    assert SELF_EXPLANATORY - labels == set()


@pytest.mark.parametrize(
    "label",
    [
        "visitattachment.kind",
        "programattachment.order",
        "distributionattachment.is_published",
        "agreementparty.order",
        "visitmember.order",
        "organisation.kind",
        "commitment.kind",
        "delegationvisit.kind",
        "jointprogram.status",
    ],
)
def test_kind_and_order_say_what_they_mean_in_every_language(label):
    field = dict(clerk_fields())[label]

    texts = {}
    for language in ("vi", "lo", "en"):
        with translation.override(language):
            texts[language] = str(field.help_text)

    assert all(texts.values())
    # Translated, not the English text shown to a Vietnamese or Lao clerk.
    assert texts["vi"] != texts["en"] and texts["lo"] != texts["en"]
