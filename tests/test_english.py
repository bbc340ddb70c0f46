"""English renderings, always labelled by where they came from."""

from __future__ import annotations

import json

from glossary.clean import to_simplified
from glossary.data import data_text
from glossary.english import (
    SOURCE_DRAFT,
    SOURCE_NONE,
    SOURCE_REFERENCE,
    dictionary_draft,
    english_for,
    meeting_draft,
    reference_entry,
)
from glossary.store import Termbase


def test_reference_data_is_sourced_and_large_enough():
    entries = json.loads(data_text("reference_en.json"))
    assert len(entries) >= 200
    keys = [e["zh"] for e in entries]
    assert len(keys) == len(set(keys))
    for entry in entries:
        assert entry["en"].strip() and entry["source"].strip() and entry["url"].startswith("http"), entry
        assert to_simplified(entry["zh"]) == entry["zh"], entry["zh"]
        for alternative in entry.get("alternatives", []):
            assert alternative["en"] and alternative["source"], entry["zh"]
    for term in ("两个维护", "四个意识", "四个自信", "两个确立", "专门协商机构", "中国式现代化", "全过程人民民主",
                 "统一战线", "中国人民政治协商会议"):
        assert term in keys, term


def test_reference_used_with_its_source():
    english = english_for("专门协商机构")
    assert english.source == SOURCE_REFERENCE
    assert english.text == "specialized consultative body"
    assert "http" in english.detail


def test_reference_found_for_traditional_spelling():
    assert reference_entry("兩個維護") is reference_entry("两个维护")
    english = english_for("兩個維護", "numbered slogan")
    assert english.source == SOURCE_REFERENCE and english.text
    assert len(english.components) == 2 and all(c["en"] for c in english.components)


def test_draft_when_no_reference():
    english = english_for("年度协商计划")
    assert english.source == SOURCE_DRAFT
    assert "plan" in english.text
    assert english.detail == "composed from CC-CEDICT glosses"


def test_draft_uses_the_reference_renderings_of_a_terms_parts():
    english = english_for("政协履职")  # 履职 has a reference rendering; the whole term has none
    assert english.source == SOURCE_DRAFT and english.text == "CPPCC performance of duties"
    assert "reference renderings of its parts" in english.detail
    assert english_for("反映社情民意").text == "reflect social conditions and public sentiment"


def test_domain_glosses_come_before_dictionary_senses():
    # CC-CEDICT alone gives "municipal administration cooperate" and "member shoe office".
    assert dictionary_draft("市政协") == "municipal CPPCC committee"
    assert dictionary_draft("委员履职") == "member performance of duties"
    assert dictionary_draft("省委决策部署") == "provincial Party committee decisions and arrangements"


def test_drafts_skip_definitions_that_only_describe_a_character():
    # CC-CEDICT's first lines for 万 and 魂 are "used in 万俟" and "old variant of 魂".
    assert "used in" not in dictionary_draft("万企")
    assert dictionary_draft("凝心铸魂").endswith("soul")


def test_slogan_draft_keeps_its_shape_and_drafts_components():
    english = english_for("四个凝聚", "numbered slogan", ["凝聚人心", "凝聚共识", "凝聚智慧", "凝聚力量"])
    assert english.source == SOURCE_DRAFT
    assert english.text.startswith("Four '")
    assert [c["zh"] for c in english.components] == ["凝聚人心", "凝聚共识", "凝聚智慧", "凝聚力量"]
    assert all(c["en"] and c["source"] in (SOURCE_REFERENCE, SOURCE_DRAFT) for c in english.components)


def test_meeting_pattern():
    assert meeting_draft("十九届四中全会") == "4th Plenary Session of the 19th CPC Central Committee"
    assert meeting_draft("党的二十大") == "20th National Congress of the CPC"
    assert meeting_draft("协商会议") is None


def test_nothing_to_offer_says_so():
    english = english_for("𠀀𠀁")
    assert english.source == SOURCE_NONE and english.text == ""
    assert dictionary_draft("政协") == "CPPCC"


def test_approved_rendering_wins_over_reference(tmp_path):
    termbase = Termbase(tmp_path / "tb.sqlite3")
    entry = {"term": "专门协商机构", "traditional": "專門協商機構", "variants": [], "category": "organisation",
             "score": 1.0, "frequency": 1, "documents": 1, "expansion": [], "expansion_source": "", "pinyin": "",
             "pinyin_marks": "", "pinyin_numbers": "", "pinyin_plain": "", "initials": "",
             "english": "specialized consultative body", "english_source": "reference", "english_detail": "x",
             "english_alternatives": [], "components": [], "contexts": []}
    with termbase.transaction():
        termbase.upsert_mined_terms([entry])
        termbase.set_human(1, {"english": "specialised consultative body", "status": "approved"}, "t", "test")
    row = termbase.term_rows()[0]
    assert (row.english, row.english_source) == ("specialised consultative body", "approved")
    with termbase.transaction():
        termbase.set_human(1, {"status": "reviewed"}, "t", "test")
    assert termbase.term_rows()[0].english_source == "translator edit"
