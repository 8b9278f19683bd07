"""Test files made on the spot: PDFs (plain, blank, encrypted, damaged), DOCX (plain, zip bomb)."""

import io
import zipfile

from docx import Document as WordDocument
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas


def pdf(text: str | None) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    y = 800
    for line in (text or "").split("\n"):
        page.drawString(40, y, line)
        y -= 16
    page.showPage()
    page.save()
    return buffer.getvalue()


def encrypted_pdf(text: str) -> bytes:
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf(text))).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx(text: str) -> bytes:
    document = WordDocument()
    for paragraph in text.split("\n"):
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bomb_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\x00" * (20 * 1024 * 1024))
    return buffer.getvalue()
