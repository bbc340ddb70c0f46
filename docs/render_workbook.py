"""Redraw docs/workbook-glossary.png: the Glossary sheet of a fresh build of the seeds, as
LibreOffice prints it.

    python docs/render_workbook.py [--out docs/workbook-glossary.png]

Builds seeds/ into a temporary termbase and workbook, converts the workbook to PDF with headless
LibreOffice (`soffice`), and renders the top of the first page with poppler's `pdftoppm` at
500 dpi: the columns from ID to Expansion, then (after a gap) the Gloss column, which prints far
to the right of them. Column positions are read from the header row with `pdftotext -bbox`.
Needs LibreOffice, poppler-utils, Debian's fonts-noto-cjk and Pillow (a matplotlib dependency).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DPI = 500
TOP, BOTTOM = 30.0, 190.0  # points: the header and the first rows


def header_positions(pdf: Path) -> dict[str, float]:
    """x of each header word of the first page (first occurrence), in points."""
    html = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)<', html)
    header_y = min(float(y) for _, y, _ in words)
    positions: dict[str, float] = {}
    for x, y, word in words:
        if abs(float(y) - header_y) < 1 and word not in positions:
            positions[word] = float(x)
    return positions


def crop(pdf: Path, left: float, right: float, folder: Path, name: str) -> Path:
    scale = DPI / 72
    prefix = folder / name
    subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", str(DPI), "-png", "-singlefile",
                    "-x", str(int(left * scale)), "-y", str(int(TOP * scale)),
                    "-W", str(int((right - left) * scale)), "-H", str(int((BOTTOM - TOP) * scale)),
                    str(pdf), str(prefix)], check=True)
    return prefix.with_suffix(".png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "docs" / "workbook-glossary.png"))
    arguments = parser.parse_args()
    from PIL import Image

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        workbook = folder / "glossary.xlsx"
        subprocess.run([str(Path(sys.executable).with_name("glossary")), "build", str(ROOT / "seeds"), "--db", str(folder / "tb.sqlite3"),
                        "--out", str(workbook)], check=True, capture_output=True)
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(workbook)],
                       check=True, capture_output=True)
        pdf = folder / "glossary.pdf"
        x = header_positions(pdf)
        left = crop(pdf, x["ID"] - 4, x["Frequency"] - 2, folder, "left")
        gloss = crop(pdf, x["Gloss"] - 0.8, x["Memory"] - 2, folder, "gloss")
        parts = [Image.open(left), Image.open(gloss)]
        gap = 24
        picture = Image.new("RGB", (parts[0].width + gap + parts[1].width, parts[0].height), "white")
        picture.paste(parts[0], (0, 0))
        picture.paste(parts[1], (parts[0].width + gap, 0))
        picture.save(arguments.out, optimize=True)
    print(f"wrote {arguments.out} ({picture.width}x{picture.height})")


if __name__ == "__main__":
    main()
