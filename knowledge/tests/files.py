"""Test files for the knowledge tests. The builders live with the hostile-file set in
core/tests/hostile_files.py, shared by every upload and import test."""

from core.tests import hostile_files
from core.tests.hostile_files import docx, pdf

__all__ = ["docx", "encrypted_pdf", "pdf", "zip_bomb_docx"]


def encrypted_pdf(text: str) -> bytes:
    """Protected by a user password (RC4, as most old office printers write them)."""
    return hostile_files.encrypted_pdf("secret", algorithm="RC4-128", text=text)


def zip_bomb_docx() -> bytes:
    """20 MB of zeros in word/document.xml, a thousand times its packed size, honest headers."""
    return hostile_files._zip_with(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\x00" * (20 * 1024 * 1024)}
    )
