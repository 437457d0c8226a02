#!/usr/bin/env bash
# Puts the pinned Temporal CLI (dev server and Web UI) at .tools/temporal when it is not there yet and
# the offline copy in ../shared/temporal/ exists, as on machines without internet. PlexSync finds
# .tools/temporal by itself; with internet and no copy, the Temporal SDK downloads the CLI instead.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cli="$root/.tools/temporal"
archive="$root/../shared/temporal/temporal-cli-v1.5.1-linux-amd64.xz"
if [ ! -x "$cli" ] && [ -f "$archive" ]; then
  mkdir -p "$root/.tools"
  xz -dc "$archive" > "$cli.tmp" && chmod +x "$cli.tmp" && mv "$cli.tmp" "$cli"
  echo "Temporal CLI unpacked to .tools/temporal" >&2
fi
