"""Reading text files and uploads, with a clear message for every way it can fail.

Every file a person hands to readiness (an upload or a command-line argument) is read here:
:func:`read_file_bytes` refuses what is not a regular file (a named pipe would block for ever),
:func:`decode_text` names a binary format by its first bytes (a PNG sent as a CSV file is told
it is a PNG image, not that it is "not UTF-8"), and reads CR-only line endings (old Mac
spreadsheets) as LF, so every CSV reader takes them.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from readiness.errors import InputError


class InputNote(UserWarning):
    """Something a reader did with a file that its author should hear about, though the file was
    read (the command line prints it as a ``note:`` line on standard error)."""


#: First bytes of formats people send by mistake, and what to call them.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"%PDF-", "a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Office 97-2003 document (an .xls workbook?)"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"\x28\xb5\x2f\xfd", "a Zstandard-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "a program (ELF executable)"),
)
#: ZIP containers, told apart by the names of the parts inside.
_ZIP_PARTS: tuple[tuple[bytes, str], ...] = (
    (b"xl/", "an Excel workbook (.xlsx)"),
    (b"word/", "a Word document (.docx)"),
    (b"ppt/", "a PowerPoint presentation (.pptx)"),
    (b"opendocument.spreadsheet", "an OpenDocument spreadsheet (.ods)"),
)
_EXPECTED_BY_SUFFIX = {
    ".csv": "a CSV file",
    ".json": "a JSON file",
    ".yaml": "a YAML file",
    ".yml": "a YAML file",
}


def file_kind(data: bytes) -> str | None:
    """What a file's first bytes say it is ("a PNG image", "an Excel workbook (.xlsx)"), or None
    when they look like no binary format this knows (text, most likely)."""
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        for part, kind in _ZIP_PARTS:
            if part in data:
                return kind
        return "a ZIP archive (an .xlsx workbook?)"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "a WebP image"
    if data[:4] == b"PAR1" and data[-4:] == b"PAR1":  # a header such as PAR1,PAR2 is text
        return "a Parquet file"
    if data[:3] == b"BZh" and data[4:10] != b"1AY&SY":
        return None  # text that happens to start with "BZh"
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def _expected(name: str | Path) -> str:
    return _EXPECTED_BY_SUFFIX.get(Path(str(name)).suffix.lower(), "a text file")


def decode_text(data: bytes, name: str | Path, expected: str | None = None) -> str:
    """Text of a file's bytes: UTF-8 (a BOM is allowed); CR-only line endings become LF. An
    :class:`InputError` naming ``name`` when the content is empty, a known binary format (named,
    "not ``expected``": e.g. "a CSV file", by default from ``name``'s suffix) or not UTF-8."""
    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    kind = file_kind(data)
    if kind is not None:
        wanted = expected or _expected(name)
        advice = "; save the sheet as CSV (UTF-8)" if "workbook" in kind and "CSV" in wanted else ""
        raise InputError(f"{name}: this is {kind}, not {wanted}{advice}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{name}: not UTF-8 text (byte 0x{data[error.start]:02x} at position {error.start});"
            " save the file as UTF-8"
        ) from None
    first = text.find("\r")
    if first != -1 and not text.startswith("\n", first + 1):
        # CR-only line endings (old Mac files): LF, as Python's text mode reads them. CR LF,
        # which every CSV reader takes, is left as it is: no copy of a large Windows export.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def shown_path(path: str | Path, limit: int = 60) -> str:
    """A path as a message shows it: whole, or its ends and length when longer than ``limit``."""
    text = str(path)
    if len(text) <= limit:
        return text
    return f"{text[: limit - 20]}...{text[-12:]} ({len(text)} characters)"


def _not_a_file(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a directory, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe, not a file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a file"
    return "is not a regular file"


@contextmanager
def open_regular_file(path: Path, argument: str | None = None) -> Iterator[BinaryIO]:
    """A regular file opened for reading in binary; :class:`InputError` naming the path (after
    ``argument``, an option such as ``--from``, when given) when it is missing, not a regular file
    (a directory, named pipe, device), unreadable or its name is too long for the system."""
    where = f"{argument} {path}" if argument else str(path)
    try:
        # O_NONBLOCK: a named pipe without a writer opens at once instead of waiting for ever
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputError(f"{where}: file not found") from None
    except IsADirectoryError:
        raise InputError(f"{where}: is a directory, not a file") from None
    except PermissionError:
        raise InputError(f"{where}: permission denied") from None
    except OSError as error:
        if error.errno == errno.ENAMETOOLONG:
            shown = f"{argument} {shown_path(path)}" if argument else shown_path(path)
            raise InputError(f"{shown}: file name too long for this system") from None
        raise InputError(f"{where}: cannot be read ({error.strerror})") from None
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(f"{where}: {_not_a_file(mode)}")
        with open(descriptor, "rb", closefd=False) as handle:
            try:
                yield handle
            except OSError as error:
                raise InputError(f"{where}: cannot be read ({error.strerror})") from None
    finally:
        os.close(descriptor)


def read_file_bytes(path: Path, argument: str | None = None) -> bytes:
    """The bytes of a regular file (see :func:`open_regular_file` for what is refused)."""
    with open_regular_file(path, argument) as handle:
        return handle.read()


def read_text_file(path: Path, argument: str | None = None, expected: str | None = None) -> str:
    """A UTF-8 text file's content (see :func:`decode_text`); :class:`InputError` when missing,
    not a regular file, unreadable, empty, a known binary format or not UTF-8."""
    data = read_file_bytes(path, argument)
    return decode_text(data, f"{argument} {path}" if argument else path, expected)


def read_yaml(path: Path) -> Any:
    """A YAML data file's content; :class:`InputError` naming the file when it cannot be read."""
    import yaml  # only data files need it: reading a CSV history does not

    text = read_text_file(path)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise InputError(f"{path}: not valid YAML ({error})".replace("\n", " ")) from None


def read_yaml_mapping(path: Path) -> dict[str, Any]:
    """A YAML data file whose top level is a mapping; :class:`InputError` naming the file if not."""
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping at the top level")
    return data
