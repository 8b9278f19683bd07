"""Uploaded files: a size limit enforced while the request is received, and safe stored names.

`SizeLimitUploadHandler` comes first in FILE_UPLOAD_HANDLERS: once a file passes
UPLOAD_MAX_BYTES, the rest of it is neither kept in memory nor written to a temporary file, and the
form or serializer receives an `OversizedUpload` (no content, its real size) that `check_size`
refuses with a message. Each upload path applies its own, lower limit with `check_size` before
anything is stored.
"""

from __future__ import annotations

import io
import os
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _

# Bytes, not characters: file systems limit a name to 255 bytes, and one character can take four.
MAX_NAME_BYTES = 120
MAX_EXTENSION_BYTES = 16


class OversizedUpload(UploadedFile):
    """What is left of a file that passed the limit while it was received: its name and real size."""

    def __init__(self, name: str, size: int, content_type: str | None = None):
        super().__init__(io.BytesIO(b""), name, content_type, size)
        self.oversized = True


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops keeping a file's bytes once it passes settings.UPLOAD_MAX_BYTES."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received, self.over = 0, False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_BYTES:
            if not self.over:
                self.over = True
                self._drop_partial_copies()
            return None  # the later handlers (memory, temporary file) get no more of it
        return raw_data

    def file_complete(self, file_size):
        if self.over:
            return OversizedUpload(self.file_name, self.received, self.content_type)
        return None

    def _drop_partial_copies(self) -> None:
        for handler in getattr(self.request, "upload_handlers", []):
            if handler is not self and getattr(handler, "file", None) is not None:
                try:
                    handler.file.close()  # a temporary upload file is deleted when closed
                except OSError:
                    pass


def check_size(upload, limit: int) -> None:
    """ValidationError unless the upload is at most `limit` bytes (and was received whole)."""
    if getattr(upload, "oversized", False) or upload.size > limit:
        raise ValidationError(
            _("The file “%(name)s” is larger than %(limit)s MB.")
            % {"name": safe_filename(upload.name or ""), "limit": _megabytes(limit)},
            code="file_too_large",
        )


def _megabytes(limit: int) -> str:
    megabytes = limit / (1024 * 1024)
    return str(int(megabytes)) if megabytes.is_integer() else f"{megabytes:.1f}"


def _trim(text: str, max_bytes: int) -> str:
    encoded = text.encode("utf-8")[:max_bytes]
    return encoded.decode("utf-8", errors="ignore")  # never half a character


def safe_filename(name: str, *, max_bytes: int = MAX_NAME_BYTES) -> str:
    """A name safe to store and to show: no folders, no control or invisible formatting characters,
    at most `max_bytes` bytes of UTF-8, the extension kept. Never empty."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        character for character in name if unicodedata.category(character)[0] != "C" and character != '"'
    )
    name = name.strip(" .")
    stem, extension = os.path.splitext(name)
    if not stem and extension:  # ".pdf" is a name without an extension, as os.path has it
        stem, extension = extension, ""
    if len(extension.encode("utf-8")) > MAX_EXTENSION_BYTES or not extension[1:].isalnum():
        stem, extension = name, ""
    stem = _trim(stem, max_bytes - len(extension.encode("utf-8"))).strip(" .")
    return f"{stem or 'file'}{extension}"
