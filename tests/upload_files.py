"""Real files of each kind, and hostile ones, built in memory for the upload tests."""

import io
import struct
import zipfile
import zlib

import docx
import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

# The attack: a "document" whose script makes its uploader superuser when a
# superuser opens it from the admin.
ESCALATION_HTML = b"""<!doctype html><html><body><script>
fetch('/admin/auth/user/2/change/').then(r => r.text()).then(page => {
  const form = new DOMParser().parseFromString(page, 'text/html').forms[1];
  const data = new FormData(form); data.set('is_superuser', 'on');
  fetch(form.action, {method: 'POST', body: data});
});
</script></body></html>"""

SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
<script>alert(document.domain)</script><rect width="10" height="10"/></svg>"""


def upload(name, content):
    return SimpleUploadedFile(name, content)


def photo_bytes(image_format="JPEG", size=(40, 30), exif=None):
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, "#c8102e").save(buffer, format=image_format, **options)
    return buffer.getvalue()


def exif_with_gps_and_rotation():
    """EXIF as a phone writes it: where the photo was taken, and turned a quarter."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    exif[0x010F] = "PhoneMaker"  # Make
    gps = {1: "N", 2: (14.0, 48.0, 30.0), 3: "E", 4: (106.0, 50.0, 0.0)}
    exif[0x8825] = gps  # the GPS IFD
    return exif


def png_declaring(width, height):
    """A PNG whose header claims width × height, with almost no pixel data: the
    decompression bomb's shape, never decoded."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def pdf_bytes():
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes():
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Biên bản làm việc")
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes():
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Danh sách"
    workbook.save(buffer)
    return buffer.getvalue()


def odt_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text"
        )
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return buffer.getvalue()


def docm_bytes():
    """A Word file with macros: a .docx with its main part declared macro-enabled."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"wordprocessingml.document.main+xml",
                    b"ms-word.document.macroEnabled.main+xml",
                )
            archive.writestr(item, data)
    return buffer.getvalue()


def zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", ESCALATION_HTML)
    return buffer.getvalue()
