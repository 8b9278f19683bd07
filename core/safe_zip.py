"""Reading zip-based files (XLSX, DOCX and any other Office Open XML format) that may be hostile.

A zip header states each member's size, but nothing obliges the deflated data to agree: a 300 KB file
can declare 1,000 bytes and inflate 300 MB. `zipfile`'s `read()` inflates a member in one call, so a
library that reads parts with it (python-docx, openpyxl) takes whatever the data holds. Here members
are only ever inflated in small chunks; the real bytes are counted against one budget for the whole
archive (an absolute size and a ratio to the packed size), and reading stops as soon as the budget is
spent. A member that holds more data than it declares is refused too.

`SafeZip.open()` streams a member (for parsers that can stop early); `SafeZip.repacked()` gives a
copy of the archive with every member checked and stored uncompressed, for libraries that open the
archive themselves: what they read is then exactly what was counted.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

CHUNK = 64 * 1024


class ZipRefused(Exception):
    """The archive cannot be read safely; the message says why (for the uploader)."""


class ZipBombError(ZipRefused):
    """The archive expands to far more than its size, or declares false sizes."""


@dataclass(frozen=True)
class ZipLimits:
    """How far an archive may expand: `max_unpacked` bytes in all, and once past `ratio_floor` bytes,
    at most `max_ratio` times its packed size."""

    max_unpacked: int
    max_ratio: int = 100
    ratio_floor: int = 10 * 1024 * 1024
    max_members: int = 5000


def bomb_message() -> str:
    return _("The file expands to far more than its size (a decompression bomb); refused.")


class _MemberStream(io.RawIOBase):
    """One member, inflated chunk by chunk; every byte is charged to the archive's budget."""

    def __init__(self, archive: SafeZip, raw):
        self._archive, self._raw = archive, raw

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(CHUNK), b""))
        data = self._archive._guard(lambda: self._raw.read(min(size, CHUNK)))
        self._archive._charge(len(data))
        if not data and (
            getattr(self._raw, "_compress_left", 0) > 0
            or getattr(getattr(self._raw, "_decompressor", None), "unconsumed_tail", b"")
        ):
            # The declared size is reached but deflated data is left: the header lies.
            raise ZipBombError(_("The file declares false sizes inside its archive; refused."))
        return data

    def close(self) -> None:
        self._raw.close()
        super().close()


class SafeZip:
    """A zip archive read within `limits`; ZipRefused (or ZipBombError) when it cannot be."""

    def __init__(self, content: bytes, limits: ZipLimits):
        self.limits, self.packed, self.inflated = limits, max(len(content), 1), 0
        try:
            self._zip = self._guard(lambda: zipfile.ZipFile(io.BytesIO(content)))
        except ZipRefused:
            raise
        infos = self._zip.infolist()
        if len(infos) > limits.max_members:
            raise ZipBombError(
                _("The archive holds more than %(limit)d parts; refused.") % {"limit": limits.max_members}
            )
        # Office files deflate or store their parts. Other methods (bzip2, LZMA) inflate a whole read
        # in one call, without a bound on the output, so they are not read at all.
        if any(info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for info in infos):
            raise ZipRefused(_("The archive is encrypted or uses an unsupported compression."))
        # The sizes the header admits to are a first, cheap check; the real bytes are counted later.
        self._check(sum(info.file_size for info in infos))

    def _check(self, total: int) -> None:
        limits = self.limits
        if total > limits.max_unpacked or (
            total > limits.ratio_floor and total > limits.max_ratio * self.packed
        ):
            raise ZipBombError(bomb_message())

    def _charge(self, count: int) -> None:
        self.inflated += count
        self._check(self.inflated)

    @staticmethod
    def _guard(operation):
        try:
            return operation()
        except ZipRefused:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as error:
            raise ZipRefused(
                _("The archive is damaged and cannot be read (%(error)s).") % {"error": type(error).__name__}
            ) from None
        except (RuntimeError, NotImplementedError):  # encrypted members, unknown compression methods
            raise ZipRefused(_("The archive is encrypted or uses an unsupported compression.")) from None

    def namelist(self) -> list[str]:
        return self._zip.namelist()

    def __contains__(self, name: str) -> bool:
        try:
            self._zip.getinfo(name)
        except KeyError:
            return False
        return True

    def open(self, name: str) -> io.BufferedReader:
        """A stream of one member; KeyError when the archive has no such member."""
        info = self._zip.getinfo(name)
        return io.BufferedReader(_MemberStream(self, self._guard(lambda: self._zip.open(info))), CHUNK)

    def read(self, name: str) -> bytes:
        with self.open(name) as stream:
            return stream.read()

    def repacked(self) -> bytes:
        """Every member inflated within the limits and stored uncompressed in a new archive."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as copy:
            seen = set()
            for info in self._zip.infolist():
                if info.filename in seen or info.is_dir():
                    continue  # a duplicated name is read once, as zipfile itself would
                seen.add(info.filename)
                copy.writestr(info.filename, self.read(info.filename))
        return buffer.getvalue()

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
