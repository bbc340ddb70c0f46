"""Pinyin a translator can trust: domain polyphones, citation tones, GB/T 16159 orthography."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary.pinyin import display_form, to_pinyin

POLYPHONES = {
    "重大": "zhòng dà", "调研": "diào yán", "着力": "zhuó lì", "长效化": "cháng xiào huà",
    "参政议政": "cān zhèng yì zhèng", "朝鲜族": "cháo xiǎn zú", "为人民": "wèi rén mín", "为民": "wèi mín",
    "履职": "lǚ zhí", "干事创业": "gàn shì chuàng yè", "调查研究": "diào chá yán jiū", "着重": "zhuó zhòng",
    "建言资政": "jiàn yán zī zhèng", "一致性": "yī zhì xìng", "进一步": "jìn yī bù", "不忘初心": "bù wàng chū xīn",
    "三心两进一流": "sān xīn liǎng jìn yī liú", "一委一品": "yī wěi yī pǐn", "延边朝鲜族自治州":
    "yán biān cháo xiǎn zú zì zhì zhōu", "强国建设": "qiáng guó jiàn shè", "重要": "zhòng yào",
}


@pytest.mark.parametrize("term", sorted(POLYPHONES))
def test_domain_polyphones_and_citation_tones(term):
    assert to_pinyin(term).marks == POLYPHONES[term]


def test_three_forms_and_initials():
    pinyin = to_pinyin("两个维护")
    assert pinyin.marks == "liǎng gè wéi hù"
    assert pinyin.numbers == "liang3 ge4 wei2 hu4"
    assert pinyin.plain == "liang ge wei hu"
    assert pinyin.initials == "lgwh"
    assert to_pinyin("四个自信").initials == "sgzx"


@pytest.mark.parametrize("term, expected", [
    ("两个维护", "liǎng gè wéihù"),                    # numerals apart from measure words
    ("十九届四中全会", "shíjiǔ jiè sì zhōng quánhuì"),
    ("三心两进一流", "sānxīn liǎngjìn yīliú"),          # a chained slogan, pair by pair
    ("西安", "Xī'ān"),                                 # apostrophe inside a word, proper name capitalised
    ("提案", "tí'àn"),
    ("中国式现代化", "Zhōngguóshì xiàndàihuà"),
    ("辽宁省政协", "Liáoníng Shěng zhèngxié"),
    ("习近平总书记", "Xí Jìnpíng zǒngshūjì"),          # surname and given name apart
    ("党的领导", "dǎng de lǐngdǎo"),                   # 的 apart
    ("政协委员", "zhèngxié wěiyuán"),                  # meaning units of a long word apart
    ("延边朝鲜族自治州", "Yánbiān Cháoxiǎnzú Zìzhìzhōu"),
    ("1+1+9+N", "yī jiā yī jiā jiǔ jiā N"),            # a formula read symbol by symbol
])
def test_orthography(term, expected):
    assert display_form(term) == expected


GOLD = Path(__file__).parent / "data" / "pinyin_gold.tsv"


def _gold_rows():
    rows = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            term, marks, display, source = line.split("\t")
            rows.append((term, marks, display, source))
    return rows


def test_gold_list_is_large_and_covers_every_slogan():
    rows = _gold_rows()
    assert len(rows) >= 80
    terms = {row[0] for row in rows}
    for slogan in ("两个维护", "两个确立", "四个意识", "四个自信", "四个凝聚", "两大主题", "四个建设", "八大质量提升工程",
                   "十大行动", "五大工程", "十大产业集群", "两支队伍", "六学", "三心两进一流", "一委一品", "四地两方",
                   "双联系", "双筑", "八项规定"):
        assert slogan in terms, slogan


def test_marks_match_the_gold_list():
    wrong = [(term, to_pinyin(term).marks, marks) for term, marks, _, _ in _gold_rows()
             if to_pinyin(term).marks != marks]
    assert wrong == []


def test_display_matches_the_gold_list():
    rows = [row for row in _gold_rows() if row[2] != "-"]
    wrong = [(term, display_form(term), display) for term, _, display, _ in rows if display_form(term) != display]
    # Word division is partly a matter of judgement; allow a few disagreements, list them when failing.
    assert len(wrong) <= len(rows) // 10, wrong
