package config

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func write(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadFileEnvAndSecretFile(t *testing.T) {
	tokenFile := write(t, "token", "  file-token-123\n")
	cfg := write(t, "c.yaml", `
stash:
  url: http://stash:9999
  api_key: from-file
plex:
  url: http://plex:32400
  token_file: `+tokenFile+`
  sections: [Movies, Clips]
  timeout: 5s
path_mappings:
  - {from: /data, to: /media}
fields:
  rating: false
collection_sources: [studio, groups]
retry:
  not_in_plex_initial: 1s
  not_in_plex_max: 2s
`)
	c, err := Load(cfg, env(map[string]string{"PLEXSYNC_STASH_API_KEY": "from-env", "PLEXSYNC_TASK_QUEUE": "q2"}), true)
	if err != nil {
		t.Fatal(err)
	}
	if c.Stash.APIKey.Reveal() != "from-env" || c.Plex.Token.Reveal() != "file-token-123" || c.Temporal.TaskQueue != "q2" {
		t.Errorf("overrides: key %q token %q queue %q", c.Stash.APIKey.Reveal(), c.Plex.Token.Reveal(), c.Temporal.TaskQueue)
	}
	if c.Plex.Timeout.D() != 5*time.Second || len(c.Plex.Sections) != 2 || c.PathMappings[0].To != "/media" {
		t.Errorf("file values: %+v", c.Plex)
	}
	if c.Fields.Rating || !c.Fields.Title {
		t.Errorf("field toggles: %+v (rating off, the rest on by default)", c.Fields)
	}
	if c.Retry.NotInPlexMax.D() != 2*time.Second || c.Retry.TransientMax.D() != 5*time.Minute {
		t.Errorf("retry: %+v", c.Retry)
	}
}

func TestValidationNamesTheKey(t *testing.T) {
	cases := []struct{ yaml, key string }{
		{"plex: {url: 'not a url', token: t}", "plex.url"},
		{"plex: {token: ''}", "plex.token"},
		{"plex: {token: t, sections: []}", "plex.sections"},
		{"stash: {url: 'ftp://x'}\nplex: {token: t}", "stash.url"},
		{"stash: {url: 'http://u:pw@x'}\nplex: {token: t}", "stash.url"},
		{"plex: {token: t, url: 'http://x?X-Plex-Token=abc'}", "plex.url"},
		{"plex: {token: t}\nretry: {transient_initial: 10m, transient_max: 1m}", "retry.transient_max"},
		{"plex: {token: t}\npath_mappings: [{from: /a}]", "path_mappings[0]"},
		{"plex: {token: t}\ncollection_sources: [tags]", "collection_sources"},
		{"plex: {token: t}\nlog: {format: xml}", "log.format"},
		{"plex: {token: t, timeout: soon}", "not a duration"},
		{"plex: {token: t}\nstahs: {url: x}", "stahs"},
	}
	for _, c := range cases {
		_, err := Load(write(t, "c.yaml", c.yaml), env(nil), true)
		if err == nil || !strings.Contains(err.Error(), c.key) {
			t.Errorf("%q: error %v does not name %q", c.yaml, err, c.key)
		}
		if err != nil && (strings.Contains(err.Error(), "pw") || strings.Contains(err.Error(), "abc")) {
			t.Errorf("%q: error leaks a secret: %v", c.yaml, err)
		}
	}
}

func TestHookNeedsNoPlexToken(t *testing.T) {
	if _, err := Load("", env(nil), false); err != nil {
		t.Errorf("without Plex: %v", err)
	}
	if _, err := Load("", env(nil), true); err == nil {
		t.Error("with Plex and no token: want an error")
	}
	if _, err := Load("/nonexistent/plexsync.yaml", env(nil), false); err == nil {
		t.Error("missing file: want an error")
	}
}

func TestSecretNeverPrints(t *testing.T) {
	c := Default()
	c.Plex.Token = "sup3r-s3cret"
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("config", "cfg", c, "token", c.Plex.Token)
	out := buf.String() + fmt.Sprintf("%v %+v %#v %s", c, c, c, c.Plex.Token)
	if strings.Contains(out, "sup3r-s3cret") {
		t.Errorf("secret printed: %s", out)
	}
}
