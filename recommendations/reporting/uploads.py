"""Evidence files: which kinds are accepted, recognised by their content, not by their name."""

from __future__ import annotations

import zipfile
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

# Leading bytes of each accepted kind. Office Open XML and OpenDocument files are ZIP
# archives and are told apart by what they hold (see _zip_kind).
_SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/msword"),  # legacy .doc/.xls/.ppt container
]
_OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
# An OpenDocument file names its kind in a member called "mimetype"; no other kind counts there.
_OPENDOCUMENT = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
_EXTENSIONS = {
    "application/pdf": {"pdf"},
    "image/png": {"png"},
    "image/jpeg": {"jpg", "jpeg"},
    "image/gif": {"gif"},
    "application/msword": {"doc", "xls", "ppt"},
    **{kind: {ext} for kind, ext in zip(_OOXML.values(), ("docx", "xlsx", "pptx"), strict=True)},
    **{kind: {ext} for kind, ext in _OPENDOCUMENT.items()},
}
ACCEPTED = "PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG or GIF"
# Longest name a file is stored under, in UTF-8 bytes: file systems allow 255 bytes a name,
# and with its folders (evidence/<actor>/<random>/) it must fit the field's 300 characters.
STORED_NAME_BYTES = 100
# What zipfile raises on a damaged, encrypted or exotic archive.
_DAMAGED_ZIP = (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError, ValueError, zlib.error)


def sniff_content_type(upload: UploadedFile) -> str:
    """The file's type as its content shows it, or "" when it is none of the accepted kinds."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    return ""


def _zip_kind(upload: UploadedFile) -> str:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                # A kind's name is short: read no more, however much the member unpacks to.
                with archive.open("mimetype") as member:
                    kind = member.read(100).decode("ascii", "replace").strip()
                return kind if kind in _OPENDOCUMENT else ""
    except _DAMAGED_ZIP:
        return ""
    finally:
        upload.seek(0)
    if "[Content_Types].xml" in names:
        return next((kind for prefix, kind in _OOXML.items() if any(n.startswith(prefix) for n in names)), "")
    return ""


def validate_evidence_file(upload: UploadedFile) -> None:
    """Refuse a file that is too big, of a kind not accepted, or whose name hides its kind."""
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"{upload.name} is {filesizeformat(upload.size)}; files may be at most {filesizeformat(limit)}."
        )
    kind = sniff_content_type(upload)
    if not kind:
        raise ValidationError(f"{upload.name} is not a {ACCEPTED} file (its content was checked, not its name).")
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in _EXTENSIONS[kind]:
        raise ValidationError(
            f"{upload.name} is named as .{extension or '(none)'} but its content is {kind}; rename it and try again."
        )


def stored_name(name: str) -> str:
    """The uploaded name, shortened to STORED_NAME_BYTES with its extension kept, to store the file under.

    The record keeps the whole name, which downloads are given; a long name in a script of
    several bytes a letter (Thai, Chinese) would otherwise not fit the file system.
    """
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    room = max(STORED_NAME_BYTES - len(dot.encode()) - len(extension.encode()), 0)
    return stem.encode()[:room].decode("utf-8", "ignore") + dot + extension
