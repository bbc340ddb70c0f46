"""Reading translation memories: TMX 1.4, XLIFF 1.2 and 2.x, and CSV/TSV of aligned segments.

XML is parsed by defusedxml, which refuses entity declarations (entity bombs) and external
entities, and the units are read from that one parse: TMX `tu`/`tuv`/`seg`, XLIFF 1.2
`trans-unit` `source`/`target`, XLIFF 2.x `unit`/`segment` `source`/`target`, inline markup
(`g`, `x`, `ph`, `pc`, `mrk`) read as its text, as translate-toolkit reads it (this module used
translate-toolkit until it was found to give the same pairs; it is GPL-3.0-or-later, this
project Apache-2.0). Chinese segments in
traditional script (zh-TW, zh-HK, zh-Hant, or traditional text under any zh tag) are
converted to simplified with the cleaner's converter; the direction of a file (zh→en or
en→zh) is taken from its language tags.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import GlossaryError

MEMORY_SUFFIXES = (".tmx", ".xlf", ".xliff", ".sdlxliff", ".mqxliff")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_LATIN_RE = re.compile(r"[A-Za-z]")
_SPACE_RE = re.compile(r"\s+")


@dataclass
class Memory:
    """The segment pairs of one translation memory (Chinese simplified, English)."""

    name: str
    path: str
    format: str
    digest: str
    pairs: list[tuple[str, str]] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)   # reason → segments
    converted: int = 0                                      # traditional segments made simplified

    def drop(self, reason: str) -> None:
        self.dropped[reason] = self.dropped.get(reason, 0) + 1


def is_memory_file(path: str | os.PathLike, data: bytes | None = None) -> bool:
    """TMX and XLIFF are always memories, whatever their name says."""
    if Path(path).suffix.lower() in MEMORY_SUFFIXES:
        return True
    if data is None:
        try:
            with open(path, "rb") as handle:
                data = handle.read(4096)
        except OSError:
            return False
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and (b"<tmx" in head or b"<xliff" in head)


def _tidy(text: str) -> str:
    return _SPACE_RE.sub(" ", text or "").strip()


def _is_traditional_tag(lang: str) -> bool:
    lang = lang.lower().replace("_", "-")
    return any(part in lang for part in ("-tw", "-hk", "-mo", "hant"))


def parse_xml_safely(name: str, data: bytes):
    """The root element, parsed by defusedxml: entity declarations, external entities and
    malformed XML are refused with one line (lxml alone would expand an internal entity bomb)."""
    import defusedxml.ElementTree as safe_xml
    from defusedxml import DefusedXmlException

    try:
        return safe_xml.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise GlossaryError(f"{name}: refused unsafe XML ({type(error).__name__}: entity declarations and external "
                            "references are not allowed in a translation memory)") from None
    except Exception as error:  # noqa: BLE001 - ParseError and friends
        raise GlossaryError(f"{name}: not well-formed XML ({error})") from None


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name: str) -> list:
    return [child for child in element if _local(child.tag) == name]


def _text(element) -> str:
    return "".join(element.itertext())


def _language_of(element) -> str:
    for key, value in element.attrib.items():
        if key.rsplit("}", 1)[-1] == "lang":
            return value
    return ""


def _add(memory: Memory, zh: str, en: str, zh_lang: str) -> None:
    from .clean import to_simplified

    zh, en = _tidy(zh), _tidy(en)
    if not zh or not en:
        memory.drop("empty source or target")
        return
    if not _CJK_RE.search(zh):
        memory.drop("Chinese side has no Chinese")
        return
    if not _LATIN_RE.search(en) or _CJK_RE.search(en) and len(_CJK_RE.findall(en)) * 2 > len(en):
        memory.drop("English side is not English")
        return
    simplified = to_simplified(zh)
    if simplified != zh or _is_traditional_tag(zh_lang):
        memory.converted += simplified != zh
    memory.pairs.append((simplified, en))


def _read_tmx(memory: Memory, root) -> None:
    for unit in root.iter():
        if _local(unit.tag) != "tu":
            continue
        texts: dict[str, tuple[str, str]] = {}
        for variant in _children(unit, "tuv"):
            lang = _language_of(variant)
            segments = _children(variant, "seg")
            key = lang.lower()[:2]
            if segments and key in ("zh", "en") and key not in texts:
                texts[key] = (_text(segments[0]), lang)
        if "zh" not in texts or "en" not in texts:
            memory.drop("no zh and en variants")
            continue
        _add(memory, texts["zh"][0], texts["en"][0], texts["zh"][1])


def _read_xliff(memory: Memory, root) -> None:
    version = root.get("version", "")
    if version.startswith("2"):
        source_lang, target_lang = root.get("srcLang", ""), root.get("trgLang", "")
        # XLIFF 2: each segment of a unit is a pair
        units = [segment for unit in root.iter() if _local(unit.tag) == "unit"
                 for segment in _children(unit, "segment")]
    else:
        first = next((e for e in root.iter() if _local(e.tag) == "file"), None)
        source_lang = first.get("source-language", "") if first is not None else ""
        target_lang = first.get("target-language", "") if first is not None else ""
        units = [unit for unit in root.iter() if _local(unit.tag) == "trans-unit"]
    memory.format = f"XLIFF {version or '1.2'}"
    langs = (source_lang.lower()[:2], target_lang.lower()[:2])
    if langs not in (("zh", "en"), ("en", "zh")):
        raise GlossaryError(f"{memory.name}: an XLIFF file from {source_lang or '?'} to {target_lang or '?'}; "
                            "a memory needs Chinese and English")
    for unit in units:
        sources, targets = _children(unit, "source"), _children(unit, "target")
        source = _text(sources[0]) if sources else ""
        target = _text(targets[0]) if targets else ""
        if langs == ("zh", "en"):
            _add(memory, source, target, source_lang)
        else:
            _add(memory, target, source, target_lang)


def _read_delimited(memory: Memory, data: bytes, mapping) -> None:
    from .outside import parse_delimited

    entries, kind, _ = parse_delimited(memory.name, data, mapping)
    memory.format = kind.replace("(", "(aligned segments, ", 1)
    for entry in entries:
        _add(memory, entry.zh, entry.en, "")


def read_memory(path: str | os.PathLike, mapping: dict[str, str] | None = None) -> Memory:
    """The segment pairs of a TMX, XLIFF or (aligned) CSV/TSV file; bad or unsafe input is refused
    with one line."""
    path = Path(path)
    if not path.exists():
        raise GlossaryError(f"no such file: {path}")
    data = path.read_bytes()
    if not data.strip():
        raise GlossaryError(f"{path.name} is empty")
    memory = Memory(path.name, str(path.resolve()), "", hashlib.sha256(data).hexdigest())
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        root = parse_xml_safely(path.name, data)
        kind = _local(root.tag)
        if kind == "tmx":
            memory.format = "TMX"
            _read_tmx(memory, root)
        elif kind == "xliff":
            _read_xliff(memory, root)
        else:
            raise GlossaryError(f"{path.name}: an XML file that is neither TMX nor XLIFF (its root is <{kind}>)")
    else:
        _read_delimited(memory, data, mapping)
    if not memory.pairs:
        reasons = ", ".join(f"{reason} ×{count}" for reason, count in memory.dropped.items()) or "no segments"
        raise GlossaryError(f"{path.name}: no Chinese–English segment pair ({reasons})")
    return memory
