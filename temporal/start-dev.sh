#!/usr/bin/env bash
# Starts the Temporal dev server for a single machine: SQLite database in
# .data/temporal.db (kept across restarts), gRPC on 127.0.0.1:7233, Web UI on
# http://127.0.0.1:8233, the default namespace and PlexSync's search
# attributes. Runs in the foreground; stop it with Ctrl-C.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/temporal/install.sh" >/dev/null
mkdir -p "$root/.data"

args=(server start-dev
  --ip "${TEMPORAL_IP:-127.0.0.1}" --port "${TEMPORAL_PORT:-7233}" --ui-port "${TEMPORAL_UI_PORT:-8233}"
  --db-filename "${TEMPORAL_DB:-$root/.data/temporal.db}" --namespace default --log-level warn
  # Write-ahead log: twice the throughput; a killed server loses nothing.
  --sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=normal
  # One task-queue partition for one machine's workers; search attributes
  # from the cache (ours are registered before the server starts). Together
  # about a third more syncs per second (see internal/devserver).
  --dynamic-config-value matching.numTaskqueueReadPartitions=1
  --dynamic-config-value matching.numTaskqueueWritePartitions=1
  --dynamic-config-value system.forceSearchAttributesCacheRefreshOnRead=false)
while IFS= read -r line; do
  case "$line" in ''|'#'*) continue ;; esac
  args+=(--search-attribute "$line")
done < "$root/temporal/search-attributes"

exec "$root/bin/temporal" "${args[@]}"
