#!/usr/bin/env bash
# The benchmark (README "Performance"): reconciliations, an idle worker and hooks, each run on a fresh dev server, Release build.
#   ./bench.sh                                   300 scenes on a fresh worker; 1,000 scenes three times; an idle minute; 100 hooks
#   ./bench.sh --baseline .tools/plexsync-go     the same with the Go build side by side, A B B A, and a table of both and the ratio
#   ./bench.sh --published --baseline ...        first publishes the program (./publish.sh --aot-program linux-x64) and measures
#                                                it: its single file as the worker, the plugin folder's program as the hook
#   ./bench.sh --published-aot --baseline ...    the same with the Native AOT program (out/bench/linux-x64-aot) as the worker
#   ./bench.sh --scenes 1000,10000 --hooks 50 --idle 0s --latency 10ms
#   ./bench.sh micro                             BenchmarkDotNet on the hot pure code
set -euo pipefail
cd "$(dirname "$0")"
temporal/unpack-cli.sh
args=() worker=
for arg in "$@"; do
  case "$arg" in
    --published) worker=out/bench/linux-x64/plexsync ;;
    --published-aot) worker=out/bench/linux-x64-aot/plexsync ;;
    *) args+=("$arg") ;;
  esac
done
if [ -n "$worker" ]; then
  ./publish.sh --out out/bench --aot-program linux-x64 >&2
  args=(--build "$worker" --hook-binary out/bench/stash-plugin-linux-x64/plexsync/plexsync "${args[@]}")
fi
exec dotnet run -c Release --project tests/PlexSync.Benchmarks -- "${args[@]}"
