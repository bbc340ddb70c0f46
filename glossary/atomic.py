"""Atomic file writes: a temporary file beside the target, then a rename, so an interrupted
export never leaves a half-written file where the old one was."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import GlossaryError


@contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[str]:
    """Yield a temporary path to write; on success it replaces target, on failure it is removed."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise GlossaryError(f"cannot write {target}: {error.strerror or error}") from None
    os.close(handle)
    try:
        yield temporary
        # mkstemp makes the file private; give it the permissions an ordinary new file gets.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def write_text_atomic(target: str | os.PathLike, text: str, encoding: str = "utf-8") -> None:
    with atomic_path(target) as temporary:
        with open(temporary, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
