"""Entry IDs are stable for the life of a termbase, and a workbook exported at any earlier point
imports: through retirement, return, merges and splits (issue 19, point 1)."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from glossary.cli import main
from glossary.store import MIGRATIONS, Termbase


def _invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _ids(db) -> dict[str, int]:
    with Termbase(db) as termbase:
        return dict(termbase.connection.execute("SELECT term, id FROM terms"))


def _edit_by_id(path, edits: dict[int, dict[str, str]]):
    """Edit rows of an exported workbook by their ID, as a translator working on it would."""
    workbook = load_workbook(path)
    sheet = workbook["Glossary"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        for column, value in edits.get(row[0].value, {}).items():
            row[header.index(column)].value = value
    workbook.save(path)


@pytest.fixture()
def corpus(tmp_path, seed_paths):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in seed_paths[:4]:
        shutil.copy(path, folder / path.name)
    return folder


def test_an_old_workbook_imports_after_a_rebuild_on_a_grown_corpus(tmp_path, corpus, seed_paths):
    db, out, sent = tmp_path / "tb.sqlite3", tmp_path / "glossary.xlsx", tmp_path / "sent.xlsx"
    assert _invoke("build", corpus, "--db", db, "--out", out).exit_code == 0
    shutil.copy(out, sent)  # the workbook sent to a translator
    before = _ids(db)
    shutil.copy(seed_paths[4], corpus / seed_paths[4].name)
    result = _invoke("build", corpus, "--db", db, "--out", out)
    assert result.exit_code == 0 and "retired" in result.output
    after = _ids(db)
    retired = sorted(set(before) - set(after))
    assert retired, "the grown corpus retires no term; the test needs one"
    assert all(after[term] == before[term] for term in after if term in before)
    assert min(after[term] for term in after if term not in before) > max(before.values())
    gone, kept = before[retired[0]], before["凝聚共识"]
    _edit_by_id(sent, {gone: {"Notes": "seen in the 2024 report"}, kept: {"English": "building consensus"}})
    result = _invoke("import", sent, "--db", db, "--user", "t")
    assert result.exit_code == 0, result.output
    assert "edits of retired entries were kept on them" in result.output and f"ID {gone}" in result.output
    with Termbase(db) as termbase:
        assert termbase.get_term(kept)["english_human"] == "building consensus"
        state, _, record = termbase.resolve_id(gone)
        assert state == "retired" and record["row"]["notes"] == "seen in the 2024 report"


def test_tightening_a_threshold_and_back_keeps_every_id(tmp_path, corpus):
    db, out, sent = tmp_path / "tb.sqlite3", tmp_path / "glossary.xlsx", tmp_path / "sent.xlsx"
    assert _invoke("build", corpus, "--db", db, "--out", out).exit_code == 0
    shutil.copy(out, sent)
    before = _ids(db)
    assert _invoke("build", corpus, "--db", db, "--out", out, "--min-freq", "4").exit_code == 0
    retired = sorted(set(before) - set(_ids(db)))
    assert retired
    # An edit of the retired entry, from the workbook sent before, is kept on it ...
    _edit_by_id(sent, {before[retired[0]]: {"Notes": "keep this one"}})
    result = _invoke("import", sent, "--db", db)
    assert result.exit_code == 0 and "is retired (no longer mined): kept on it" in result.output
    assert retired[0] not in _ids(db)
    # ... and shown when the term returns, under the ID it had.
    result = _invoke("build", corpus, "--db", db, "--out", out)
    assert result.exit_code == 0 and f"{len(retired)} returned under their earlier IDs" in result.output
    assert _ids(db) == before
    with Termbase(db) as termbase:
        assert termbase.get_term(before[retired[0]])["notes"] == "keep this one"


def test_an_id_is_never_given_to_another_entry(tmp_path, corpus):
    db, out = tmp_path / "tb.sqlite3", tmp_path / "glossary.xlsx"
    assert _invoke("build", corpus, "--db", db, "--out", out).exit_code == 0
    highest = max(_ids(db).values())
    with Termbase(db) as termbase, termbase.transaction():
        top = termbase.connection.execute("SELECT term FROM terms WHERE id = ?", (highest,)).fetchone()[0]
        termbase.make_dormant(highest, "retired")
    assert _invoke("build", corpus, "--db", db, "--out", out, "--min-freq", "3").exit_code == 0
    workbook = load_workbook(out)
    workbook["Glossary"].append([None, "新质生产力", None, None, "new quality productive forces"])
    workbook.save(out)
    assert _invoke("import", out, "--db", db).exit_code == 0
    ids = _ids(db)
    assert ids["新质生产力"] > highest and ids.get(top, highest) == highest


def test_workbooks_from_before_a_merge_and_a_split_import(tmp_path, corpus):
    db, out, sent = tmp_path / "tb.sqlite3", tmp_path / "glossary.xlsx", tmp_path / "sent.xlsx"
    assert _invoke("build", corpus, "--db", db, "--out", out).exit_code == 0
    shutil.copy(out, sent)
    before = _ids(db)
    assert _invoke("merge", "人民政协", "政协委员", "--db", db).exit_code == 0
    _edit_by_id(sent, {before["政协委员"]: {"Notes": "member of the CPPCC"}})
    result = _invoke("import", sent, "--db", db, "--user", "t")
    assert result.exit_code == 0, result.output
    assert f"ID {before['政协委员']} 政协委员 was merged into 人民政协 (ID {before['人民政协']})" in result.output
    with Termbase(db) as termbase:
        assert termbase.get_term(before["人民政协"])["notes"] == "member of the CPPCC"
    assert _invoke("split", "人民政协", "政协委员", "--db", db).exit_code == 0
    assert _ids(db) == before
    # The workbook still imports after the split: its ID is live again.
    _edit_by_id(sent, {before["政协委员"]: {"Notes": "CPPCC member"}})
    result = _invoke("import", sent, "--db", db)
    assert result.exit_code == 0, result.output
    with Termbase(db) as termbase:
        assert termbase.get_term(before["政协委员"])["notes"] == "CPPCC member"


def test_an_id_the_termbase_never_gave_is_reported_and_the_rest_applies(tmp_path, corpus):
    db, out = tmp_path / "tb.sqlite3", tmp_path / "glossary.xlsx"
    assert _invoke("build", corpus, "--db", db, "--out", out).exit_code == 0
    ids = _ids(db)
    _edit_by_id(out, {ids["凝聚共识"]: {"English": "building consensus"}, ids["界别群众"]: {"ID": 999999}})
    result = _invoke("import", out, "--db", db)
    assert result.exit_code == 1, result.output
    assert "ID 999999 was never an entry of this termbase" in result.output
    with Termbase(db) as termbase:
        assert termbase.get_term(ids["凝聚共识"])["english_human"] == "building consensus"


def test_an_older_termbase_is_upgraded_without_losing_contexts_or_reusing_deleted_ids(tmp_path, corpus):
    db = tmp_path / "tb.sqlite3"
    assert _invoke("build", corpus, "--db", db, "--out", tmp_path / "g.xlsx").exit_code == 0
    with Termbase(db) as termbase:
        rows = termbase.connection.execute("SELECT * FROM terms ORDER BY id").fetchall()
        contexts = termbase.connection.execute("SELECT count(*) FROM contexts").fetchone()[0]
    # The same entries in a termbase of the schema before stable IDs, where an older release
    # had deleted the entry with the highest ID (only the audit remembers it).
    old = tmp_path / "old.sqlite3"
    version = next(number for number, script in enumerate(MIGRATIONS) if "CREATE TABLE dormant_terms" in script)
    connection = sqlite3.connect(old)
    for script in MIGRATIONS[:version]:
        connection.executescript(script)
    connection.execute(f"PRAGMA user_version = {version}")
    connection.execute(f"ATTACH '{db}' AS new")
    columns = ", ".join(r[1] for r in connection.execute("PRAGMA table_info(terms)"))
    connection.execute(f"INSERT INTO terms({columns}) SELECT {columns} FROM new.terms")
    connection.execute("INSERT INTO contexts SELECT * FROM new.contexts")
    highest = rows[-1]["id"]
    connection.execute("INSERT INTO audit(term_id, term, field, old, new, who, at, action)"
                       " VALUES (?, 'x', 'notes', '', 'n', 't', 'now', 'import')", (highest + 5,))
    connection.commit()
    connection.close()
    with Termbase(old) as termbase:
        assert termbase.schema_version() == len(MIGRATIONS)
        assert termbase.connection.execute("SELECT count(*) FROM contexts").fetchone()[0] == contexts
        assert termbase.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert termbase.connection.execute("PRAGMA foreign_key_check").fetchall() == []
        with termbase.transaction():
            new_id = termbase.connection.execute(
                "INSERT INTO terms(term, created_at, updated_at) VALUES ('新词', 'now', 'now')").lastrowid
        assert new_id == highest + 6


def test_an_outside_glossary_naming_a_retired_term_brings_it_back_under_its_id(tmp_path, corpus):
    db, out = tmp_path / "tb.sqlite3", tmp_path / "glossary.xlsx"
    assert _invoke("build", corpus, "--db", db, "--out", out).exit_code == 0
    before = _ids(db)
    assert _invoke("build", corpus, "--db", db, "--out", out, "--min-freq", "4").exit_code == 0
    retired = sorted(set(before) - set(_ids(db)))[0]
    source = tmp_path / "client.csv"
    source.write_text(f"zh,en\n{retired},from the client\n", encoding="utf-8")
    result = _invoke("import", source, "--db", db)
    assert result.exit_code == 0, result.output
    assert _ids(db)[retired] == before[retired]
    with Termbase(db) as termbase:
        assert termbase.get_term(before[retired])["english_imported"] == "from the client"
