"""Text extraction from every supported format, and a clear refusal for every bad file."""

import pytest

from knowledge.extraction import ExtractionError, extract_text
from knowledge.tests import files

REPORT = "Good practice in post-clearance audit\nThe administration audits traders after release of goods."


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", files.pdf(REPORT)),
        ("report.docx", files.docx(REPORT)),
        (
            "report.html",
            f"<html><head><script>alert(1)</script></head><body><h1>{REPORT}</h1></body></html>".encode(),
        ),
        ("report.md", f"# Good practice\n\n*{REPORT}*".encode()),
        ("report.txt", REPORT.encode()),
    ],
)
def test_every_format_gives_its_text(name, content):
    _kind, text = extract_text(name, content)
    assert "audits traders after release" in text
    assert "alert(1)" not in text and "*" not in text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("secret.pdf", files.encrypted_pdf(REPORT), "encrypted"),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj <</Type /Catalog /Pages 2 0 R>> garbage trailer", "damaged"),
        ("bomb.docx", files.zip_bomb_docx(), "decompression bomb"),
        ("report.pdf", REPORT.encode(), "does not match"),
        ("report.docx", files.pdf(REPORT), "does not match"),
        ("report.txt", b"\x00\x01\x02binary", "does not match"),
        ("scan.pdf", files.pdf(None), "no extractable text"),
        ("slides.pptx", b"PK\x03\x04", "Unsupported file type"),
    ],
)
def test_bad_files_are_refused_with_the_reason(name, content, reason):
    with pytest.raises(ExtractionError, match=reason):
        extract_text(name, content)


def test_files_over_the_size_limit_are_refused(settings):
    settings.KNOWLEDGE_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(ExtractionError, match="larger than"):
        extract_text("big.txt", b"word " * 1000)
