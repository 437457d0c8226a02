package tests

import (
	"bytes"
	"strings"
	"testing"

	"github.com/plexsync/plexsync/internal/testenv"
)

// TestZZNoCredentialAnywhere runs last (Go runs a package's tests in file
// and source order, and this file sorts last): it reads back every history
// of every namespace the suite used, and every log line of its workers and
// clients, and looks for the Stash API key and the Plex token. CLI output is
// checked on each run (env.cli).
func TestZZNoCredentialAnywhere(t *testing.T) {
	used := int(srv.Used())
	if used == 0 {
		t.Fatal("no test environment ran before this test")
	}
	var histories int
	for n := range used {
		h := testenv.RawHistories(t, srv.Address, testenv.NamespaceName(n))
		histories += len(h)
		for _, secret := range []string{testenv.APIKey, testenv.PlexToken} {
			if bytes.Contains(h, []byte(secret)) {
				t.Errorf("namespace e2e-%02d: a history holds a credential", n)
			}
		}
	}
	logs := testenv.Logs()
	for _, secret := range []string{testenv.APIKey, testenv.PlexToken} {
		if strings.Contains(logs, secret) {
			t.Errorf("a log line holds a credential")
		}
	}
	if histories == 0 || len(logs) == 0 {
		t.Errorf("nothing was checked: %d bytes of history, %d of logs", histories, len(logs))
	}
	t.Logf("checked %d namespaces: %d bytes of history, %d bytes of logs", used, histories, len(logs))
}
