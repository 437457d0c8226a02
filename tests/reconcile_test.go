package tests

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/plexsync/plexsync/internal/testenv"

	"go.temporal.io/api/workflowservice/v1"

	"github.com/plexsync/plexsync/internal/sim"
	"github.com/plexsync/plexsync/internal/syncflow"
)

func TestReconcileSyncsExactlyWhatDiffers(t *testing.T) {
	const scenes = 200
	e := testenv.New(t, srv, scenes)
	in := syncflow.ReconcileInput{Scope: syncflow.ScopeAll, PageSize: 20, PagesPerRun: 3, Concurrency: 8}

	first := e.Reconcile(t, in, 5*time.Minute)
	if first.Seen != scenes || first.Changed != scenes || first.Synced != scenes || !first.Done {
		t.Fatalf("first reconciliation: %+v; want all %d synced", first, scenes)
	}

	want := map[string]bool{}
	for id := 3; id <= scenes; id += 4 { // 50 scenes, spread over every page
		e.Fx.Stash.Update(id, func(s *sim.StashScene) { s.Details += " (edited)" })
		want[fmt.Sprint(e.Fx.RatingKey(id))] = true
	}
	e.Fx.Plex.ResetLog()
	p := e.Reconcile(t, in, 5*time.Minute)
	if p.Total != scenes || p.Seen != scenes || p.Changed != 50 || p.Synced != 50 || p.Remaining != 0 {
		t.Errorf("second reconciliation: %+v; want 200 seen, 50 changed and synced", p)
	}
	if sum := p.Synced + p.Unchanged + p.Skipped + p.Failed + p.InProgress; sum != p.Changed {
		t.Errorf("outcomes add up to %d, want changed = %d", sum, p.Changed)
	}
	if p.Runs < 3 {
		t.Errorf("%d runs: continue-as-new was not exercised (10 pages, 3 per run)", p.Runs)
	}
	got := testenv.WrittenItems(e.Fx.Plex)
	if !maps.Equal(got, want) {
		t.Errorf("writes went to %d items, want exactly the 50 edited ones; extra/missing: %v",
			len(got), symmetricDiff(got, want))
	}
	if w := testenv.Writes(e.Fx.Plex); w != 50 {
		t.Errorf("%d writes, want 50: one metadata PUT per edited scene and no rating or poster (they did not change)", w)
	}
	for id := 3; id <= scenes; id += 40 {
		e.AssertInStep(t, id)
	}
}

func symmetricDiff(a, b map[string]bool) []string {
	var out []string
	for k := range a {
		if !b[k] {
			out = append(out, "+"+k)
		}
	}
	for k := range b {
		if !a[k] {
			out = append(out, "-"+k)
		}
	}
	slices.Sort(out)
	return out
}

func TestReconcileScopes(t *testing.T) {
	e := testenv.New(t, srv, 30)
	p := e.Reconcile(t, syncflow.ReconcileInput{Scope: syncflow.ScopeIDs, IDs: []string{"4", "5", "404"}, PageSize: 10}, 5*time.Minute)
	if p.Total != 2 || p.Synced != 2 {
		t.Errorf("ids scope: %+v; want the 2 existing scenes", p)
	}
	// Every scene was seeded just now, so the last hour covers them all.
	p = e.Reconcile(t, syncflow.ReconcileInput{Scope: syncflow.ScopeRecent, Window: time.Hour, PageSize: 10}, 5*time.Minute)
	if p.Total != 30 || p.Synced != 28 {
		t.Errorf("recent scope: %+v; want 30 seen, the 28 not yet synced synced", p)
	}
}

func TestReconcileCountsRunningSyncsAsInProgress(t *testing.T) {
	e := testenv.New(t, srv, 3)
	// Scene 2 is not in Plex yet: its hook-started sync keeps retrying.
	e.Fx.Stash.Update(2, func(s *sim.StashScene) { s.Files = []string{sim.StashRoot + "/not-scanned.mp4"} })
	if _, err := syncflow.StartSync(context.Background(), e.C, e.Cfg.Temporal.TaskQueue, "2", "hook"); err != nil {
		t.Fatal(err)
	}
	p := e.Reconcile(t, syncflow.ReconcileInput{Scope: syncflow.ScopeAll, PageSize: 10}, 5*time.Minute)
	if p.InProgress != 1 || p.Synced != 2 || p.Failed != 0 {
		t.Errorf("%+v; want scene 2 in progress, the other 2 synced, no failure", p)
	}
}

func TestReconcileCLIAndSchedule(t *testing.T) {
	e := testenv.New(t, srv, 5)
	r := e.CLI(t, "", nil, "reconcile", "--all", "--wait")
	if r.Code != 0 || !strings.Contains(r.Stdout, "differed from Plex") || !strings.Contains(r.Stdout, "synced") {
		t.Fatalf("reconcile --wait: code %d\n%s\n%s", r.Code, r.Stdout, r.Stderr)
	}
	if r := e.CLI(t, "", nil, "reconcile", "--all", "--since", "1h"); r.Code == 0 {
		t.Error("two scopes at once were accepted")
	}

	// One at a time; --attach follows the running one to its end.
	e.Fx.Plex.AddFault(sim.Fault{Path: "/library/sections/", Latency: 3 * time.Second, Times: 1})
	if r := e.CLI(t, "", nil, "reconcile", "--all"); r.Code != 0 {
		t.Fatalf("reconcile: %d %q", r.Code, r.Stderr)
	}
	if r := e.CLI(t, "", nil, "reconcile", "--since", "1h"); r.Code == 0 || !strings.Contains(r.Stderr, "already running") {
		t.Errorf("second reconcile: %d %q", r.Code, r.Stderr)
	}
	if r := e.CLI(t, "", nil, "reconcile", "--attach"); r.Code != 0 || !strings.Contains(r.Stdout, "scenes checked") {
		t.Errorf("attach: %d %q %q", r.Code, r.Stdout, r.Stderr)
	}

	r = e.CLI(t, "", nil, "schedule", "set", "--every", "1s", "--scope", "all")
	if r.Code != 0 || !strings.Contains(r.Stdout, "set: every 1s") {
		t.Fatalf("schedule set: %d %q %q", r.Code, r.Stdout, r.Stderr)
	}
	testenv.Eventually(t, 60*time.Second, func() bool {
		resp, err := e.C.CountWorkflow(context.Background(), &workflowservice.CountWorkflowExecutionsRequest{
			Query: "WorkflowType='Reconcile' AND WorkflowId STARTS_WITH 'reconcile-scheduled'"})
		return err == nil && resp.GetCount() > 0
	}, "the schedule started a reconciliation")
	if r := e.CLI(t, "", nil, "schedule", "show"); r.Code != 0 || !strings.Contains(r.Stdout, "Every:    1s") {
		t.Errorf("schedule show: %d %q %q", r.Code, r.Stdout, r.Stderr)
	}
	if r := e.CLI(t, "", nil, "status"); r.Code != 0 || !strings.Contains(r.Stdout, "Schedule") || !strings.Contains(r.Stdout, "active") {
		t.Errorf("status: %d %q %q", r.Code, r.Stdout, r.Stderr)
	}
	if r := e.CLI(t, "", nil, "schedule", "delete"); r.Code != 0 {
		t.Errorf("schedule delete: %d %q", r.Code, r.Stderr)
	}
	if r := e.CLI(t, "", nil, "schedule", "show"); r.Code == 0 || !strings.Contains(r.Stderr, "no schedule") {
		t.Errorf("show after delete: %d %q", r.Code, r.Stderr)
	}
}

func TestFailedThenRetry(t *testing.T) {
	e := testenv.New(t, srv, 2)
	e.Fx.Plex.AddFault(sim.Fault{Status: 401})
	for _, id := range []int{1, 2} {
		if _, err := e.Sync(t, id); err == nil {
			t.Fatal("sync with a bad token succeeded")
		}
	}
	testenv.Eventually(t, 15*time.Second, func() bool {
		r := e.CLI(t, "", nil, "failed")
		return r.Code == 0 && strings.Contains(r.Stdout, "AuthFailed") && strings.Contains(r.Stdout, "Plex refused the token")
	}, "`plexsync failed` lists scene 1 with its cause")

	e.Fx.Plex.ClearFaults()
	r := e.CLI(t, "", nil, "retry", "--scene", "1", "--wait")
	if r.Code != 0 || !strings.Contains(r.Stdout, "synced") {
		t.Fatalf("retry: %d %q %q", r.Code, r.Stdout, r.Stderr)
	}
	e.AssertInStep(t, 1)
	if r := e.CLI(t, "", nil, "retry", "--scene", "1"); r.Code != 0 || !strings.Contains(r.Stdout, "not retried") {
		t.Errorf("retry of a synced scene: %q", r.Stdout)
	}
	r = e.CLI(t, "", nil, "retry", "--all-failed", "--wait")
	if r.Code != 0 || strings.Count(r.Stdout, "retry started") != 1 || !strings.Contains(r.Stdout, "scene 2: retry started") {
		t.Errorf("retry --all-failed must retry scene 2 only: %q %q", r.Stdout, r.Stderr)
	}
	e.AssertInStep(t, 2)
	if r := e.CLI(t, "", nil, "failed"); !strings.Contains(r.Stdout, "No failed syncs") {
		t.Errorf("failed after the retries: %q", r.Stdout)
	}
}
