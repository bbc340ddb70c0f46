"""Outside glossaries (TBX, memoQ-style CSV, OmegaT, hand-edited workbook) and hand merges."""

from __future__ import annotations

import hashlib
import shutil

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from glossary.cli import main
from glossary.outside import parse_tbx, plan_outside
from glossary.store import Termbase

TBX_V3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
<tbxHeader><fileDesc><sourceDesc><p>client</p></sourceDesc></fileDesc></tbxHeader>
<text><body>
<conceptEntry id="c1">
 <langSec xml:lang="zh-CN"><termSec><term>凝聚共识</term></termSec></langSec>
 <langSec xml:lang="en">
  <termSec><term>build consensus</term>
   <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
  <termSec><term>condense common understanding</term>
   <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
 </langSec>
</conceptEntry>
<conceptEntry id="c2">
 <langSec xml:lang="zh-TW"><termSec><term>兩個維護</term></termSec></langSec>
 <langSec xml:lang="en"><termSec><term>Two Upholds</term></termSec></langSec>
</conceptEntry>
<conceptEntry id="c3">
 <langSec xml:lang="zh-CN"><termSec><term>新质生产力</term></termSec></langSec>
 <langSec xml:lang="en"><termSec><term>new quality productive forces</term></termSec></langSec>
</conceptEntry>
</body></text></tbx>
"""

MARTIF = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en"><martifHeader><fileDesc><sourceDesc><p>agency</p></sourceDesc></fileDesc>
</martifHeader><text><body>
<termEntry id="e1">
 <langSet xml:lang="zh"><tig><term>专门协商机构</term></tig></langSet>
 <langSet xml:lang="en"><tig><term>specialized consultative body</term></tig></langSet>
</termEntry>
<termEntry id="e2">
 <langSet xml:lang="zh"><ntig><termGrp><term>界别群众</term></termGrp></ntig></langSet>
 <langSet xml:lang="en"><ntig><termGrp><term>people in the sectors</term></termGrp></ntig></langSet>
</termEntry>
<termEntry id="e3">
 <langSet xml:lang="zh"><tig><term>协商式监督</term>
  <termNote type="normativeAuthorization">deprecatedTerm-admn-sts</termNote></tig></langSet>
 <langSet xml:lang="en"><tig><term>consultative oversight</term></tig></langSet>
</termEntry>
</body></text></martif>
"""

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<martif><text><body><termEntry><langSet xml:lang="zh"><tig><term>&lol3;</term></tig></langSet></termEntry>
</body></text></martif>
"""


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture()
def termbase_path(built, tmp_path):
    path = tmp_path / "tb.sqlite3"
    shutil.copy(built[0], path)
    return path


def _rows(path):
    with Termbase(path) as termbase:
        return {row.term: row for row in termbase.term_rows()}


def test_tbx_basic_v3_merges_normalises_and_flags(termbase_path, tmp_path):
    source = tmp_path / "client-termbase.tbx"
    source.write_text(TBX_V3, encoding="utf-8")
    result = _run("import", source, "--db", termbase_path, "--user", "pm")
    assert result.exit_code == 0, result.output
    assert "merge 2 into existing entries, add 1 new" in result.output
    rows = _rows(termbase_path)
    consensus = rows["凝聚共识"]
    assert (consensus.english, consensus.english_source) == ("build consensus", "imported: client-termbase.tbx")
    assert "forbidden English in client-termbase.tbx: condense common understanding" in consensus.imported_note
    assert rows["两个维护"].english_source == "imported: client-termbase.tbx"  # traditional headword normalised
    new = rows["新质生产力"]
    assert new.english == "new quality productive forces" and not new.in_corpus
    assert new.category == "imported (not in corpus)" and new.pinyin
    with Termbase(termbase_path) as termbase:
        audit = [(a["term"], a["field"], a["who"]) for a in termbase.audit()]
    assert ("凝聚共识", "english (imported)", "pm") in audit and ("新质生产力", "term", "pm") in audit


def test_martif_tig_and_ntig_and_deprecated_terms(termbase_path, tmp_path):
    source = tmp_path / "agency.tbx"
    source.write_text(MARTIF, encoding="utf-8")
    entries = parse_tbx("agency.tbx", MARTIF.encode())
    assert [e.zh for e in entries] == ["专门协商机构", "界别群众", "协商式监督"]
    assert entries[2].zh_forbidden and not entries[0].zh_forbidden
    assert _run("import", source, "--db", termbase_path).exit_code == 0
    rows = _rows(termbase_path)
    assert rows["界别群众"].english == "people in the sectors"
    assert rows["协商式监督"].forbidden and "forbidden term" in rows["协商式监督"].imported_note


def test_approved_english_outranks_imported(termbase_path, tmp_path):
    with Termbase(termbase_path) as termbase:
        term_id = termbase.find_term("专门协商机构")["id"]
        with termbase.transaction():
            termbase.set_human(term_id, {"english": "specialist consultative body", "status": "approved"}, "t", "test")
    source = tmp_path / "agency.tbx"
    source.write_text(MARTIF, encoding="utf-8")
    assert _run("import", source, "--db", termbase_path).exit_code == 0
    row = _rows(termbase_path)["专门协商机构"]
    assert (row.english, row.english_source) == ("specialist consultative body", "approved")


def test_memoq_csv_with_semicolons_and_gbk(termbase_path, tmp_path):
    source = tmp_path / "memoq.csv"
    text = "Chinese_PRC;English_United_States;Definition_Chinese_PRC\n凝聚共识;forge consensus;核心概念\n政协委员;CPPCC member;\n"
    source.write_bytes(text.encode("gb18030"))
    result = _run("import", source, "--db", termbase_path)
    assert result.exit_code == 0, result.output
    assert "zh=Chinese_PRC" in result.output and "en=English_United_States" in result.output
    assert "semicolon" in result.output
    rows = _rows(termbase_path)
    assert rows["政协委员"].english == "CPPCC member"


def test_omegat_glossary_without_header(termbase_path, tmp_path):
    source = tmp_path / "project-glossary.txt"
    source.write_text("界别群众\tpeople from all sectors\tCPPCC usage\n同心圆\tconcentric circles\n", encoding="utf-8")
    result = _run("import", source, "--db", termbase_path)
    assert result.exit_code == 0, result.output
    assert "zh=column 1" in result.output
    assert _rows(termbase_path)["同心圆"].english_source == "imported: project-glossary.txt"


def test_column_mapping_override(termbase_path, tmp_path):
    source = tmp_path / "odd.csv"
    source.write_text("Quelle,Ziel\n凝聚共识,consensus-building\n", encoding="utf-8")
    assert _run("import", source, "--db", termbase_path).exit_code == 2
    result = _run("import", source, "--db", termbase_path, "--map", "zh=Quelle,en=Ziel")
    assert result.exit_code == 0, result.output
    assert _rows(termbase_path)["凝聚共识"].english == "consensus-building"


def test_hand_edited_workbook_with_new_rows(built, termbase_path, tmp_path):
    edited = tmp_path / "edited.xlsx"
    shutil.copy(built[1], edited)
    workbook = load_workbook(edited)
    sheet = workbook["Glossary"]
    header = [c.value for c in sheet[1]]
    row = [None] * len(header)
    row[header.index("Term")] = "全过程人民民主"
    row[header.index("English")] = "whole-process people's democracy"
    row[header.index("Status")] = "approved"
    sheet.append(row)
    workbook.save(edited)
    result = _run("import", edited, "--db", termbase_path, "--user", "t1")
    assert result.exit_code == 0, result.output
    assert "added 1" in result.output
    entry = _rows(termbase_path)["全过程人民民主"]
    assert entry.english == "whole-process people's democracy" and entry.status == "approved"


def test_dry_run_writes_nothing(termbase_path, tmp_path):
    source = tmp_path / "client.tbx"
    source.write_text(TBX_V3, encoding="utf-8")
    digest = _digest(termbase_path)
    result = _run("import", source, "--db", termbase_path, "--dry-run")
    assert result.exit_code == 0 and "would merge 2" in result.output and "would add 1" in result.output
    assert _digest(termbase_path) == digest


HOSTILE = {
    "malformed.tbx": ("<martif><text><body><termEntry><langSet xml:lang='zh'><tig><term>协商", "not well-formed XML"),
    "bomb.tbx": (BOMB, "refused unsafe XML"),
    "mismatched.csv": ("zh,en\n凝聚共识,consensus\n政协委员,member,extra,fields\n", "row 3 has 4 columns, the header has 2"),
    "empty.csv": ("", "is empty"),
    "english-only.csv": ("zh,en\n,consensus\n", "English without a Chinese term"),
    "not-tbx.xml": ("<html><body>hi</body></html>", "not a TBX file"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_leave_the_termbase_byte_identical(termbase_path, tmp_path, name):
    content, message = HOSTILE[name]
    source = tmp_path / name
    source.write_text(content, encoding="utf-8")
    digest = _digest(termbase_path)
    result = _run("import", source, "--db", termbase_path)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], lines
    assert _digest(termbase_path) == digest


def test_plan_api_reports_mapping(termbase_path, tmp_path):
    source = tmp_path / "g.tsv"
    source.write_text("zh-TW\ten\n兩個維護\ttwo upholds\n", encoding="utf-8")
    with Termbase(termbase_path) as termbase:
        plan = plan_outside(termbase, source)
    assert plan.mapping == {"zh": "zh-TW", "en": "en"} and [m[2] for m in plan.merged] == ["两个维护"]


def test_merge_survives_rebuild_and_split_restores(termbase_path, tmp_path, seed_paths):
    with Termbase(termbase_path) as termbase:
        term_id = termbase.find_term("政协委员")["id"]
        with termbase.transaction():
            termbase.set_human(term_id, {"notes": "member of the CPPCC"}, "t", "test")
    assert _run("merge", "人民政协", "政协委员", "--db", termbase_path, "--user", "lead").exit_code == 0
    assert "[from 政协委员] member of the CPPCC" in _rows(termbase_path)["人民政协"].notes
    rows = _rows(termbase_path)
    assert "政协委员" not in rows and "政协委员" in rows["人民政协"].variants
    # A rebuild with a new copy of a seed keeps the merge: the variant counts for its entry.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in seed_paths:
        shutil.copy(path, corpus / path.name)
    (corpus / "extra.txt").write_text("人民政协和政协委员都要凝聚共识。政协委员要履职尽责。", encoding="utf-8")
    result = _run("build", corpus, "--db", termbase_path, "--out", tmp_path / "g.xlsx")
    assert result.exit_code == 0, result.output
    rows = _rows(termbase_path)
    assert "政协委员" not in rows and "政协委员" in rows["人民政协"].variants
    assert _run("split", "人民政协", "政协委员", "--db", termbase_path, "--user", "lead").exit_code == 0
    rows = _rows(termbase_path)
    assert "政协委员" in rows and "政协委员" not in rows["人民政协"].variants
    # Split out under the ID it always had (issue 19).
    assert rows["政协委员"].notes == "member of the CPPCC" and rows["政协委员"].id == term_id
    with Termbase(termbase_path) as termbase:
        actions = [a["action"] for a in termbase.audit()]
    assert "merge" in actions and "split" in actions
    result = _run("split", "人民政协", "政协委员", "--db", termbase_path)
    assert result.exit_code == 2 and "was not merged" in result.output
