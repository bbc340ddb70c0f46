"""Cleaning real scraped pages: markup, pinyin notes, script, furniture, spam, mojibake."""

from __future__ import annotations

import pytest

from glossary.clean import (
    classify_line,
    clean_document,
    find_mojibake,
    is_traditional_run,
    join_wrapped_lines,
    split_sentences,
    strip_html,
    strip_inline_pinyin,
    to_simplified,
)
from glossary.clean import strip_inline_pinyin as strip_notes
from glossary.read import RawDocument, decode_bytes


def test_strip_html_removes_tags_entities_and_debris():
    raw = '<fieldset id="zk4fx"></fieldset>\n    1. <strong id="a"><pre></pre></strong>\n<p>协商&nbsp;民主&amp;团结</p><script>var x=1;</script>'
    cleaned = strip_html(raw)
    assert "<" not in cleaned and "zk4fx" not in cleaned and "var x" not in cleaned
    assert "协商\xa0民主&团结" in cleaned
    assert "1." not in cleaned


def test_inline_pinyin_notes_removed_real_parentheses_kept():
    assert strip_inline_pinyin("協(xié)商統(tǒng)戰(zhàn)") == "協商統戰"
    assert strip_inline_pinyin("會(huì)議") == "會議"
    for kept in ("(區、市)", "(街道)", "(項目)", "(作者周波系遼寧省政協主席)", "人工智能(AI)"):
        assert strip_inline_pinyin(kept) == kept


def test_seed_pinyin_notes_all_gone(cleaned_seeds, seed_texts):
    import re

    note = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
    assert len(note.findall(seed_texts["000_c2d07c5f0ac9665e.txt"] + seed_texts["004_1af392c763fe9781.txt"])) > 1000
    for document in cleaned_seeds.values():
        assert note.findall(document.text) == []
    assert "(区、市)" in cleaned_seeds["000"].text
    assert "(作者周波系辽宁省政协主席)" in cleaned_seeds["000"].text
    assert "(街道)" in cleaned_seeds["004"].text


def test_tw2s_with_corrections():
    assert to_simplified("著力推動接著著重") == "着力推动接着着重"
    assert to_simplified("專著和名著") == "专著和名著"
    assert to_simplified("協商民主") == "协商民主"


def test_script_detected_per_document(cleaned_seeds):
    scripts = {key: doc.script for key, doc in cleaned_seeds.items()}
    assert scripts == {"000": "traditional", "001": "traditional", "002": "simplified",
                       "003": "traditional", "004": "traditional"}
    assert not is_traditional_run("省政协坚持人民政协性质定位", "省政协坚持人民政协性质定位")


def test_traditional_spelling_kept_per_sentence(cleaned_seeds):
    document = cleaned_seeds["001"]
    sentence = next(s for s in document.sentences if "两个维护" in s.text)
    assert "兩個維護" in sentence.traditional
    assert len(sentence.traditional) == len(sentence.text)
    assert all(s.traditional is None for s in cleaned_seeds["002"].sentences)


SPAM_AND_FURNITURE = {
    "000": ["亚洲黄色大片", "首 頁 要聞", "首頁>專題", "分享到", "編輯:魯雅靜", "zk4fx", "美女张开"],
    "001": ["主站蜘蛛池模板", "灵丘县", "當前位置", "徐州政協"],
    "002": ["您当前的位置", "精彩推荐", "关注我们", "即时播报", "甘肃乡村建设行动有序开展", "版权声明",
            "中国甘肃网微博", "戈壁滩上八棵树", "兰州市46名高中生"],
    "003": ["首 頁 大家談", "首頁>要論", "久草日韩精品", "偷拍一区二区三区", "編輯:薛海春"],
    "004": ["發布時間", "相關熱詞搜索", "熱點文章閱讀"],
}


@pytest.mark.parametrize("key", sorted(SPAM_AND_FURNITURE))
def test_spam_and_furniture_gone(cleaned_seeds, key):
    text = cleaned_seeds[key].text
    for fragment in SPAM_AND_FURNITURE[key]:
        assert to_simplified(fragment) not in text, fragment
    assert all(reason for _, reason in cleaned_seeds[key].dropped)


BODY_OPENINGS = {
    "000": ["习近平总书记在庆祝中国人民政治协商会议成立75周年", "辽宁省政协深入学习贯彻", "在理论学习中巩固思想基础",
            "宣传推介辽宁促振兴", "强化思想政治引领,筑牢凝聚共识的政治前提"],
    "001": ["中共二十届三中全会是在以中国式现代化", "一是必须旗帜鲜明讲政治", "四、始终在弘扬改革创新精神上下功夫",
            "一是健全深度协商互动"],
    "002": ["有共识才有团结,有共识就有力量。", "省政协自觉扛牢加强思想政治引领", "——搭好民主监督平台",
            "人心是最大的政治,共识是奋进的动力。", "一年来,省政协聚焦党委政府中心任务"],
    "003": ["习近平总书记在庆祝中国人民政治协商会议成立75周年大会上强调", "在加强自身建设中做好“四个凝聚”工作",
            "(作者系吉林省延边朝鲜族自治州政协主席 康芳)"],
    "004": ["同志们:", "这次县区政协工作交流会议", "国家治理体系中的职责定位", "四是发挥政协机关服务保障作用",
            "同志们,做好新时代的人民政协工作"],
}


@pytest.mark.parametrize("key", sorted(BODY_OPENINGS))
def test_body_paragraphs_survive(cleaned_seeds, key):
    for fragment in BODY_OPENINGS[key]:
        assert fragment in cleaned_seeds[key].text, fragment


def test_every_prose_line_of_the_seeds_survives(seed_paths, cleaned_seeds):
    # Each long line with sentence punctuation that is not spam must be kept in full.
    for path in seed_paths:
        document = cleaned_seeds[path.name[:3]]
        joined = document.text.replace("\n", "")
        for line in path.read_text(encoding="utf-8").split("\n"):
            simplified = to_simplified(strip_notes(line.strip()))
            if len(simplified) > 60 and "，" not in simplified and simplified.count(",") >= 2 \
                    and "版权" not in simplified and classify_line(simplified) != "spam keywords":
                assert simplified[:30] in joined, simplified[:30]


def test_metadata_extracted(cleaned_seeds):
    d = cleaned_seeds["000"]
    assert (d.title, d.date, d.publication, d.author) == (
        "不断健全凝聚共识工作格局汇聚实现辽宁全面振兴新突破的强大合力", "2024-12-04", "人民政协报", "周波")
    assert cleaned_seeds["002"].date == "2022-01-14"
    assert cleaned_seeds["002"].publication == "中国甘肃网-甘肃日报"
    assert cleaned_seeds["001"].author == "市政协党组理论学习中心组"
    assert cleaned_seeds["003"].author == "康芳"
    assert cleaned_seeds["004"].date == "2020-08-06"


def test_mojibake_flagged_and_sentences_marked(cleaned_seeds):
    document = cleaned_seeds["000"]
    snippets = [s for _, _, s in document.mojibake]
    assert len(snippets) == 2
    assert "睆娬" in snippets[0] and "覀" in snippets[1]
    bad = [s for s in document.sentences if s.mojibake]
    assert 2 <= len(bad) <= 4
    for sentence in document.sentences:
        overlaps = any(start < sentence.end and sentence.start < end for start, end, _ in document.mojibake)
        assert sentence.mojibake == overlaps
        if not sentence.mojibake:
            assert "睆" not in sentence.text and "覀" not in sentence.text
    assert not any(s.mojibake for key, d in cleaned_seeds.items() if key != "000" for s in d.sentences)
    assert find_mojibake("增进民生福祉,荟萃各方智慧") == []


def test_sentence_offsets_point_into_text(cleaned_seeds):
    for document in cleaned_seeds.values():
        for sentence in document.sentences:
            assert document.text[sentence.start:sentence.end] == sentence.text
    assert split_sentences("有共识才有团结。“凝聚共识。”好") == [(0, 8), (8, 15), (15, 16)]


def test_wrapped_lines_rejoined():
    long_line = "这" * 90 + "国家治理体系中"
    assert join_wrapped_lines([long_line, "的职责定位。", "二是加强团结。"]) == [long_line + "的职责定位。", "二是加强团结。"]


def _reencode(text: str, encoding: str) -> str:
    lines = []
    for line in strip_notes(text).replace("\xa0", " ").split("\n"):
        try:
            line.encode(encoding)
        except UnicodeEncodeError:
            continue  # spam and site names in the other script; cleaning drops them anyway
        lines.append(line)
    return "\n".join(lines)


@pytest.mark.parametrize("name", ["000", "001", "002", "003", "004"])
def test_gb18030_reencoding_cleans_the_same(seed_paths, cleaned_seeds, name):
    path = next(p for p in seed_paths if p.name.startswith(name))
    text, encoding = decode_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    assert encoding == "gb18030"
    assert clean_document(RawDocument(str(path), text, encoding, 0)).text == cleaned_seeds[name].text


@pytest.mark.parametrize("name", ["001", "003"])
def test_big5_reencoding_cleans_the_same(seed_paths, cleaned_seeds, name):
    path = next(p for p in seed_paths if p.name.startswith(name))
    data = _reencode(path.read_text(encoding="utf-8"), "big5").encode("big5")
    text, encoding = decode_bytes(data)
    assert encoding.startswith("big5")
    assert clean_document(RawDocument(str(path), text, encoding, 0)).text == cleaned_seeds[name].text


def test_hostile_text_control_characters_and_huge_line():
    raw = RawDocument("x.txt", "人民政协\x00\x07是专门协商机构，" * 3 + "\n" + "协商民主，" * 1_000_000, "utf-8", 0)
    document = clean_document(raw)
    assert "\x00" not in document.text and "\x07" not in document.text
    assert len(document.text) > 5_000_000 - 10
