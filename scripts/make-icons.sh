#!/usr/bin/env bash
# Draws the app icon's PNG sizes from its SVG source (assets/icon.svg) into assets/icons/, and
# the Windows .ico and macOS .icns made of them. The window embeds the 256 px PNG; the packages
# install the others. Run after changing the SVG, and commit the results.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
need_tools rsvg-convert:librsvg2-bin
mkdir -p assets/icons
for size in 16 32 48 64 128 256 512 1024; do
    rsvg-convert --width "$size" --height "$size" assets/icon.svg -o "assets/icons/presign-desk-$size.png"
done
if ! python3 -c 'import PIL' 2>/dev/null; then
    python3 -m pip install --quiet pillow
fi
python3 - <<'PY'
from PIL import Image
icons = "assets/icons/presign-desk-{}.png"
big = Image.open(icons.format(256))
big.save("assets/icons/presign-desk.ico", sizes=[(s, s) for s in (16, 32, 48, 64, 128, 256)])
Image.open(icons.format(1024)).save("assets/icons/presign-desk.icns")
PY
# The 16 and 1024 px drawings only feed the .ico and the .icns.
rm -f assets/icons/presign-desk-16.png assets/icons/presign-desk-1024.png
ls -l assets/icons
