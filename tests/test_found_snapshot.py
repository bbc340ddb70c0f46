"""A build that only adds documents searches just those for the terms the last build looked
for: what it found in the stored documents (store.found_snapshot, locate.FoundSnapshot) stands
in for a search of them, and the entries, examples and expansions are a full build's."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from glossary.cli import main
from glossary.locate import FoundSnapshot, choose_contexts, locate_all, merge_occurrences
from glossary.mine import Term
from glossary.pipeline import build, stored_findings
from glossary.store import Termbase, pack, unpack

from corpus_support import PEOPLES_DAILY, files_until

ENTRIES = ("SELECT term, traditional, variants_json, category, score, frequency, documents, expansion_json, "
           "expansion_source, score_reasons FROM terms WHERE in_corpus = 1 ORDER BY term")
EXAMPLES = ("SELECT t.term, c.rank, c.document, c.sentence, c.start, c.term_start, c.text, c.traditional "
            "FROM contexts c JOIN terms t ON t.id = c.term_id WHERE t.in_corpus = 1 ORDER BY t.term, c.rank")


def _table(termbase: Termbase, query: str) -> list[tuple]:
    return [tuple(row) for row in termbase.connection.execute(query)]


def _same_as_a_full_build(grown, fresh) -> None:
    with Termbase(grown) as one, Termbase(fresh) as other:
        entries = _table(one, ENTRIES)
        assert len(entries) >= 20
        assert entries == _table(other, ENTRIES)
        assert _table(one, EXAMPLES) == _table(other, EXAMPLES)


def _corpus(tmp_path, paths, link=False):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in paths:
        if link:
            (corpus / path.name).symlink_to(path)
        else:
            shutil.copy(path, corpus / path.name)
    return corpus


def test_an_added_seed_is_searched_alone_and_the_glossary_is_a_full_builds(tmp_path, seed_paths):
    corpus = _corpus(tmp_path, seed_paths[:4])
    grown, fresh = tmp_path / "grown.sqlite3", tmp_path / "fresh.sqlite3"
    assert not build([corpus], db_path=grown).findings_reused
    shutil.copy(seed_paths[4], corpus / seed_paths[4].name)
    report = build([corpus], db_path=grown)
    assert report.documents_added == 1 and report.findings_reused
    build([corpus], db_path=fresh)
    _same_as_a_full_build(grown, fresh)
    with Termbase(grown) as termbase:
        assert stored_findings(termbase, termbase.document_hashes(), termbase.get_meta("segmenter")) is not None


def test_a_document_named_before_the_others_still_gives_its_examples_first(tmp_path, seed_paths):
    # Examples rank by document name: one added ahead of every stored document by name must
    # take their place where it ranks higher, as in a full build.
    corpus = _corpus(tmp_path, seed_paths[1:])
    grown, fresh = tmp_path / "grown.sqlite3", tmp_path / "fresh.sqlite3"
    build([corpus], db_path=grown)
    shutil.copy(seed_paths[0], corpus / ("0-" + seed_paths[0].name))
    assert build([corpus], db_path=grown).findings_reused
    build([corpus], db_path=fresh)
    _same_as_a_full_build(grown, fresh)


def test_a_replaced_document_makes_the_next_build_search_everything(tmp_path, seed_paths):
    corpus = _corpus(tmp_path, seed_paths)
    db = tmp_path / "tb.sqlite3"
    build([corpus], db_path=db)
    (corpus / seed_paths[0].name).write_text("人民政协是具有中国特色的制度安排。\n", encoding="utf-8")
    report = build([corpus], db_path=db)
    assert report.documents_replaced == 1 and not report.findings_reused


def test_a_term_looked_for_another_way_is_searched_for_again(cleaned_seeds):
    terms = [Term(term="人民政协", category="term", statistical=True, words=2),
             Term(term="凝聚共识", category="term", statistical=True, words=2)]
    found = locate_all(cleaned_seeds.values(), terms, counts_only=True)
    snapshot = FoundSnapshot.of(terms, found, neighbours=True)
    vouched, unvouched = snapshot.split(terms)
    assert unvouched == [] and vouched.frequency == found.frequency and vouched.left == found.left
    # A merge gave 人民政协 a variant: its occurrences under that spelling were never counted.
    changed = [Term(term="人民政协", category="term", statistical=True, words=2, variants=["政协"]), terms[1]]
    vouched, unvouched = snapshot.split(changed)
    assert [term.term for term in unvouched] == ["人民政协"] and set(vouched.frequency) == {"凝聚共识"}
    # A term the snapshot never looked for is searched for; one no longer wanted is let go.
    vouched, unvouched = snapshot.split([terms[1], Term(term="专门协商机构", category="term")])
    assert [term.term for term in unvouched] == ["专门协商机构"] and "人民政协" not in vouched.frequency


def test_findings_survive_the_termbase_as_they_were_found(cleaned_seeds):
    terms = [Term(term=term, category="term", statistical=True, words=2)
             for term in ("人民政协", "凝聚共识", "协商民主", "政治协商")]
    for counts_only in (True, False):
        found = locate_all(cleaned_seeds.values(), terms, counts_only=counts_only, neighbours=counts_only)
        snapshot = FoundSnapshot.of(terms, found, neighbours=counts_only)
        again = FoundSnapshot.from_json(unpack(pack(snapshot.to_json())))
        assert again.signatures == snapshot.signatures
        for name in ("frequency", "documents", "left", "right", "expansions"):
            assert getattr(again.found, name) == getattr(found, name), name
        assert {term: dict(forms) for term, forms in again.found.traditional.items()} == \
            {term: dict(forms) for term, forms in found.traditional.items()}
        if not counts_only:
            assert any(found.contexts.values())
            # Merging the copy with nothing picks the examples the original does.
            total, copy = merge_occurrences([found]), merge_occurrences([again.found])
            for term in found.contexts:
                assert choose_contexts(term, copy.contexts[term]) == choose_contexts(term, total.contexts[term])


def test_the_build_says_when_it_searched_only_the_new_documents(tmp_path, seed_paths):
    corpus = _corpus(tmp_path, seed_paths[:4])
    db = tmp_path / "tb.sqlite3"
    arguments = ["build", str(corpus), "--db", str(db), "--out", str(tmp_path / "g.xlsx")]
    runner = CliRunner()
    assert "searched only the new documents" not in runner.invoke(main, arguments).output
    shutil.copy(seed_paths[4], corpus / seed_paths[4].name)
    result = runner.invoke(main, arguments)
    assert result.exit_code == 0 and "searched only the new documents" in result.output, result.output


def test_on_peoples_daily_added_articles_give_a_full_builds_glossary(tmp_path):
    if not PEOPLES_DAILY.is_dir():
        pytest.skip(f"{PEOPLES_DAILY} is absent (see ../shared/corpora/README.md)")
    files = sorted(PEOPLES_DAILY.rglob("*.txt"))
    corpus = _corpus(tmp_path, files_until(PEOPLES_DAILY, 2), link=True)
    grown, fresh = tmp_path / "grown.sqlite3", tmp_path / "fresh.sqlite3"
    build([corpus], db_path=grown, jobs=2)
    for added in files[-3:]:  # from the end of 2020, far from the slice, one build each
        (corpus / added.name).symlink_to(added)
        report = build([corpus], db_path=grown, jobs=2)
        assert report.findings_reused and report.counts_reused
    build([corpus], db_path=fresh, jobs=2)
    _same_as_a_full_build(grown, fresh)
