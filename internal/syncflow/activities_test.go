package syncflow

import (
	"maps"
	"slices"
	"strconv"
	"testing"

	"go.temporal.io/sdk/testsuite"

	"github.com/plexsync/plexsync/internal/sim"
	"github.com/plexsync/plexsync/internal/stash"
)

// CheckScenes reports every scene whose item differs, with the item it
// matched, also when two scenes' files are the same Plex item.
func TestCheckScenes(t *testing.T) {
	fx, acts := newFixture(t, 4)
	if _, _, err := run(t, acts, "1", nil); err != nil {
		t.Fatal(err)
	}
	one, _ := fx.Stash.Scene(1)
	fx.Stash.Update(3, func(s *sim.StashScene) { r := 150; s.Rating100 = &r }) // invalid
	fx.Stash.Update(4, func(s *sim.StashScene) { s.Files = one.Files })        // scene 1's item

	var s testsuite.WorkflowTestSuite
	env := s.NewTestActivityEnvironment()
	env.RegisterActivity(acts)
	v, err := env.ExecuteActivity(acts.CheckScenes, stash.ScenesQuery{Page: 1, PerPage: 10, NewestFirst: true})
	if err != nil {
		t.Fatal(err)
	}
	var res CheckResult
	if err := v.Get(&res); err != nil {
		t.Fatal(err)
	}
	differ := slices.Sorted(slices.Values(res.Differ))
	if res.Total != 4 || res.Count != 4 || !slices.Equal(differ, []string{"2", "3", "4"}) {
		t.Errorf("total %d count %d differ %v; want 4, 4 and scenes 2, 3, 4", res.Total, res.Count, differ)
	}
	want := map[string]PlexMatch{
		"2": {RatingKey: strconv.Itoa(fx.RatingKey(2)), Strategy: "path"},
		"4": {RatingKey: strconv.Itoa(fx.RatingKey(1)), Strategy: "path"},
	}
	if !maps.Equal(res.Matched, want) {
		t.Errorf("matched %v, want %v (no match for the invalid scene 3)", res.Matched, want)
	}
}
