"""The modules of the package import each other without circles (lazy imports included), so
the data flow read → clean → mine → enrich stays readable and each stage can be used alone."""

from __future__ import annotations

import ast
from pathlib import Path

import glossary

PACKAGE = Path(glossary.__file__).parent


def _local_imports(path: Path) -> set[str]:
    """Modules of the package a file imports, anywhere in it, except under `if TYPE_CHECKING:`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(node) for block in ast.walk(tree)
               if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
               for statement in block.body for node in ast.walk(statement)}
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and id(node) not in skipped:
            names = [node.module] if node.module else [alias.name for alias in node.names]
            found.update(name.split(".")[0] for name in names)
    return found - {"data"}


def _import_graph() -> dict[str, set[str]]:
    return {path.stem: _local_imports(path) for path in PACKAGE.glob("*.py")}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    trail: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        trail.append(module)
        for other in sorted(graph.get(module, ())):
            if other not in graph:
                continue
            if state.get(other) == 1:
                return trail[trail.index(other):] + [other]
            if other not in state:
                found = visit(other)
                if found:
                    return found
        state[module] = 2
        trail.pop()
        return None

    for module in sorted(graph):
        if module not in state:
            found = visit(module)
            if found:
                return found
    return None


def test_no_import_circles():
    assert _cycle(_import_graph()) is None, " → ".join(_cycle(_import_graph()))


def test_cycle_finder_sees_a_circle():
    assert _cycle({"english": {"mine"}, "mine": {"pinyin"}, "pinyin": {"english"}}) == [
        "english", "mine", "pinyin", "english"]


def test_mine_facade_keeps_the_public_names():
    from glossary import mine

    for name in ("MiningSettings", "DocumentCounts", "Term", "Context", "Occurrences", "TermLocator",
                 "count_document", "tokenize_document", "count_tokens", "merge_counts", "select_terms",
                 "screen_terms", "finish_terms", "locate_all", "merge_occurrences", "choose_contexts",
                 "joined_sentences", "find_slogans", "find_meetings", "find_expansion", "slogan_shape",
                 "canonical_slogan", "numeral_value", "prepare_segmenter", "mine_documents", "to_traditional",
                 "CATEGORY_SLOGAN", "segment"):
        assert hasattr(mine, name), name
