#!/usr/bin/env bash
# The benchmark (README "Performance"): reconciliations and hooks on a real dev server, Release build.
#   ./bench.sh                       1,000 and 10,000 scenes, 200 hooks, 3 ms per simulated request
#   ./bench.sh --scenes 1000 --hooks 50 --latency 10ms
#   ./bench.sh micro                 BenchmarkDotNet on the hot pure code
set -euo pipefail
cd "$(dirname "$0")"
temporal/unpack-cli.sh
exec dotnet run -c Release --project tests/PlexSync.Benchmarks -- "$@"
