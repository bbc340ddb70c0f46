"""CAT-tool exports: TBX-Basic, CSV, OmegaT and JSON, from the seeds' termbase."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner
from lxml import etree

from glossary.cli import main
from glossary.export import csv_text_of, omegat_text
from glossary.store import Termbase


@pytest.fixture(scope="module")
def exported(built, tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    files = {}
    for format_ in ("tbx", "csv", "omegat", "json", "xlsx"):
        out = folder / f"glossary.{format_}"
        result = CliRunner().invoke(main, ["export", "--format", format_, "--db", str(built[0]), "--out", str(out)])
        assert result.exit_code == 0, result.output
        files[format_] = out
    return files


def test_tbx_structure(exported, built):
    tree = etree.parse(str(exported["tbx"]))
    root = tree.getroot()
    assert root.tag == "martif" and root.get("type") == "TBX-Basic"
    entries = root.findall("./text/body/termEntry")
    with Termbase(built[0]) as termbase:
        assert len(entries) == len(termbase.term_rows())
    by_term = {}
    for entry in entries:
        languages = {ls.get("{http://www.w3.org/XML/1998/namespace}lang"): ls for ls in entry.findall("langSet")}
        assert "zh-CN" in languages
        by_term[languages["zh-CN"].findtext("tig/term")] = (entry, languages)
    entry, languages = by_term["两个维护"]
    assert languages["zh-TW"].findtext("tig/term") == "兩個維護"
    assert entry.findtext("descrip[@type='subjectField']") == "numbered slogan"
    zh = languages["zh-CN"].find("tig")
    assert zh.findtext("note").startswith("pinyin: liǎng gè wéihù")
    assert "两个维护" in zh.findtext("descrip[@type='context']")
    assert zh.findtext("admin[@type='source']").endswith(".txt")
    assert zh.findtext("termNote[@type='administrativeStatus']") == "admittedTerm-admn-sts"
    assert languages["en"].findtext("tig/term")
    assert languages["en"].findtext("tig/admin[@type='source']")
    entry, _ = by_term["四个凝聚"]
    assert entry.findtext("descrip[@type='definition']") == "凝聚人心、凝聚共识、凝聚智慧、凝聚力量"


def test_csv_layout_bom_and_formula_safety(exported):
    raw = exported["csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][:2] == ["zh-CN", "en"] and "definition" in rows[0] and "context" in rows[0]
    assert any(r[0] == "1+1+9+N" for r in rows[1:])


def test_csv_neutralises_formula_like_text(built):
    with Termbase(built[0]) as termbase:
        rows = termbase.term_rows()[:1]
    rows[0].notes = "=cmd|' /C calc'!A0"
    rows[0].english = "+danger"
    text = csv_text_of(rows)
    record = list(csv.reader(text.splitlines()))[1]
    assert record[1] == "'+danger" and record[8].startswith("'=")


def test_omegat_glossary(exported):
    lines = exported["omegat"].read_text(encoding="utf-8").splitlines()
    assert lines
    for line in lines:
        assert line.count("\t") == 2
    assert any(line.startswith("凝聚共识\t") for line in lines)


def test_omegat_skips_rejected_terms(built):
    with Termbase(built[0]) as termbase:
        rows = termbase.term_rows()[:2]
    rows[0].status = "rejected"
    assert omegat_text(rows).count("\n") == 1


def test_json_has_every_field(exported):
    data = json.loads(exported["json"].read_text(encoding="utf-8"))
    entry = next(e for e in data if e["term"] == "四个凝聚")
    for key in ("id", "traditional", "pinyin", "pinyin_numbers", "english", "english_source", "category",
                "expansion", "frequency", "documents", "status", "notes", "contexts", "components"):
        assert key in entry
    assert len(entry["components"]) == 4


def test_build_out_and_export_xlsx_write_the_same_workbook(exported, built):
    from openpyxl import load_workbook

    first = [list(r) for r in load_workbook(built[1])["Glossary"].iter_rows(values_only=True)]
    second = [list(r) for r in load_workbook(exported["xlsx"])["Glossary"].iter_rows(values_only=True)]
    assert first == second
