# Shared by scripts/bootstrap, build-release, demo, prefect-server and test: sourced, never run.
#   say TEXT                      a step, on stderr
#   verbose                       true when -v was given (PREFECT_MCP_VERBOSE=1, passed on to the scripts they call)
#   run_quietly LOG CMD...        runs CMD with its output in LOG (shown as it comes with -v); on a terminal one
#                                 line shows SwiftPM's progress; on failure prints the errors and where LOG is
#   now_us, seconds_since START   wall-clock time for the phase times
#   prefect_env                   the environment for every prefect and seed.py call: a project-local PREFECT_HOME,
#                                 never the user's ~/.prefect, profiles or credentials

say() { printf '==> %s\n' "$*" >&2; }

verbose() { [ "${PREFECT_MCP_VERBOSE:-0}" = 1 ]; }

now_us() { local t="${EPOCHREALTIME//[.,]/}"; echo "$((10#$t))"; }

# "4.2 s", or "7 min 31 s" from a minute on.
seconds_since() {
    local us=$(( $(now_us) - $1 ))
    if [ $us -lt 60000000 ]; then
        printf '%d.%d s' $((us / 1000000)) $((us % 1000000 / 100000))
    else
        printf '%d min %d s' $((us / 60000000)) $((us % 60000000 / 1000000))
    fi
}

# prefect_env HOME_DIR CMD...: runs CMD with PREFECT_HOME=HOME_DIR and nothing of the user's Prefect settings, so a
# Prefect client never writes into ~/.prefect nor sends a credential of the user's profile to a throw-away server.
prefect_env() {
    local home="$1"; shift
    mkdir -p "$home"
    env -u PREFECT_API_URL -u PREFECT_API_KEY -u PREFECT_API_AUTH_STRING -u PREFECT_PROFILE \
        PREFECT_HOME="$home" PREFECT_PROFILES_PATH="$home/profiles.toml" PREFECT_SERVER_ANALYTICS_ENABLED=false "$@"
}

# The output always goes through a pipe, terminal or not: SwiftPM passes -color-diagnostics to the compiler only
# when its output is a terminal, and a changed command line rebuilds every module (7.5 minutes for the release).
run_quietly() {
    local log="$1"; shift
    mkdir -p "$(dirname "$log")"
    : >"$log"
    local status=0
    if verbose; then
        "$@" 2>&1 | tee -a "$log" >&2 || status=$?
    elif [ -t 2 ]; then
        "$@" 2>&1 | _progress "$log" || status=$?
    else
        "$@" >>"$log" 2>&1 || status=$?
    fi
    if [ $status -ne 0 ] && ! verbose; then
        _show_errors "$log"
    fi
    return $status
}

# Copies the output into LOG and keeps one line on the terminal up to date: "[412/735]" or "fetching packages".
_progress() {
    local log="$1" line shown=""
    while IFS= read -r line; do
        printf '%s\n' "$line" >>"$log"
        case "$line" in
        \[[0-9]*/[0-9]*\]*) shown="${line%%]*}]" ;;
        Fetching* | Cloning* | Computing* | Updating* | Creating\ working\ copy*) shown="fetching packages" ;;
        *) continue ;;
        esac
        printf '\r\033[K    %s' "$shown" >&2
    done
    [ -z "$shown" ] || printf '\r\033[K' >&2
}

# The error diagnostics of a failed build, with their source lines and notes; the log's end if it has none.
_show_errors() {
    local log="$1" errors
    # A diagnostic comes once from emitting the module and once from compiling the file: each block is printed once.
    errors="$(awk '
        function flush() { if (block != "" && !(block in seen)) { seen[block] = 1; printf "%s", block } block = "" }
        /^\[[0-9]+\/[0-9]+\]/ { flush(); show = 0; next }
        /(^|: )(error|fatal error):/ && !/^ *[|`]/ { flush(); show = 1 }
        /(^|: )warning:/ && !/^ *[|`]/ { flush(); show = 0 }
        show { block = block $0 "\n" }
        END { flush() }' "$log" | head -n 150)"
    if [ -n "$errors" ]; then
        printf '%s\n' "$errors" >&2
    else
        tail -n 40 "$log" >&2
    fi
    say "failed; the whole output is in $log"
}
