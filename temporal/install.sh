#!/usr/bin/env bash
# Builds the pinned Temporal CLI (which contains the dev server) from the Go
# module proxy into ./bin. Does nothing when that version is already there.
#
# Pinned to v1.5.1: later releases (v1.9.x) use a replace directive for a
# nested module that is not published, so `go install ...@version` refuses them.
set -euo pipefail

VERSION="${TEMPORAL_CLI_VERSION:-v1.5.1}"
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/bin/temporal"

if [ -x "$bin" ] && go version -m "$bin" 2>/dev/null | grep -Eq "^\s+mod\s+github.com/temporalio/cli\s+${VERSION}\s"; then
  echo "temporal CLI ${VERSION} already in bin/"
  exit 0
fi

echo "Building the Temporal CLI ${VERSION} from the Go module proxy (a few minutes the first time)..."
mkdir -p "$root/bin"
GOBIN="$root/bin" go install "github.com/temporalio/cli/cmd/temporal@${VERSION}"
"$bin" --version
