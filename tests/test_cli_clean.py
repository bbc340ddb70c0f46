"""`glossary clean` through the command line."""

from __future__ import annotations

from click.testing import CliRunner

from glossary.cli import main


def test_clean_reports_each_seed(seed_paths):
    result = CliRunner().invoke(main, ["clean", str(seed_paths[0].parent)])
    assert result.exit_code == 0, result.output
    assert result.output.count("== ") == 5
    assert "[spam keywords]" in result.output
    assert "script: traditional" in result.output and "script: simplified" in result.output
    assert "mojibake segments: 2" in result.output


def test_clean_show_prints_simplified_text(seed_paths):
    result = CliRunner().invoke(main, ["clean", "--show", str(seed_paths[3])])
    assert result.exit_code == 0
    assert "做好“四个凝聚”工作" in result.output


def test_bad_inputs_give_one_line_errors(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["clean", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"error: no such file or folder: {tmp_path / 'missing'}"]
    assert "Traceback" not in result.output
    result = runner.invoke(main, ["clean", str(tmp_path)])
    assert result.exit_code == 2 and "no text documents" in result.output
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01\x02" * 100)
    result = runner.invoke(main, ["clean", str(tmp_path)])
    assert result.exit_code == 2
    assert "warning: skipped" in result.output and "blob.txt" in result.output
    assert "no readable document" in result.output
