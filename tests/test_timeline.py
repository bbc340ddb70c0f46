"""What is new: document dates, first and last sightings, periods, `new`, `trend`, the New sheet."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from glossary.clean import clean_document
from glossary.cli import main
from glossary.dates import (SOURCE_FILE_NAME, SOURCE_FOLDER, SOURCE_PATTERN, SOURCE_UNKNOWN, compile_date_pattern,
                            date_from_path, date_key)
from glossary.errors import GlossaryError
from glossary.read import RawDocument, read_document
from glossary.store import Termbase
from glossary.timeline import FADED_YEARS, new_entries

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
REPORTS = ROOT.parent / "shared" / "corpora" / "gov_work_reports_national"
# The seeds carry their dates on the page (发布时间/来源 lines).
SEED_DATES = {"000": "2024-12-04", "001": "2024-09-25", "002": "2022-01-14", "003": "2025-07-30", "004": "2020-08-06"}


def _invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path, date, source", [
    ("corpus/202005/20200525-05-01.txt", "2020-05-25", SOURCE_FILE_NAME),
    ("reports/2019年政府工作报告.txt", "2019", SOURCE_FILE_NAME),
    ("reports/1954_1954年中华人民共和国国务院政府工作报告.txt", "1954", SOURCE_FILE_NAME),
    ("gwr2024.txt", "2024", SOURCE_FILE_NAME),
    ("speeches/2023年3月5日讲话.txt", "2023-03-05", SOURCE_FILE_NAME),
    ("notes/2021-07_summary.md", "2021-07", SOURCE_FILE_NAME),
    ("peoples_daily_2019_2020/202005/article.txt", "2020-05", SOURCE_FOLDER),
    ("archive/2018年/讲话.txt", "2018", SOURCE_FOLDER),
    ("peoples_daily_2019_2020/article.txt", None, SOURCE_UNKNOWN),  # a range is not a date
    ("saved_pages/ARTI1508921834409967.shtml", None, SOURCE_UNKNOWN),
    ("x_第十四届全国人民代表大会第三次会议关于政府工作报告的决议.txt", None, SOURCE_UNKNOWN),
    ("20201341.txt", None, SOURCE_UNKNOWN),  # month 13: not a date, and 2020 touches digits
    ("20190229.txt", None, SOURCE_UNKNOWN),  # no 29 February in 2019: not a date
])
def test_dates_from_paths(path, date, source):
    found = date_from_path(path)
    assert (found.date, found.source) == (date, source)


def test_date_pattern_reads_other_naming_schemes():
    pattern = compile_date_pattern(r"doc-(?P<day>\d\d)(?P<month>\d\d)(?P<year>\d{4})")
    found = date_from_path("in/doc-05032024.txt", pattern)
    assert (found.date, found.source) == ("2024-03-05", SOURCE_PATTERN)
    positional = compile_date_pattern(r"issue_(\d{4})_(\d\d)")
    assert date_from_path("issue_2021_07.txt", positional).date == "2021-07"
    # Where the pattern does not match, the built-in rules still apply.
    assert date_from_path("20200525-05-01.txt", pattern).source == SOURCE_FILE_NAME
    for bad in ("(", "no groups here"):
        with pytest.raises(GlossaryError):
            compile_date_pattern(bad)


def test_bad_date_pattern_fails_cleanly_and_writes_nothing(tmp_path):
    db = tmp_path / "tb.sqlite3"
    result = _invoke("build", SEEDS, "--db", db, "--out", tmp_path / "g.xlsx", "--date-pattern", "(")
    assert result.exit_code == 2 and result.output.startswith("error: --date-pattern")
    assert not db.exists() and not (tmp_path / "g.xlsx").exists()


def test_partial_dates_sort_as_their_first_day():
    assert date_key("2024") == "2024-01-01" and date_key("2020-05") == "2020-05-01"
    assert date_key("2024-03-05") == "2024-03-05" and date_key(None) is None


def test_dateline_at_the_head_of_a_page_is_its_date(seed_texts):
    # A report's head as the national reports print it, then real prose from a seed.
    body = "\n".join(line for line in seed_texts["002_ba6c786123bb9dee.txt"].splitlines()
                     if not re.search(r"\d{2,4}\s*[-年/.]", line))
    text = ("2024年中华人民共和国国务院政府工作报告\n政府工作报告\n"
            "——2024年3月5日在第十四届全国人民代表大会第二次会议上\n国务院总理　李　强\n" + body)
    document = clean_document(RawDocument(path="report.txt", text=text, encoding="utf-8", size=len(text)))
    assert document.date == "2024-03-05" and document.date_source == "page"
    undated = clean_document(RawDocument(path="x.txt", text="各位代表：\n" + body, encoding="utf-8", size=1))
    assert undated.date is None and undated.date_source is None


@pytest.mark.skipif(not REPORTS.is_dir(), reason="../shared/corpora/gov_work_reports_national is absent")
def test_government_work_reports_are_dated():
    for path in sorted(REPORTS.glob("20*.txt")):
        document = clean_document(read_document(path))
        year = path.name[:4]
        date = document.date or date_from_path(str(path)).date
        assert date and date.startswith(year), (path.name, date)


# --- builds ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dated_corpus(tmp_path_factory):
    """The seeds (dated on their pages) and one seed stripped of every date: undated."""
    folder = tmp_path_factory.mktemp("dated")
    corpus = folder / "corpus"
    corpus.mkdir()
    for path in sorted(SEEDS.glob("*.txt")):
        shutil.copy(path, corpus / path.name)
    text = (SEEDS / "002_ba6c786123bb9dee.txt").read_text(encoding="utf-8")
    kept = [line for line in text.splitlines() if not re.search(r"\d{2,4}\s*[-年/.]", line)]
    (corpus / "undated_speech.txt").write_text("\n".join(kept[: len(kept) // 2]), encoding="utf-8")
    db, out = folder / "tb.sqlite3", folder / "glossary.xlsx"
    result = _invoke("build", corpus, "--db", db, "--out", out)
    assert result.exit_code == 0, result.output
    return corpus, db, out, result.output


def _timeline_rows(db):
    connection = sqlite3.connect(db)
    try:
        terms = connection.execute(
            "SELECT term, first_seen, first_seen_document, last_seen, last_seen_document, periods_json, historical,"
            " frequency FROM terms ORDER BY term").fetchall()
        occurrences = connection.execute(
            "SELECT surface, document_hash, frequency FROM term_occurrences ORDER BY 1, 2").fetchall()
    finally:
        connection.close()
    return terms, occurrences


def test_undated_documents_are_counted_and_named(dated_corpus):
    _, db, out, output = dated_corpus
    assert "dates: 5 of 6 documents dated, 2020-08-06 to 2025-07-30 (5 from page)" in output
    assert "undated: 1 document (counted, but in no period): undated_speech.txt" in output
    sources = {os.path.basename(r[0]): r for r in load_workbook(out)["Sources"].iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in load_workbook(out)["Sources"][1]]
    date, source = header.index("Date"), header.index("Date source")
    assert sources["003_67706067364c34ce.txt"][date] == "2025-07-30"
    assert sources["003_67706067364c34ce.txt"][source] == "page"
    assert sources["undated_speech.txt"][date] in (None, "") and sources["undated_speech.txt"][source] == "unknown"


def test_first_and_last_seen_follow_the_documents(dated_corpus, cleaned_seeds):
    _, db, _, _ = dated_corpus
    terms, _ = _timeline_rows(db)
    texts = {key: "\n".join(s.text for s in document.sentences if not s.mojibake)
             for key, document in cleaned_seeds.items()}
    checked = 0
    for term, first, first_document, last, last_document, periods, historical, frequency in terms:
        holding = sorted((SEED_DATES[key], key) for key, text in texts.items() if term in text)
        if not holding:
            continue
        assert (first, first_document[:3]) == holding[0], term
        assert (last, last_document[:3]) == holding[-1], term
        # Every occurrence is in some period: the periods add up to the entry's frequency.
        assert sum(count for count, _ in json.loads(periods).values()) == frequency, term
        assert bool(historical) == (int(last[:4]) <= 2025 - FADED_YEARS), term
        checked += 1
    assert checked > 100


def test_faded_entries_are_historical_in_the_workbook(dated_corpus):
    _, db, out, _ = dated_corpus
    rows = list(load_workbook(out)["Glossary"].iter_rows(values_only=True))
    header = rows[0]
    first, last, term = header.index("First seen"), header.index("Last seen"), header.index("Term")
    by_term = {row[term]: row for row in rows[1:]}
    with Termbase(db) as termbase:
        historical = [r["term"] for r in termbase.connection.execute("SELECT term FROM terms WHERE historical = 1")]
        current = termbase.connection.execute(
            "SELECT term, first_seen, last_seen FROM terms WHERE historical = 0 AND last_seen != ''").fetchone()
    assert historical, "a corpus spanning 2020-2025 has entries last seen in 2020"
    assert by_term[historical[0]][last].endswith("(historical)")
    assert by_term[current["term"]][first] == current["first_seen"]
    assert by_term[current["term"]][last] == current["last_seen"]


def test_one_document_at_a_time_equals_one_build(tmp_path, dated_corpus):
    corpus, db, _, _ = dated_corpus
    files = sorted(corpus.glob("*.txt"))
    stepwise = tmp_path / "stepwise.sqlite3"
    # Newest first, the undated document in the middle: the order must not matter.
    for path in sorted(files, key=lambda p: p.name, reverse=True):
        result = _invoke("build", path, "--db", stepwise, "--out", tmp_path / "g.xlsx")
        assert result.exit_code == 0, result.output
    assert _timeline_rows(stepwise) == _timeline_rows(db)


def test_a_changed_date_pattern_redates_the_documents_of_the_build(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    source = SEEDS / "002_ba6c786123bb9dee.txt"
    text = "\n".join(line for line in source.read_text(encoding="utf-8").splitlines()
                     if not re.search(r"\d{2,4}\s*[-年/.]", line))
    (corpus / "speech-05032019.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "tb.sqlite3"
    assert _invoke("build", corpus, "--db", db, "--out", tmp_path / "a.xlsx").exit_code == 0
    with Termbase(db) as termbase:
        # The built-in rules find no date in 05032019 (a year must not touch other digits).
        assert [tuple(r) for r in termbase.connection.execute("SELECT date, date_source FROM documents")] == [
            (None, SOURCE_UNKNOWN)]
    result = _invoke("build", corpus, "--db", db, "--out", tmp_path / "b.xlsx",
                     "--date-pattern", r"-(?P<day>\d\d)(?P<month>\d\d)(?P<year>\d{4})")
    assert result.exit_code == 0, result.output
    with Termbase(db) as termbase:
        assert [tuple(r) for r in termbase.connection.execute("SELECT date, date_source FROM documents")] == [
            ("2019-03-05", SOURCE_PATTERN)]
        assert termbase.connection.execute("SELECT count(*) FROM terms WHERE first_seen = '2019-03-05'").fetchone()[0]


# --- new -------------------------------------------------------------------------------------


def test_new_lists_what_the_period_brought(dated_corpus, cleaned_seeds):
    _, db, _, _ = dated_corpus
    with Termbase(db) as termbase:
        report = new_entries(termbase, "2025-01-01")
        everything = {row["term"] for row in termbase.connection.execute("SELECT term FROM terms")}
    texts = {key: "\n".join(s.text for s in document.sentences if not s.mojibake)
             for key, document in cleaned_seeds.items()}
    assert report.documents == 1 and report.documents_before == 4
    found = {entry.term for entry in report.entries} | {longer for entry in report.entries for longer in entry.longer}
    assert all(longer.find(entry.term) >= 0 for entry in report.entries for longer in entry.longer)
    # Exactly the entries that the 2025 seed uses and no earlier seed does.
    expected = {term for term in everything if term in texts["003"]
                and not any(term in texts[key] for key in ("000", "001", "002", "004"))}
    assert found and found == expected
    categories = [entry.category for entry in report.entries]
    slogans = categories.count("numbered slogan")
    assert categories[:slogans] == ["numbered slogan"] * slogans
    for entry in report.entries:
        assert entry.first_seen == "2025-07-30" and entry.frequency_before == 0 and entry.frequency >= 1


def test_new_command_text_and_json(dated_corpus):
    _, db, _, _ = dated_corpus
    result = _invoke("new", "--since", "2024", "--until", "2024-12", "--db", db, "--json", "--limit", "0")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["since"] == "2024" and data["documents"] == 2 and data["undated_documents"] == ["undated_speech.txt"]
    assert data["entries"] and all(e["first_seen"][:4] == "2024" for e in data["entries"])
    assert [e["rank"] for e in data["entries"]] == list(range(1, len(data["entries"]) + 1))
    text = _invoke("new", "--since", "2025-01-01", "--db", db)
    assert text.exit_code == 0 and "first seen 2025-07-30 in 003_67706067364c34ce.txt" in text.output
    bad = _invoke("new", "--since", "last year", "--db", db)
    assert bad.exit_code == 2 and bad.output.startswith("error: --since")
    backwards = _invoke("new", "--since", "2025", "--until", "2024-06", "--db", db)
    assert backwards.exit_code == 2 and backwards.output.startswith("error: --until 2024-06 is before")
    missing = _invoke("new", "--since", "2025", "--db", Path(db).parent / "absent.sqlite3")
    assert missing.exit_code == 2 and not (Path(db).parent / "absent.sqlite3").exists()


# --- the New sheet and its chart -------------------------------------------------------------


def test_new_sheet_holds_a_native_chart(dated_corpus):
    _, db, out, _ = dated_corpus
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        types = archive.read("[Content_Types].xml").decode()
        sheet_rels = archive.read("xl/worksheets/_rels/sheet2.xml.rels").decode()
        drawing_rels = archive.read("xl/drawings/_rels/drawing1.xml.rels").decode()
        sheet = archive.read("xl/worksheets/sheet2.xml").decode()
    assert {"xl/charts/chart1.xml", "xl/drawings/drawing1.xml"} <= names
    assert "drawingml.chart+xml" in types and "drawing+xml" in types
    assert "../drawings/drawing1.xml" in sheet_rels and "../charts/chart1.xml" in drawing_rels
    assert '<drawing r:id="rId1"/>' in sheet
    workbook = load_workbook(out)
    new = workbook["New"]
    assert workbook.sheetnames[1] == "New"
    (chart,) = new._charts
    assert chart.tagname == "barChart"
    series = chart.series[0]
    assert series.cat.strRef.f.startswith("'New'!$C$2") and series.val.numRef.f.startswith("'New'!$J$2")
    rows = list(new.iter_rows(min_row=2, values_only=True))
    shown = len(series.val.numRef.numCache.pt)
    assert [p.v for p in series.cat.strRef.strCache.pt] == [row[2] for row in rows[:shown]]
    assert [float(p.v) for p in series.val.numRef.numCache.pt] == [float(row[9]) for row in rows[:shown]]
    # The latest period by default: the year of the latest document.
    assert rows and all(row[7].startswith("2025") for row in rows)


def test_new_since_option_sets_the_sheets_period(tmp_path, dated_corpus):
    corpus, db, _, _ = dated_corpus
    copy = tmp_path / "tb.sqlite3"
    shutil.copy(db, copy)
    out = tmp_path / "g.xlsx"
    assert _invoke("build", corpus, "--db", copy, "--out", out, "--new-since", "2024-01-01").exit_code == 0
    rows = list(load_workbook(out)["New"].iter_rows(min_row=2, values_only=True))
    assert {row[7][:4] for row in rows} == {"2024", "2025"}


def test_libreoffice_reads_the_chart(dated_corpus, tmp_path):
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        if os.environ.get("GLOSSARY_REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice is required here (GLOSSARY_REQUIRE_LIBREOFFICE is set) but not installed")
        pytest.skip("LibreOffice is not installed")
    _, _, out, _ = dated_corpus
    source = tmp_path / "in.xlsx"
    shutil.copy(out, source)
    target = tmp_path / "converted"
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "xlsx",
                    "--outdir", str(target), str(source)], check=True, capture_output=True, timeout=240)
    converted = target / "in.xlsx"
    with zipfile.ZipFile(converted) as archive:
        charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
        assert charts, "LibreOffice dropped the chart"
        chart_xml = archive.read(charts[0]).decode()
    assert "barChart" in chart_xml and "$C$2" in chart_xml
    (chart,) = load_workbook(converted)["New"]._charts


# --- trend -----------------------------------------------------------------------------------


def test_trend_draws_a_picture(dated_corpus, tmp_path):
    pytest.importorskip("matplotlib")
    _, db, _, _ = dated_corpus
    with Termbase(db) as termbase:
        entry = termbase.connection.execute(
            "SELECT term FROM terms WHERE documents >= 3 ORDER BY frequency DESC").fetchone()[0]
    out = tmp_path / "pictures" / "trend.png"
    result = _invoke("trend", entry, "政协委员", "--out", out, "--db", db, "--by", "year")
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    lines = result.output.splitlines()
    assert lines[0] == f"period\t{entry}\t政协委员\tcharacters"
    table = [line.split("\t") for line in lines[1:5]]
    assert [row[0] for row in table] == ["2020", "2022", "2024", "2025"]  # the undated speech is in no period
    assert all(float(row[1]) >= 0 and float(row[2]) >= 0 and int(row[3]) > 0 for row in table)
    assert any(float(row[1]) > 0 for row in table)
    with Termbase(db) as termbase:
        is_entry = termbase.find_term("政协委员") is not None
    assert ("政协委员: not an entry of the termbase" in result.output) == (not is_entry)


def test_trend_names_the_extra_when_matplotlib_is_missing(dated_corpus, tmp_path, monkeypatch):
    _, db, _, _ = dated_corpus
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = _invoke("trend", "政协", "--out", tmp_path / "t.png", "--db", db)
    assert result.exit_code == 2
    assert result.output.strip() == "error: glossary trend needs matplotlib: pip install 'glossary[charts]'"
    assert not (tmp_path / "t.png").exists()


def test_longer_new_entries_are_listed_under_the_entry_they_contain():
    from glossary.timeline import NewEntry, nest_longer_forms

    def entry(term, documents, frequency):
        return NewEntry(rank=0, id=0, term=term, category="political term", pinyin="", english="", english_source="",
                        first_seen="2024", first_seen_document="", last_seen="2025", frequency=frequency,
                        documents=documents, per_million=0.0, frequency_before=0, documents_before=0,
                        take_off=float("inf"), corpus_frequency=frequency)

    ranked = [entry("新质生产力", 2, 3), entry("银发经济", 2, 3), entry("发展新质生产力", 2, 2),
              entry("因地制宜发展新质生产力", 1, 1), entry("一致性评估", 2, 3), entry("宏观政策取向一致性评估", 2, 2)]
    listed = nest_longer_forms(ranked)
    assert [e.term for e in listed] == ["新质生产力", "银发经济", "一致性评估"]
    assert listed[0].longer == ["发展新质生产力", "因地制宜发展新质生产力"]
    assert listed[2].longer == ["宏观政策取向一致性评估"]


def test_merge_and_split_carry_the_sightings(tmp_path, dated_corpus):
    _, db, _, _ = dated_corpus
    copy = tmp_path / "tb.sqlite3"
    shutil.copy(db, copy)
    with Termbase(copy) as termbase:
        rows = termbase.connection.execute(
            "SELECT term, first_seen, last_seen FROM terms WHERE first_seen != '' ORDER BY first_seen, term").fetchall()
    early = next(r for r in rows if r["first_seen"].startswith("2020"))
    late = next(r for r in reversed(rows) if r["first_seen"].startswith("2025") and early["term"] not in r["term"]
                and r["term"] not in early["term"])
    assert _invoke("merge", late["term"], early["term"], "--db", copy).exit_code == 0
    with Termbase(copy) as termbase:
        merged = termbase.find_term(late["term"])
        assert merged["first_seen"] == early["first_seen"] and merged["last_seen"] == late["last_seen"]
    assert _invoke("split", late["term"], early["term"], "--db", copy).exit_code == 0
    with Termbase(copy) as termbase:
        assert termbase.find_term(late["term"])["first_seen"] == late["first_seen"]
        assert termbase.find_term(early["term"])["first_seen"] == early["first_seen"]


def test_clean_shows_where_the_date_comes_from(tmp_path):
    named = tmp_path / "2019年" / "speech.txt"
    named.parent.mkdir()
    named.write_text("各位代表：\n" + "我们要坚持和完善人民代表大会制度，发展全过程人民民主。" * 3, encoding="utf-8")
    result = _invoke("clean", SEEDS / "000_c2d07c5f0ac9665e.txt", named)
    assert result.exit_code == 0, result.output
    dates = [line for line in result.output.splitlines() if line.startswith("date:")]
    assert dates == ["date: 2024-12-04 (page)", "date: 2019 (folder)"]


def test_a_full_date_in_the_file_name_wins_over_a_distant_page_date(tmp_path, seed_texts):
    # People's Daily files are named by the day of the paper; a story's first lines may cite
    # another day (a history page), which the page heuristics would take for its date.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = "\n".join(line for line in seed_texts["002_ba6c786123bb9dee.txt"].splitlines()
                     if not re.search(r"\d{2,4}\s*[-年/.]", line))
    (corpus / "20191025-01-09.txt").write_text("中国的“小巷总理”为什么管用\n1949年10月1日，北京，开国大典。\n" + body,
                                              encoding="utf-8")
    (corpus / "20240306-01-01.txt").write_text(
        "政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n" + body[: len(body) // 2], encoding="utf-8")
    (corpus / "20240901-01-01.txt").write_text(
        "政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n" + body[len(body) // 2:], encoding="utf-8")
    db = tmp_path / "tb.sqlite3"
    assert _invoke("build", corpus, "--db", db, "--out", tmp_path / "g.xlsx").exit_code == 0
    with Termbase(db) as termbase:
        found = {r["name"]: (r["date"], r["date_source"]) for r in termbase.connection.execute(
            "SELECT name, date, date_source FROM documents")}
    assert found["20191025-01-09.txt"] == ("2019-10-25", SOURCE_FILE_NAME)  # the story's sentence is no dateline
    assert found["20240306-01-01.txt"] == ("2024-03-05", "page")  # the day before the paper: the page's date
    assert found["20240901-01-01.txt"] == ("2024-09-01", SOURCE_FILE_NAME)  # half a year off: the name wins
