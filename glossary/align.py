"""Sentence alignment of a Chinese document and its English translation.

Gale & Church (1993): sentences are paired in beads (1–1, 1–2, 2–1, 2–2, 1–3, 3–1, and 1–0 or
0–1 for a sentence one side has alone) by dynamic programming over a cost that says how
unlikely the two lengths are as translations of each other, given the document's own
English-to-Chinese length ratio. Anchors tilt the cost: numbers, and Latin words written in
the Chinese (APEC, G20), must come back in the English of the same bead. Long documents are
aligned paragraph by paragraph first when both sides have paragraphs, then sentence by
sentence inside each paragraph bead; the search keeps to a band around the path that
cumulative lengths predict, so time grows with the length of the text, not its square.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

# Prior probabilities of bead shapes (zh sentences, en sentences): Chinese writers pack more
# into one sentence than English ones, so 1–2 is as likely as 2–1.
BEADS = {(1, 1): 0.80, (1, 2): 0.075, (2, 1): 0.06, (1, 0): 0.01, (0, 1): 0.01, (2, 2): 0.02, (1, 3): 0.015,
         (3, 1): 0.01}
BEAD_COSTS = {shape: -math.log(p) for shape, p in BEADS.items()}
VARIANCE = 6.8          # Gale & Church's variance per character, scaled by the ratio below
ANCHOR_WEIGHT = 3.0     # cost units: an anchor that agrees lowers the cost as much as one that
#                         disagrees raises it
LEXICAL_WEIGHT = 12.0   # cost units between a bead none of whose English words the dictionary
LEXICAL_BASELINE = 0.25  # gives for its Chinese and one whose words it all gives
LEXICAL_EVIDENCE = 6      # English content words a bead needs for its dictionary share to count in full
DROP_COST = 14.0        # a bead costing more than this is kept out of the memory

_ZH_SENTENCE_RE = re.compile(r"[^。！？!?\n]*?(?:[。！？!?]+[”’」』\"')）]*|\n|(?<=[\u3400-\u9fff）)：:])\s+(?=[\u3400-\u9fff（(“—\d])|$)")
_EN_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "no", "nos", "vs", "etc", "jr", "sr", "gen", "prof", "art",
                     "para", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
                     "dec", "inc", "co", "corp", "ltd", "e.g", "i.e", "u.s", "u.k", "u.n", "p.m", "a.m"}
_EN_BREAK_RE = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_DIGITS_RE = re.compile(r"\d+(?:[.,]\d+)*")
_ZH_LATIN_RE = re.compile(r"[A-Za-z][A-Za-z0-9\-]*")
_FULLWIDTH = str.maketrans("０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ",
                           "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def split_chinese(text: str) -> list[str]:
    sentences = []
    for match in _ZH_SENTENCE_RE.finditer(text):
        sentence = match.group().strip()
        if sentence:
            sentences.append(sentence)
    return sentences


# A numbered heading (II. A Key Force…, Annex III …) that follows a word without a full stop, as
# headings and tables of contents do once their line breaks are gone.
_HEADING_BREAK_RE = re.compile(r"(?<!War)(?<=[A-Za-z0-9)’”])\s+(?=(?:[IVX]{1,4}\.|Annex [IVX]{1,4}\b)\s*[A-Z])")


# The parts of a document that stand as lines of their own (a table of contents, a dateline):
# with the line breaks gone, they are told by the capitalised title word before them.
_PART_NAMES_RE = re.compile(r"\b(?:Table of Contents|Contents|Preface|Foreword|Introduction|Conclusion|Closing Remarks|"
                            r"Concluding Remarks|Epilogue|Afterword)\b")
_DATELINE_RE = re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
                          r"December)\s+\d{4}\b(?!,)")
_TITLE_WORD_RE = re.compile(r"^(?:[A-Z0-9][\w’'\-:]*|[IVX]+\.?)$")


def _title_case_before(text: str, position: int) -> bool:
    """Whether the words before position end in a title's word: capitalised, not after a full stop."""
    words = text[:position].split()
    return bool(words) and bool(_TITLE_WORD_RE.match(words[-1])) and words[-1][-1] not in ".,;:!?" \
        and words[-1] not in _SENTENCE_OPENERS


def _is_title(text: str) -> bool:
    words = text.split()
    return bool(words) and all(_TITLE_WORD_RE.match(w) or w in _FUNCTION_WORDS for w in words) \
        and not re.search(r"[.;!?]\s", text)


def _split_parts(line: str) -> list[str]:
    pieces, start = [], 0
    cuts = set()
    for pattern in (_PART_NAMES_RE, _DATELINE_RE):
        for match in pattern.finditer(line):
            alone_before = match.start() == 0 or _title_case_before(line, match.start())
            if alone_before:
                cuts.add(match.start())
            if alone_before and re.match(r"\s+[A-Z]", line[match.end():]):
                cuts.add(match.end())
    for match in re.finditer(r"\s(?=(?:The|A|An)\s[A-Z])", line):
        # "… Peacekeeping Operations The State Council …": a title ends where another begins
        if _title_case_before(line, match.start()) and _is_title(line[max((c for c in cuts if c < match.start()), default=0):match.start()]):
            cuts.add(match.start())
    cuts = sorted(cuts)
    for cut in cuts:
        if line[start:cut].strip():
            pieces.append(line[start:cut].strip())
            start = cut
    pieces.append(line[start:].strip())
    return [piece for piece in pieces if piece]


def split_english(text: str) -> list[str]:
    sentences = []
    for line in text.split("\n"):
        pieces = [part for piece in _HEADING_BREAK_RE.split(line.strip()) for part in _split_parts(piece)]
        sentences.extend(_split_english_line(piece) for piece in pieces)
    return _split_headings(_join_numbering([s for group in sentences for s in group]))


def _split_english_line(line: str) -> list[str]:
    sentences = []
    if line:
        start = 0
        for match in _EN_BREAK_RE.finditer(line):
            before = line[start:match.start()].rstrip(".!?\"'”’)]")
            last_word = re.split(r"[\s(]", before)[-1].lower() if before else ""
            if last_word in _EN_ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word) \
                    or re.fullmatch(r"(?:[a-z]\.)+[a-z]", last_word):
                continue  # Mr. Wang, U.S. policy, J. Smith
            sentence = line[start:match.start()].strip()
            if sentence:
                sentences.append(sentence)
            start = match.end()
        rest = line[start:].strip()
        if rest:
            sentences.append(rest)
    return sentences


_NUMBERING_RE = re.compile(r"^(?:[IVXLC]+|\d{1,2}|\(\d{1,2}\)|[A-Z])\.?$")
_HEADING_START_RE = re.compile(r"^(?:(?:[IVXLC]+|\d{1,2})\.|\(\d{1,2}\)|Annex|Appendix|Chapter|Part|Preface|Foreword)\s")
_FUNCTION_WORDS = {"a", "an", "the", "of", "and", "in", "on", "for", "to", "with", "at", "by", "as", "from", "its",
                   "their", "our", "is", "are", "was", "were", "be", "has", "have", "had", "this", "that"}


_SENTENCE_OPENERS = {"The", "A", "An", "In", "On", "As", "With", "For", "By", "At", "From", "It", "This", "These",
                     "Since", "Over", "Through", "Under", "During", "After", "Before", "To"}
# Words a title may hold too (Addressing Both the Symptoms…): a sentence only when a lower-case
# content word or an acronym follows (Both TCCs and FCCs are…).
_QUANTIFIER_OPENERS = {"Both", "All", "Each", "Such"}


def _join_numbering(sentences: list[str]) -> list[str]:
    """A numbering token (II., 3.) is the start of a heading, not a sentence of its own."""
    joined: list[str] = []
    for sentence in sentences:
        if joined and _NUMBERING_RE.match(joined[-1]):
            joined[-1] = f"{joined[-1]} {sentence}"
        else:
            joined.append(sentence)
    return joined


def _split_headings(sentences: list[str]) -> list[str]:
    """A numbered heading run into the sentence after it, as text joined without line breaks has
    it (`2. Stabilizing the Situation Promptly stabilizing the situation is …`): cut before the last
    capitalised word of the title-case run."""
    result: list[str] = []
    for sentence in sentences:
        if not _HEADING_START_RE.match(sentence):
            result.append(sentence)
            continue
        words = sentence.split(" ")
        last_capital, cut = None, None
        for position, word in enumerate(words[1:], start=1):
            bare = word.strip("“”\"'‘’()")
            if not bare:
                continue
            if bare in _SENTENCE_OPENERS and position > 1 and last_capital:
                cut = position  # "… Civilians The Protection of …": titles keep articles lower case
                break
            following = words[position + 1] if position + 1 < len(words) else ""
            if bare in _QUANTIFIER_OPENERS and position > 1 and last_capital and (
                    following[:1].islower() and following not in _FUNCTION_WORDS
                    or re.fullmatch(r"[A-Z]{2,6}s?", following)):
                cut = position
                break
            if bare[:1].isupper() or bare[:1].isdigit():
                if word[-1:] in ",;:":
                    following = words[position + 1] if position + 1 < len(words) else ""
                    if word[-1:] == "," and (following[:1].isupper() or following in ("and", "or")):
                        last_capital = position
                        continue  # a title's own list: Extensive Consultation, Joint Contribution, and …
                    # "… for World Peace UN Peacekeeping, as an instrument …": the sentence began in
                    # the run; an acronym after a title word is where, if anything says so
                    acronyms = [k for k in range(2, position + 1) if re.fullmatch(r"[A-Z]{2,6}s?", words[k])
                                and words[k - 1][:1].isupper() and not words[k - 1].isupper()]
                    cut = acronyms[-1] if acronyms else None
                    break
                last_capital = position
                continue
            if bare.lower() in _FUNCTION_WORDS:
                continue
            cut = last_capital  # the first lower-case content word: the sentence has begun
            break
        if cut and cut > 1:
            result.append(" ".join(words[:cut]))
            result.append(" ".join(words[cut:]))
        else:
            result.append(sentence)
    return result


def _canonical(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def _numbers(text: str) -> list[str]:
    return [n.replace(",", "") for n in _DIGITS_RE.findall(text.translate(_FULLWIDTH))]


# Numbers as the two languages write them differently: 1.7万 is 17,000, 120万 is 1.2 million,
# 五 in a heading (五、 （五）) is V. or 5., 9月 is September, 5名 is five.
_ZH_SCALED_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(万亿|万|亿)")
_ZH_SCALES = {"万": 1e4, "亿": 1e8, "万亿": 1e12}
_ZH_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
_ZH_HEADING_RE = re.compile(r"^\s*(?:[（(]([一二三四五六七八九十]{1,3})[）)]|([一二三四五六七八九十]{1,3})、|(附[录件]))")
_EN_SCALED_RE = re.compile(r"(\d+(?:\.\d+)?)\s+(thousand|million|billion|trillion)\b", re.I)
_EN_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_EN_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                        "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_EN_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
_EN_NUMBER_WORD_RE = re.compile(r"\b(" + "|".join(_EN_TENS) + r")(?:-(" + "|".join(list(_EN_UNITS)[1:10]) + r"))?\b|\b("
                                + "|".join(list(_EN_UNITS)[2:]) + r")\b", re.I)
_EN_MONTHS = {m: i for i, m in enumerate("january february march april may june july august september october november "
                                         "december".split(), start=1)}
_EN_MONTH_RE = re.compile(r"\b(" + "|".join(m.capitalize() for m in _EN_MONTHS) + r")(?=\s+(?:\d|of\b|this\b|last\b))")
_EN_HEADING_RE = re.compile(r"^\s*(?:(?:Annex|Appendix|Part|Chapter)\s+)?([IVX]{1,4})\.?\s+(?=[A-Z])")
_ROMAN = {"I": 1, "V": 5, "X": 10}


def _chinese_numeral(text: str) -> int:
    if text == "十":
        return 10
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_ZH_DIGITS.get(tens, 1) if tens else 1) * 10 + (_ZH_DIGITS.get(units, 0) if units else 0)
    return _ZH_DIGITS.get(text, 0)


def _roman(text: str) -> int:
    values = [_ROMAN[c] for c in text]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def zh_anchors(text: str) -> tuple[str, ...]:
    text = text.translate(_FULLWIDTH)
    numbers = []
    heading = _ZH_HEADING_RE.match(text)
    if heading and not heading.group(3):  # 附录1 has its digit already
        numbers.append(str(_chinese_numeral(heading.group(1) or heading.group(2))))
    scaled = [(m.span(), _canonical(float(m.group(1)) * _ZH_SCALES[m.group(2)])) for m in _ZH_SCALED_RE.finditer(text)]
    rest = text
    for (start, end), _ in reversed(scaled):
        rest = rest[:start] + " " + rest[end:]
    numbers += [value for _, value in scaled] + _numbers(rest)
    return tuple(numbers + [w.lower() for w in _ZH_LATIN_RE.findall(text) if len(w) >= 2])


def en_anchors(text: str, latin: set[str]) -> tuple[str, ...]:
    """Numbers (also spelled out, and months), and the words of the English that the Chinese side
    also writes in Latin letters."""
    numbers = []
    heading = _EN_HEADING_RE.match(text)
    if heading:
        numbers.append(str(_roman(heading.group(1))))
    scaled = [(m.span(), _canonical(float(m.group(1)) * _EN_SCALES[m.group(2).lower()]))
              for m in _EN_SCALED_RE.finditer(text.replace(",", ""))]
    rest = text.replace(",", "") if scaled else text
    for (start, end), _ in reversed(scaled):
        rest = rest[:start] + " " + rest[end:]
    numbers += [value for _, value in scaled] + _numbers(rest)
    for match in _EN_NUMBER_WORD_RE.finditer(text):
        tens, unit, single = match.groups()
        numbers.append(str(_EN_TENS[tens.lower()] + (_EN_UNITS[unit.lower()] if unit else 0)) if tens
                       else str(_EN_UNITS[single.lower()]))
    numbers += [str(_EN_MONTHS[m.lower()]) for m in _EN_MONTH_RE.findall(text)]
    words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9\-]*", text)]
    return tuple(numbers + [w for w in words if w in latin])


def _zh_length(text: str) -> int:
    return max(1, len(text) - text.count(" "))


def _en_length(text: str) -> int:
    return max(1, len(text))


@dataclass
class Bead:
    zh: tuple[int, int]       # [start, end) sentence indexes
    en: tuple[int, int]
    cost: float

    @property
    def shape(self) -> tuple[int, int]:
        return self.zh[1] - self.zh[0], self.en[1] - self.en[0]


@dataclass
class Alignment:
    pairs: list[tuple[str, str]] = field(default_factory=list)
    beads: list[Bead] = field(default_factory=list)
    zh_sentences: list[str] = field(default_factory=list)
    en_sentences: list[str] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)

    def drop(self, reason: str, count: int = 1) -> None:
        self.dropped[reason] = self.dropped.get(reason, 0) + count


def _length_cost(zh_length: int, en_length: int, ratio: float) -> float:
    """-log of the probability of so great a difference from the expected English length."""
    if zh_length == 0 and en_length == 0:
        return 0.0
    mean = (zh_length + en_length / ratio) / 2
    delta = (en_length - zh_length * ratio) / math.sqrt(max(mean, 1.0) * VARIANCE * ratio)
    probability = math.erfc(abs(delta) / math.sqrt(2))
    return -math.log(max(probability, 1e-12))


def _anchor_cost(zh: list[tuple[str, ...]], en: list[tuple[str, ...]]) -> float:
    left = [a for item in zh for a in item]
    right = [a for item in en for a in item]
    if not left and not right:
        return 0.0
    if not left or not right:
        return ANCHOR_WEIGHT * 0.5
    pool = list(right)
    shared = 0
    for anchor in left:
        if anchor in pool:
            pool.remove(anchor)
            shared += 1
    similarity = 2 * shared / (len(left) + len(right))
    return ANCHOR_WEIGHT * (1 - 2 * similarity)


def _lexical_cost(zh: list[set[str]], en: list[list[str]]) -> float:
    """Lower when the English words of a bead are words the dictionary gives for its Chinese."""
    words = [w for item in en for w in item]
    if not words:
        return 0.0
    glosses = zh[0] if len(zh) == 1 else set().union(*zh)
    covered = sum(1 for w in words if w in glosses) / len(words)
    # a share read off a few words says little: shrunk toward nothing below LEXICAL_EVIDENCE words
    return LEXICAL_WEIGHT * (LEXICAL_BASELINE - covered) * min(1.0, len(words) / LEXICAL_EVIDENCE)


def align_units(zh_lengths: list[int], en_lengths: list[int], zh_anchor: list[tuple], en_anchor: list[tuple],
                ratio: float | None = None, band: int = 40, zh_lexical: list[set[str]] | None = None,
                en_lexical: list[list[str]] | None = None) -> list[Bead]:
    """Beads over two sequences of units (sentences or paragraphs), best path first to last."""
    n, m = len(zh_lengths), len(en_lengths)
    if n == 0 or m == 0:
        return ([Bead((i, i + 1), (0, 0), 0.0) for i in range(n)] + [Bead((0, 0), (j, j + 1), 0.0) for j in range(m)])
    total_zh, total_en = sum(zh_lengths), sum(en_lengths)
    ratio = ratio or total_en / max(total_zh, 1)
    zh_cumulative = [0]
    for length in zh_lengths:
        zh_cumulative.append(zh_cumulative[-1] + length)
    en_cumulative = [0]
    for length in en_lengths:
        en_cumulative.append(en_cumulative[-1] + length)
    # The band: for each zh position, the en positions near where the lengths say it falls.
    import bisect

    lows, highs = [], []
    for i in range(n + 1):
        expected = zh_cumulative[i] / max(total_zh, 1) * total_en
        center = bisect.bisect_left(en_cumulative, expected)
        lows.append(max(0, center - band))
        highs.append(min(m, center + band))
    # Make the band connected: each row's range overlaps the next one's reach.
    lows[0], highs[n] = 0, m
    for i in range(1, n + 1):
        lows[i] = min(lows[i], highs[i - 1])
    for i in range(n - 1, -1, -1):
        highs[i] = max(highs[i], lows[i + 1])
    infinity = float("inf")
    cost: list[dict[int, float]] = [dict() for _ in range(n + 1)]
    back: list[dict[int, tuple[int, int]]] = [dict() for _ in range(n + 1)]
    cost[0][0] = 0.0
    shapes = list(BEAD_COSTS.items())
    for i in range(n + 1):
        row = cost[i]
        for j in range(lows[i], highs[i] + 1):
            if i == 0 and j == 0:
                continue
            best, best_shape = infinity, None
            for (a, b), prior in shapes:
                if a > i or b > j:
                    continue
                previous = cost[i - a].get(j - b)
                if previous is None:
                    continue
                zh_length = zh_cumulative[i] - zh_cumulative[i - a]
                en_length = en_cumulative[j] - en_cumulative[j - b]
                value = previous + prior
                if a and b:
                    value += _length_cost(zh_length, en_length, ratio)
                    value += _anchor_cost(zh_anchor[i - a:i], en_anchor[j - b:j])
                    if zh_lexical is not None:
                        value += _lexical_cost(zh_lexical[i - a:i], en_lexical[j - b:j])
                else:
                    # A sentence without counterpart: costs more the longer it is.
                    value += 2.0 + (zh_length * ratio + en_length) / 200
                if value < best:
                    best, best_shape = value, (a, b)
            if best_shape is not None:
                row[j] = best
                back[i][j] = best_shape
    beads = []
    i, j = n, m
    if j not in cost[i]:
        raise ValueError("alignment band left no path")
    while i > 0 or j > 0:
        a, b = back[i][j]
        beads.append(Bead((i - a, i), (j - b, j), cost[i][j] - cost[i - a][j - b]))
        i, j = i - a, j - b
    beads.reverse()
    return beads


def _sentence_beads(zh: list[str], en: list[str], ratio: float | None = None, lexical: bool = True) -> list[Bead]:
    from .lexicon import english_stems, gloss_stems

    latin = {a for s in zh for a in zh_anchors(s) if not a[0].isdigit()}
    return align_units([_zh_length(s) for s in zh], [_en_length(s) for s in en], [zh_anchors(s) for s in zh],
                       [en_anchors(s, latin) for s in en], ratio=ratio,
                       zh_lexical=[gloss_stems(s) for s in zh] if lexical else None,
                       en_lexical=[english_stems(s) for s in en] if lexical else None)


def align_texts(zh_text: str, en_text: str) -> Alignment:
    """Sentence pairs of a Chinese text and its translation, and why the rest was dropped."""
    zh_paragraphs = [p.strip() for p in zh_text.split("\n") if p.strip()]
    en_paragraphs = [p.strip() for p in en_text.split("\n") if p.strip()]
    result = Alignment()
    zh_lengths = sum(map(_zh_length, zh_paragraphs))
    en_lengths = sum(map(_en_length, en_paragraphs))
    ratio = en_lengths / max(zh_lengths, 1)
    if len(zh_paragraphs) > 3 and len(en_paragraphs) > 3:
        # Paragraphs first: a cheap, reliable frame for the sentences.
        zh_groups = [split_chinese(p) for p in zh_paragraphs]
        en_groups = [split_english(p) for p in en_paragraphs]
        latin = {a for p in zh_paragraphs for a in zh_anchors(p) if not a[0].isdigit()}
        frame = align_units([_zh_length(p) for p in zh_paragraphs], [_en_length(p) for p in en_paragraphs],
                            [zh_anchors(p) for p in zh_paragraphs], [en_anchors(p, latin) for p in en_paragraphs],
                            ratio=ratio, band=30)
        units = [([s for g in zh_groups[b.zh[0]:b.zh[1]] for s in g],
                  [s for g in en_groups[b.en[0]:b.en[1]] for s in g]) for b in frame]
    else:
        units = [(split_chinese(zh_text), split_english(en_text))]
    for zh, en in units:
        offset_zh, offset_en = len(result.zh_sentences), len(result.en_sentences)
        result.zh_sentences.extend(zh)
        result.en_sentences.extend(en)
        for bead in _sentence_beads(zh, en, ratio):
            result.beads.append(Bead((bead.zh[0] + offset_zh, bead.zh[1] + offset_zh),
                                     (bead.en[0] + offset_en, bead.en[1] + offset_en), bead.cost))
    for bead in result.beads:
        a, b = bead.shape
        if a == 0:
            result.drop("English sentence with no Chinese counterpart", b)
        elif b == 0:
            result.drop("Chinese sentence with no English counterpart", a)
        elif bead.cost > DROP_COST:
            result.drop("pair whose lengths or numbers disagree")
        else:
            result.pairs.append(("".join(result.zh_sentences[bead.zh[0]:bead.zh[1]]),
                                 " ".join(result.en_sentences[bead.en[0]:bead.en[1]])))
    return result


def split_pair(zh: str, en: str) -> list[tuple[str, str]]:
    """A memory's segment pair as sentence pairs, when both sides have several sentences and
    they align well; else the pair as it is."""
    zh_sentences, en_sentences = split_chinese(zh), split_english(en)
    if len(zh_sentences) < 2 or len(en_sentences) < 2:
        return [(zh, en)]
    beads = _sentence_beads(zh_sentences, en_sentences)
    if any(a == 0 or b == 0 or bead.cost > DROP_COST for bead in beads for a, b in [bead.shape]):
        return [(zh, en)]
    return [("".join(zh_sentences[b.zh[0]:b.zh[1]]), " ".join(en_sentences[b.en[0]:b.en[1]])) for b in beads]
