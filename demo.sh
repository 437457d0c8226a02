#!/usr/bin/env bash
# Sets up and runs the demo: builds plexsync, finds or unpacks the Temporal CLI, then syncs a simulated
# Stash library to a simulated Plex through a Temporal dev server of its own. Options go to
# `plexsync demo` (see --help), e.g. ./demo.sh --exit
set -euo pipefail
cd "$(dirname "$0")"
temporal/unpack-cli.sh
exec dotnet run --project src/PlexSync -c Release -- demo "$@"
