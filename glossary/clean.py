"""Stage 2: turn a scraped page into clean simplified text with provenance.

Each step is its own pure function so it can be tested alone; `clean_document` chains them.
Offsets everywhere refer to `CleanDocument.text`: the kept paragraphs, simplified, joined by
newlines.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from .data import pair_table, word_list
from .hanzi import _common_hanzi, is_common_hanzi  # noqa: F401  (kept importable from clean)
from .read import RawDocument

# --- characters -------------------------------------------------------------------------

_CJK_CHAR_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NOT_CJK_RE = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def cjk_count(text: str) -> int:
    return len(_NOT_CJK_RE.sub("", text))


# --- HTML ------------------------------------------------------------------------------

_SCRIPT_STYLE_RE = re.compile(r"<(script|style|noscript)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_BLOCK_TAG_RE = re.compile(r"<\s*/?\s*(p|div|br|li|tr|h[1-6]|section|article|table|ul|ol)\b[^>]*>", re.I)
_TAG_RE = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]*>|<!\w[^<>]*>")
_LIST_MARKER_ONLY_RE = re.compile(r"^\s*(\d+[.)、]|[-*•])\s*$")


def strip_html(text: str) -> str:
    """Remove tags, comments, scripts and entities; block tags become line breaks."""
    if "<" not in text and "&" not in text:
        return text
    text = _SCRIPT_STYLE_RE.sub("\n", text)
    text = _COMMENT_RE.sub("", text)
    text = _BLOCK_TAG_RE.sub("\n", text)
    text = _TAG_RE.sub("", text)
    text = html.unescape(text)
    # What the tags leave behind: "1." list numbers that framed nothing.
    return "\n".join("" if _LIST_MARKER_ONLY_RE.match(line) else line for line in text.split("\n"))


# --- inline pinyin notes ---------------------------------------------------------------

_TONED_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_SYLLABLE_RE = re.compile(
    r"^(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:[aeiouüv]{1,3})(?:ng|n|r)?$|^(?:ng|n|m|hm|hng)$"
)
_NOTE_RE = re.compile(r"(?<=\S)[(（]([a-zü" + _TONED_VOWELS + r"]{1,7}[1-5]?)[)）]")


def _plain_syllable(note: str) -> str:
    decomposed = unicodedata.normalize("NFD", note)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).rstrip("12345")


@lru_cache(maxsize=4096)
def is_pinyin_syllable(note: str) -> bool:
    return bool(_SYLLABLE_RE.match(_plain_syllable(note)))


def strip_inline_pinyin(text: str) -> str:
    """協(xié)商 → 協商; real parentheses such as (區、市) or (AI) stay."""
    return _NOTE_RE.sub(lambda m: "" if is_pinyin_syllable(m.group(1)) else m.group(0), text)


# --- traditional → simplified ----------------------------------------------------------


@lru_cache(maxsize=None)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """OpenCC tw2s (gets 著力→着力 right, unlike t2s), then the domain correction list."""
    converted = _converter("tw2s").convert(text)
    if "着" in converted:
        for wrong, right in pair_table("t2s_corrections.tsv"):
            converted = converted.replace(wrong, right)
    return converted


def to_simplified_lines(lines: list[str]) -> list[str]:
    """to_simplified of each line, in one call: no conversion rule spans a line break."""
    converted = to_simplified("\n".join(lines)).split("\n")
    return converted if len(converted) == len(lines) else [to_simplified(line) for line in lines]


def to_traditional(text: str) -> str:
    return _converter("s2t").convert(text)


def traditional_share(original: str, simplified: str) -> tuple[int, int]:
    """(characters that conversion changed, CJK characters) for a run of text."""
    if original == simplified:
        return 0, cjk_count(original)
    changed = sum(map(str.__ne__, original, simplified))
    return changed, cjk_count(original)


def is_traditional_run(original: str, simplified: str) -> bool:
    if original == simplified:
        return False
    changed, total = traditional_share(original, simplified)
    if total == 0:
        return False
    return changed >= 2 and changed / total >= 0.04 or (changed >= 1 and total < 25 and changed / total >= 0.08)


# --- mojibake --------------------------------------------------------------------------

_SUSPICIOUS_PUNCT = set("?!{}[]\ufffd|\\^~`")


@lru_cache(maxsize=1)
def _suspicious_re() -> re.Pattern:
    common = _common_hanzi()
    # One character class (a bitmap in the regex engine) rather than a lookahead per character.
    rare = [c for c in [*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000)] if chr(c) not in common]
    runs = []
    for code in rare:
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    rare_hanzi = "[" + "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in runs) + "]"
    stray_latin = r"(?<=[\u4e00-\u9fff])[A-Za-z](?=[\u4e00-\u9fff])"
    debris = "[" + re.escape("".join(sorted(_SUSPICIOUS_PUNCT))) + "]"
    return re.compile(f"(?P<rare>{rare_hanzi})|{stray_latin}|{debris}")


def find_mojibake(text: str, min_suspicious: int = 3, max_gap: int = 4) -> list[tuple[int, int]]:
    """Spans where rare characters, stray Latin letters and debris punctuation cluster.

    Mis-decoded UTF-8/GBK shows up as runs of characters outside GB 2312 level 1 mixed with
    `?!{` and lone Latin letters; legitimate rare characters (福祉, 荟萃) stand alone.
    """
    suspicious = [(m.start(), m.group("rare") is not None) for m in _suspicious_re().finditer(text)]
    if len(suspicious) < min_suspicious:
        return []
    spans: list[tuple[int, int]] = []
    group: list[tuple[int, bool]] = []

    def close():
        rare = sum(1 for _, is_rare in group if is_rare)
        debris = len(group) - rare
        if len(group) >= min_suspicious and rare >= 2 and (debris >= 1 or rare >= 4):
            spans.append((group[0][0], group[-1][0] + 1))

    for item in suspicious:
        if group and item[0] - group[-1][0] > max_gap:
            close()
            group = []
        group.append(item)
    if group:
        close()
    return spans


# --- lines -----------------------------------------------------------------------------

TERMINAL_PUNCT = "。！？!?；;…"
SENTENCE_PUNCT = "，。；！？、：,;!?:"
_SEPARATOR_CHAR_RE = re.compile(r"[|｜丨>》»›•·●▪◆■□]")
_LIST_ITEM_RE = re.compile(r"^\s*(?:[•·●▪◆■□*]|\d{1,3}\s{2,})")
_LEADING_LIST_MARKER_RE = re.compile(r"^(?:[一二三四五六七八九十]+[、是要]|第[一二三四五六七八九十]+|\d+[.、])")
_DATE_RES = (
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
    re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"),
    re.compile(r"(?<![\d-])(\d{2})-(\d{2})-(\d{2})(?![\d-])"),
)
_META_WORDS_RE = re.compile(r"来源|作者|编辑|发布时间|发布日期|点击|浏览|分享到|记者")
_PUBLICATION_RE = re.compile(r"来源\s*[:：]\s*([^\s|｜]+)")
_AUTHOR_RES = (
    re.compile(r"作者\s*[:：]\s*([^\s|｜]+?)(?=来源|$|\s)"),
    re.compile(r"^[(（]作者(?:系)?([\u4e00-\u9fff]{2,4}?)系"),
    re.compile(r"^[(（]作者系.*?\s([\u4e00-\u9fff]{2,4})[)）]$"),
    re.compile(r"记者\s*([\u4e00-\u9fff]{2,4})$"),
)


def join_wrapped_lines(lines: list[str], min_wrapped_length: int = 80) -> list[str]:
    """Rejoin paragraphs a site hard-wrapped: a long line that stops mid-sentence goes on."""
    joined: list[str] = []
    for line in lines:
        stripped = line.strip()
        if (
            joined
            and stripped
            and len(joined[-1]) >= min_wrapped_length
            and not _LEADING_LIST_MARKER_RE.match(stripped)
            and cjk_count(joined[-1]) >= min_wrapped_length
            and joined[-1].rstrip()[-1:] not in TERMINAL_PUNCT + "”’」』)）:："
        ):
            joined[-1] = joined[-1].rstrip() + stripped
        else:
            joined.append(line)
    return joined


@lru_cache(maxsize=None)
def _vocabulary(name: str):
    # One Aho-Corasick pass per line: a regex alternation of the words is many times slower.
    import ahocorasick_rs

    words = sorted(set(word_list(name)))
    return words, ahocorasick_rs.AhoCorasick(words)


def distinct_words(name: str, text: str) -> int:
    """How many distinct words of a vocabulary file occur in the text, the longest where
    several start at the same place (热点文章阅读, not also 热点文章)."""
    words, automaton = _vocabulary(name)
    longest: dict[int, str] = {}
    for index, start, _ in automaton.find_matches_as_indexes(text, overlapping=True):
        if len(words[index]) > len(longest.get(start, "")):
            longest[start] = words[index]
    return len(set(longest.values()))


def spam_hits(line: str) -> int:
    """How many distinct words of the spam vocabulary the line carries."""
    return distinct_words("spam_words.txt", line.lower())


def furniture_hits(line: str) -> int:
    return distinct_words("furniture_words.txt", line)


_SENTENCE_PUNCT_RE = re.compile("[" + re.escape(SENTENCE_PUNCT) + "]")


def _sentence_punct(line: str) -> int:
    return len(_SENTENCE_PUNCT_RE.findall(line))


def is_prose(line: str, cjk: int | None = None) -> bool:
    """A line of running text: enough CJK (`cjk`, when known) and real sentence punctuation."""
    return (cjk_count(line) if cjk is None else cjk) >= 20 and _sentence_punct(line) >= 2


def classify_line(line: str, cjk: int | None = None) -> str | None:
    """Why a (simplified) line is not article text, or None when it may be (`cjk`: its count
    of Chinese characters, when known)."""
    text = line.strip()
    if cjk is None:
        cjk = cjk_count(text)
    if not text:
        return "empty"
    if cjk == 0:
        return "no Chinese text"
    # Separator characters, and the runs of spaces inside the (stripped) line.
    separators = len(_SEPARATOR_CHAR_RE.findall(text)) + len(text.split()) - 1
    punct = _sentence_punct(text)
    spam = spam_hits(text)
    if spam >= 2 or (spam >= 1 and separators >= 3 and punct <= 1):
        return "spam keywords"
    if separators >= 4 and punct <= 2:
        tokens = [t for t in re.split(r"[|｜丨>》»›•·●▪◆■□\s]+", text) if t]
        if tokens and cjk / len(tokens) <= 6:
            return "navigation or keyword list"
    if re.search(r">|》》|»|›", text) and (furniture_hits(text) or text.count(">") >= 2):
        return "breadcrumb"
    if text.startswith(("版权", "免责声明", "声明：", "声明:")):
        return "copyright notice"
    if _META_WORDS_RE.search(text) and cjk <= 40 and (parse_date(text) or re.match(r"^\s*(来源|作者|编辑|责任编辑|发布时间)", text)):
        return "dateline or byline"
    if re.match(r"^(责任)?编辑\s*[:：]", text) and cjk <= 12:
        return "dateline or byline"
    if _LIST_ITEM_RE.match(line) and punct <= 2:
        return "sidebar list"
    halves = text.split()
    if len(halves) >= 2 and len(halves) % 2 == 0 and halves[: len(halves) // 2] == halves[len(halves) // 2 :]:
        return "repeated headline"
    if cjk <= 12 and punct == 0 and furniture_hits(text):
        return "page furniture"
    return None


def parse_date(text: str) -> str | None:
    for pattern in _DATE_RES:
        match = pattern.search(text)
        if match:
            year, month, day = match.groups()
            if len(year) == 2:
                year = "20" + year
            if 1 <= int(month) <= 12 and 1 <= int(day) <= 31 and 1900 <= int(year) <= 2100:
                return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
    return None


# --- documents -------------------------------------------------------------------------


class Sentence(NamedTuple):
    index: int
    paragraph: int
    start: int
    end: int
    text: str
    traditional: str | None
    mojibake: bool


@dataclass
class CleanDocument:
    path: str
    encoding: str
    script: str
    text: str
    paragraphs: list[str]
    traditional_paragraphs: list[str | None]
    sentences: list[Sentence]
    dropped: list[tuple[str, str]] = field(default_factory=list)
    mojibake: list[tuple[int, int, str]] = field(default_factory=list)
    title: str | None = None
    date: str | None = None
    publication: str | None = None
    author: str | None = None
    date_source: str | None = None  # "page" when the date was read from the page itself
    stored_hash: str | None = None  # set when rebuilt from a termbase without its text

    @property
    def content_hash(self) -> str:
        if self.stored_hash:
            return self.stored_hash
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def name(self) -> str:
        return document_name(self.path)


# A document read from an archive record: "FILE#offset 123 URL" or "FILE#line 12 URL".
_RECORD_RE = re.compile(r"#(?:offset|line) \d+(?: \S+)?$")


def document_name(path: str) -> str:
    """The file name, with the record and URL of a document read from a WARC or JSONL file."""
    record = _RECORD_RE.search(path)
    file = path[:record.start()] if record else path
    return file.replace("\\", "/").rsplit("/", 1)[-1] + (record.group() if record else "")


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def normalise_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ").replace("\xa0", " ")
    # Control characters from scraped pages carry no text (tabs and newlines do).
    return _CONTROL_RE.sub("", text)


_SPLIT_RE = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』\"']*|\n|$)")


def split_sentences(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of one paragraph; closing quotes stay attached."""
    spans = []
    for match in _SPLIT_RE.finditer(paragraph):
        start, end = match.span()
        while start < end and paragraph[start].isspace():
            start += 1
        while end > start and paragraph[end - 1].isspace():
            end -= 1
        if end > start and _CJK_CHAR_RE.search(paragraph, start, end):
            spans.append((start, end))
    return spans


def _metadata(lines: list[str]) -> dict[str, str | None]:
    found: dict[str, str | None] = {"date": None, "publication": None, "author": None}
    for line in lines:
        text = line.strip()
        if found["date"] is None and _META_WORDS_RE.search(text):
            found["date"] = parse_date(text)
        if found["publication"] is None:
            match = _PUBLICATION_RE.search(text)
            if match:
                found["publication"] = re.sub(r"(分享到|编辑|点击|作者).*$", "", match.group(1)) or None
        if found["author"] is None:
            for pattern in _AUTHOR_RES:
                match = pattern.search(text)
                if match:
                    found["author"] = match.group(1)
                    break
    return found


DATELINE_LINES = 6  # the head of a page, where a dateline stands
DATELINE_MAX_CHARS = 60


def dateline_date(lines: list[str]) -> str | None:
    """A full date on a short line at the head of the page, such as a report's
    "——2024年3月5日在第十四届全国人民代表大会第二次会议上" or a resolution's "（…通过）"."""
    head = [line.strip() for line in lines if line.strip()][:DATELINE_LINES]
    for line in head:
        # A dateline is no sentence: "1949年10月1日，北京，开国大典。" opens a story instead.
        if len(line) <= DATELINE_MAX_CHARS and not re.search(r"[。！？，；,;!?]", line):
            date = parse_date(line)
            if date:
                return date
    return None


# Raised whenever a change to cleaning can change a cleaned text: a build then cleans every file
# again instead of trusting the digests of files it cleaned before (see pipeline.build).
CLEANER_VERSION = "2"  # 2: web pages reduced to their main content first (glossary.formats.html)


def clean_document(raw: RawDocument) -> CleanDocument:
    text = normalise_text(strip_html(raw.text))
    original_lines = join_wrapped_lines(strip_inline_pinyin(text).split("\n"))
    simplified_lines = []
    traditional_flags = []
    for line, simplified in zip(original_lines, to_simplified_lines(original_lines)):
        if len(simplified) != len(line):
            simplified_lines.append(simplified)
            traditional_flags.append(False)
            continue
        traditional = is_traditional_run(line, simplified)
        simplified_lines.append(simplified if traditional else line)
        traditional_flags.append(traditional)

    cjk_counts = [cjk_count(line) for line in simplified_lines]  # the same stripped or not
    reasons = [classify_line(line, cjk) for line, cjk in zip(simplified_lines, cjk_counts)]
    prose = [i for i, line in enumerate(simplified_lines) if reasons[i] is None and is_prose(line, cjk_counts[i])]
    body_start, body_end = (prose[0], prose[-1]) if prose else (0, len(simplified_lines) - 1)

    kept: list[int] = []
    dropped: list[tuple[str, str]] = []
    title = None
    seen = set()
    for i, line in enumerate(simplified_lines):
        stripped = line.strip()
        reason = reasons[i]
        if reason is None:
            key = re.sub(r"\s+", "", stripped)
            if key in seen and cjk_counts[i] < 40:
                reason = "repeated line"
            elif i < body_start and title is None and cjk_counts[i] >= 6 and not is_prose(stripped, cjk_counts[i]):
                title = re.sub(r"\s+", " ", stripped)
            elif i < body_start or i > body_end:
                ends_sentence = stripped[-1:] in "。！？!?”" and cjk_counts[i] >= 8
                parenthesised = stripped[:1] in "(（" and stripped[-1:] in ")）"
                salutation = i == body_start - 1 and stripped[-1:] in ":：" and cjk_counts[i] <= 10
                if not (ends_sentence or parenthesised or salutation):
                    reason = "outside article body"
            seen.add(key)
        if reason is None:
            kept.append(i)
        elif reason != "empty":
            dropped.append((original_lines[i].strip(), reason))

    paragraphs = [simplified_lines[i].strip() for i in kept]
    traditional_paragraphs = [original_lines[i].strip() if traditional_flags[i] else None for i in kept]
    meta = _metadata([simplified_lines[i] for i in range(len(simplified_lines))])
    if meta["date"] is None:
        meta["date"] = dateline_date(simplified_lines)

    sentences: list[Sentence] = []
    mojibake: list[tuple[int, int, str]] = []
    offset = 0
    for p_index, paragraph in enumerate(paragraphs):
        bad_spans = find_mojibake(paragraph)
        for start, end in bad_spans:
            mojibake.append((offset + start, offset + end, paragraph[start:end]))
        traditional = traditional_paragraphs[p_index]
        for start, end in split_sentences(paragraph):
            is_bad = any(s < end and start < e for s, e in bad_spans)
            sentences.append(
                Sentence(
                    index=len(sentences),
                    paragraph=p_index,
                    start=offset + start,
                    end=offset + end,
                    text=paragraph[start:end],
                    traditional=traditional[start:end] if traditional else None,
                    mojibake=is_bad,
                )
            )
        offset += len(paragraph) + 1

    total_cjk = sum(cjk_counts[i] for i in kept) or 1
    traditional_cjk = sum(cjk_counts[i] for i in kept if traditional_flags[i])
    share = traditional_cjk / total_cjk
    script = "traditional" if share >= 0.8 else "simplified" if share <= 0.2 else "mixed"
    # A date the file's format states (Word properties, a dump's date field) wins over the page's.
    stated_date = parse_date(raw.date) if getattr(raw, "date", None) else None
    return CleanDocument(
        path=raw.path,
        encoding=raw.encoding,
        script=script,
        text="\n".join(paragraphs),
        paragraphs=paragraphs,
        traditional_paragraphs=traditional_paragraphs,
        sentences=sentences,
        dropped=dropped,
        mojibake=mojibake,
        title=getattr(raw, "title", None) or title,
        date=stated_date or meta["date"],
        date_source="metadata" if stated_date else "page" if meta["date"] else None,
        publication=meta["publication"],
        author=meta["author"],
    )
