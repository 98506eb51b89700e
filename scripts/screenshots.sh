#!/usr/bin/env bash
# Screenshots of the window in each state a person meets, taken from the release binary in a
# real window under Xvfb against the playground on 127.0.0.1, into docs/screenshots/:
#
#   empty.png, ready.png, running.png, success.png, failure-details.png, download-done.png,
#   cut-short.png, download-link-with-file.png, form-details.png (a presigned POST form with
#   its policy decoded), large-download-details.png (a 200 MiB download done, with the
#   connections it used and why), small-800x600.png, small-560x440.png, and the same in
#   Japanese: japanese.png (ready), japanese-failure.png, japanese-download-done.png,
#   japanese-cut-short.png, japanese-download-link-with-file.png, japanese-form-details.png,
#   japanese-large-download-details.png, japanese-small-800x600.png, explain-answer.png and
#   japanese-explain-answer.png (a refusal pasted through the system clipboard into "Explain a
#   server's answer" and explained for the link in the window), parts-details.png and
#   japanese-parts-details.png (a multipart set with the file it fits), parts-running.png and
#   japanese-parts-running.png (its parts on their way), queue-ready.png and queue-done.png (twelve
#   links pasted and a folder of invoices matched to them, then sent), links-table.png (many
#   links at a glance, the ones that cannot work first), queue-no-operation.png (links that do
#   not say whether they upload or download: the person is asked), and the same four in
#   Japanese
#
# The machine needs no CJK system font: Japanese renders with the font the app bundles.
set -euo pipefail
cd "$(dirname "$0")/.."

EXTRA_PACKAGES="import:imagemagick xclip:xclip curl:curl"
# shellcheck source=scripts/gui-env.sh
source scripts/gui-env.sh
out=$PWD/docs/screenshots
mkdir -p "$out"

# Files a person would pick.
files=$work/files
mkdir -p "$files"
printf 'region,revenue\nnorth,120\nsouth,95\n' >"$files/report.csv"
printf 'quarterly figures\n' >"$files/notes.txt"
printf '品目,数量,金額\n用紙,10,5000\n' >"$files/見積.csv"
head -c $((1024 * 1024 * 1024)) /dev/zero >"$files/backup.tar"

# shot NAME SETTINGS-JSON ACTION [gui arguments...]; ACTION is "none", or "enter:SECONDS" to
# press Enter and wait that long before the picture. SIZE=WxH sets the window's size first.
# Downloads go to the shot's own home folder.
shot() {
    local name=$1 settings=$2 action=$3
    shift 3
    local config=$work/config-$name home=$work/home-$name
    mkdir -p "$config/presigndesk" "$home/Downloads"
    printf '%s\n' "$settings" >"$config/presigndesk/settings.json"
    HOME=$home XDG_CONFIG_HOME=$config XDG_DOWNLOAD_DIR=$home/Downloads "$bin" gui "$@" >/dev/null 2>&1 &
    local app=$!
    local window
    window=$(xdotool search --sync --pid "$app" --name PresignDesk | head -1)
    if [ -n "${SIZE:-}" ]; then
        xdotool windowsize --sync "$window" "${SIZE%x*}" "${SIZE#*x}"
    fi
    sleep 2
    xdotool windowfocus --sync "$window"
    case $action in
        enter:*) xdotool key --window "$window" Return; sleep "${action#enter:}" ;;
    esac
    # The pointer out of the way: no tooltip in the picture.
    xdotool mousemove --window "$window" 2 2
    sleep 0.3
    import -window "$window" "$out/$name.png"
    kill "$app" 2>/dev/null || true
    wait "$app" 2>/dev/null || true
    echo "$out/$name.png"
}

english='{"language": "en", "theme": "light"}'
english_details='{"language": "en", "theme": "light", "show_details": true}'
japanese='{"language": "ja", "theme": "light"}'
japanese_details='{"language": "ja", "theme": "light", "show_details": true}'

shot empty "$english" none
shot ready "$english" none "$(link "Upload (SigV4)")" --file "$files/report.csv"
shot running "$english" enter:1.2 "$(link "Upload (SigV4)")" --file "$files/backup.tar"
shot success "$english" enter:1.5 "$(link "Upload (SigV4)")" --file "$files/report.csv"
shot failure-details "$english_details" enter:1.5 \
    "$(link "Upload with a signed Content-Type")" --file "$files/notes.txt"
shot japanese "$japanese" none "$(link "Upload to a Japanese name")" --file "$files/見積.csv"
shot japanese-failure "$japanese_details" enter:1.5 \
    "$(link "Upload with a signed Content-Type")" --file "$files/notes.txt"

# The states a person meets after the first steps.
upload=$(link "Upload (SigV4), any Content-Type")
download=$(link "Download hello.txt (SigV4)")
cut=${upload%%&X-Amz-SignedHeaders*}
form=$(link "Upload form (presigned POST")
# A download large enough for several connections.
head -c $((200 * 1024 * 1024)) /dev/urandom >"$files/large.bin"
"$bin" put "$upload" "$files/large.bin" --no-content-type >/dev/null 2>&1
large=$(link "Download what you uploaded (SigV4)")
for lang in en ja; do
    prefix=""
    settings=$english
    settings_details=$english_details
    if [ "$lang" = ja ]; then
        prefix="japanese-"
        settings=$japanese
        settings_details=$japanese_details
    fi
    shot "${prefix}download-done" "$settings" enter:1.5 "$download"
    shot "${prefix}cut-short" "$settings" none "$cut" --file "$files/report.csv"
    shot "${prefix}download-link-with-file" "$settings" none "$download" --file "$files/report.csv"
    shot "${prefix}form-details" "$settings_details" none "$form" --file "$files/report.csv"
    shot "${prefix}large-download-details" "$settings_details" enter:5 "$large"
    SIZE=800x600 shot "${prefix}small-800x600" "$settings_details" enter:1.5 \
        "$(link "Upload with a signed Content-Type")" --file "$files/notes.txt"
done
# A multipart set with a file it fits, and a running upload of it.
head -c $((40 * 1024 * 1024)) /dev/urandom >"$files/video.mp4"
set=$(link "Multipart upload set")
shot parts-details "$english_details" none "$set" --file "$files/video.mp4"
shot japanese-parts-details "$japanese_details" none "$set" --file "$files/video.mp4"
# The parts on their way: the bar of parts and how many arrived (the window is closed before
# the upload completes, so the set stays open for the next).
shot parts-running "$english_details" enter:1.2 "$set" --file "$files/backup.tar"
shot japanese-parts-running "$japanese_details" enter:1.2 "$set" --file "$files/backup.tar"
SIZE=560x440 shot small-560x440 "$english_details" none "$upload" --file "$files/report.csv"

# The queue: twelve links pasted and a folder of invoices given, ready and then sent (the last
# link expired before its turn, said in its row); the links alone, checked at a glance.
mkdir -p "$files/invoices/2026"
for n in $(seq -w 1 12); do
    head -c $((20000 + 10#$n * 7919)) /dev/urandom >"$files/invoices/2026/invoice-$n.pdf"
done
touch "$files/invoices/.DS_Store"
for _ in $(seq 50); do grep -q "^Try it from a terminal" "$work/links.txt" && break; sleep 0.1; done
list=$(grep -A12 "^A list of 12 upload links" "$work/links.txt" | tail -12 | tr -d ' ')
links_to_check=$(printf '%s\n%s\n%s\n' "$list" "$cut" "$download")
for lang in en ja; do
    prefix=""
    settings=$english
    if [ "$lang" = ja ]; then
        prefix="japanese-"
        settings=$japanese
    fi
    shot "${prefix}queue-ready" "$settings" none "$list" --file "$files/invoices"
    shot "${prefix}queue-done" "$settings" enter:2 "$list" --file "$files/invoices"
    shot "${prefix}links-table" "$settings" none "$links_to_check"
    # Links that do not say what they are for (as many SDKs sign them): the person says.
    shot "${prefix}queue-no-operation" "$settings" none \
        "$(printf '%s\n' "$list" | head -3 | sed 's/&x-id=PutObject//')"
done

# explain_shot NAME SETTINGS-JSON SECTION FIELD BUTTON ANSWER LINK: opens the section named
# SECTION, pastes ANSWER into FIELD through the system clipboard, presses BUTTON and takes the
# picture. Controls are found where the window reports them (PRESIGNDESK_REPORT_TIMING).
explain_shot() {
    local name=$1 settings=$2 section=$3 field=$4 button=$5 answer=$6 url=$7
    local config=$work/config-$name log=$work/$name.log
    mkdir -p "$config/presigndesk"
    printf '%s\n' "$settings" >"$config/presigndesk/settings.json"
    XDG_CONFIG_HOME=$config PRESIGNDESK_REPORT_TIMING=1 "$bin" gui "$url" >"$log" 2>&1 &
    local app=$!
    local window
    window=$(xdotool search --sync --pid "$app" --name PresignDesk | head -1)
    xdotool windowsize --sync "$window" 1200 800
    xdotool windowfocus --sync "$window"
    sleep 1.5
    centre() {
        grep "^control \"$1\" at" "$log" | tail -1 |
            awk '{print int($(NF-4) + $(NF-1) / 2), int($(NF-3) + $NF / 2)}'
    }
    click() {
        local at
        at=$(centre "$1")
        if [ -z "$at" ]; then
            echo "the window showed no control \"$1\"" >&2
            return 1
        fi
        # shellcheck disable=SC2086 # "x y"
        xdotool mousemove --window "$window" $at click 1
        sleep 0.5
    }
    scroll() {
        local at
        at=$(centre "$section")
        xdotool mousemove --window "$window" "${at% *}" 400 click 5 click 5 click 5
        sleep 0.5
    }
    click "$section"
    scroll
    click "$field"
    printf '%s' "$answer" | xclip -selection clipboard &
    local clip=$!
    sleep 0.3
    xdotool key --window "$window" ctrl+v
    sleep 0.3
    click "$button"
    scroll
    import -window "$window" "$out/$name.png"
    kill "$app" "$clip" 2>/dev/null || true
    wait "$app" "$clip" 2>/dev/null || true
    echo "$out/$name.png"
}

# A real refusal: the upload link used to download, as `curl -i` printed it.
refusal=$(curl -si "$upload")
explain_shot explain-answer "$english_details" "Explain a server's answer" \
    "The server's answer" "Explain" "$refusal" "$upload"
explain_shot japanese-explain-answer "$japanese_details" "サーバーの応答を説明" \
    "サーバーの応答" "説明" "$refusal" "$upload"
