"""Make the fonts the PDFs are set in: `python scripts/fonts.py` (needs npm and fontTools).

Fetches the Noto Sans families as npm's @fontsource packages ship them (the SIL Open Font
Licence 1.1; each package splits a font into files by script), converts the files the PDFs need
to TrueType and writes them to `vendor/fonts/` with the licence and the packages' versions:
Noto Sans (Latin and Latin Extended, regular and bold), Noto Sans Thai and Noto Sans Arabic
(regular and bold), and Noto Sans SC, regular only and subset to the 3,755 characters of level 1
of GB 2312 (the common ones) with CJK punctuation and full-width forms, so that the repository
holds about two megabytes of Chinese instead of seventy.
"""

from __future__ import annotations

# Runs npm to fetch the fonts, as make does.
import subprocess  # nosec B404
import tarfile
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.merge import Merger, Options
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "vendor" / "fonts"
VERSION = "5.3.0"
PACKAGES = ["noto-sans", "noto-sans-thai", "noto-sans-arabic", "noto-sans-sc"]


def _level_1_hanzi() -> set[str]:
    """GB 2312's first level: the 3,755 most common Chinese characters (rows 16 to 55)."""
    return {
        bytes([high, low]).decode("gb2312")
        for high in range(0xB0, 0xD8)
        for low in range(0xA1, 0xFF)
        if not (high == 0xD7 and low > 0xF9)
    }


def _fetch(work: Path) -> dict[str, Path]:
    folders = {}
    for name in PACKAGES:
        # A fixed npm command, from PATH as make runs it.
        archive = subprocess.run(  # nosec B603, B607
            ["npm", "pack", f"@fontsource/{name}@{VERSION}", "--silent"],  # noqa: S607  (npm from PATH, as make does)
            cwd=work,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        folder = work / name
        with tarfile.open(work / archive) as packed:
            packed.extractall(folder, filter="data")
        folders[name] = folder / "package"
    return folders


def _ttf(woff: Path, work: Path) -> Path:
    font = TTFont(woff)
    font.flavor = None
    path = work / f"{woff.stem}.ttf"
    font.save(path)
    return path


def _merged(woffs: list[Path], work: Path) -> TTFont:
    """One font from the files a package splits it into (the same design, disjoint characters)."""
    ttfs = [_ttf(woff, work) for woff in woffs]
    if len(ttfs) == 1:
        return TTFont(ttfs[0])
    return Merger(options=Options(drop_tables=["vhea", "vmtx"])).merge(ttfs)


def _subset(font: TTFont, characters: set[str]) -> TTFont:
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={ord(character) for character in characters})
    subsetter.subset(font)
    return font


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        folders = _fetch(work)
        for weight, style in (("400", "Regular"), ("700", "Bold")):
            files = folders["noto-sans"] / "files"
            font = _merged(
                [files / f"noto-sans-latin-{weight}-normal.woff", files / f"noto-sans-latin-ext-{weight}-normal.woff"],
                work,
            )
            font.save(TARGET / f"NotoSans-{style}.ttf")
            for name, script, family in (("noto-sans-thai", "thai", "Thai"), ("noto-sans-arabic", "arabic", "Arabic")):
                woff = folders[name] / "files" / f"{name}-{script}-{weight}-normal.woff"
                TTFont(_ttf(woff, work)).save(TARGET / f"NotoSans{family}-{style}.ttf")
        wanted = _level_1_hanzi() | {chr(code) for code in (*range(0x3000, 0x3040), *range(0xFF00, 0xFFF0))}
        chunks = []
        for woff in sorted((folders["noto-sans-sc"] / "files").glob("noto-sans-sc-*-400-normal.woff")):
            if {chr(code) for code in TTFont(woff).getBestCmap()} & wanted:
                chunks.append(woff)
        _subset(_merged(chunks, work), wanted).save(TARGET / "NotoSansSC-Regular.ttf")
        (TARGET / "OFL.txt").write_text((folders["noto-sans"] / "LICENSE").read_text())
    for path in sorted(TARGET.glob("*.ttf")):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
