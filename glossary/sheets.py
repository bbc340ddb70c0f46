"""Reading cells of an .xlsx safely: shared by the import of our workbook and of outside glossaries."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from .errors import GlossaryError


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def open_workbook(path: str | os.PathLike):
    """Open an .xlsx safely (openpyxl parses with defusedxml, a dependency: no entity bombs)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    if not path.exists():
        raise GlossaryError(f"no such file: {path}")
    try:
        return load_workbook(path, read_only=True, data_only=True, rich_text=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError) as error:
        raise GlossaryError(f"{path.name} is not a readable .xlsx workbook ({type(error).__name__})") from None
    except Exception as error:  # noqa: BLE001 - malformed XML inside a zip takes many shapes
        raise GlossaryError(f"{path.name} is not a readable .xlsx workbook ({type(error).__name__}: {error})") from None
