#!/bin/sh
# Makes sure the namespace exists and registers PlexSync's search
# attributes (listed in search-attributes, beside this script) on a Temporal
# cluster. Uses the temporal CLI (in the temporalio/admin-tools image, or .tools/temporal).
# Safe to run again.
set -eu
dir="$(cd "$(dirname "$0")" && pwd)"
: "${TEMPORAL_ADDRESS:=127.0.0.1:7233}" "${TEMPORAL_NAMESPACE:=default}"
cli="${TEMPORAL_CLI:-temporal}"
export TEMPORAL_ADDRESS

until $cli operator cluster health >/dev/null 2>&1; do echo "waiting for Temporal at $TEMPORAL_ADDRESS"; sleep 2; done
$cli operator namespace describe -n "$TEMPORAL_NAMESPACE" >/dev/null 2>&1 ||
  $cli operator namespace create -n "$TEMPORAL_NAMESPACE" --retention 30d

grep -v '^#' "$dir/search-attributes" | grep '=' | while IFS='=' read -r name type; do
  if $cli operator search-attribute list -n "$TEMPORAL_NAMESPACE" | grep -qw "$name"; then
    echo "search attribute $name exists"
  else
    $cli operator search-attribute create -n "$TEMPORAL_NAMESPACE" --name "$name" --type "$type"
  fi
done
