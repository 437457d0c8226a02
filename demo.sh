#!/usr/bin/env bash
# Sets up and runs the demo: builds plexsync and the demo program, finds or unpacks the Temporal CLI, then syncs
# a simulated Stash library to a simulated Plex through `plexsync dev` (a Temporal dev server of its own and a
# worker). Options go to the demo program (see --help), e.g. ./demo.sh --exit
set -euo pipefail
cd "$(dirname "$0")"
temporal/unpack-cli.sh
exec dotnet run --project src/PlexSync.Demo -c Release -- "$@"
