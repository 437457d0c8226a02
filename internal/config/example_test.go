package config

import "testing"

// The shipped example must load (with a token from the environment).
func TestExampleConfigLoads(t *testing.T) {
	_, err := Load("../../plexsync.example.yaml", env(map[string]string{"PLEXSYNC_PLEX_TOKEN": "x"}), true)
	if err != nil {
		t.Fatal(err)
	}
}
