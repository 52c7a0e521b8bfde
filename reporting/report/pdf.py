"""report.pdf: the annual report laid out for A4 by WeasyPrint.

The PDF is templates/reports/annual.html rendered by Django's template engine, so
record text is auto-escaped exactly as on the site, and the charts are the year
page's own (`year_charts`). Only the AnnualReport is read: no query here.

Fonts are the committed Noto TTFs in static/fonts/, one @font-face per family
(see shared facts): a PDF made on a machine without them would fall back to
whatever fontconfig finds and lose Vietnamese diacritics or Lao script.
"""

from dataclasses import dataclass
from pathlib import Path
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils.translation import get_language
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from reporting.page_charts import year_charts

TEMPLATE = "reports/annual.html"

# (family, weight, static path): the faces the report uses. Noto Sans has no ≈, →
# or status marks (✓ ▲ ◐ ✕); two small subsets of Noto Sans Math and Noto Sans
# Symbols 2 carry them, so they are text in the PDF, never pictures, and no
# system font is ever asked for.
FONT_FACES = (
    ("Noto Sans", 400, "fonts/NotoSans-Regular.ttf"),
    ("Noto Sans", 700, "fonts/NotoSans-Bold.ttf"),
    ("Noto Sans Lao", 400, "fonts/NotoSansLao-Regular.ttf"),
    ("Noto Sans Lao", 700, "fonts/NotoSansLao-Bold.ttf"),
    ("Noto Sans Math", 400, "fonts/NotoSansMath-Subset.ttf"),
    ("Noto Sans Symbols 2", 400, "fonts/NotoSansSymbols2-Subset.ttf"),
)
SIGN_FAMILIES = ("Noto Sans Math", "Noto Sans Symbols 2")
LATIN_FIRST = ("Noto Sans", "Noto Sans Lao", *SIGN_FAMILIES)
LAO_FIRST = ("Noto Sans Lao", "Noto Sans", *SIGN_FAMILIES)

# The footer's margin box holds about this many characters on one line at 7.5 pt.
SHORT_TITLE_CHARS = 48


@dataclass(frozen=True)
class FontFace:
    family: str
    weight: int
    uri: str  # file:// URI of the TTF


@dataclass(frozen=True)
class PhotoFigure:
    photo: object  # progress.Photo
    uri: str  # file:// URI of the image, "" when the file is not held here


def font_faces():
    """The report's font faces, found through the static files finders."""
    faces = []
    for family, weight, path in FONT_FACES:
        found = finders.find(path)
        if not found:
            raise ImproperlyConfigured(f"The PDF report needs static/{path}.")
        faces.append(FontFace(family=family, weight=weight, uri=Path(found).as_uri()))
    return tuple(faces)


def font_families(language):
    """The families in order: Lao first for Lao text, else Latin/Vietnamese first."""
    return LAO_FIRST if (language or "")[:2] == "lo" else LATIN_FIRST


def _media_root():
    return Path(settings.MEDIA_ROOT).resolve()


def photo_uri(name):
    """file:// URI of a stored photo, or "" when it is missing or outside MEDIA_ROOT."""
    if not name:
        return ""
    root = _media_root()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return ""
    return path.as_uri()


def short_title(title):
    """The agreement's title cut at a word for the footer.

    Agreements carry no short title of their own (only the ASCII slug), and a
    full memorandum title runs to a hundred characters.
    """
    if len(title) <= SHORT_TITLE_CHARS:
        return title
    cut = title[: SHORT_TITLE_CHARS - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:–-") + "…"


class LocalFileFetcher(URLFetcher):
    """Fetches only files under the static font folders and MEDIA_ROOT.

    Record text is escaped and never becomes markup, so nothing else should ever be
    asked for; refusing the network keeps a rendering fast and free of requests.
    """

    def __init__(self, roots, **kwargs):
        super().__init__(allowed_protocols={"file"}, **kwargs)
        self.roots = tuple(Path(root).resolve() for root in roots)

    def fetch(self, url, headers=None):
        if not url.startswith("file:"):
            raise ValueError(f"The report only reads local files, not {url}")
        path = Path(url2pathname(url.split("?")[0].removeprefix("file:"))).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise ValueError(f"The report does not read {path}")
        return super().fetch(url, headers)


def report_context(report, *, photos=True):
    """What templates/reports/annual.html needs, all from the report."""
    progress = report.progress
    language = get_language() or settings.LANGUAGE_CODE
    families = font_families(language)
    return {
        "report": report,
        "agreement": report.agreement,
        "progress": progress,
        "sections": report.sections,
        "print": True,
        "charts": year_charts(progress),
        "photos": tuple(
            PhotoFigure(photo=photo, uri=photo_uri(photo.file))
            for photo in progress.photos
        )
        if photos
        else (),
        "font_faces": font_faces(),
        "font_families": ", ".join(f'"{name}"' for name in families),
        "language": language,
        "short_title": short_title(report.agreement.title),
    }


def report_html(report, *, photos=True):
    """The report as the HTML that WeasyPrint lays out (handy for looking at it)."""
    return render_to_string(TEMPLATE, report_context(report, photos=photos))


def report_pdf(report, *, photos=True) -> bytes:
    """The annual report as PDF bytes (A4, fonts embedded), in the active language."""
    context = report_context(report, photos=photos)
    html = render_to_string(TEMPLATE, context)
    font_folders = {
        Path(url2pathname(face.uri.removeprefix("file:"))).parent
        for face in context["font_faces"]
    }
    fetcher = LocalFileFetcher([*font_folders, _media_root()])
    document = HTML(
        string=html,
        base_url=_media_root().as_uri() + "/",
        url_fetcher=fetcher,
    )
    return document.write_pdf(font_config=FontConfiguration())
