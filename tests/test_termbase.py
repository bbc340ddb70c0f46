"""The termbase keeps every translator's decision: build → export → edit → import → rebuild."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from glossary.cli import main
from glossary.errors import GlossaryError
from glossary.importer import apply_import, plan_import
from glossary.pipeline import build
from glossary.store import MIGRATIONS, Termbase, pack, pack_tokens, resolve_db_path, unpack_tokens
from glossary.workbook import write_workbook


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _invoke(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result


def _edit(path, edits: dict[str, dict[str, str]]):
    """Edit the Glossary sheet as a translator would: by term, in the English/Status/Notes cells."""
    workbook = load_workbook(path)
    sheet = workbook["Glossary"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        term = row[header.index("Term")].value
        for column, value in edits.get(term, {}).items():
            row[header.index(column)].value = value
    workbook.save(path)


@pytest.fixture()
def corpus(tmp_path, seed_paths):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in seed_paths[:4]:
        shutil.copy(path, folder / path.name)
    return folder


def test_whole_cycle_keeps_edits_and_grows(tmp_path, corpus, seed_paths):
    db, out = tmp_path / "tb.sqlite3", tmp_path / "glossary.xlsx"
    result = _invoke("build", corpus, "--db", db, "--out", out)
    assert result.exit_code == 0, result.output
    with Termbase(db) as termbase:
        before = {row.term: row for row in termbase.term_rows()}
    _edit(out, {
        "凝聚共识": {"English": "building consensus", "Status": "approved", "Notes": "CPPCC usage"},
        "专门协商机构": {"Status": "approved"},
        "政协": {"Status": "rejected"},
        "界别群众": {"Notes": "people of the sectors"},
    })
    result = _invoke("import", out, "--db", db, "--user", "translator-a")
    assert result.exit_code == 0, result.output
    assert "changed 4" in result.output

    shutil.copy(seed_paths[4], corpus / seed_paths[4].name)
    result = _invoke("build", corpus, "--db", db, "--out", out)
    assert result.exit_code == 0, result.output
    assert "1 new" in result.output
    with Termbase(db) as termbase:
        after = {row.term: row for row in termbase.term_rows()}
        consensus = after["凝聚共识"]
        assert (consensus.english, consensus.english_source, consensus.status, consensus.notes) == (
            "building consensus", "approved", "approved", "CPPCC usage")
        body = after["专门协商机构"]
        assert body.status == "approved" and body.english_source == "approved"
        assert body.english == before["专门协商机构"].english
        assert after["政协"].status == "rejected"
        assert after["界别群众"].notes == "people of the sectors"
        assert body.frequency > before["专门协商机构"].frequency
        assert body.documents == before["专门协商机构"].documents + 1
        assert after["政协"].frequency > before["政协"].frequency
        audit = termbase.audit()
        assert {(a["term"], a["field"]) for a in audit} >= {
            ("凝聚共识", "english"), ("凝聚共识", "status"), ("凝聚共识", "notes"), ("专门协商机构", "english"),
            ("专门协商机构", "status"), ("政协", "status"), ("界别群众", "notes")}
        assert all(a["who"] == "translator-a" for a in audit)
        assert all(a["action"] == "import glossary.xlsx" for a in audit)
    # The rebuilt workbook shows the edits and the rejected term is still rejected, not new.
    rows = {r[1]: r for r in load_workbook(out)["Glossary"].iter_rows(min_row=2, values_only=True)}
    assert rows["凝聚共识"][4] == "building consensus" and rows["政协"][13] == "rejected"


def test_conflicting_edit_is_reported_not_applied(tmp_path, corpus):
    db, out = tmp_path / "tb.sqlite3", tmp_path / "glossary.xlsx"
    assert _invoke("build", corpus, "--db", db, "--out", out).exit_code == 0
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    shutil.copy(out, first)
    shutil.copy(out, second)
    _edit(first, {"凝聚共识": {"English": "forging consensus"}})
    assert _invoke("import", first, "--db", db).exit_code == 0
    _edit(second, {"凝聚共识": {"English": "building consensus"}, "界别群众": {"Notes": "ok"}})
    result = _invoke("import", second, "--db", db)
    assert result.exit_code == 1, result.output  # applied but for the conflict, which the status says
    assert "1 conflicts" in result.output and "forging consensus" in result.output
    with Termbase(db) as termbase:
        rows = {row.term: row for row in termbase.term_rows()}
    assert rows["凝聚共识"].english == "forging consensus"
    assert rows["界别群众"].notes == "ok"
    result = _invoke("import", second, "--db", db, "--prefer", "file")
    assert result.exit_code == 0
    with Termbase(db) as termbase:
        assert {row.term: row for row in termbase.term_rows()}["凝聚共识"].english == "building consensus"


def test_same_corpus_twice_changes_nothing(tmp_path, corpus):
    db, out = tmp_path / "tb.sqlite3", tmp_path / "glossary.xlsx"
    assert _invoke("build", corpus, "--db", db, "--out", out).exit_code == 0
    digest = _digest(db)
    result = _invoke("build", corpus, "--db", db, "--out", out)
    assert result.exit_code == 0 and "unchanged" in result.output
    assert _digest(db) == digest


def test_same_article_in_two_encodings_counts_once(tmp_path, seed_paths):
    folder = tmp_path / "two"
    folder.mkdir()
    text = seed_paths[2].read_text(encoding="utf-8")
    (folder / "a.txt").write_text(text, encoding="utf-8")
    (folder / "b.txt").write_bytes(text.encode("gb18030"))
    report = build([folder], db_path=tmp_path / "tb.sqlite3")
    assert report.documents_seen == 2 and report.documents_added == 1 and report.duplicates == 1


def test_failed_build_leaves_termbase_and_workbook_as_they_were(tmp_path, corpus, seed_paths):
    db, out = tmp_path / "tb.sqlite3", tmp_path / "glossary.xlsx"
    build([corpus], db_path=db, write_workbook=write_workbook, out=out)
    db_digest, out_digest = _digest(db), _digest(out)
    shutil.copy(seed_paths[4], corpus / seed_paths[4].name)

    def broken_writer(termbase, path):
        raise OSError("disk full")

    with pytest.raises(OSError):
        build([corpus], db_path=db, write_workbook=broken_writer, out=out)
    assert _digest(db) == db_digest and _digest(out) == out_digest
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def _bad_workbooks(tmp_path, good):
    cases = {}
    cases["not ours"] = tmp_path / "other.xlsx"
    other = Workbook()
    other.active.title = "Sheet1"
    other.active.append(["a", "b"])
    other.save(cases["not ours"])
    cases["corrupt"] = tmp_path / "corrupt.xlsx"
    cases["corrupt"].write_bytes(b"PK\x03\x04 this is not a zip at all" * 10)
    cases["renamed header"] = tmp_path / "renamed.xlsx"
    shutil.copy(good, cases["renamed header"])
    workbook = load_workbook(cases["renamed header"])
    workbook["Glossary"]["E1"] = "Translation"
    workbook.save(cases["renamed header"])
    cases["unknown status"] = tmp_path / "status.xlsx"
    shutil.copy(good, cases["unknown status"])
    workbook = load_workbook(cases["unknown status"])
    workbook["Glossary"]["N3"] = "done"
    workbook.save(cases["unknown status"])
    cases["not a workbook"] = tmp_path / "plain.xlsx"
    cases["not a workbook"].write_text("ID,Term\n1,协商\n", encoding="utf-8")
    return cases


EXPECTED_ERRORS = {
    "not ours": "no Chinese column in the header",
    "corrupt": "not a readable .xlsx workbook",
    "renamed header": "no column 'English'",
    "unknown status": "row 3 column 'Status': unknown value 'done'",
    "not a workbook": "not a readable .xlsx workbook",
}


def test_bad_imports_leave_the_termbase_byte_identical(tmp_path, corpus):
    db, out = tmp_path / "tb.sqlite3", tmp_path / "glossary.xlsx"
    assert _invoke("build", corpus, "--db", db, "--out", out).exit_code == 0
    _edit(out, {"凝聚共识": {"English": "building consensus"}})  # a valid edit in every bad file
    digest = _digest(db)
    for case, path in _bad_workbooks(tmp_path, out).items():
        result = _invoke("import", path, "--db", db)
        assert result.exit_code == 2, (case, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), (case, result.output)
        assert EXPECTED_ERRORS[case] in lines[0], (case, lines[0])
        assert "Traceback" not in result.output
        assert _digest(db) == digest, case


def test_termbase_path_from_env_and_option(tmp_path, monkeypatch, isolated_termbase):
    assert resolve_db_path() == isolated_termbase
    assert resolve_db_path(tmp_path / "x.sqlite3") == tmp_path / "x.sqlite3"
    monkeypatch.delenv("GLOSSARY_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert resolve_db_path() == tmp_path / "data" / "glossary" / "termbase.sqlite3"


def test_export_without_termbase_is_a_clear_error(tmp_path):
    result = _invoke("export", "--db", tmp_path / "none.sqlite3", "--out", tmp_path / "x.csv", "--format", "csv")
    assert result.exit_code == 2 and "run `glossary build` first" in result.output
    assert not (tmp_path / "none.sqlite3").exists()


def test_migrations_upgrade_an_old_termbase(tmp_path):
    path = tmp_path / "old.sqlite3"
    connection = sqlite3.connect(path)
    connection.executescript(MIGRATIONS[0] + "; PRAGMA user_version = 1;")
    connection.close()
    with Termbase(path) as termbase:
        assert termbase.schema_version() == len(MIGRATIONS)
        columns = {row[1] for row in termbase.connection.execute("PRAGMA table_info(terms)")}
        assert "search_pinyin" in columns


def test_foreign_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "foreign.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t(x)")
    connection.commit()
    connection.close()
    with pytest.raises(GlossaryError, match="not a glossary termbase"):
        Termbase(path)


def test_import_api_dry_run_writes_nothing(tmp_path, corpus):
    db, out = tmp_path / "tb.sqlite3", tmp_path / "glossary.xlsx"
    build([corpus], db_path=db, write_workbook=write_workbook, out=out)
    _edit(out, {"凝聚共识": {"Notes": "n"}})
    digest = _digest(db)
    with Termbase(db) as termbase:
        report = plan_import(termbase, out)
    assert [c.term for c in report.changed] == ["凝聚共识"] and _digest(db) == digest
    result = _invoke("import", out, "--db", db, "--dry-run")
    assert result.exit_code == 0 and "would change 1" in result.output and _digest(db) == digest
    with Termbase(db) as termbase:
        apply_import(termbase, plan_import(termbase, out), "api", "glossary.xlsx")
        assert termbase.find_term("凝聚共识")["notes"] == "n"


def test_a_wrong_import_is_traced_and_undone(tmp_path, corpus):
    db, out = tmp_path / "tb.sqlite3", tmp_path / "glossary.xlsx"
    assert _invoke("build", corpus, "--db", db, "--out", out).exit_code == 0
    _edit(out, {"凝聚共识": {"English": "good rendering", "Status": "approved"}})
    assert _invoke("import", out, "--db", db, "--user", "a").exit_code == 0
    assert _invoke("export", "--db", db, "--out", out).exit_code == 0
    _edit(out, {"凝聚共识": {"English": "WRONG", "Notes": "oops"}, "界别群众": {"Status": "rejected"}})
    assert _invoke("import", out, "--db", db, "--user", "b").exit_code == 0
    result = _invoke("history", "凝聚共识", "--db", db)
    assert result.exit_code == 0 and "'good rendering' → 'WRONG'" in result.output and " b [import" in result.output
    wrong_id = int(result.output.split()[0].lstrip("#"))
    result = _invoke("undo", wrong_id, "--db", db, "--user", "lead")
    assert result.exit_code == 0 and "restored 3 fields" in result.output
    with Termbase(db) as termbase:
        rows = {row.term: row for row in termbase.term_rows()}
        assert (rows["凝聚共识"].english, rows["凝聚共识"].notes) == ("good rendering", "")
        assert rows["界别群众"].status == "new" and rows["凝聚共识"].status == "approved"
        assert any(a["action"].startswith(f"undo #{wrong_id}") and a["who"] == "lead" for a in termbase.audit())
    assert _invoke("undo", 999999, "--db", db).exit_code == 2


def test_incremental_build_mines_as_a_fresh_build(tmp_path, corpus, seed_paths):
    incremental, fresh = tmp_path / "incremental.sqlite3", tmp_path / "fresh.sqlite3"
    build([corpus], db_path=incremental)
    shutil.copy(seed_paths[4], corpus / seed_paths[4].name)
    report = build([corpus], db_path=incremental)
    assert report.documents_added == 1
    build([corpus], db_path=fresh)
    query = "SELECT term, category, frequency, documents, score FROM terms WHERE in_corpus = 1 ORDER BY term"
    with Termbase(incremental) as grown, Termbase(fresh) as rebuilt:
        rows = grown.connection.execute(query).fetchall()
        assert len(rows) > 200 and rows == rebuilt.connection.execute(query).fetchall()


def test_documents_stored_with_full_counts_before_migration_5_still_count(tmp_path, corpus):
    db = tmp_path / "tb.sqlite3"
    build([corpus], db_path=db)
    with Termbase(db) as termbase:
        recounted = [counts.to_json() for counts in termbase.stored_counts()]
        assert all(counts["ngrams"] for counts in recounted)
        hashes = [row[0] for row in termbase.connection.execute("SELECT hash FROM documents ORDER BY hash")]
        with termbase.transaction():
            for document_hash, counts in zip(hashes, recounted):
                termbase.connection.execute("UPDATE documents SET counts = ?, tokens = NULL WHERE hash = ?",
                                            (pack(counts), document_hash))
        assert [counts.to_json() for counts in termbase.stored_counts()] == recounted


def test_documents_cut_with_another_dictionary_are_cut_again(tmp_path, corpus):
    db = tmp_path / "tb.sqlite3"
    build([corpus], db_path=db)
    query = "SELECT term, frequency, documents, score FROM terms WHERE in_corpus = 1 ORDER BY term"
    with Termbase(db) as termbase:
        terms = termbase.connection.execute(query).fetchall()
        tokens = dict(termbase.connection.execute("SELECT hash, tokens FROM documents"))
        with termbase.transaction():
            # As if an older release had cut every document into single characters.
            for document_hash, blob in tokens.items():
                characters = [c for token in unpack_tokens(blob) for c in token]
                termbase.connection.execute("UPDATE documents SET tokens = ? WHERE hash = ?",
                                            (pack_tokens(characters), document_hash))
            termbase.set_meta("segmenter", "an older dictionary")
    report = build([corpus], db_path=db)
    assert not report.unchanged
    with Termbase(db) as termbase:
        assert dict(termbase.connection.execute("SELECT hash, tokens FROM documents")) == tokens
        assert termbase.connection.execute(query).fetchall() == terms


def test_a_grown_corpus_cleans_only_the_files_it_has_not_seen(tmp_path, corpus, seed_paths, monkeypatch):
    import glossary.pipeline as pipeline

    db = tmp_path / "tb.sqlite3"
    build([corpus], db_path=db, jobs=1)
    cleaned = []
    clean_document = pipeline.clean_document
    monkeypatch.setattr(pipeline, "clean_document", lambda raw: cleaned.append(raw.path) or clean_document(raw))
    shutil.copy(seed_paths[4], corpus / seed_paths[4].name)
    # The same article in another encoding: other bytes, so it is cleaned, but it is no new document.
    first = corpus / seed_paths[0].name
    first.write_bytes(first.read_text(encoding="utf-8").encode("gb18030"))
    report = build([corpus], db_path=db, jobs=1)
    assert sorted(cleaned) == sorted([str(corpus / seed_paths[4].name), str(first)])
    assert (report.documents_seen, report.documents_added, report.duplicates) == (5, 1, 4)
    cleaned.clear()
    report = build([corpus], db_path=db, jobs=1)
    assert cleaned == [] and report.unchanged and report.duplicates == 5


def _edited(path):
    """The file with its longest paragraph gone, as a translator's correction might leave it."""
    paragraphs = path.read_text(encoding="utf-8").split("\n")
    paragraphs.remove(max(paragraphs, key=len))
    path.write_text("\n".join(paragraphs), encoding="utf-8")


def test_an_edited_file_replaces_its_earlier_version(tmp_path, corpus, seed_paths):
    db, fresh = tmp_path / "tb.sqlite3", tmp_path / "fresh.sqlite3"
    build([corpus], db_path=db)
    _edited(corpus / seed_paths[1].name)
    report = build([corpus], db_path=db)
    assert (report.documents_added, report.documents_replaced, report.duplicates) == (1, 1, 3)
    build([corpus], db_path=fresh)
    query = "SELECT term, frequency, documents, score FROM terms WHERE in_corpus = 1 ORDER BY term"
    with Termbase(db) as edited, Termbase(fresh) as rebuilt:
        assert edited.document_hashes() == rebuilt.document_hashes() and len(edited.document_hashes()) == 4
        assert edited.connection.execute(query).fetchall() == rebuilt.connection.execute(query).fetchall()
    result = _invoke("build", corpus, "--db", db, "--out", tmp_path / "g.xlsx")
    assert result.exit_code == 0 and "unchanged" in result.output


def test_a_new_way_of_cleaning_cleans_every_file_again(tmp_path, corpus, monkeypatch):
    import glossary.pipeline as pipeline

    db = tmp_path / "tb.sqlite3"
    build([corpus], db_path=db)
    cleaned = []
    clean_document = pipeline.clean_document

    def clean_differently(raw):
        cleaned.append(raw.path)
        document = clean_document(raw)
        document.text += "\n"  # another cleaned text, so another document
        return document

    monkeypatch.setattr(pipeline, "CLEANER_VERSION", "a later release")
    monkeypatch.setattr(pipeline, "clean_document", clean_differently)
    report = build([corpus], db_path=db)
    assert len(cleaned) == 4 and (report.documents_added, report.documents_replaced) == (4, 4)
    with Termbase(db) as termbase:
        assert len(termbase.document_hashes()) == 4


def test_files_of_the_same_name_in_another_folder_replace_nothing(tmp_path, seed_paths):
    db = tmp_path / "tb.sqlite3"
    for folder, seed in (("a", seed_paths[0]), ("b", seed_paths[1])):
        (tmp_path / folder).mkdir()
        shutil.copy(seed, tmp_path / folder / "article.txt")
        report = build([tmp_path / folder], db_path=db)
        assert report.documents_added == 1 and report.documents_replaced == 0
    with Termbase(db) as termbase:
        assert len(termbase.document_hashes()) == 2
