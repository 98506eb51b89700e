#!/usr/bin/env bash
# Large uploads to an Azure SAS, checked against Azurite, Microsoft's Azure Storage emulator
# (npm), which checks every SAS signature and each block's Content-MD5: a file sent as blocks
# and committed with Put Block List, a line that drops, a killed upload run again (the
# `azure_blocks::` tests, ignored in a plain `cargo test` because they need Azurite).
#
#   scripts/azurite-check.sh      (installs Azurite into the build folder on first use)
#
# Azurite runs on 127.0.0.1 with its telemetry off: nothing leaves the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh

need_tools node:nodejs npm:npm
version=3.35.0
dir="$(target_dir)/azurite-$version"
if [ ! -x "$dir/node_modules/.bin/azurite-blob" ]; then
    echo "installing Azurite $version into $dir"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "azurite@$version" >/dev/null
fi
export PRESIGNDESK_AZURITE="$dir/node_modules/.bin/azurite-blob"
cargo test --test suite azure_blocks:: -- --ignored
