"""Which Chinese characters are everyday ones: used by reading (to choose an encoding) and by
cleaning (to spot mojibake), so it lives below both."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _common_hanzi() -> frozenset[str]:
    # GB 2312 level 1: the 3,755 characters of everyday simplified text.
    chars = set()
    for first in range(0xB0, 0xD8):
        for second in range(0xA1, 0xFF):
            try:
                chars.add(bytes([first, second]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return frozenset(chars)


def is_common_hanzi(char: str) -> bool:
    return char in _common_hanzi()
