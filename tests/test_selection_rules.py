"""Selection rules of the second precision round, on real text: free combinations of two
ordinary nouns (rule `compositional`), persons' titles (`title`), numbered phrases that count
things (`count`, `numeral`). The corpus tests read ../shared/corpora/ and skip where it is absent."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from glossary import segment
from glossary.clean import clean_document
from glossary.mine import MiningSettings, Occurrences, Term, count_document, merge_counts, prepare_segmenter
from glossary.read import find_documents, read_document
from glossary.scoring import _counted_heads, _PartnerCounts, _person_title, screen_terms, select_terms
from glossary.shapes import slogan_shape

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT.parent / "shared" / "corpora" / "gov_work_reports_national"


@pytest.fixture(scope="module", autouse=True)
def segmenter():
    prepare_segmenter()


@pytest.fixture(scope="module")
def report_counts():
    """Merged counts of the national Government Work Reports of 1978-2025."""
    if not REPORTS.is_dir():
        pytest.skip(f"{REPORTS} is absent (the shared corpora sit beside the project)")
    files = [path for path in find_documents([REPORTS]) if path.name[:4].isdigit() and path.name[:4] >= "1978"]
    assert len(files) > 30
    return merge_counts(count_document(clean_document(read_document(path))) for path in files)


@pytest.mark.parametrize("free", ["重点项目", "技术水平", "管理水平", "工程质量", "城市居民"])
def test_two_ordinary_nouns_that_combine_with_anything_are_a_free_combination(report_counts, free):
    parts = _PartnerCounts(report_counts, 2)
    assert parts.free_combination(tuple(segment.cut(free)), free, MiningSettings())


@pytest.mark.parametrize("term", ["财政赤字", "宏观调控", "国有企业", "基础设施", "合法权益", "产业扶贫",
                                  "社会治安", "外汇储备"])
def test_bound_or_lexicalised_compounds_and_policy_verbs_stay(report_counts, term):
    parts = _PartnerCounts(report_counts, 2)
    assert not parts.free_combination(tuple(segment.cut(term)), term, MiningSettings())


def test_free_combinations_leave_the_selection_and_terms_stay(report_counts):
    selected = {term.term for term in select_terms(report_counts)}
    assert "重点项目" not in selected and "技术水平" not in selected
    assert {"财政赤字", "宏观调控", "社会治安"} <= selected


@pytest.mark.parametrize("person", ["习近平同志", "习近平主席", "毛泽东同志", "毛主席", "周总理", "习主席",
                                    "副主任", "秘书长", "李克强总理", "公司总经理", "中心主任"])
def test_a_title_alone_or_after_a_name_is_a_person(person):
    assert _person_title(tuple(segment.cut(person)))


@pytest.mark.parametrize("office", ["政协委员", "市委书记", "党支部书记", "全国政协委员", "人大代表", "村主任", "习近平总书记"])
def test_the_title_of_an_institution_stays(office):
    assert not _person_title(tuple(segment.cut(office)))


def test_heads_counted_with_several_numerals_count_things():
    slogans = Counter({"两个孩子": 14, "三个孩子": 1, "两个维护": 26, "四项基本": 30, "三项基本": 1,
                       "十九大报告": 9, "十七大报告": 1, "八项规定": 21})
    assert _counted_heads(slogans) == {("个", "孩子"), ("项", "基本")}
    assert slogan_shape("两个半小时") is None  # two and a half hours


def test_an_unquoted_count_needs_an_expansion_not_documents():
    from glossary.counting import DocumentCounts
    from glossary.scoring import finish_terms

    counts = DocumentCounts(slogans=Counter({"两个孩子": 14, "三个孩子": 2, "四个现代化": 12}))
    terms = {t.term: t for t in select_terms(counts) if t.term in ("两个孩子", "四个现代化")}
    occurrences = Occurrences(frequency=Counter({"两个孩子": 14, "四个现代化": 12}),
                              documents=Counter({"两个孩子": 12, "四个现代化": 9}))
    kept = {t.term for t in finish_terms(list(terms.values()), occurrences, MiningSettings(min_score=0))}
    assert kept == {"四个现代化"}


def test_a_numeral_slogan_mostly_unquoted_is_a_number():
    plan, number = Term("七五", "numbered slogan", quoted=46), Term("十五", "numbered slogan", quoted=17)
    occurrences = Occurrences(frequency=Counter({"七五": 55, "十五": 176}))
    assert [t.term for t in screen_terms([plan, number], occurrences)] == ["七五"]


def test_a_piece_almost_always_inside_one_longer_entry_gives_way_to_it():
    from glossary.scoring import _pieces_of_wholes

    candidates = [Term(t, "political term", statistical=True, words=1) for t in
                  ("高峰论坛", "脱贫攻坚战", "小康社会", "战略伙伴")]
    # People's Daily, first 5 MB: 23 of 高峰论坛's 23 occurrences name the Belt and Road forum.
    frequency = Counter({"高峰论坛": 23, "一带一路国际合作高峰论坛": 20, "脱贫攻坚战": 62, "打赢脱贫攻坚战": 45,
                         "小康社会": 64, "全面建成小康社会": 58, "战略伙伴": 50, "全面战略伙伴关系": 28})
    wholes = ["一带一路国际合作高峰论坛", "打赢脱贫攻坚战", "全面建成小康社会", "全面战略伙伴关系"]
    # A verb before it (打赢) makes no longer term; 小康社会 is a unit of its own (CC-CEDICT);
    # 战略伙伴 stands alone in 44% of its occurrences.
    assert _pieces_of_wholes(candidates, wholes, frequency, 0.7) == {"高峰论坛"}


def test_a_verb_before_a_term_is_action_wording():
    from glossary.scoring import Candidate, _without_verb_and_term

    def candidate(text):
        tokens = tuple(segment.cut(text))
        return Candidate(text, tokens, 10, "political term")

    candidates = [candidate(t) for t in ("打赢脱贫攻坚战", "脱贫攻坚战", "应对气候变化", "气候变化",
                                         "建档立卡贫困户", "贫困户", "坚守岗位")]
    kept = {c.term for c in _without_verb_and_term(candidates, frozenset())}
    # 坚守岗位 is left to the other rules: 岗位 is no term.
    assert kept == {"脱贫攻坚战", "气候变化", "建档立卡贫困户", "贫困户", "坚守岗位"}


def test_a_one_character_prefix_is_no_action_verb():
    from glossary.scoring import Candidate, _without_verb_and_term

    candidates = [Candidate(t, tuple(segment.cut(t)), 3, "organisation") for t in ("分党组", "党组")]
    assert len(_without_verb_and_term(candidates, frozenset())) == 2  # 分党组 of the seeds


@pytest.mark.parametrize("phrase", ["集中力量", "保持稳定", "统筹安排"])
def test_a_verb_with_a_word_it_is_not_bound_to_is_a_verb_phrase(report_counts, phrase):
    parts = _PartnerCounts(report_counts, 2)
    assert parts.loose_verb_phrase(tuple(segment.cut(phrase)), phrase, MiningSettings())


@pytest.mark.parametrize("term", ["扩大内需", "利用外资", "扶贫开发", "安置房"])
def test_verb_led_terms_bound_together_stay(report_counts, term):
    parts = _PartnerCounts(report_counts, 2)
    assert not parts.loose_verb_phrase(tuple(segment.cut(term)), term, MiningSettings())


@pytest.mark.parametrize("phrase", ["全社会", "整个国民经济", "各条战线", "广大职工"])
def test_a_noun_after_a_determiner_is_no_term(phrase):
    from glossary.scoring import _plausible_shape
    from glossary.counting import count_tokens

    tokens = segment.cut(phrase)
    # The counting step never makes an n-gram that opens with a determiner (edge_words.txt).
    assert " ".join(tokens) not in count_tokens([*tokens, "\x02"]).ngrams or not _plausible_shape(tuple(tokens), False)


def test_an_unquoted_number_of_named_places_is_a_count():
    from glossary.scoring import finish_terms

    regions = Term("两个特别行政区", "numbered slogan", cvalue=-1.0)
    centres = Term("两个积极性", "numbered slogan", cvalue=-1.0)
    occurrences = Occurrences(frequency=Counter({"两个特别行政区": 11, "两个积极性": 13}),
                              documents=Counter({"两个特别行政区": 9, "两个积极性": 12}),
                              expansions={"两个特别行政区": (["香港", "澳门"], "report"),
                                          "两个积极性": (["中央", "地方"], "report")})
    kept = [t.term for t in finish_terms([regions, centres], occurrences, MiningSettings(min_score=0), screened=True)]
    assert kept == ["两个积极性"]


@pytest.mark.parametrize("phrase, kept", [("致力于", False), ("被誉为", False), ("乡亲们", False),
                                          ("违法行为", True), ("对外开放", True)])
def test_function_morphemes_at_an_edge(phrase, kept):
    from glossary.scoring import _plausible_shape

    assert _plausible_shape(tuple(segment.cut(phrase)), False) is kept
