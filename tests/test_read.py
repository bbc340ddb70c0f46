"""Reading: files and folders, encodings, and inputs that are not text."""

from __future__ import annotations

import pytest

from glossary.errors import GlossaryError
from glossary.read import decode_bytes, find_documents, read_documents


def test_folder_is_read_recursively_with_known_suffixes(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("人民政协", encoding="utf-8")
    (tmp_path / "a" / "two.html").write_text("<p>人民政协</p>", encoding="utf-8")
    (tmp_path / "a" / "three.md").write_text("人民政协", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n")
    names = [p.name for p in find_documents([tmp_path])]
    assert names == ["one.txt", "three.md", "two.html"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030"])
def test_seed_reencoded_decodes_to_same_text(seed_texts, encoding):
    for text in seed_texts.values():
        decoded, detected = decode_bytes(text.encode(encoding))
        assert decoded.replace("\ufeff", "") == text
        assert detected.replace("_", "-") in {encoding, "utf-8-sig" if encoding == "utf-8-sig" else encoding, "utf-16"}


def test_big5_is_detected_for_traditional_text(seed_texts):
    text = "\n".join(
        line for line in seed_texts["003_67706067364c34ce.txt"].replace("\xa0", " ").split("\n")
        if _encodable(line, "big5")
    )
    decoded, detected = decode_bytes(text.encode("big5"))
    assert detected.startswith("big5")
    assert decoded == text


def _encodable(line: str, encoding: str) -> bool:
    try:
        line.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def test_binary_and_empty_files_are_skipped_with_a_warning(tmp_path):
    (tmp_path / "good.txt").write_text("人民政协是专门协商机构。", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 20)
    warnings = []
    documents = list(read_documents([tmp_path], warn=warnings.append))
    assert [d.path.rsplit("/", 1)[-1] for d in documents] == ["good.txt"]
    assert len(warnings) == 2
    assert any("binary.txt" in w and "binary" in w for w in warnings)
    assert any("empty.txt" in w for w in warnings)


def test_missing_path_and_empty_corpus_are_errors(tmp_path):
    with pytest.raises(GlossaryError, match="no such file"):
        list(read_documents([tmp_path / "missing"]))
    with pytest.raises(GlossaryError, match="no text documents"):
        list(read_documents([tmp_path]))
    (tmp_path / "blank.txt").write_text("   \n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="no readable document"):
        list(read_documents([tmp_path], warn=lambda _: None))
