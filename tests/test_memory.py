"""Translation memories (TMX, XLIFF, aligned CSV), `glossary align`, and English harvested from them."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary.cli import main
from glossary.errors import GlossaryError
from glossary.memory import read_memory
from glossary.store import MIGRATIONS, Termbase

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "bilingual"

# Sentence pairs written for these tests: 政协委员 (a draft in the seeds' termbase) and 凝聚共识
# (a reference rendering there, "build consensus") rendered the way a translator of these
# sentences did, several times, with other words around them.
PAIRS = [
    ("政协委员要深入调查研究，提出高质量提案。", "CPPCC members should conduct in-depth research and submit high-quality proposals."),
    ("广大政协委员积极建言资政。", "CPPCC members have actively offered advice on state affairs."),
    ("各级政协委员要密切联系群众。", "CPPCC members at all levels should maintain close ties with the people."),
    ("我们要在协商中凝聚共识。", "We should forge consensus through consultation."),
    ("凝聚共识是人民政协的重要任务。", "To forge consensus is an important task of the CPPCC."),
    ("通过民主协商凝聚共识，增进团结。", "We forge consensus through democratic consultation and enhance unity."),
    ("双向发力是一项新的工作方法。", "Working in both directions is a new working method."),
]


def _tmx(pairs, zh_lang="zh-CN") -> str:
    units = "\n".join(
        f'<tu tuid="{n}"><tuv xml:lang="{zh_lang}"><seg>{zh}</seg></tuv><tuv xml:lang="en-US"><seg>{en}</seg></tuv></tu>'
        for n, (zh, en) in enumerate(pairs, start=1))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="test" '
            f'creationtoolversion="1" segtype="sentence" o-tmf="none" adminlang="en" srclang="{zh_lang}" '
            f'datatype="plaintext"/>\n<body>\n{units}\n</body></tmx>\n')


XLIFF_12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="report.docx" source-language="zh-CN" target-language="en-US" datatype="plaintext"><body>
  <trans-unit id="1"><source>我们要在协商中凝聚共识。</source><target>We should forge consensus through consultation.</target></trans-unit>
  <trans-unit id="2"><source>政协委员要密切联系群众。</source><target>CPPCC members should maintain close ties with the people.</target></trans-unit>
  <trans-unit id="3"><source>没有译文的句子。</source></trans-unit>
 </body></file>
</xliff>
"""

XLIFF_20_EN_TO_ZH = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="zh-Hant">
 <file id="f1">
  <unit id="u1"><segment><source>We should forge consensus through consultation.</source><target>我們要在協商中凝聚共識。</target></segment></unit>
  <unit id="u2"><segment><source>CPPCC members should maintain close ties.</source><target>政協委員要密切聯繫群眾。</target></segment></unit>
 </file>
</xliff>
"""

ENTITY_BOMB = """<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<tmx version="1.4"><header srclang="zh-CN"/><body><tu><tuv xml:lang="zh-CN"><seg>中文&d;</seg></tuv>
<tuv xml:lang="en"><seg>&d;</seg></tuv></tu></body></tmx>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xliff version="1.2"><file source-language="zh" target-language="en"><body>
<trans-unit id="1"><source>机密</source><target>&secret;</target></trans-unit></body></file></xliff>
"""


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _digest(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture()
def termbase_path(built, tmp_path):
    path = tmp_path / "tb.sqlite3"
    shutil.copy(built[0], path)
    return path


def _row(path, term):
    with Termbase(path) as termbase:
        return next(row for row in termbase.term_rows() if row.term == term)


# --- reading --------------------------------------------------------------------------


def test_tmx_pairs_and_traditional_converted(tmp_path):
    path = tmp_path / "tm.tmx"
    path.write_text(_tmx(PAIRS[:2]), encoding="utf-8")
    memory = read_memory(path)
    assert memory.format == "TMX"
    assert memory.pairs == PAIRS[:2]
    hant = tmp_path / "hant.tmx"
    hant.write_text(_tmx([("廣大政協委員積極建言資政。", PAIRS[1][1])], zh_lang="zh-TW"), encoding="utf-8")
    memory = read_memory(hant)
    assert memory.pairs == [PAIRS[1]] and memory.converted == 1


def test_xliff_1_2_and_2_0_either_direction(tmp_path):
    first = tmp_path / "a.xlf"
    first.write_text(XLIFF_12, encoding="utf-8")
    memory = read_memory(first)
    assert memory.format.startswith("XLIFF 1.2")
    assert memory.pairs == [PAIRS[3], ("政协委员要密切联系群众。", "CPPCC members should maintain close ties with the people.")]
    assert memory.dropped == {"empty source or target": 1}
    second = tmp_path / "b.xliff"
    second.write_text(XLIFF_20_EN_TO_ZH, encoding="utf-8")
    memory = read_memory(second)
    assert memory.format == "XLIFF 2.0"
    assert memory.pairs[0] == PAIRS[3]  # target was Chinese, in traditional script
    assert memory.pairs[1][0] == "政协委员要密切联系群众。" and memory.converted == 2


XLIFF_INLINE = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="a.docx" source-language="zh-HK" target-language="en" datatype="x-docx"><body>
  <trans-unit id="1"><source>我們要在<g id="1">協商</g>中凝聚共識<x id="2"/>。</source>
   <target>We should forge consensus through <g id="1">consultation</g><x id="2"/>.</target></trans-unit>
 </body></file>
</xliff>
"""

XLIFF_20_SEGMENTS = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="zh-CN" trgLang="en">
 <file id="f1"><unit id="u1">
  <segment><source>凝聚共识是人民政协的重要任务。</source><target>To forge consensus is an important task of the CPPCC.</target></segment>
  <segment><source>广大政协委员积极建言资政。</source><target>CPPCC members have <pc id="1">actively</pc> offered advice on state affairs.</target></segment>
 </unit></file>
</xliff>
"""


def test_inline_markup_is_read_as_text_and_each_xliff_2_segment_is_a_pair(tmp_path):
    inline = tmp_path / "inline.xlf"
    inline.write_text(XLIFF_INLINE, encoding="utf-8")
    memory = read_memory(inline)
    assert memory.pairs == [PAIRS[3]] and memory.converted == 1   # zh-HK, traditional
    segments = tmp_path / "segments.xlf"
    segments.write_text(XLIFF_20_SEGMENTS, encoding="utf-8")
    assert read_memory(segments).pairs == [PAIRS[4], PAIRS[1]]
    hant = tmp_path / "hant.tmx"
    hant.write_text(_tmx([("我們要在協商中凝聚共識。", PAIRS[3][1])], zh_lang="zh-Hant"), encoding="utf-8")
    assert read_memory(hant).pairs == [PAIRS[3]]


@pytest.mark.parametrize("text, message", [
    (ENTITY_BOMB, "refused unsafe XML"),
    (EXTERNAL_ENTITY, "refused unsafe XML"),
    ('<?xml version="1.0"?><tmx version="1.4"><body><tu>', "not well-formed XML"),
])
def test_hostile_xml_refused_in_one_line_and_termbase_unchanged(termbase_path, tmp_path, text, message):
    path = tmp_path / "hostile.tmx"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError, match=message):
        read_memory(path)
    before = _digest(termbase_path)
    result = _run("import", path, "--db", termbase_path)
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and result.output.startswith("error: hostile.tmx: ")
    assert message in result.output and "Traceback" not in result.output
    assert _digest(termbase_path) == before


def test_csv_is_a_glossary_unless_memory_says_segments(termbase_path, tmp_path):
    path = tmp_path / "segments.csv"
    path.write_text("zh,en\n" + "".join(f'"{zh}","{en}"\n' for zh, en in PAIRS), encoding="utf-8")
    result = _run("import", path, "--db", termbase_path, "--memory")
    assert result.exit_code == 0, result.output
    assert "aligned segments" in result.output and "7 segment pairs read" in result.output
    with Termbase(termbase_path) as termbase:
        assert termbase.connection.execute("SELECT count(*) FROM memory_pairs").fetchone()[0] == 7
        assert termbase.schema_version() == len(MIGRATIONS)


# --- harvesting -----------------------------------------------------------------------


def test_memory_english_labelled_ranked_and_exemplified(termbase_path, tmp_path):
    assert _row(termbase_path, "凝聚共识").english_source == "reference"
    path = tmp_path / "client.tmx"
    path.write_text(_tmx(PAIRS), encoding="utf-8")
    result = _run("import", path, "--db", termbase_path)
    assert result.exit_code == 0, result.output
    members = _row(termbase_path, "政协委员")
    assert members.english == "CPPCC members"
    assert members.english_source == "translation memory: client.tmx"
    assert "3 of 3 aligned pairs" in members.english_detail
    # A memory outranks the reference, which stays visible as an alternative.
    consensus = _row(termbase_path, "凝聚共识")
    assert (consensus.english, consensus.english_source) == ("forge consensus", "translation memory: client.tmx")
    assert {"en": "build consensus", "source": "reference"}.items() <= consensus.english_alternatives[0].items() \
        or any(a["en"] == "build consensus" and a["source"] == "reference" for a in consensus.english_alternatives)
    # Seen in one pair only: a low-confidence candidate, never the English.
    with Termbase(termbase_path) as termbase:
        row = termbase.connection.execute("SELECT english_memory, memory_json FROM terms WHERE term = '政协委员'"
                                          ).fetchone()
    assert json.loads(row["memory_json"])["level"] in ("medium", "high")
    # lookup prints the aligned example pair.
    result = _run("lookup", "政协委员", "--db", termbase_path)
    assert "CPPCC members  [translation memory: client.tmx]" in result.output
    assert "⇄ CPPCC members ×3 in client.tmx:" in result.output
    assert any(zh in result.output for zh, _ in PAIRS[:3])
    # An imported glossary outranks the memory; the memory's rendering becomes an alternative.
    glossary = tmp_path / "client.csv"
    glossary.write_text("zh,en\n凝聚共识,build broad consensus\n", encoding="utf-8")
    assert _run("import", glossary, "--db", termbase_path).exit_code == 0
    consensus = _row(termbase_path, "凝聚共识")
    assert consensus.english_source == "imported: client.csv"
    assert any(a["en"] == "forge consensus" and a["source"] == "translation memory: client.tmx"
               for a in consensus.english_alternatives)


def test_seen_once_is_a_low_confidence_candidate(termbase_path, tmp_path):
    path = tmp_path / "once.tmx"
    path.write_text(_tmx(PAIRS[:1] + PAIRS[3:4]), encoding="utf-8")
    assert _run("import", path, "--db", termbase_path).exit_code == 0
    members = _row(termbase_path, "政协委员")
    assert members.english_source != "translation memory: once.tmx"
    assert members.memory["level"] == "low" and members.memory["pairs"] == 1
    # The candidate stays visible: as an alternative, unless the English shown is the same words.
    candidate = members.memory["candidates"][0]
    assert candidate["memory"] == "once.tmx"
    assert candidate["english"] == members.english or any(
        a["source"] == "translation memory: once.tmx" for a in members.english_alternatives)


def test_chinese_side_is_mined_and_workbook_shows_the_pair(tmp_path):
    db, out = tmp_path / "new.sqlite3", tmp_path / "g.xlsx"
    pairs = PAIRS + [(f"第{n}次会议上：{zh}", f"At meeting {n}: {en}") for n, (zh, en) in enumerate(PAIRS, start=2)]
    path = tmp_path / "alone.tmx"
    path.write_text(_tmx(pairs), encoding="utf-8")
    result = _run("import", path, "--db", db)  # no build before: the memory is the corpus
    assert result.exit_code == 0, result.output
    with Termbase(db) as termbase:
        terms = {row.term: row for row in termbase.term_rows()}
    assert "政协委员" in terms and terms["政协委员"].english == "CPPCC members"
    assert terms["政协委员"].contexts[0]["document"] == "alone.tmx (Chinese side)"
    assert _run("export", "--db", db, "--out", out).exit_code == 0
    from openpyxl import load_workbook

    workbook = load_workbook(out)
    assert "Memory" in workbook.sheetnames
    header = [cell.value for cell in workbook["Glossary"][1]]
    rows = {row[1]: dict(zip(header, row)) for row in workbook["Glossary"].iter_rows(min_row=2, values_only=True)}
    example = rows["政协委员"]["Memory example"]
    assert "政协委员" in example.split("\n")[0] and "CPPCC members" in example.split("\n")[1]
    memory_rows = list(workbook["Memory"].iter_rows(min_row=2, values_only=True))
    assert any(row[1] == "政协委员" and row[3] == "CPPCC members" for row in memory_rows)


def test_same_memory_twice_changes_nothing(termbase_path, tmp_path):
    path = tmp_path / "client.tmx"
    path.write_text(_tmx(PAIRS), encoding="utf-8")
    assert _run("import", path, "--db", termbase_path).exit_code == 0
    result = _run("import", path, "--db", termbase_path)
    assert "already in the termbase" in result.output


# --- align ----------------------------------------------------------------------------

ZH_DOC = ("2020年9月，中国发布白皮书。中国军队参加联合国维和行动已经30年。\n"
          "30年来，中国军队先后参加25项联合国维和行动，累计派出维和官兵4万余人次。"
          "中国是联合国安理会常任理事国。\n"
          "这一段只有中文，没有英文译文，而且相当长，谁也不会把它翻译出来，因为它是编辑的说明。\n"
          "我们将继续维护世界和平。")
EN_DOC = ("In September 2020, China issued a white paper. China's armed forces have taken part in UN "
          "peacekeeping operations for 30 years.\n"
          "Over the past 30 years, China's armed forces have participated in 25 UN peacekeeping operations, "
          "sending more than 40,000 peacekeepers. China is a permanent member of the UN Security Council.\n"
          "We will continue to safeguard world peace.")


def test_align_pairs_sentences_by_length_and_numbers():
    from glossary.align import align_texts

    result = align_texts(ZH_DOC, EN_DOC)
    assert result.pairs[0] == ("2020年9月，中国发布白皮书。", "In September 2020, China issued a white paper.")
    assert ("中国是联合国安理会常任理事国。", "China is a permanent member of the UN Security Council.") in result.pairs
    assert result.pairs[-1] == ("我们将继续维护世界和平。", "We will continue to safeguard world peace.")
    assert result.dropped == {"Chinese sentence with no English counterpart": 1}


def test_align_command_reports_and_imports(tmp_path):
    zh, en, db = tmp_path / "paper.zh.txt", tmp_path / "paper.en.txt", tmp_path / "t.sqlite3"
    zh.write_text(ZH_DOC, encoding="utf-8")
    en.write_text(EN_DOC, encoding="gb18030")
    result = _run("align", zh, en, "--db", db)
    assert result.exit_code == 0, result.output
    assert "kept 5 pairs" in result.output
    assert "dropped 1: Chinese sentence with no English counterpart" in result.output
    with Termbase(db) as termbase:
        assert termbase.connection.execute("SELECT name, format FROM memories").fetchone()[:] == (
            "paper.zh.txt", "aligned documents")
    swapped = _run("align", en, zh, "--db", db)
    assert swapped.exit_code == 2 and swapped.output.startswith("error: paper.en.txt: no Chinese text")


def test_anchors_read_numbers_the_two_languages_write_differently():
    from glossary.align import en_anchors, zh_anchors

    def shared(zh, en):
        return set(zh_anchors(zh)) & set(en_anchors(en, set()))

    assert shared("新建农村公路2.3万多千米", "more than 23,000 kilometers of rural roads") == {"23000"}
    assert shared("全年运送粮食350万余吨", "over 3.5 million tons of grain a year") == {"3500000"}
    assert shared("2020年9月，中国发布白皮书", "In September 2020, China issued a white paper") == {"2020", "9"}
    assert shared("派出7名农业专家", "sent seven agricultural experts") == {"7"}
    assert shared("（五）加强生态保护", "5. Protecting Ecosystems") == {"5"}
    assert shared("四、扩大高水平对外开放", "IV. Opening Wider to the World") == {"4"}
    assert shared("附录2 重大政策时间表", "Annex II Timeline of Key Policies") == {"2"}
    assert "1" not in en_anchors("one of the missions", set())  # "one" is too common to be a number


def test_english_title_lines_are_told_apart_once_their_line_breaks_are_gone():
    """A white paper's title block and contents joined into one line, as a page's text has them."""
    from glossary.align import split_english

    joined = ("Rural Revitalization: 10 Years of Progress The State Council Information Office of the People’s "
              "Republic of China March 2024 Contents Preface I. Building a Modern Agriculture II. Protecting "
              "Farmland for Future Generations Closing Remarks Annex II Timeline of Key Policies Preface This year "
              "marks the 10th anniversary of the strategy. In March 2024, Reuters: The report was issued.")
    assert split_english(joined) == [
        "Rural Revitalization: 10 Years of Progress",
        "The State Council Information Office of the People’s Republic of China", "March 2024", "Contents",
        "Preface", "I. Building a Modern Agriculture", "II. Protecting Farmland for Future Generations",
        "Closing Remarks", "Annex II Timeline of Key Policies", "Preface",
        "This year marks the 10th anniversary of the strategy.", "In March 2024, Reuters: The report was issued."]
    # a numbered heading run into the sentence after it, whose title has commas of its own, or
    # holds Both, or ends where an acronym starts the sentence
    assert split_english("3. Pursuing Green Development, Open Cooperation, and Shared Benefits Both NGOs and firms "
                         "are partners in it.") == [
        "3. Pursuing Green Development, Open Cooperation, and Shared Benefits", "Both NGOs and firms are partners in it."]
    assert split_english("2. Addressing Both the Causes and Effects of Poverty Only by raising incomes can poverty "
                         "end.") == [
        "2. Addressing Both the Causes and Effects of Poverty", "Only by raising incomes can poverty end."]
    assert split_english("I. Joining Hands for Regional Stability ASEAN Cooperation, as a framework for dialogue, "
                         "has grown.") == [
        "I. Joining Hands for Regional Stability", "ASEAN Cooperation, as a framework for dialogue, has grown."]


def test_white_paper_headings_survive_joining():
    """The white paper of the shared corpus, its paragraphs joined by spaces: its headings (the
    paragraphs without a final stop) come out as sentences of their own."""
    path = CORPUS / "wp2020peacekeeping.en.txt"
    if not path.exists():
        pytest.skip(f"{path} is absent (see ../shared/corpora/README.md)")
    from glossary.align import split_english

    paragraphs = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    headings = [p for p in paragraphs if p[-1] not in ".!?:”\""]
    sentences = set(split_english(" ".join(paragraphs)))
    missed = [h for h in headings if h not in sentences]
    assert len(headings) > 40 and len(missed) <= 1, missed


def test_dictionary_senses_leave_out_what_only_explains_the_word():
    from glossary.lexicon import senses_of

    assert frozenset({"g7"}) in senses_of("七国集团")
    assert not any("japan" in sense for sense in senses_of("七国集团"))  # listed after a colon
    assert frozenset({"ai"}) in senses_of("人工智能")                     # (AI) is a rendering too
    assert frozenset({"joint", "declar"}) in senses_of("联合声明")


# --- the shared corpus ------------------------------------------------------------------


def test_press_conference_memory(tmp_path):
    path = CORPUS / "mfa2026.tmx"
    if not path.exists():
        pytest.skip(f"{path} is absent (see ../shared/corpora/README.md)")
    memory = read_memory(path)
    assert len(memory.pairs) == 430
    db = tmp_path / "mfa.sqlite3"
    result = _run("import", path, "--db", db)
    assert result.exit_code == 0, result.output
    with Termbase(db) as termbase:
        english = dict(termbase.connection.execute("SELECT term, english_memory FROM terms"))
    assert english["国际法"] == "international law"
    assert english["领土完整"] == "territorial integrity"
    assert english["王毅外长"] == "Foreign Minister Wang Yi"
    # the phrase the English uses, not its first word (joint → joint statement)
    assert english["联合声明"] == "joint statement"
    assert english["太平洋岛国"] == "Pacific island nations"
    # the dictionary's G7 for 七国集团, not Japan from the countries its entry lists
    assert english["七国集团"] == "G7"
    # a title, without the name the English puts after it (… Minister Shinjiro Koizumi)
    assert english["日本防卫大臣"] == "Japanese Defense Minister"
    assert english["王毅主任"] == "Director Wang Yi"  # not "Director Wang" (Wang Yi’s attendance)

