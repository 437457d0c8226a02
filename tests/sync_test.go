package tests

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/plexsync/plexsync/internal/testenv"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/temporal"

	"github.com/plexsync/plexsync/internal/sim"
	"github.com/plexsync/plexsync/internal/syncflow"
)

func TestSceneSyncsThenIsUnchanged(t *testing.T) {
	e := testenv.New(t, srv, 3)
	res, err := e.Sync(t, 2)
	if err != nil || res.Outcome != syncflow.OutcomeSynced || res.RatingKey != fmt.Sprint(e.Fx.RatingKey(2)) {
		t.Fatalf("first sync: %+v, %v", res, err)
	}
	e.AssertInStep(t, 2)
	if w := testenv.Writes(e.Fx.Plex); w != 3 {
		t.Errorf("first sync sent %d writes, want 3 (poster, one metadata PUT, rating)", w)
	}

	e.Fx.Plex.ResetLog()
	res, err = e.Sync(t, 2)
	if err != nil || res.Outcome != syncflow.OutcomeUnchanged {
		t.Fatalf("second sync: %+v, %v", res, err)
	}
	if w := testenv.Writes(e.Fx.Plex); w != 0 {
		t.Errorf("unchanged sync sent %d writes: %+v", w, e.Fx.Plex.Requests())
	}
	e.AssertInStep(t, 2)
}

func TestOutcomeIsSearchable(t *testing.T) {
	e := testenv.New(t, srv, 1)
	if _, err := e.Sync(t, 1); err != nil {
		t.Fatal(err)
	}
	q := fmt.Sprintf("WorkflowType='SceneSync' AND StashSceneId='1' AND PlexSyncOutcome='synced' AND PlexRatingKey='%d'", e.Fx.RatingKey(1))
	testenv.Eventually(t, 15*time.Second, func() bool {
		n, err := e.C.CountWorkflow(context.Background(), &workflowservice.CountWorkflowExecutionsRequest{Query: q})
		return err == nil && n.Count == 1
	}, "query %q finds the sync", q)
}

func TestPlexUnavailableThreeTimes(t *testing.T) {
	e := testenv.New(t, srv, 1)
	e.Fx.Plex.AddFault(sim.Fault{Path: "/library/metadata/", Status: 503, Times: 3})
	res, err := e.Sync(t, 1)
	if err != nil || res.Outcome != syncflow.OutcomeSynced {
		t.Fatalf("%+v, %v", res, err)
	}
	var statuses []int
	for _, r := range e.Fx.Plex.Requests() {
		if r.Path == fmt.Sprintf("/library/metadata/%d", e.Fx.RatingKey(1)) {
			statuses = append(statuses, r.Status)
		}
	}
	if fmt.Sprint(statuses) != "[503 503 503 200]" {
		t.Errorf("item reads answered %v, want three 503s then 200", statuses)
	}
	e.AssertInStep(t, 1)
}

func TestRetryAfterIsWaited(t *testing.T) {
	e := testenv.New(t, srv, 1)
	e.Fx.Plex.AddFault(sim.Fault{Path: "/library/metadata/", Status: 429, RetryAfter: "2", Times: 1})
	res, err := e.Sync(t, 1)
	if err != nil || res.Outcome != syncflow.OutcomeSynced {
		t.Fatalf("%+v, %v", res, err)
	}
	var limited, next time.Time
	for _, r := range e.Fx.Plex.Requests() {
		switch {
		case r.Status == 429:
			limited = r.At
		case !limited.IsZero() && next.IsZero():
			next = r.At
		}
	}
	if wait := next.Sub(limited); limited.IsZero() || wait < 2*time.Second {
		t.Errorf("next request %v after the 429, want at least 2s", wait)
	} else {
		t.Logf("waited %v after Retry-After: 2", wait.Round(time.Millisecond))
	}
}

func TestPlexAuthFailsAtOnce(t *testing.T) {
	e := testenv.New(t, srv, 1)
	e.Fx.Plex.AddFault(sim.Fault{Status: 401})
	_, err := e.Sync(t, 1)
	var ae *temporal.ApplicationError
	if !errors.As(err, &ae) || ae.Type() != syncflow.ErrAuth || !ae.NonRetryable() || !strings.Contains(ae.Error(), "Plex refused the token") {
		t.Fatalf("got %v; want a non-retryable AuthFailed naming Plex's token", err)
	}
	if n := len(e.Fx.Plex.Requests()); n != 1 {
		t.Errorf("%d requests reached Plex, want 1 (no retry)", n)
	}
	if strings.Contains(err.Error(), testenv.PlexToken) {
		t.Error("the token is in the error")
	}
}

func TestSceneAppearsInPlexLater(t *testing.T) {
	e := testenv.New(t, srv, 0)
	sc := sim.SeedScene(5)
	e.Fx.AddScene(sc, false)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	run, err := syncflow.StartSync(ctx, e.C, e.Cfg.Temporal.TaskQueue, "5", "test")
	if err != nil {
		t.Fatal(err)
	}
	// Let Plex be asked (and miss) twice, then "finish the scan".
	lookups := func() int { return e.Fx.Plex.Count("GET", fmt.Sprintf("/library/sections/%d/all", sim.SectionKey)) }
	if err := e.Fx.Plex.WaitFor(ctx, func() bool { return lookups() >= 4 }); err != nil { // path and basename, twice
		t.Fatal("the sync did not look for the item twice within 90s")
	}
	e.Fx.ScanIntoPlex(5)
	var res syncflow.SceneSyncResult
	if err := run.Get(ctx, &res); err != nil || res.Outcome != syncflow.OutcomeSynced {
		t.Fatalf("%+v, %v", res, err)
	}
	e.AssertInStep(t, 5)
}

func TestInvalidSceneFailsNamingTheField(t *testing.T) {
	e := testenv.New(t, srv, 1)
	e.Fx.Stash.Update(1, func(s *sim.StashScene) { r := 0; s.Rating100 = &r })
	_, err := e.Sync(t, 1)
	var ae *temporal.ApplicationError
	if !errors.As(err, &ae) || ae.Type() != syncflow.ErrInvalidScene || !strings.Contains(ae.Error(), `"rating100"`) {
		t.Fatalf("got %v; want InvalidScene naming rating100", err)
	}
	if w := testenv.Writes(e.Fx.Plex); w != 0 {
		t.Errorf("an invalid scene caused %d writes", w)
	}
}

func TestStalePlexTagsAreRemoved(t *testing.T) {
	e := testenv.New(t, srv, 1)
	e.Fx.Plex.SetItem(e.Fx.RatingKey(1), func(it *sim.PlexItem) {
		it.Tags["genre"] = []string{"Stale", "Also Stale"}
		it.Tags["actor"] = []string{"Somebody Else"}
		it.Tags["collection"] = []string{"Old Collection"}
	})
	if _, err := e.Sync(t, 1); err != nil {
		t.Fatal(err)
	}
	e.AssertInStep(t, 1)
}

func TestEditInStashReachesPlex(t *testing.T) {
	e := testenv.New(t, srv, 1)
	if _, err := e.Sync(t, 1); err != nil {
		t.Fatal(err)
	}
	e.Fx.Stash.Update(1, func(s *sim.StashScene) {
		s.Title, s.Tags, s.Rating100, s.ImageVersion = "Renamed", []string{"Only Tag"}, nil, 2
	})
	e.Fx.Plex.ResetLog()
	res, err := e.Sync(t, 1)
	if err != nil || res.Outcome != syncflow.OutcomeSynced || strings.Join(res.Changed, ",") != "genre,poster,title,userRating" {
		t.Fatalf("%+v, %v", res, err)
	}
	e.AssertInStep(t, 1)
}
