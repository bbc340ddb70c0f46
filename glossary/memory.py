"""Reading translation memories: TMX 1.4, XLIFF 1.2 and 2.x, and CSV/TSV of aligned segments.

XML is first parsed by defusedxml, which refuses entity declarations (entity bombs) and
external entities; only then does translate-toolkit read the units. Chinese segments in
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


def refuse_unsafe_xml(name: str, data: bytes) -> None:
    """Parse with defusedxml first: entity declarations, external entities and malformed XML are
    refused with one line (lxml alone would expand an internal entity bomb)."""
    import defusedxml.ElementTree as safe_xml
    from defusedxml import DefusedXmlException

    try:
        safe_xml.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise GlossaryError(f"{name}: refused unsafe XML ({type(error).__name__}: entity declarations and external "
                            "references are not allowed in a translation memory)") from None
    except Exception as error:  # noqa: BLE001 - ParseError and friends
        raise GlossaryError(f"{name}: not well-formed XML ({error})") from None


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


def _read_tmx(memory: Memory, data: bytes) -> None:
    from translate.storage import tmx

    store = tmx.tmxfile.parsestring(data)
    for unit in store.units:
        texts: dict[str, tuple[str, str]] = {}
        for variant in unit.xmlelement:
            if not isinstance(variant.tag, str) or variant.tag.rsplit("}", 1)[-1] != "tuv":
                continue
            lang = _language_of(variant)
            segment = next((child for child in variant if isinstance(child.tag, str)
                            and child.tag.rsplit("}", 1)[-1] == "seg"), None)
            if segment is None:
                continue
            key = lang.lower()[:2]
            if key in ("zh", "en") and key not in texts:
                texts[key] = ("".join(segment.itertext()), lang)
        if "zh" not in texts or "en" not in texts:
            memory.drop("no zh and en variants")
            continue
        _add(memory, texts["zh"][0], texts["en"][0], texts["zh"][1])


def _read_xliff(memory: Memory, data: bytes) -> None:
    from lxml import etree
    from translate.misc.xml_helpers import parse_xml

    root = parse_xml(data)
    version = root.get("version", "")
    if version.startswith("2"):
        from translate.storage.xliff2 import Xliff2File as store_class

        source_lang, target_lang = root.get("srcLang", ""), root.get("trgLang", "")
    else:
        from translate.storage.xliff import xlifffile as store_class

        first = next((e for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname == "file"), None)
        source_lang = first.get("source-language", "") if first is not None else ""
        target_lang = first.get("target-language", "") if first is not None else ""
    memory.format = f"XLIFF {version or '1.2'}"
    langs = (source_lang.lower()[:2], target_lang.lower()[:2])
    if langs not in (("zh", "en"), ("en", "zh")):
        raise GlossaryError(f"{memory.name}: an XLIFF file from {source_lang or '?'} to {target_lang or '?'}; "
                            "a memory needs Chinese and English")
    store = store_class.parsestring(data)
    for unit in store.units:
        if getattr(unit, "isheader", lambda: False)():
            continue
        source, target = unit.source or "", unit.target or ""
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
        refuse_unsafe_xml(path.name, data)
        lowered = head.lower()
        try:
            if b"<tmx" in lowered:
                memory.format = "TMX"
                _read_tmx(memory, data)
            elif b"<xliff" in lowered:
                _read_xliff(memory, data)
            else:
                raise GlossaryError(f"{path.name}: an XML file that is neither TMX nor XLIFF")
        except GlossaryError:
            raise
        except Exception as error:  # noqa: BLE001 - translate-toolkit's errors take many shapes
            raise GlossaryError(f"{path.name}: not a readable {memory.format or 'XLIFF'} file "
                                f"({type(error).__name__}: {error})") from None
    else:
        _read_delimited(memory, data, mapping)
    if not memory.pairs:
        reasons = ", ".join(f"{reason} ×{count}" for reason, count in memory.dropped.items()) or "no segments"
        raise GlossaryError(f"{path.name}: no Chinese–English segment pair ({reasons})")
    return memory
