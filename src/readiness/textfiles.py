"""Reading text files and uploads, with a clear message for every way it can fail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from readiness.errors import InputError


def decode_text(data: bytes, name: str | Path) -> str:
    """UTF-8 text of a file's bytes (a BOM is allowed); an :class:`InputError` naming ``name``
    when the content is empty or not UTF-8."""
    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{name}: not UTF-8 text (byte 0x{data[error.start]:02x} at position {error.start});"
            " save the file as UTF-8"
        ) from None


def read_text_file(path: Path) -> str:
    """A UTF-8 text file's content; :class:`InputError` when missing, unreadable, empty or not
    UTF-8."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None
    return decode_text(data, path)


def read_yaml(path: Path) -> Any:
    """A YAML data file's content; :class:`InputError` naming the file when it cannot be read."""
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
