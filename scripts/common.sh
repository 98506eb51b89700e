# Sourced by every script that builds or installs something: where cargo puts its output, and
# system packages installed with care.
#
#   target_dir          the build output folder, as cargo reports it (CARGO_TARGET_DIR, a
#                       .cargo/config.toml's build.target-dir, or ./target), from any folder
#   need_tools [-s N] TOOL:PACKAGE...
#                       installs the Debian packages of the tools that are missing, and only
#                       those; a package index that cannot be refreshed is a warning and the
#                       install is tried anyway; a tool still missing after that is named, with
#                       its package, in one line, and the script exits with status N (default 3)
#
# The caller's folder is the project's (each script cd's there first).

# The folder cargo builds into, absolute.
target_dir() {
    local metadata
    metadata=$(cargo metadata --format-version 1 --no-deps --offline 2>/dev/null ||
        cargo metadata --format-version 1 --no-deps) || return 1
    # The one field needed, without a JSON tool: "target_directory":"PATH" (cargo escapes
    # a backslash or a quote in PATH; neither is expected in a build folder).
    printf '%s\n' "$metadata" | grep -o '"target_directory":"[^"]*"' | head -1 |
        sed -e 's/^"target_directory":"//' -e 's/"$//' -e 's/\\\\/\\/g'
}

# Runs a command as root: directly when root already, else through sudo.
as_root() {
    if [ "$(id -u)" = 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "warning: not root and no sudo: cannot run $1" >&2
        return 1
    fi
}

need_tools() {
    local status=3
    if [ "${1:-}" = -s ]; then
        status=$2
        shift 2
    fi
    local pair tool package packages=() still=()
    for pair in "$@"; do
        tool=${pair%%:*}
        package=${pair#*:}
        if ! command -v "$tool" >/dev/null 2>&1; then
            case " ${packages[*]} " in *" $package "*) ;; *) packages+=("$package") ;; esac
        fi
    done
    [ ${#packages[@]} -eq 0 ] && return 0

    if command -v apt-get >/dev/null 2>&1; then
        echo "installing ${packages[*]}"
        # A mirror in the middle of a sync, or one source that cannot be reached, fails the
        # refresh; the other indexes still hold what is needed.
        if ! as_root apt-get update -qq; then
            echo "warning: apt-get update failed (output above); installing from the package lists that could be read" >&2
        fi
        if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null; then
            # One package that cannot be had must not stop the others.
            echo "warning: installing ${packages[*]} together failed; trying each on its own" >&2
            for package in "${packages[@]}"; do
                as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >/dev/null ||
                    echo "warning: $package could not be installed" >&2
            done
        fi
    fi

    for pair in "$@"; do
        tool=${pair%%:*}
        command -v "$tool" >/dev/null 2>&1 || still+=("$pair")
    done
    [ ${#still[@]} -eq 0 ] && return 0
    for pair in "${still[@]}"; do
        echo "$(basename "$0") needs ${pair%%:*}, from the Debian package ${pair#*:}, and it could not be installed${PACKAGE_HINT:+ ($PACKAGE_HINT)}" >&2
    done
    exit "$status"
}
