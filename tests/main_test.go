// Package tests holds end-to-end tests: a real Temporal dev server (the
// pinned CLI in bin/), real workers, and the simulated Stash and Plex.
package tests

import (
	"os"
	"testing"

	"github.com/plexsync/plexsync/internal/testenv"
)

// srv is the dev server every test of the package shares; each test works
// in a namespace of its own.
var srv *testenv.Server

func TestMain(m *testing.M) {
	os.Exit(testenv.Main(m, &srv))
}
