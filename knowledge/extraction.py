"""Text out of uploaded files: PDF (pypdf), DOCX (python-docx), HTML (lxml), Markdown, plain text.

Every failure is an ExtractionError whose message tells the uploader what is wrong with the file;
nothing here writes to the database.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.utils.translation import gettext as _

from core.safe_zip import SafeZip, ZipLimits, ZipRefused

PDF, DOCX, HTML, MARKDOWN, TEXT = "pdf", "docx", "html", "markdown", "text"
EXTENSIONS = {
    "pdf": PDF,
    "docx": DOCX,
    "html": HTML,
    "htm": HTML,
    "md": MARKDOWN,
    "markdown": MARKDOWN,
    "txt": TEXT,
}
CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    HTML: "text/html",
    MARKDOWN: "text/markdown",
    TEXT: "text/plain",
}
# A DOCX (or any zip-based format) whose parts really expand beyond this, or (past 10 MB) beyond 100
# times its packed size, is treated as a zip bomb; reading stops as soon as the limit is passed.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
ZIP_LIMITS = ZipLimits(max_unpacked=MAX_UNPACKED_BYTES, max_ratio=MAX_RATIO)


class ExtractionError(Exception):
    """The file cannot be turned into text; the message says why."""


def kind_of(filename: str, content: bytes) -> str:
    """The file's kind from its extension, checked against what its bytes are."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    kind = EXTENSIONS.get(extension)
    if kind is None:
        raise ExtractionError(
            _("Unsupported file type “.%(extension)s”; upload PDF, DOCX, HTML, Markdown or text.")
            % {"extension": extension}
        )
    if len(content) > settings.KNOWLEDGE_MAX_UPLOAD_BYTES:
        raise ExtractionError(
            _("The file is larger than the %(limit)d MB limit.")
            % {"limit": settings.KNOWLEDGE_MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    is_pdf, is_zip = content.startswith(b"%PDF-"), content.startswith(b"PK\x03\x04")
    if (kind == PDF) != is_pdf or (kind == DOCX) != is_zip:
        raise ExtractionError(
            _("The content of the file does not match its “.%(extension)s” extension.")
            % {"extension": extension}
        )
    # Text is refused if it holds NUL bytes, unless a byte-order mark says it is UTF-16 or UTF-32.
    if kind in (HTML, MARKDOWN, TEXT) and b"\x00" in content[:8192] and _bom(content) is None:
        raise ExtractionError(
            _("The content of the file does not match its “.%(extension)s” extension.")
            % {"extension": extension}
        )
    return kind


def check_upload(upload) -> None:
    """Refuse an uploaded file before it is stored: too large, an unsupported type, or content that
    does not match its extension (from its first bytes). Django ValidationError with the reason."""
    from django.core.exceptions import ValidationError

    from core.uploads import check_size, safe_filename

    check_size(upload, settings.KNOWLEDGE_MAX_UPLOAD_BYTES)
    try:
        upload.seek(0)
        head = upload.read(8192)
        upload.seek(0)
        kind_of(upload.name or "", head)
    except ExtractionError as error:
        raise ValidationError(
            _("“%(name)s”: %(reason)s") % {"name": safe_filename(upload.name or ""), "reason": error},
            code="invalid_file",
        ) from None


def extract_text(filename: str, content: bytes) -> tuple[str, str]:
    """(kind, text) of a file, or ExtractionError."""
    kind = kind_of(filename, content)
    text = {PDF: _pdf, DOCX: _docx, HTML: _html, MARKDOWN: _markdown, TEXT: _text}[kind](content)
    text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()
    if len(text.split()) < 3:
        raise ExtractionError(_("The file has no extractable text (a scanned document needs OCR first)."))
    return kind, text[: settings.KNOWLEDGE_MAX_TEXT_CHARS]


def _pdf(content: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractionError(_("The PDF is encrypted; upload an unprotected copy."))
        pages, total = [], 0
        for page in reader.pages:
            text = page.extract_text() or ""
            total += len(text)
            if total > settings.KNOWLEDGE_MAX_TEXT_CHARS:
                break
            pages.append(text)
        return "\n\n".join(pages)
    except ExtractionError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError, MemoryError) as error:
        raise ExtractionError(
            _("The PDF is damaged and cannot be read (%(error)s).") % {"error": type(error).__name__}
        ) from None
    except Exception as error:  # pypdf raises assorted errors on hostile files; none may escape as a 500
        if "decrypt" in str(error).lower() or "crypt" in type(error).__name__.lower():
            raise ExtractionError(_("The PDF is encrypted; upload an unprotected copy.")) from None
        raise ExtractionError(
            _("The PDF is damaged and cannot be read (%(error)s).") % {"error": type(error).__name__}
        ) from None


def _docx(content: bytes) -> str:
    # The archive is inflated chunk by chunk within ZIP_LIMITS (real bytes, not the header's sizes);
    # python-docx then reads the checked copy, so it never inflates more than was counted.
    try:
        with SafeZip(content, ZIP_LIMITS) as archive:
            if "word/document.xml" not in archive:
                raise ExtractionError(
                    _("The content of the file does not match its “.%(extension)s” extension.")
                    % {"extension": "docx"}
                )
            checked = archive.repacked()
    except ZipRefused as error:
        raise ExtractionError(str(error)) from None
    try:
        import docx

        document = docx.Document(io.BytesIO(checked))
    except Exception as error:  # python-docx raises many kinds on damaged files
        raise ExtractionError(
            _("The Word file is damaged and cannot be read (%(error)s).") % {"error": type(error).__name__}
        ) from None
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def _bom(content: bytes) -> tuple[str, int] | None:
    """(encoding, length of the byte-order mark) of text that starts with one."""
    for mark, encoding in BOMS:
        if content.startswith(mark):
            return encoding, len(mark)
    return None


def _decode(content: bytes) -> str:
    marked = _bom(content)
    if marked is not None:
        encoding, skip = marked
        try:
            return content[skip:].decode(encoding)
        except UnicodeDecodeError:
            raise ExtractionError(
                _("The text is marked as %(encoding)s but is not; save it as UTF-8.") % {"encoding": encoding}
            ) from None
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _html(content: bytes) -> str:
    from lxml import html
    from lxml.etree import ParserError

    try:
        tree = html.document_fromstring(_decode(content))
    except (ParserError, ValueError) as error:
        raise ExtractionError(_("The HTML cannot be read (%(error)s).") % {"error": error}) from None
    for element in tree.xpath("//script|//style|//noscript"):
        element.drop_tree()
    return "\n".join(part.strip() for part in tree.itertext() if part.strip())


def _markdown(content: bytes) -> str:
    import markdown

    return _html(markdown.markdown(_decode(content)).encode())


def _text(content: bytes) -> str:
    return _decode(content)
