"""What a case's document may be: the allow-listed types, and the checks an upload passes
before it is kept — the name's extension, the first bytes, a package's parts, no programs and
no macros."""

import io
import unicodedata
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waypoint.cases.models import Document

Kind = Document.Kind

EXTENSIONS = {
    ".pdf": Kind.PDF,
    ".jpg": Kind.JPEG,
    ".jpeg": Kind.JPEG,
    ".png": Kind.PNG,
    ".docx": Kind.DOCX,
    ".xlsx": Kind.XLSX,
    ".odt": Kind.ODT,
    ".txt": Kind.TXT,
}
CONTENT_TYPES = {
    Kind.PDF: "application/pdf",
    Kind.JPEG: "image/jpeg",
    Kind.PNG: "image/png",
    Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Kind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Kind.ODT: "application/vnd.oasis.opendocument.text",
    Kind.TXT: "text/plain; charset=utf-8",
}
# Executable content, whatever the name says.
PROGRAMS = (
    (b"MZ", gettext_lazy("a Windows program")),
    (b"\x7fELF", gettext_lazy("a Linux program")),
    (b"#!", gettext_lazy("a script")),
    (b"\xca\xfe\xba\xbe", gettext_lazy("a Java or macOS program")),
    (b"\xfe\xed\xfa\xce", gettext_lazy("a macOS program")),
    (b"\xfe\xed\xfa\xcf", gettext_lazy("a macOS program")),
    (b"\xce\xfa\xed\xfe", gettext_lazy("a macOS program")),
    (b"\xcf\xfa\xed\xfe", gettext_lazy("a macOS program")),
)
SIGNATURES = {
    Kind.PDF: b"%PDF-",
    Kind.JPEG: b"\xff\xd8\xff",
    Kind.PNG: b"\x89PNG\r\n\x1a\n",
}
# The parts each package must hold; macros are never accepted.
PACKAGE_PARTS = {
    Kind.DOCX: ("[Content_Types].xml", "word/document.xml"),
    Kind.XLSX: ("[Content_Types].xml", "xl/workbook.xml"),
    Kind.ODT: ("mimetype", "content.xml"),
}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
TEXT_CONTROLS_ALLOWED = {"\t", "\n", "\r", "\f"}


def refuse(rule: str) -> ValidationError:
    return ValidationError({"file": [rule]})


def kind_of(filename: str) -> str:
    """The document type the name claims, from the allow-list."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in EXTENSIONS:
        raise refuse(
            _("only PDF, JPEG, PNG, DOCX, XLSX, ODT and TXT files are accepted, not “%(suffix)s”")
            % {"suffix": suffix or _("a file without an extension")}
        )
    return EXTENSIONS[suffix]


def check_content(kind: str, content: bytes) -> None:
    """Refuse content that is not what its extension says (magic bytes, package structure)."""
    label = Kind(kind).label
    for magic, what in PROGRAMS:
        if content.startswith(magic):
            raise refuse(
                _("the file is %(what)s renamed to .%(kind)s; programs are never accepted")
                % {"what": what, "kind": kind}
            )
    if kind in SIGNATURES:
        if not content.startswith(SIGNATURES[kind]):
            raise refuse(
                _("the content is not a %(kind)s file: its first bytes say otherwise")
                % {"kind": label}
            )
        return
    if kind in PACKAGE_PARTS:
        _check_package(kind, content)
        return
    _check_text(content)


def _check_package(kind: str, content: bytes) -> None:
    label = Kind(kind).label
    not_package = refuse(
        _("the content is not a %(kind)s document: it is not a valid %(kind)s package")
        % {"kind": label}
    )
    if not content.startswith(b"PK\x03\x04"):
        raise not_package
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = {info.filename: info for info in package.infolist()}
            if any(part not in names for part in PACKAGE_PARTS[kind]):
                raise not_package
            if any(_is_macro(name) for name in names):
                raise refuse(_("documents with macros are not accepted"))
            if kind == Kind.ODT:
                mimetype = names["mimetype"]
                if mimetype.file_size > 100 or package.read(mimetype) != ODT_MIMETYPE:
                    raise not_package
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, KeyError):
        raise not_package from None


def _is_macro(name: str) -> bool:
    name = name.lower()
    return name.endswith("vbaproject.bin") or name.startswith(("basic/", "scripts/"))


def _check_text(content: bytes) -> None:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise refuse(_("the content is not plain text in UTF-8 or Windows-1251"))
    if any(
        unicodedata.category(char) == "Cc" and char not in TEXT_CONTROLS_ALLOWED for char in text
    ):
        raise refuse(_("the content is not plain text: it holds binary bytes"))


def display_name(name: str) -> str:
    """The uploaded file's own name, for showing and for the download, without paths or
    control characters."""
    name = PurePath((name or "").replace("\\", "/")).name
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C").strip()
    return name[-200:] or "document"
