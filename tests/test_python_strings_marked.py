"""No text a reader sees, written in our Python, escapes translation.

An AST walk over cooperation/, exchanges/, programs/ and reporting/ (migrations left
out: they copy the strings of the models) finds the places where text reaches a
reader: field and model names and help (`verbose_name=`, `help_text=`, Meta's
`verbose_name`), validation and admin messages (`ValidationError(`, `messages.*(`,
`message_user(`), admin column and action titles (`@admin.display(description=`,
`short_description`, fieldset titles), the labels of `TextChoices` (a member
without one gets an English label made from its name), the report's `Column(` and
`Section(title=`, and a 404's message (404.html shows it).

A plain string there, an f-string or a `"…" % x` with letters in its literal part,
fails; a call of gettext (under any name imported from django.utils.translation)
passes. A module constant there (`YEAR_LOCKED`, the messages kept as constants so
that tests assert them) is judged by its value; any other name passes, its text
marked where it was made.
"""

import ast
import functools
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings

APPS = ("cooperation", "exchanges", "programs", "reporting")
ROOT = Path(settings.BASE_DIR)
# Keyword arguments and class attributes that hold text a reader sees.
TEXT_KEYWORDS = {"verbose_name", "verbose_name_plural", "help_text"}
TEXT_ATTRIBUTES = {"verbose_name", "verbose_name_plural", "short_description"}
# Calls whose argument at this position, or keyword of this name, a reader sees.
TEXT_ARGUMENTS = {
    "ValidationError": (0, "message"),
    "message_user": (1, "message"),
    "Http404": (0, None),
    "Column": (0, "title"),
    "Section": (1, "title"),
}
DESCRIBED = {"display", "action"}  # @admin.display(description=…), @admin.action


def has_letter(text):
    return any(unicodedata.category(char).startswith("L") for char in text)


def call_name(call):
    function = call.func
    if isinstance(function, ast.Attribute):
        return function.attr
    if isinstance(function, ast.Name):
        return function.id
    return None


def translation_names(tree):
    """Every name the module imported from django.utils.translation."""
    names = {"translation"}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "django.utils.translation"
        ):
            names |= {alias.asname or alias.name for alias in node.names}
    return names


def module_constants(tree):
    """{name: value} of the module-level `NAME = value` assignments in `tree`."""
    return {
        node.targets[0].id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id.isupper()
    }


def unmarked(node, translated, constants=None):
    """The unmarked literal text `node` gives a reader, or None when it is marked
    (or computed elsewhere, where it was marked).

    `translated`: the names of gettext and friends in the module; `constants`: the
    module constants that a name may stand for, with their values.
    """
    if constants is None:
        constants = {}
    if isinstance(node, ast.Name) and node.id in constants:
        return unmarked(constants[node.id], translated)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if has_letter(node.value) else None
    if isinstance(node, ast.JoinedStr):
        literal = "".join(
            part.value for part in node.values if isinstance(part, ast.Constant)
        )
        return ast.unparse(node) if has_letter(literal) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        right = node.right if isinstance(node.op, ast.Add) else None
        return unmarked(node.left, translated, constants) or (
            unmarked(right, translated, constants) if right is not None else None
        )
    if isinstance(node, ast.IfExp):
        return unmarked(node.body, translated, constants) or unmarked(
            node.orelse, translated, constants
        )
    if isinstance(node, ast.Dict):
        # ValidationError({"field": "message"}).
        return next(
            (
                found
                for value in node.values
                if (found := unmarked(value, translated, constants))
            ),
            None,
        )
    if isinstance(node, ast.List | ast.Tuple):
        return next(
            (
                found
                for item in node.elts
                if (found := unmarked(item, translated, constants))
            ),
            None,
        )
    if isinstance(node, ast.Call):
        name = call_name(node)
        if name in translated or (
            isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in translated
        ):
            return None
        if name == "format" and isinstance(node.func, ast.Attribute):
            return unmarked(node.func.value, translated, constants)
    return None


def text_places(call):
    """The arguments of `call` that a reader sees, by what names them."""
    name = call_name(call)
    keywords = {keyword.arg: keyword.value for keyword in call.keywords}
    places = [
        (f"{keyword}=", value)
        for keyword, value in keywords.items()
        if keyword in TEXT_KEYWORDS
    ]
    if name in TEXT_ARGUMENTS:
        position, keyword = TEXT_ARGUMENTS[name]
        if len(call.args) > position:
            places.append((f"{name}(", call.args[position]))
        if keyword in keywords:
            places.append((f"{name}({keyword}=", keywords[keyword]))
    if name in DESCRIBED and "description" in keywords:
        places.append((f"@admin.{name}(description=", keywords["description"]))
    function = call.func
    if (
        isinstance(function, ast.Attribute)
        and isinstance(function.value, ast.Name)
        and function.value.id == "messages"
    ):
        places += [(f"messages.{function.attr}(", arg) for arg in call.args]
        if "message" in keywords:
            places.append((f"messages.{function.attr}(message=", keywords["message"]))
    return places


def choices_labels(node):
    """(place, label) of each member of a TextChoices or IntegerChoices class."""
    if not any(ast.unparse(base).endswith("Choices") for base in node.bases):
        return []
    places = []
    for member in node.body:
        if not isinstance(member, ast.Assign):
            continue
        if isinstance(member.value, ast.Tuple):
            places.append((f"{node.name} label", member.value.elts[-1]))
        else:
            # No label: Django makes one from the name, in English for everyone.
            places.append((f"{node.name} label", ast.Constant(ast.unparse(member))))
            places[-1][1].lineno = member.lineno
    return places


def fieldset_titles(node):
    """(place, title) of each fieldset of a `fieldsets = [...]` assignment."""
    if not isinstance(node.value, ast.List | ast.Tuple):
        return []
    return [
        ("fieldset title", fieldset.elts[0])
        for fieldset in node.value.elts
        if isinstance(fieldset, ast.Tuple) and fieldset.elts
    ]


def unmarked_strings(source, filename="<source>", constants=None):
    """(line, place, text) of every unmarked text a reader sees in `source`.

    `constants`: module constants of other modules it may import, by name.
    """
    tree = ast.parse(source, filename)
    translated = translation_names(tree)
    constants = {**(constants or {}), **module_constants(tree)}
    found = []
    for node in ast.walk(tree):
        places = []
        if isinstance(node, ast.Call):
            places = text_places(node)
        elif isinstance(node, ast.ClassDef):
            places = choices_labels(node)
        elif isinstance(node, ast.Assign):
            names = [
                getattr(target, "attr", None) or getattr(target, "id", None)
                for target in node.targets
            ]
            places = [
                (f"{ast.unparse(target)} =", node.value)
                for target, name in zip(node.targets, names, strict=True)
                if name in TEXT_ATTRIBUTES
            ]
            if "fieldsets" in names:
                places += fieldset_titles(node)
        for place, value in places:
            if (text := unmarked(value, translated, constants)) is not None:
                found.append((value.lineno, place, text))
    return sorted(found)


def our_modules():
    return sorted(
        path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.relative_to(ROOT).parts
    )


@functools.cache
def all_constants():
    """Every module constant of the four apps, by name: messages are imported
    from the module that keeps them (cooperation/validation.py)."""
    constants = {}
    for path in our_modules():
        constants.update(module_constants(ast.parse(path.read_text(encoding="utf-8"))))
    return constants


@pytest.mark.parametrize(
    "path", our_modules(), ids=lambda path: str(path.relative_to(ROOT))
)
def test_module_marks_the_text_it_shows(path):
    found = unmarked_strings(
        path.read_text(encoding="utf-8"), str(path), constants=all_constants()
    )
    assert not found, "Unmarked text, wrap it in _() or gettext():\n" + "\n".join(
        f"{path.relative_to(ROOT)}:{line}: {place} {text!r}"
        for line, place, text in found
    )


def test_every_app_is_checked():
    checked = {path.relative_to(ROOT).parts[0] for path in our_modules()}
    assert checked == set(APPS)


UNMARKED = """
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _, gettext_lazy as _lazy

class Visit(models.Model):
    place = models.CharField(verbose_name="place", help_text=f"Where, {x}")

    class Meta:
        verbose_name_plural = "visits"

    def clean(self):
        raise ValidationError({"place": "Say where."})

@admin.display(description="Days")
def days(obj):
    messages.warning(request, "Careful: %s" % obj)
    self.message_user(request, "Done.")
    return Section("visits", "Visits", tables=(Column("Start"),))

days.short_description = "Days"

NOT_MARKED = "Not marked."

def check():
    raise ValidationError(NOT_MARKED)

class Kind(models.TextChoices):
    VISIT = "visit", "Visit"
    CALL = "call"

class VisitAdmin(admin.ModelAdmin):
    fieldsets = [(None, {"fields": ["place"]}), ("When", {"fields": ["date"]})]
"""

MARKED = """
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _, gettext_lazy as _lazy

class Visit(models.Model):
    place = models.CharField(verbose_name=_lazy("place"), help_text="")

    class Meta:
        verbose_name_plural = _lazy("visits")

    def clean(self):
        raise ValidationError({"place": _("Say where.")}, code="place")

@admin.display(description=_lazy("Days"))
def days(obj):
    messages.warning(request, _("Careful: %s") % obj)
    self.message_user(request, translation.ngettext("Done.", "Done.", 2))
    return Section("visits", title, tables=(Column(f"{title} ({currency})"),))

MARKED = _lazy("Marked.")

def check():
    raise ValidationError(MARKED)

class Kind(models.TextChoices):
    VISIT = "visit", _lazy("visit")

class VisitAdmin(admin.ModelAdmin):
    fieldsets = [(None, {"fields": ["place"]}), (_lazy("When"), {"fields": ["date"]})]
"""


def test_the_check_finds_each_kind_of_unmarked_text():
    assert unmarked_strings(UNMARKED) == [
        (8, "help_text=", "f'Where, {x}'"),
        (8, "verbose_name=", "place"),
        (11, "verbose_name_plural =", "visits"),
        (14, "ValidationError(", "Say where."),
        (16, "@admin.display(description=", "Days"),
        (18, "messages.warning(", "Careful: %s"),
        (19, "message_user(", "Done."),
        (20, "Column(", "Start"),
        (20, "Section(", "Visits"),
        (22, "days.short_description =", "Days"),
        (27, "ValidationError(", "Not marked."),
        (30, "Kind label", "Visit"),
        (31, "Kind label", "CALL = 'call'"),
        (34, "fieldset title", "When"),
    ]


def test_the_check_passes_marked_and_computed_text():
    assert unmarked_strings(MARKED) == []
