"""No text a reader sees in our templates escapes translation.

Every template under templates/ (our admin overrides included, Django's own admin
templates not: they are not ours) is read as Django reads it. What is left once the
marked and the computed parts are taken out, `{% translate %}`,
`{% blocktranslate %}`…`{% endblocktranslate %}`, `{{ … }}`, `{% … %}`, `{# … #}`,
`{% comment %}` blocks, HTML comments and `<script>`/`<style>` bodies, must hold no
letter: punctuation, symbols (·, –, ✓, ≈), numbers and spaces may stand as they are.
Attributes a reader meets (alt, title, aria-label, placeholder, …) count as text;
class, id, href, src, data-* and the like do not.
"""

import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Stands for a marked or computed part, so that HTML around it parses as before.
HOLE = "\ue000"
# Attributes whose value a reader sees or hears.
VISIBLE_ATTRIBUTES = {
    "alt",
    "title",
    "aria-label",
    "aria-description",
    "aria-placeholder",
    "aria-roledescription",
    "aria-valuetext",
    "placeholder",
    "label",
    "abbr",
}
# <meta name=… content=…> shown by search engines and link previews.
VISIBLE_META = {"description", "og:title", "og:description", "twitter:title"}
# A block tag whose body is marked or never shown, and the tag that closes it.
SKIPPED_BLOCKS = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
}


def has_letter(text):
    return any(unicodedata.category(char).startswith("L") for char in text)


def holed_source(source):
    """`source` with every marked or computed part replaced by HOLE, lines kept."""
    parts = []
    closing = None
    for token in Lexer(source).tokenize():
        raw = token.contents
        if token.token_type == TokenType.TEXT and closing is None:
            parts.append(raw)
            continue
        if token.token_type == TokenType.BLOCK:
            name = raw.split()[0] if raw else ""
            if closing is None and name in SKIPPED_BLOCKS:
                closing = SKIPPED_BLOCKS[name]
            elif name == closing:
                closing = None
        # Lines are what the report points at: keep the token's line breaks.
        parts.append(HOLE + "\n" * raw.count("\n"))
    return "".join(parts)


class VisibleText(HTMLParser):
    """Collects (line, text) of the visible text and attributes that hold letters."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.raw_text_tag = None

    def handle_starttag(self, tag, attrs):
        attributes = {name.replace(HOLE, ""): value or "" for name, value in attrs}
        visible = {
            name: value
            for name, value in attributes.items()
            if name in VISIBLE_ATTRIBUTES
            or (
                tag == "meta"
                and name == "content"
                and attributes.get("name", attributes.get("property")) in VISIBLE_META
            )
            or (
                tag == "input"
                and name == "value"
                and attributes.get("type") in {"submit", "button", "reset"}
            )
        }
        for name, value in visible.items():
            self.keep(f'{name}="{value.replace(HOLE, "…")}"', value)
        if tag in {"script", "style"}:
            self.raw_text_tag = tag

    def handle_endtag(self, tag):
        if tag == self.raw_text_tag:
            self.raw_text_tag = None

    def handle_data(self, data):
        if self.raw_text_tag is not None:
            return
        line = self.getpos()[0]
        # Each run between two marked parts is a piece of its own, on its own line.
        for piece in data.split(HOLE):
            text = piece.strip()
            if has_letter(text):
                start = line + piece[: piece.index(text)].count("\n")
                self.found.append((start, " ".join(text.split())))
            line += piece.count("\n")

    def keep(self, shown, text):
        if has_letter(text.replace(HOLE, "")):
            self.found.append((self.getpos()[0], shown))


# A quoted string in a CSS `content:` declaration: generated text on the page.
CSS_CONTENT = re.compile(r"content\s*:([^;}]*)")
CSS_STRING = re.compile(r"\"([^\"]*)\"|'([^']*)'")


def unmarked_text(path):
    """(line, text) of every piece of unmarked visible text in the template."""
    source = path.read_text(encoding="utf-8")
    if path.suffix == ".css":
        return [
            (source.count("\n", 0, declaration.start()) + 1, string.group(0))
            for declaration in CSS_CONTENT.finditer(source)
            for string in CSS_STRING.finditer(declaration.group(1))
            if has_letter(string.group(0))
        ]
    parser = VisibleText()
    parser.feed(holed_source(source))
    parser.close()
    return parser.found


def our_templates():
    return sorted(
        path
        for path in TEMPLATES.rglob("*")
        if path.is_file() and path.suffix in {".html", ".txt", ".css"}
    )


def test_every_template_is_checked():
    names = {path.relative_to(TEMPLATES).as_posix() for path in our_templates()}
    assert "base.html" in names
    assert "admin/cooperation/agreement/change_form.html" in names
    assert "reports/annual.css" in names


@pytest.mark.parametrize(
    "path", our_templates(), ids=lambda path: str(path.relative_to(TEMPLATES))
)
def test_template_has_no_unmarked_text(path):
    found = unmarked_text(path)
    assert not found, "Unmarked text, wrap it in {% translate %}:\n" + "\n".join(
        f"{path.relative_to(TEMPLATES)}:{line}: {text}" for line, text in found
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<p>Hello</p>", [(1, "Hello")]),
        ('<img src="a.png" alt="A map">', [(1, 'alt="A map"')]),
        ('<a href="x" title="{% translate "Map" %}">·</a>', []),
        (
            '<nav aria-label="Years">\n<b>Next</b></nav>',
            [(1, 'aria-label="Years"'), (2, "Next")],
        ),
        ('<meta name="description" content="About us">', [(1, 'content="About us"')]),
        ('<p class="lead big" id="top" data-x="yes">{{ x }} – 3 ✓</p>', []),
        ("{% blocktranslate trimmed %}\nA {{ b }} c\n{% endblocktranslate %}", []),
        ("{% comment %}Why{% endcomment %}{# why #}<!-- why -->", []),
        ("<script>let a = 'word';</script><style>p::after{}</style>", []),
        ("{% if x %}\n\nShown{% endif %}", [(3, "Shown")]),
    ],
)
def test_the_check_finds_unmarked_text_and_only_that(tmp_path, source, expected):
    template = tmp_path / "page.html"
    template.write_text(source, encoding="utf-8")
    assert unmarked_text(template) == expected
