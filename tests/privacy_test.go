package tests

import (
	"bytes"
	"testing"

	"github.com/plexsync/plexsync/internal/testenv"

	"github.com/plexsync/plexsync/internal/sim"
)

// sensitive is what a history must not show in the clear: a title, a
// performer, a file path (as Stash and as Plex see it) and a tag.
func sensitive(id int) []string {
	sc := sim.SeedScene(id)
	return []string{sc.Title, sc.Performers[0], sc.Files[0], sim.PlexRoot, sc.Tags[0]}
}

func TestEncryptedHistoriesHoldNoSceneData(t *testing.T) {
	plain := testenv.New(t, srv, 1)
	enc := testenv.New(t, srv, 3, testenv.Encrypted)
	for _, e := range []*testenv.Env{plain, enc} {
		if _, err := e.Sync(t, 1); err != nil {
			t.Fatal(err)
		}
	}
	// A failure whose message names files: several Plex items fit.
	enc.Fx.Stash.Update(2, func(s *sim.StashScene) { s.Files = []string{"/elsewhere/Scene 2 Secret.mp4"} })
	enc.Fx.Plex.AddItem(sim.SectionKey, "/media/a/Scene 2 Secret.mp4")
	enc.Fx.Plex.AddItem(sim.SectionKey, "/media/b/Scene 2 Secret.mp4")
	if _, err := enc.Sync(t, 2); err == nil {
		t.Fatal("ambiguous scene synced")
	}
	// The testenv.Encrypted env's own client decrypts: the result is readable.
	res, err := enc.Sync(t, 1)
	if err != nil || res.RatingKey == "" {
		t.Fatalf("decrypting client: %+v, %v", res, err)
	}

	clear := testenv.RawHistories(t, srv.Address, plain.Cfg.Temporal.Namespace)
	if !bytes.Contains(clear, []byte(sim.SeedScene(1).Title)) {
		t.Fatal("without encryption the history should show the title; the check below could not fail")
	}
	stored := testenv.RawHistories(t, srv.Address, enc.Cfg.Temporal.Namespace)
	for _, s := range append(sensitive(1), "Scene 2 Secret") {
		if bytes.Contains(stored, []byte(s)) {
			t.Errorf("testenv.Encrypted history shows %q in the clear", s)
		}
	}
	r := enc.CLI(t, "", nil, "failed")
	if r.Code != 0 || !bytes.Contains([]byte(r.Stdout), []byte("Scene 2 Secret")) {
		t.Errorf("`plexsync failed` must decrypt the failure message: %q %q", r.Stdout, r.Stderr)
	}
}
