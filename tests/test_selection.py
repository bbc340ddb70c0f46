"""Candidate selection on real-text patterns: collocations, fragments, the longer whole,
numbered phrases that are counts, expansions attached to their slogan, and the score with
its reasons; and a corpus built one document at a time still mines what one build does."""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary.cli import main
from glossary.mine import Term, find_expansion, prepare_segmenter, slogan_shape
from glossary.pipeline import build
from glossary.scoring import _apply_cvalue, _plausible_shape, cuts_a_word
from glossary.store import Termbase

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module", autouse=True)
def segmenter():
    prepare_segmenter()


def _shape(text: str) -> bool:
    from glossary import segment

    return _plausible_shape(tuple(segment.cut(text)), False)


@pytest.mark.parametrize("collocation", ["大力发展", "高度重视", "加快构建", "累计创建", "严格控制", "努力提高",
                                         "步伐加快", "项目开工", "国内生产总值达到"])
def test_verb_and_adverb_led_collocations_and_clauses_are_not_terms(collocation):
    assert not _shape(collocation)


@pytest.mark.parametrize("term", ["宏观调控", "依法行政", "对外开放", "扩大内需", "招商引资", "履职尽责",
                                  "新发展格局", "全面战略伙伴关系"])
def test_terms_of_the_same_shapes_stay(term):
    assert _shape(term)


def test_a_fragment_that_cuts_a_word_is_not_a_term():
    # 区提质 of 老城区提质增效: the segmenter joins 城 and 区 in every occurrence.
    assert cuts_a_word("区提质", Counter({"老城": 3, "新城": 2}), Counter({"增效": 5}), 5)
    # 全面深化改革 after 进一步: the word before it ends where the term begins.
    assert not cuts_a_word("全面深化改革", Counter({"一步": 12, "，": 2}), Counter({"的": 14}), 14)
    # 湖南省人民 of 湖南省人民政府, 省新质生产力 of 湖南省新质生产力.
    assert cuts_a_word("湖南省人民", Counter({"，": 4}), Counter({"政府": 3, "代表": 1}), 4)
    assert cuts_a_word("省新质生产力", Counter({"南": 3, "北": 1}), Counter({"发展": 4}), 4)


def test_the_longer_whole_is_kept_not_the_piece():
    piece, whole = Term("发展格局", "political term", words=2), Term("新发展格局", "political term", words=3)
    verb_led = Term("加快构建新发展格局", "political term", words=3)
    frequency = Counter({"发展格局": 111, "新发展格局": 75, "加快构建新发展格局": 20})
    _apply_cvalue([piece, whole, verb_led], frequency, longer_share=0.5)
    assert piece.cvalue == 0 and whole.cvalue > 0
    # Without the rule, the piece has occurrences of its own and stays (the C-value of old).
    _apply_cvalue([piece, whole], frequency)
    assert piece.cvalue > 0
    # A verb before the term does not make a longer term: 社情民意 stays beside 反映社情民意.
    own, verb = Term("社情民意", "political term", words=2), Term("反映社情民意", "political term", words=3)
    _apply_cvalue([own, verb], Counter({"社情民意": 20, "反映社情民意": 15}), longer_share=0.5)
    assert own.cvalue > 0


@pytest.mark.parametrize("count", ["五年", "九天", "三甲", "两个万亿元", "十个全国第一", "双导师制"])
def test_counts_units_grades_and_systems_are_not_numbered_slogans(count):
    assert slogan_shape(count) is None


@pytest.mark.parametrize("slogan, sentence", [
    ("三个代表", "坚持不懈地用马列主义、毛泽东思想、邓小平理论和“三个代表”重要思想武装头脑"),
    ("三农", "强化中国农业银行、中国农业发展银行、中国邮政储蓄银行为“三农”服务"),
    ("两个市场", "利用国内国外两种资源、开拓国内国外两个市场"),
    ("三通", "实现全面、直接、双向“三通”"),
    ("两个确立", "各级政府及其工作人员要深刻领悟“两个确立”的决定性意义"),
    ("两个毫不动摇", "坚持和落实“两个毫不动摇”"),
    ("两个特别行政区", "中央政府全力支持香港、澳门两个特别行政区"),
    ("两个年度计划", "一九八一、一九八二两个年度计划"),
])
def test_no_expansion_rather_than_a_wrong_one(slogan, sentence):
    assert find_expansion(slogan, sentence) == []


def test_expansions_attached_to_the_slogan():
    assert find_expansion("四个全面", "协调推进全面建成小康社会、全面深化改革、全面依法治国、全面从严治党的战略布局") == [
        "全面建成小康社会", "全面深化改革", "全面依法治国", "全面从严治党"]
    assert find_expansion("四个意识", "增强政治意识、大局意识、核心意识、看齐意识“四个意识”") == [
        "政治意识", "大局意识", "核心意识", "看齐意识"]
    assert find_expansion("两个积极性", "充分发挥中央和地方两个积极性") == ["中央", "地方"]
    assert find_expansion("三大任务", "三大任务，即守住安全底线、推动改革发展、改善民生福祉。") == [
        "安全底线", "改革发展", "民生福祉"]


def test_head_shared_list_far_from_the_slogan_is_not_its_expansion(tmp_path):
    """A list sharing a slogan's head counts only in the slogan's sentence or the one before."""
    text = ("各地凝聚人心、凝聚共识、凝聚智慧、凝聚力量，成效明显。\n\n" + "委员们认真履职，提出建议。\n\n" * 3
            + "大家都要记住“四个凝聚”。\n\n" + "“四个凝聚”是工作的方向。\n")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "tb.sqlite3"
    build([tmp_path / "a.txt"], db_path=db)
    with Termbase(db) as termbase:
        rows = {row.term: row for row in termbase.term_rows()}
    assert rows["四个凝聚"].expansion_source != "corpus: a.txt"
    text = "各地凝聚人心、凝聚共识、凝聚智慧、凝聚力量。\n\n这就是“四个凝聚”。\n\n“四个凝聚”是工作的方向。\n"
    (tmp_path / "b.txt").write_text(text, encoding="utf-8")
    build([tmp_path / "b.txt"], db_path=tmp_path / "b.sqlite3")
    with Termbase(tmp_path / "b.sqlite3") as termbase:
        rows = {row.term: row for row in termbase.term_rows()}
    assert rows["四个凝聚"].expansion == ["凝聚人心", "凝聚共识", "凝聚智慧", "凝聚力量"]


def test_building_one_document_at_a_time_mines_as_one_build(tmp_path, seed_paths):
    corpus, grown, fresh = tmp_path / "corpus", tmp_path / "grown.sqlite3", tmp_path / "fresh.sqlite3"
    corpus.mkdir()
    for path in seed_paths:
        shutil.copy(path, corpus / path.name)
        build([corpus], db_path=grown)
    build([corpus], db_path=fresh)
    query = ("SELECT term, category, frequency, documents, score, score_reasons, expansion_json FROM terms "
             "WHERE in_corpus = 1 ORDER BY term")
    with Termbase(grown) as one_by_one, Termbase(fresh) as at_once:
        rows = one_by_one.connection.execute(query).fetchall()
        assert len(rows) > 200 and [tuple(r) for r in rows] == [tuple(r) for r in at_once.connection.execute(query)]


def test_score_and_its_reasons_in_json_and_lookup_and_cuts(tmp_path, seed_paths):
    db = tmp_path / "tb.sqlite3"
    runner = CliRunner()
    result = runner.invoke(main, ["build", str(seed_paths[0].parent), "--db", str(db), "--out", str(tmp_path / "g.xlsx")])
    assert result.exit_code == 0, result.output
    out = tmp_path / "g.json"
    assert runner.invoke(main, ["export", "--format", "json", "--db", str(db), "--out", str(out)]).exit_code == 0
    entries = json.loads(out.read_text(encoding="utf-8"))
    assert all(entry["score"] > 0 and " document" in entry["score_reasons"] for entry in entries)
    statistical = {entry["term"]: _statistical(entry["score_reasons"]) for entry in entries}
    scores = sorted(statistical.values(), reverse=True)
    looked = runner.invoke(main, ["lookup", "凝聚共识", "--db", str(db)])
    assert "score " in looked.output and "C-value" in looked.output and "termhood" in looked.output
    # --min-score keeps the entries whose statistical score (named in the reasons) is at least
    # that, whatever their termhood; --max-terms the first N of the ranked list.
    threshold = next((high + low) / 2 for high, low in zip(scores[40:], scores[41:]) if high > low * 1.001)
    result = runner.invoke(main, ["build", str(seed_paths[0].parent), "--db", str(tmp_path / "cut.sqlite3"),
                                  "--out", str(tmp_path / "cut.xlsx"), "--min-score", str(threshold)])
    assert result.exit_code == 0, result.output
    with Termbase(tmp_path / "cut.sqlite3") as termbase:
        kept = {row.term: _statistical(row.score_reasons) for row in termbase.term_rows()}
    assert kept and min(kept.values()) >= threshold
    assert set(kept) == {term for term, score in statistical.items() if score >= threshold}
    result = runner.invoke(main, ["build", str(seed_paths[0].parent), "--db", str(tmp_path / "top.sqlite3"),
                                  "--out", str(tmp_path / "top.xlsx"), "--max-terms", "25", "--min-score", "0"])
    with Termbase(tmp_path / "top.sqlite3") as termbase:
        top = termbase.term_rows()
    assert len(top) == 25
    ranked = sorted(entries, key=lambda entry: -entry["score"])
    assert [row.term for row in top][:10] == [entry["term"] for entry in ranked][:10]


def _statistical(reasons: str) -> float:
    return float(re.search(r"statistical score ([0-9.e+]+)", reasons).group(1))


def _judging_report():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from judge_mining import report
    finally:
        sys.path.pop(0)
    return report


def test_judging_script_refuses_a_figure_when_too_much_is_unjudged(capsys):
    report = _judging_report()
    terms = [f"词{i}" for i in range(60)]
    judged = {term: ("good" if i % 2 else "bad", "") for i, term in enumerate(terms[:46])}
    report(terms, judged, sample=100)
    printed = capsys.readouterr().out
    assert "entries: 60" in printed and "no figure" in printed  # 4 of 50 unjudged: 8%; 51-60 all unjudged
    assert "ranks       1-50: sampled  50, unjudged   4, good 23/46" in printed


def test_judging_script_also_counts_every_judged_entry_of_a_band(capsys):
    report = _judging_report()
    terms = [f"词{i}" for i in range(300)]
    # Ranks 51-200 all judged, one in three good; the sample of 10 sees some of them only.
    judged = {term: ("good" if i % 3 == 0 else "bad", "") for i, term in enumerate(terms[50:200])}
    report(terms, judged, sample=10)
    printed = capsys.readouterr().out
    assert "ranks     51-200: sampled  10, unjudged   0" in printed
    assert "every judged entry of the band: 50/150 = 33.3%" in printed


def test_a_string_cut_two_ways_is_described_by_its_most_frequent_cut_in_any_order():
    """Merged counts come in no fixed order (spilled shards are read back by random file names):
    the entry of 营商环境, seen as one word 30 times and as 营商 + 环境 10 times, must not depend on
    which of the two n-grams came last."""
    from glossary.counting import DocumentCounts
    from glossary.mine import MiningSettings, select_terms

    prepare_segmenter()
    ngrams = {"营商环境": 30, "营商 环境": 10, "营商": 12, "环境": 90}
    described = []
    for keys in (list(ngrams), list(reversed(list(ngrams)))):
        counts = DocumentCounts(tokens=20000, documents=5, unigrams=Counter({k: v for k, v in ngrams.items() if " " not in k}),
                                ngrams=Counter({key: ngrams[key] for key in keys}))
        entry = next(t for t in select_terms(counts, MiningSettings(min_score=0)) if t.term == "营商环境")
        described.append((entry.words, entry.cohesion))
    assert described == [(1, None), (1, None)]
