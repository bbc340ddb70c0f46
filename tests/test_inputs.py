"""Word, PDF, web archives and scraper dumps build like a folder of text files: the same terms,
with the real origin (file, record, URL) in the Sources sheet and the contexts."""

from __future__ import annotations

import gzip
import json
import sqlite3
from datetime import datetime

import pytest
from click.testing import CliRunner

from glossary import formats, pipeline
from glossary.cli import main
from glossary.errors import GlossaryError
from glossary.read import read_documents

pytest.importorskip("docx")
pytest.importorskip("pdfminer")
pytest.importorskip("warcio")
pytest.importorskip("reportlab")

from make_inputs import (  # noqa: E402
    make_docx, make_jsonl, make_pdf, make_scanned_pdf, make_warc, make_zip_bomb_docx, page_html,
)


@pytest.fixture(scope="session")
def seed_articles(cleaned_seeds):
    """(title, paragraphs) of each seed: the article text a translator would receive."""
    return [(document.title or name, document.paragraphs) for name, document in sorted(cleaned_seeds.items())]


@pytest.fixture(scope="session")
def seed_terms(glossary_rows):
    """The 40 most important entries the seeds give as plain text files."""
    return [row["Term"] for row in glossary_rows[:40]]


def build(paths, tmp_path, **options):
    warnings = []
    report = pipeline.build([str(p) for p in paths], db_path=str(tmp_path / "tb.sqlite3"), jobs=1,
                            warn=warnings.append, **options)
    connection = sqlite3.connect(tmp_path / "tb.sqlite3")
    terms = {row[0] for row in connection.execute("SELECT term FROM terms WHERE mined = 1")}
    documents = connection.execute("SELECT path, title, date FROM documents ORDER BY path").fetchall()
    contexts = [row[0] for row in connection.execute("SELECT document FROM contexts")]
    connection.close()
    return report, warnings, terms, documents, contexts


def share_found(expected, terms):
    return sum(1 for term in expected if term in terms) / len(expected)


# --- Word ---------------------------------------------------------------------------------------


def test_docx_seeds_build_the_same_terms_with_title_and_date_from_properties(tmp_path, seed_articles, seed_terms):
    folder = tmp_path / "in"
    folder.mkdir()
    for number, (title, paragraphs) in enumerate(seed_articles):
        make_docx(folder / f"{number}.docx", paragraphs, title=f"标题{number} {title}",
                  created=datetime(2024, 3, number + 1, 9, 30))
    report, warnings, terms, documents, _ = build([folder], tmp_path)
    assert warnings == [] and report.documents_added == 5
    assert share_found(seed_terms, terms) >= 0.9
    assert [(title.split()[0], date) for _, title, date in documents] == [
        (f"标题{n}", f"2024-03-0{n + 1}") for n in range(5)]


def test_docx_reads_tables_in_place_and_footnotes_after_the_body(tmp_path):
    path = make_docx(tmp_path / "a.docx", ["第一段：人民政协是专门协商机构。", "第三段：凝聚共识是重要任务。"],
                     table=[["表格第一格：发挥专门协商机构作用。", "表格第二格：加强思想政治引领。"]],
                     footnote="注释：见《人民政协报》2024年12月4日。")
    [raw] = read_documents([path])
    lines = [line for line in raw.text.split("\n") if line.strip()]
    assert lines == ["第一段：人民政协是专门协商机构。", "表格第一格：发挥专门协商机构作用。", "表格第二格：加强思想政治引领。",
                     "第三段：凝聚共识是重要任务。", "注释：见《人民政协报》2024年12月4日。"]


# --- PDF ----------------------------------------------------------------------------------------


def test_pdf_paragraphs_are_rejoined_and_running_header_and_page_numbers_removed(tmp_path, seed_articles):
    title, paragraphs = seed_articles[0]
    path = make_pdf(tmp_path / "a.pdf", paragraphs, header="人民政协报 理论周刊")
    [raw] = read_documents([path])
    text = raw.text
    assert "人民政协报 理论周刊" not in text and "- 1 -" not in text and "- 2 -" not in text
    long_paragraphs = [p for p in paragraphs if len(p) > 120]
    assert long_paragraphs, "the seed needs paragraphs that wrap"
    # Each wrapped paragraph comes back as one line, in order.
    lines = text.split("\n")
    assert sum(1 for p in long_paragraphs if p.replace(" ", "") in (line.replace(" ", "") for line in lines)) >= \
        0.9 * len(long_paragraphs)


def test_pdf_seeds_build_the_same_terms(tmp_path, seed_articles, seed_terms):
    folder = tmp_path / "in"
    folder.mkdir()
    for number, (_, paragraphs) in enumerate(seed_articles):
        make_pdf(folder / f"{number}.pdf", paragraphs, header="人民政协报")
    report, warnings, terms, documents, contexts = build([folder], tmp_path)
    assert warnings == [] and report.documents_added == 5
    assert share_found(seed_terms, terms) >= 0.9
    assert all(context.endswith(".pdf") for context in contexts)


# --- bad input ----------------------------------------------------------------------------------


def test_bad_files_are_skipped_with_one_line_each_and_the_rest_is_built(tmp_path, seed_articles, seed_terms):
    folder = tmp_path / "in"
    folder.mkdir()
    for number, (_, paragraphs) in enumerate(seed_articles):
        make_docx(folder / f"good{number}.docx", paragraphs)
    good = (folder / "good0.docx").read_bytes()
    (folder / "truncated.docx").write_bytes(good[: len(good) // 2])
    (folder / "text-renamed.docx").write_text("人民政协是专门协商机构。", encoding="utf-8")
    make_zip_bomb_docx(folder / "bomb.docx")
    make_pdf(folder / "secret.pdf", seed_articles[0][1], encrypt="password")
    make_scanned_pdf(folder / "scanned.pdf")
    (folder / "truncated.pdf").write_bytes(make_pdf(tmp_path / "whole.pdf", seed_articles[1][1]).read_bytes()[:900])
    warc = make_warc(tmp_path / "whole.warc.gz", [("http://www.example.cn/a", page_html("甲", seed_articles[2][1]))])
    (folder / "broken.warc.gz").write_bytes(warc.read_bytes()[:-200])
    report, warnings, terms, _, _ = build([folder], tmp_path)
    # The five Word files, and the page the archive held before the damage.
    assert report.documents_added == 6
    assert share_found(seed_terms, terms) >= 0.9
    by_file = {line.split()[1].rstrip(":").rsplit("/", 1)[-1]: line for line in warnings if line.startswith("skipped")}
    assert set(by_file) >= {"truncated.docx", "text-renamed.docx", "bomb.docx", "secret.pdf", "scanned.pdf",
                            "truncated.pdf"}
    assert all("\n" not in line for line in warnings)
    assert "zip bomb" in by_file["bomb.docx"]
    assert "password" in by_file["secret.pdf"]
    assert "no text layer" in by_file["scanned.pdf"]
    assert any("broken.warc.gz" in line for line in warnings)


def test_missing_reader_library_names_the_extra(tmp_path, monkeypatch):
    make_docx(tmp_path / "a.docx", ["人民政协是专门协商机构。"])
    monkeypatch.setattr(formats, "library_available", lambda module: False)
    with pytest.raises(GlossaryError, match=r"glossary\[inputs\]"):
        list(read_documents([tmp_path]))
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--db", str(tmp_path / "tb.sqlite3"),
                                       "--out", str(tmp_path / "g.xlsx")])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "python-docx" in result.output and "glossary[inputs]" in result.output


# --- web archives ---------------------------------------------------------------------------------


def test_warc_html_responses_are_documents_with_their_url_and_the_rest_is_counted(tmp_path, seed_articles,
                                                                                 seed_terms, monkeypatch):
    pages = [(f"http://www.example.cn/2024/{n}.shtml", page_html(title, paragraphs))
             for n, (title, paragraphs) in enumerate(seed_articles)]
    path = make_warc(tmp_path / "crawl.warc.gz", pages[:4])
    report, warnings, terms, documents, contexts = build([path], tmp_path)
    assert report.documents_added == 4
    assert report.records_skipped == {"redirect": 1, "not HTML": 1, "duplicate payload": 1}
    assert any("1 redirect" in line and "1 not HTML" in line for line in warnings)
    urls = sorted(path.rsplit(" ", 1)[1] for path, _, _ in documents)
    assert urls == [url for url, _ in pages[:4]]
    assert all("#offset " in path for path, _, _ in documents)
    titles = {path.rsplit(" ", 1)[1]: title for path, title, _ in documents}
    assert titles == {pages[n][0]: seed_articles[n][0] for n in range(4)}
    assert contexts and all(c.startswith("crawl.warc.gz#offset ") and " http://www.example.cn/2024/" in c
                            for c in contexts)

    # The crawl goes on: the archive grows by one page. It is read on from where the first build
    # stopped: only that record is read, cleaned and mined, named by its offset in the file.
    size_before = path.stat().st_size
    make_warc(path, pages[4:], extras=False, append=True)
    cleaned = []
    original = pipeline.clean_document
    monkeypatch.setattr(pipeline, "clean_document", lambda raw: cleaned.append(raw.path) or original(raw))
    report, _, terms, documents, _ = build([path], tmp_path)
    assert report.resumed == {str(path): size_before}
    assert report.documents_seen == 1 and report.documents_added == 1 and report.duplicates == 0
    assert [p.rsplit(" ", 1)[1] for p in cleaned] == [pages[4][0]]
    [new_record] = [p for p, _, _ in documents if p.endswith(pages[4][0])]
    assert int(new_record.split("#offset ")[1].split(" ")[0]) >= size_before
    assert share_found(seed_terms, terms) >= 0.9


def test_workbook_sources_name_file_record_and_url(tmp_path, seed_articles):
    from openpyxl import load_workbook

    pages = [(f"http://www.example.cn/{n}.html", page_html(t, p)) for n, (t, p) in enumerate(seed_articles)]
    path = make_warc(tmp_path / "crawl.warc", pages, extras=False)
    result = CliRunner().invoke(main, ["build", str(path), "--db", str(tmp_path / "tb.sqlite3"),
                                       "--out", str(tmp_path / "g.xlsx")])
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(tmp_path / "g.xlsx")["Sources"].iter_rows(values_only=True))
    header = rows[0]
    sources = [dict(zip(header, row)) for row in rows[1:]]
    assert sorted(s["URL"] for s in sources) == sorted(url for url, _ in pages)
    assert all(s["File"] == str(path) and s["Record"].startswith("offset ") for s in sources)


# --- scraper dumps ----------------------------------------------------------------------------------


def test_jsonl_text_and_html_fields_malformed_lines_reported_by_number(tmp_path, seed_articles, seed_terms):
    items = []
    for n, (title, paragraphs) in enumerate(seed_articles):
        if n % 2:
            items.append({"url": f"https://news.example.cn/{n}", "title": title, "date": "2024-12-0%d 11:07" % (n + 1),
                          "html": page_html(title, paragraphs)})
        else:
            items.append({"url": f"https://news.example.cn/{n}", "title": title, "published": f"2024年12月0{n + 1}日",
                          "text": "\n".join(paragraphs)})
    items.insert(2, '{"url": "https://news.example.cn/broken", "text": "人民政协')
    items.insert(4, '["not", "an", "object"]')
    path = make_jsonl(tmp_path / "dump.jsonl.gz", items, compress=True)
    report, warnings, terms, documents, contexts = build([path], tmp_path)
    assert report.documents_added == 5
    assert [line.split(":")[0] for line in warnings] == [f"skipped {path} line 3", f"skipped {path} line 5"]
    assert share_found(seed_terms, terms) >= 0.9
    by_url = {p.rsplit(" ", 1)[1]: (p, title, date) for p, title, date in documents}
    assert by_url["https://news.example.cn/1"][2] == "2024-12-02"
    assert by_url["https://news.example.cn/0"][2] == "2024-12-01"
    assert by_url["https://news.example.cn/3"][0].endswith("#line 5 https://news.example.cn/3") is False
    assert by_url["https://news.example.cn/3"][0].endswith("#line 6 https://news.example.cn/3")
    # HTML was cleaned: no tag and no navigation bar reached a context.
    text = json.dumps(contexts, ensure_ascii=False)
    assert "<p>" not in text and "委员讲堂" not in text


def test_jsonl_text_field_option_and_growth(tmp_path, seed_articles):
    items = [{"link": f"https://x.cn/{n}", "article_body": "\n".join(p), "text": "短"}
             for n, (_, p) in enumerate(seed_articles[:3])]
    path = make_jsonl(tmp_path / "dump.jsonl", items)
    runner = CliRunner()
    arguments = ["build", str(path), "--text-field", "article_body", "--db", str(tmp_path / "tb.sqlite3"),
                 "--out", str(tmp_path / "g.xlsx")]
    result = runner.invoke(main, arguments)
    assert result.exit_code == 0, result.output
    assert "3 read, 3 new" in result.output
    with open(path, "a", encoding="utf-8") as stream:
        stream.write(json.dumps({"link": "https://x.cn/9", "article_body": "\n".join(seed_articles[3][1])},
                                ensure_ascii=False) + "\n")
    result = runner.invoke(main, arguments)
    assert result.exit_code == 0, result.output
    # Only the new line is read: the dump grew, its first three lines are as the last build read them.
    assert "1 read, 1 new" in result.output and "read on from byte" in result.output
    result = runner.invoke(main, arguments)
    assert result.exit_code == 0, result.output
    assert "0 read, 0 new" in result.output and "unchanged" in result.output
    # Another --text-field reads every line again.
    result = runner.invoke(main, [*arguments[:2], "--text-field", "text", *arguments[4:]])
    assert result.exit_code == 0, result.output
    assert "4 read" in result.output and "read on" not in result.output


def test_a_dump_changed_before_its_end_is_read_from_its_start(tmp_path, seed_articles):
    items = [{"url": f"https://x.cn/{n}", "text": "\n".join(p)} for n, (_, p) in enumerate(seed_articles[:3])]
    path = make_jsonl(tmp_path / "dump.jsonl", items)
    termbase = tmp_path / "tb.sqlite3"
    first = pipeline.build([str(path)], db_path=str(termbase), jobs=1)
    assert first.documents_added == 3 and not first.resumed
    # The second line is rewritten and a fourth appended: the bytes read before changed.
    items[1]["url"] = "https://x.cn/moved"
    items.append({"url": "https://x.cn/3", "text": "\n".join(seed_articles[3][1])})
    make_jsonl(path, items)
    second = pipeline.build([str(path)], db_path=str(termbase), jobs=1)
    assert not second.resumed and second.documents_seen == 4
    # A line still being written when a build reads the dump is read again once it is complete.
    with open(path, "ab") as stream:
        stream.write(json.dumps({"url": "https://x.cn/4", "text": "\n".join(seed_articles[4][1])},
                                ensure_ascii=False).encode()[:40])
    third = pipeline.build([str(path)], db_path=str(termbase), jobs=1, warn=lambda message: None)
    assert third.resumed and third.documents_seen == 0
    with open(path, "ab") as stream:
        line = json.dumps({"url": "https://x.cn/4", "text": "\n".join(seed_articles[4][1])}, ensure_ascii=False)
        stream.write(line.encode()[40:] + b"\n")
    fourth = pipeline.build([str(path)], db_path=str(termbase), jobs=1)
    assert fourth.resumed and fourth.documents_seen == 1 and fourth.documents_added == 1


def test_shtml_pages_are_read_like_html(tmp_path, seed_articles):
    title, paragraphs = seed_articles[0]
    (tmp_path / "ARTI1.shtml").write_text(page_html(title, paragraphs), encoding="utf-8")
    [raw] = read_documents([tmp_path])
    assert raw.path.endswith("ARTI1.shtml") and raw.title == title
    assert paragraphs[0] in raw.text and "<p>" not in raw.text


def test_clean_command_reads_archives(tmp_path, seed_articles):
    path = make_jsonl(tmp_path / "d.jsonl", [{"url": "https://x.cn/1", "title": "标题", "content": "\n".join(
        seed_articles[0][1])}, "{oops"])
    result = CliRunner(mix_stderr=False).invoke(main, ["clean", str(path)]) if "mix_stderr" in \
        CliRunner.__init__.__code__.co_varnames else CliRunner().invoke(main, ["clean", str(path)])
    assert result.exit_code == 0
    assert f"== {path}#line 1 https://x.cn/1" in result.output
    assert "title: 标题" in result.output
