#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) one after the other, one process each, for
# SECONDS_PER_TARGET seconds (default 600), with the flags fuzz/README.md lists. Build first
# with `cargo +nightly fuzz build`. Crashes, timeouts and OOMs are written to
# fuzz/artifacts/<target>/ and fuzzing goes on (fork mode with one job), so one run finds
# every kind of failure; the log of each run is fuzz/artifacts/<target>.log.
set -u
cd "$(dirname "$0")"
# A panic's backtrace takes seconds to symbolise in these builds, so libFuzzer would report the
# crash as a timeout; its own stack trace of the crash is enough.
export RUST_BACKTRACE=0
secs=${SECONDS_PER_TARGET:-600}
bin=target/x86_64-unknown-linux-gnu/release
max_len() {
    case $1 in
        warc_read | extract) echo 1048576 ;;
        sitemap | feed) echo 262144 ;;
        *) echo 65536 ;;
    esac
}
# An input over the timeout is a finding. extract parses whole pages of up to 1 MB in an ASAN +
# coverage build that runs it ~20x slower than release, so it gets 3 s; a page it flags is then
# timed in a release build against the 1 s bar (see README).
timeout_of() {
    case $1 in
        extract) echo 3 ;;
        *) echo 1 ;;
    esac
}
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(warc_read http_head cdxj robots sitemap feed selectors_config extract)
# The extract seeds are made from tests/fixtures, not committed twice.
[ -d seeds/extract ] || python3 make_seeds.py
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    extra=()
    # Selector configs: the repository's own are seeds too (not copied under seeds/).
    [ "$t" = selectors_config ] && extra=(../selectors)
    "$bin/$t" "corpus/$t" "seeds/$t" "${extra[@]}" \
        -max_len="$(max_len "$t")" -timeout="$(timeout_of "$t")" -rss_limit_mb=2048 -malloc_limit_mb=1024 \
        -max_total_time="$secs" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -artifact_prefix="artifacts/$t/" -print_final_stats=1 >"artifacts/$t.log" 2>&1
    echo "$t exit $?"
done
