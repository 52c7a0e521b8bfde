"""What a staff member may attach to a record, judged by the file's bytes.

A file's name and the browser's content type are whatever the uploader chose: an
HTML page called `notes.jpg` once ran its script in a superuser's browser. So:

- the type comes from the content (magic bytes, and for office files the parts
  inside the zip), and only the types below are kept;
- a photo is decoded and written out again, which drops EXIF (GPS, camera serial)
  and anything hidden after the image, after its pixel count is checked from the
  header alone, so a decompression bomb is refused before it is decoded;
- the stored name is random, with the detected type's extension; the name the file
  came with is kept as data, for the download.

Serving is reporting/attachments.py: always through a view that checks
publication, always as a download.
"""

import io
import uuid
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO = "photo"
DOCUMENT = "document"


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    kind: str  # PHOTO or DOCUMENT
    pillow_format: str = ""


JPEG = FileType("jpg", "image/jpeg", PHOTO, "JPEG")
PNG = FileType("png", "image/png", PHOTO, "PNG")
WEBP = FileType("webp", "image/webp", PHOTO, "WEBP")
PDF = FileType("pdf", "application/pdf", DOCUMENT)
DOCX = FileType(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DOCUMENT,
)
XLSX = FileType(
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    DOCUMENT,
)
ODT = FileType("odt", "application/vnd.oasis.opendocument.text", DOCUMENT)
ALLOWED_TYPES = (JPEG, PNG, WEBP, PDF, DOCX, XLSX, ODT)
TYPE_BY_EXTENSION = {file_type.extension: file_type for file_type in ALLOWED_TYPES}
TYPE_BY_EXTENSION["jpeg"] = JPEG
# For the file chooser's `accept`: what to offer first, never what is trusted.
ACCEPT = tuple(f".{extension}" for extension in TYPE_BY_EXTENSION)

# The main part of a Word or Excel file, as its [Content_Types].xml names it. The
# macro-enabled variants (.docm, .xlsm) name another type, so they are not taken.
OFFICE_MAIN_PARTS = {
    "word/document.xml": (
        DOCX,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        ".main+xml",
    ),
    "xl/workbook.xml": (
        XLSX,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
}
HEADER_BYTES = 64

PHOTO_NOT_AN_IMAGE = _("A photo must be a JPEG, PNG or WebP image.")
DOCUMENT_NOT_ALLOWED = _(
    "A document must be a PDF, a Word document (.docx), an Excel workbook (.xlsx) "
    "or an OpenDocument text (.odt). Files with macros, web pages and other types "
    "are not kept."
)
PHOTO_AS_DOCUMENT = _("This file is a photo: choose the kind “photo” for it.")
DOCUMENT_AS_PHOTO = _("This file is a document: choose the kind “document” for it.")
FILE_TOO_LARGE = _(
    "This file is %(size)s; files up to %(limit)s are accepted. Reduce it (a photo "
    "to at most a few megabytes) and upload it again."
)
PHOTO_TOO_MANY_PIXELS = _(
    "This image has more than %(limit)s million pixels, the most a photo may have. "
    "Reduce it (for example to 4000 × 3000 pixels) and upload it again."
)
PHOTO_DAMAGED = _("The photo could not be read: the file may be damaged.")
STORED_FILE_MISSING = _(
    "The stored file cannot be found, so its kind cannot be checked. Upload it again."
)


def file_error(message, code, **params):
    return ValidationError({"file": ValidationError(message, code=code, params=params)})


def file_type_sniffed(file):
    """The allowed type the content is, or None. Reads the file; leaves it at 0."""
    file.seek(0)
    header = file.read(HEADER_BYTES)
    file.seek(0)
    try:
        if header.startswith(b"\xff\xd8\xff"):
            return JPEG
        if header.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if header[:4] == b"RIFF" and header[8:12] == b"WEBP":
            return WEBP
        if header.startswith(b"%PDF-"):
            return PDF
        if header.startswith(b"PK\x03\x04"):
            return _zip_type(file)
        return None
    finally:
        file.seek(0)


def _zip_type(file):
    """DOCX, XLSX or ODT by the parts inside; only the directory is read, never
    inflated whole, so a zip bomb costs nothing here."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(100).strip()
                return ODT if mimetype == ODT.content_type.encode() else None
            if "[Content_Types].xml" not in names:
                return None
            # The file is small (a few KB) but read with a cap all the same.
            with archive.open("[Content_Types].xml") as manifest:
                content_types = manifest.read(1_000_000).decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError):
        return None
    for part, (file_type, main_type) in OFFICE_MAIN_PARTS.items():
        if part in names and f'"{main_type}"' in content_types:
            return file_type
    return None


def photo_reencoded(file, file_type):
    """The photo decoded and written out again: upright, at most PHOTO_LONGEST_SIDE
    pixels on its longer side, and without EXIF, XMP, comments or trailing bytes."""
    limit = settings.PHOTO_MAX_PIXELS
    too_many_pixels = file_error(
        PHOTO_TOO_MANY_PIXELS, "photo_pixels", limit=limit // 1_000_000
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                # The size comes from the header: nothing is decoded yet.
                width, height = image.size
                if width * height > limit:
                    raise too_many_pixels
                longest = settings.PHOTO_LONGEST_SIDE
                # A JPEG can be decoded straight at a fraction of its size.
                image.draft("RGB", (longest, longest))
                image.load()
                upright = ImageOps.exif_transpose(image)
                upright.thumbnail((longest, longest), Image.Resampling.LANCZOS)
                return _encoded(upright, file_type, image.info.get("icc_profile"))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own guard, at twice its default limit, fires as the header is
        # read, before the check above can.
        raise too_many_pixels from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise file_error(PHOTO_DAMAGED, "photo_damaged") from None
    finally:
        file.seek(0)


def _encoded(image, file_type, icc_profile):
    if file_type is JPEG and image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    if file_type is WEBP and image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    options = {"JPEG": {"quality": 85, "optimize": True}, "WEBP": {"quality": 85}}
    extra = options.get(file_type.pillow_format, {"optimize": True})
    if icc_profile:
        # The colour profile says how to show the colours; it says nothing personal.
        extra["icc_profile"] = icc_profile
    output = io.BytesIO()
    image.save(output, format=file_type.pillow_format, **extra)
    return output.getvalue()


@dataclass(frozen=True)
class CheckedUpload:
    content: ContentFile  # under a random name with the detected extension
    original_name: str
    file_type: FileType


def upload_checked(file, kind):
    """The upload as it will be stored, or a ValidationError on "file" saying why."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if file.size > limit:
        raise file_error(
            FILE_TOO_LARGE,
            "file_size",
            size=filesizeformat(file.size),
            limit=filesizeformat(limit),
        )
    file_type = file_type_sniffed(file)
    kind_check(file_type, kind)
    if file_type.kind == PHOTO:
        content = photo_reencoded(file, file_type)
    else:
        content = file.read()
        file.seek(0)
    return CheckedUpload(
        content=ContentFile(content, name=f"{uuid.uuid4().hex}.{file_type.extension}"),
        original_name=PurePath(file.name or "").name[-255:],
        file_type=file_type,
    )


def kind_check(file_type, kind):
    """Refuses a type outside the allowlist, or one that is not of this kind."""
    if file_type is None:
        message = PHOTO_NOT_AN_IMAGE if kind == PHOTO else DOCUMENT_NOT_ALLOWED
        raise file_error(message, "file_type")
    if file_type.kind != kind:
        message = PHOTO_AS_DOCUMENT if kind == DOCUMENT else DOCUMENT_AS_PHOTO
        raise file_error(message, "file_kind")


def stored_file_check(field_file, kind):
    """Checks a file already stored against `kind`: on a change of kind, and for
    files stored before uploads were checked."""
    try:
        with field_file.storage.open(field_file.name, "rb") as stored:
            kind_check(file_type_sniffed(stored), kind)
    except FileNotFoundError:
        raise file_error(STORED_FILE_MISSING, "file_missing") from None


def download_name(original_name, stored_name):
    """The name a download is saved under: the uploader's name with the extension
    of what the file really is (`notes.html` holding a PDF saves as `notes.pdf`)."""
    extension = PurePath(stored_name).suffix
    stem = PurePath(original_name).stem if original_name else ""
    return f"{stem or PurePath(stored_name).stem}{extension}"


def served_type(stored_name):
    """The content type to send a stored file with: octet-stream unless allowed."""
    file_type = TYPE_BY_EXTENSION.get(PurePath(stored_name).suffix.lower().lstrip("."))
    return file_type.content_type if file_type else "application/octet-stream"
