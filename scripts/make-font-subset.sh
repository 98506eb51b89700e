#!/usr/bin/env bash
# Cuts the Japanese fallback font the window bundles (assets/fonts/NotoSansJP-Subset.otf) from
# Debian's Noto Sans CJK JP: JIS X 0208 (levels 1 and 2 kanji, kana, symbols), the kana blocks,
# CJK punctuation and the full-width and half-width forms. Layout tables are dropped: egui
# shapes glyph by glyph, and without them the file is a fraction of the size.
#
# The Debian package is downloaded and unpacked in a temporary folder, never installed, so the
# machine keeps no CJK system font (what the bundled font is there to replace).
set -euo pipefail
cd "$(dirname "$0")/.."
out=assets/fonts/NotoSansJP-Subset.otf

if ! python3 -c 'import fontTools' 2>/dev/null; then
    python3 -m pip install --quiet fonttools
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download fonts-noto-cjk >/dev/null 2>&1 && dpkg -x fonts-noto-cjk_*.deb root)
source_font="$work/root/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

python3 - "$work/unicodes.txt" <<'PY'
import sys
chars = set()
# JIS X 0208: every row and cell, through EUC-JP (0xA1..0xFE twice).
for row in range(0xA1, 0xFF):
    for cell in range(0xA1, 0xFF):
        try:
            chars.update(bytes([row, cell]).decode("euc_jp"))
        except UnicodeDecodeError:
            pass
blocks = [
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x309F),  # hiragana
    (0x30A0, 0x30FF),  # katakana
    (0x31F0, 0x31FF),  # katakana phonetic extensions
    (0xFF00, 0xFFEF),  # full-width and half-width forms
]
for first, last in blocks:
    chars.update(map(chr, range(first, last + 1)))
with open(sys.argv[1], "w") as f:
    f.write(",".join(f"U+{ord(c):04X}" for c in sorted(chars)))
print(f"{len(chars)} code points", file=sys.stderr)
PY

# Font number 0 of the collection is Noto Sans CJK JP.
python3 -m fontTools.subset "$source_font" --font-number=0 \
    --unicodes-file="$work/unicodes.txt" \
    --layout-features='' --no-hinting \
    --name-IDs='*' --name-languages='*' --drop-tables+=VORG,vhea,vmtx,BASE \
    --output-file="$out"
ls -l "$out"
