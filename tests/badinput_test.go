package tests

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/plexsync/plexsync/internal/testenv"

	"github.com/plexsync/plexsync/internal/scene"
	"github.com/plexsync/plexsync/internal/sim"
	"github.com/plexsync/plexsync/internal/syncflow"
)

func TestHostileSceneDataIsSanitised(t *testing.T) {
	e := testenv.New(t, srv, 1)
	e.Fx.Stash.Update(1, func(s *sim.StashScene) {
		s.Title = "\u202eevil\x00 title\x1b[31m 🎬"
		s.Details = strings.Repeat("long text ", 10_000) // 100 KB
		s.Tags = []string{"Tag", "tag", " TAG ", "\u05e9\u05dc\u05d5\u05dd", "x\ny"}
		s.Files = append(s.Files, sim.StashRoot+"/second-file.mp4")
	})
	res, err := e.Sync(t, 1)
	if err != nil || res.Outcome != syncflow.OutcomeSynced {
		t.Fatalf("%+v, %v", res, err)
	}
	e.AssertInStep(t, 1)
	it, _ := e.Fx.Plex.Item(e.Fx.RatingKey(1))
	for _, v := range append([]string{it.Title, it.Summary}, it.Tags["genre"]...) {
		for _, r := range v {
			if unicode.IsControl(r) && r != '\n' {
				t.Errorf("control character %U reached Plex in %q", r, v)
			}
		}
	}
	// Capped, then trimmed: the cut may leave a trailing space to drop.
	if n := utf8.RuneCountInString(it.Summary); n > scene.MaxSummaryLen || n < scene.MaxSummaryLen-1 {
		t.Errorf("summary of %d runes, want the cap %d", n, scene.MaxSummaryLen)
	}
	if len(it.Tags["genre"]) != 3 {
		t.Errorf("genres %q: duplicates differing only in case must merge", it.Tags["genre"])
	}
}
