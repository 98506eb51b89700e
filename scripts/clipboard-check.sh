#!/usr/bin/env bash
# The window's clipboard, checked through the system's real one: the release binary in a real
# window under Xvfb, the clipboard set and read with xclip, the window driven with xdotool.
# egui_kittest hands the app its own clipboard, so only this shows whether the built window
# reaches the system's.
#
#   scripts/clipboard-check.sh
#
# Checks, each printed as PASS or FAIL (exit code 1 when one fails):
#   - the Paste button, Ctrl+V with nothing focused, and Ctrl+V in the link field take the
#     link the system clipboard holds;
#   - "Copy summary", "Copy request" and "Copy as curl" put what they say on the system
#     clipboard: the first two without the signature, the curl command with it;
#   - Paste with an empty clipboard says there is no text to paste;
#   - a server's answer pasted with Ctrl+V into "Explain a server's answer" is explained for
#     the link, and "Copy explanation" puts the explanation, without the signature, there.
set -euo pipefail
cd "$(dirname "$0")/.."

EXTRA_PACKAGES="xclip:xclip"
# shellcheck source=scripts/gui-env.sh
source scripts/gui-env.sh
export XDG_CONFIG_HOME=$work/config
mkdir -p "$XDG_CONFIG_HOME/presigndesk"
printf '{"language": "en", "theme": "light", "show_details": true}\n' \
    >"$XDG_CONFIG_HOME/presigndesk/settings.json"
download=$(link "Download hello.txt (SigV4)")
signature=${download##*X-Amz-Signature=}

log=$work/app.log
PRESIGNDESK_REPORT_TIMING=1 "$bin" gui >"$log" 2>&1 &
app=$!
pids+=("$app")
window=$(xdotool search --sync --pid "$app" --name PresignDesk | head -1)
xdotool windowsize --sync "$window" 1200 800
xdotool windowfocus --sync "$window"
sleep 1.5

failures=0
check() {
    if [ "$2" = ok ]; then echo "PASS  $1"; else echo "FAIL  $1"; failures=$((failures + 1)); fi
}
# The centre of the control the window last reported under NAME, in window coordinates.
centre() {
    grep "^control \"$1\" at" "$log" | tail -1 |
        awk '{print int($(NF-4) + $(NF-1) / 2), int($(NF-3) + $NF / 2)}'
}
# Scrolls the panel under the control NAME until the control is in the window.
into_view() {
    local at x y
    for _ in $(seq 20); do
        at=$(centre "$1")
        x=${at% *} y=${at#* }
        [ "$y" -lt 760 ] && return 0
        xdotool mousemove --window "$window" "$x" 400 click 5 click 5 click 5
        sleep 0.3
    done
}
click() {
    into_view "$1"
    local at
    at=$(centre "$1")
    [ -n "$at" ] || { echo "no control named $1"; return 1; }
    # shellcheck disable=SC2086
    xdotool mousemove --window "$window" $at click 1
    sleep 0.5
}
# Waits until the log holds COUNT lines matching PATTERN.
seen() {
    for _ in $(seq 40); do
        [ "$(grep -c "$1" "$log" || true)" -ge "$2" ] && return 0
        sleep 0.1
    done
    return 1
}
# Puts TEXT on the clipboard; xclip serves it until another program takes the clipboard.
set_clipboard() {
    printf '%s' "$1" | xclip -selection clipboard &
    pids+=($!)
    sleep 0.3
}
clear_link() {
    click "Link"
    xdotool key --window "$window" ctrl+a BackSpace
    xdotool key --window "$window" Escape
    sleep 0.3
}

shown='^link shown: playground/hello.txt'
set_clipboard "$download"
click "Paste"
seen "$shown" 1 && r=ok || r=no; check "the Paste button takes the link from the system clipboard" "$r"

clear_link
set_clipboard "$download"
xdotool key --window "$window" ctrl+v
seen "$shown" 2 && r=ok || r=no; check "Ctrl+V with nothing focused takes it" "$r"

clear_link
set_clipboard "$download"
click "Link"
xdotool key --window "$window" ctrl+v
sleep 0.3
xdotool key --window "$window" Escape
seen "$shown" 3 && r=ok || r=no; check "Ctrl+V in the link field takes it" "$r"
sleep 0.5

click "Copy summary"
copied=$(xclip -selection clipboard -o 2>/dev/null || true)
[[ $copied == *"playground/hello.txt"* && $copied == *REDACTED* && $copied != *"$signature"* ]] &&
    r=ok || r=no
check "Copy summary puts the redacted summary on the system clipboard" "$r"

click "Copy request (signature removed)"
copied=$(xclip -selection clipboard -o 2>/dev/null || true)
[[ $copied == "GET "* && $copied != *"$signature"* ]] && r=ok || r=no
check "Copy request puts the request, without the signature, on the system clipboard" "$r"

click "Copy as curl (contains the link's secret signature)"
copied=$(xclip -selection clipboard -o 2>/dev/null || true)
[[ $copied == "curl "* && $copied == *"$signature"* ]] && r=ok || r=no
check "Copy as curl puts the whole command, signature included, on the system clipboard" "$r"

set_clipboard ""
click "Paste"
seen '^notice: The clipboard holds no text' 1 && r=ok || r=no
check "Paste with an empty clipboard says there is no text to paste" "$r"

# A refusal as curl -i printed it, for the link in the window (a download link).
click "Explain a server's answer"
click "The server's answer"
set_clipboard $'HTTP/1.1 403 Forbidden\r\nDate: Mon, 07 Dec 2026 01:00:00 GMT\r\n\r\n<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code></Error>'
xdotool key --window "$window" ctrl+v
sleep 0.3
click "Explain"
seen '^pasted explained: ' 1 && r=ok || r=no
check "a server's answer pasted from the system clipboard is explained" "$r"
click "Copy explanation"
copied=$(xclip -selection clipboard -o 2>/dev/null || true)
[[ $copied == *"another operation"* && $copied != *"$signature"* ]] && r=ok || r=no
check "Copy explanation puts the explanation, without the signature, on the system clipboard" "$r"

echo
if [ "$failures" -gt 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "every clipboard check passed"
