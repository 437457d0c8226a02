package tests

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"

	"github.com/plexsync/plexsync/internal/sim"
	"github.com/plexsync/plexsync/internal/syncflow"
)

// reconcile runs a reconciliation to its end.
func (e *env) reconcile(t *testing.T, in syncflow.ReconcileInput) syncflow.Progress {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	run, err := syncflow.StartReconcile(ctx, e.c, e.cfg.Temporal.TaskQueue, syncflow.ReconcileID, in)
	if err != nil {
		t.Fatal(err)
	}
	var p syncflow.Progress
	if err := e.c.GetWorkflow(ctx, run.GetID(), "").Get(ctx, &p); err != nil {
		t.Fatalf("reconcile: %v", err)
	}
	return p
}

// writtenItems returns the ratingKeys of the Plex items that received a write.
func writtenItems(p *sim.Plex) map[string]bool {
	out := map[string]bool{}
	for _, r := range p.Requests() {
		switch {
		case r.Method == "GET":
		case r.Path == "/:/rate":
			out[r.Query.Get("key")] = true
		case strings.HasPrefix(r.Path, "/library/sections/"):
			out[r.Query.Get("id")] = true
		default: // /library/metadata/{rk}/poster(s)
			out[strings.Split(r.Path, "/")[3]] = true
		}
	}
	return out
}

func TestReconcileSyncsExactlyWhatDiffers(t *testing.T) {
	const scenes = 200
	e := newEnv(t, scenes)
	in := syncflow.ReconcileInput{Scope: syncflow.ScopeAll, PageSize: 20, PagesPerRun: 3, Concurrency: 8}

	first := e.reconcile(t, in)
	if first.Seen != scenes || first.Changed != scenes || first.Synced != scenes || !first.Done {
		t.Fatalf("first reconciliation: %+v; want all %d synced", first, scenes)
	}

	want := map[string]bool{}
	for id := 3; id <= scenes; id += 4 { // 50 scenes, spread over every page
		e.fx.Stash.Update(id, func(s *sim.StashScene) { s.Details += " (edited)" })
		want[fmt.Sprint(e.fx.RatingKey(id))] = true
	}
	e.fx.Plex.ResetLog()
	p := e.reconcile(t, in)
	if p.Total != scenes || p.Seen != scenes || p.Changed != 50 || p.Synced != 50 || p.Remaining != 0 {
		t.Errorf("second reconciliation: %+v; want 200 seen, 50 changed and synced", p)
	}
	if sum := p.Synced + p.Unchanged + p.Skipped + p.Failed + p.InProgress; sum != p.Changed {
		t.Errorf("outcomes add up to %d, want changed = %d", sum, p.Changed)
	}
	if p.Runs < 3 {
		t.Errorf("%d runs: continue-as-new was not exercised (10 pages, 3 per run)", p.Runs)
	}
	got := writtenItems(e.fx.Plex)
	if !maps.Equal(got, want) {
		t.Errorf("writes went to %d items, want exactly the 50 edited ones; extra/missing: %v",
			len(got), symmetricDiff(got, want))
	}
	for id := 3; id <= scenes; id += 40 {
		e.assertInStep(t, id)
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
	e := newEnv(t, 30)
	p := e.reconcile(t, syncflow.ReconcileInput{Scope: syncflow.ScopeIDs, IDs: []string{"4", "5", "404"}, PageSize: 10})
	if p.Total != 2 || p.Synced != 2 {
		t.Errorf("ids scope: %+v; want the 2 existing scenes", p)
	}
	// Every scene was seeded just now, so the last hour covers them all.
	p = e.reconcile(t, syncflow.ReconcileInput{Scope: syncflow.ScopeRecent, Window: time.Hour, PageSize: 10})
	if p.Total != 30 || p.Synced != 28 {
		t.Errorf("recent scope: %+v; want 30 seen, the 28 not yet synced synced", p)
	}
}

func TestReconcileCountsRunningSyncsAsInProgress(t *testing.T) {
	e := newEnv(t, 3)
	// Scene 2 is not in Plex yet: its hook-started sync keeps retrying.
	e.fx.Stash.Update(2, func(s *sim.StashScene) { s.Files = []string{sim.StashRoot + "/not-scanned.mp4"} })
	if _, err := syncflow.StartSync(context.Background(), e.c, e.cfg.Temporal.TaskQueue, "2", "hook"); err != nil {
		t.Fatal(err)
	}
	p := e.reconcile(t, syncflow.ReconcileInput{Scope: syncflow.ScopeAll, PageSize: 10})
	if p.InProgress != 1 || p.Synced != 2 || p.Failed != 0 {
		t.Errorf("%+v; want scene 2 in progress, the other 2 synced, no failure", p)
	}
}

func TestReconcileCLIAndSchedule(t *testing.T) {
	e := newEnv(t, 5)
	r := e.cli(t, "", nil, "reconcile", "--all", "--wait")
	if r.code != 0 || !strings.Contains(r.stdout, "differed from Plex") || !strings.Contains(r.stdout, "synced") {
		t.Fatalf("reconcile --wait: code %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if r := e.cli(t, "", nil, "reconcile", "--all", "--since", "1h"); r.code == 0 {
		t.Error("two scopes at once were accepted")
	}

	// One at a time; --attach follows the running one to its end.
	e.fx.Plex.AddFault(sim.Fault{Path: "/library/sections/", Latency: 3 * time.Second, Times: 1})
	if r := e.cli(t, "", nil, "reconcile", "--all"); r.code != 0 {
		t.Fatalf("reconcile: %d %q", r.code, r.stderr)
	}
	if r := e.cli(t, "", nil, "reconcile", "--since", "1h"); r.code == 0 || !strings.Contains(r.stderr, "already running") {
		t.Errorf("second reconcile: %d %q", r.code, r.stderr)
	}
	if r := e.cli(t, "", nil, "reconcile", "--attach"); r.code != 0 || !strings.Contains(r.stdout, "scenes checked") {
		t.Errorf("attach: %d %q %q", r.code, r.stdout, r.stderr)
	}

	r = e.cli(t, "", nil, "schedule", "set", "--every", "1s", "--scope", "all")
	if r.code != 0 || !strings.Contains(r.stdout, "set: every 1s") {
		t.Fatalf("schedule set: %d %q %q", r.code, r.stdout, r.stderr)
	}
	eventually(t, 60*time.Second, func() bool {
		resp, err := e.c.CountWorkflow(context.Background(), &workflowservice.CountWorkflowExecutionsRequest{
			Query: "WorkflowType='Reconcile' AND WorkflowId STARTS_WITH 'reconcile-scheduled'"})
		return err == nil && resp.GetCount() > 0
	}, "the schedule started a reconciliation")
	if r := e.cli(t, "", nil, "schedule", "show"); r.code != 0 || !strings.Contains(r.stdout, "Every:    1s") {
		t.Errorf("schedule show: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r := e.cli(t, "", nil, "status"); r.code != 0 || !strings.Contains(r.stdout, "Schedule") || !strings.Contains(r.stdout, "active") {
		t.Errorf("status: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r := e.cli(t, "", nil, "schedule", "delete"); r.code != 0 {
		t.Errorf("schedule delete: %d %q", r.code, r.stderr)
	}
	if r := e.cli(t, "", nil, "schedule", "show"); r.code == 0 || !strings.Contains(r.stderr, "no schedule") {
		t.Errorf("show after delete: %d %q", r.code, r.stderr)
	}
}

func TestFailedThenRetry(t *testing.T) {
	e := newEnv(t, 2)
	e.fx.Plex.AddFault(sim.Fault{Status: 401})
	for _, id := range []int{1, 2} {
		if _, err := e.sync(t, id); err == nil {
			t.Fatal("sync with a bad token succeeded")
		}
	}
	eventually(t, 15*time.Second, func() bool {
		r := e.cli(t, "", nil, "failed")
		return r.code == 0 && strings.Contains(r.stdout, "AuthFailed") && strings.Contains(r.stdout, "Plex refused the token")
	}, "`plexsync failed` lists scene 1 with its cause")

	e.fx.Plex.ClearFaults()
	r := e.cli(t, "", nil, "retry", "--scene", "1", "--wait")
	if r.code != 0 || !strings.Contains(r.stdout, "synced") {
		t.Fatalf("retry: %d %q %q", r.code, r.stdout, r.stderr)
	}
	e.assertInStep(t, 1)
	if r := e.cli(t, "", nil, "retry", "--scene", "1"); r.code != 0 || !strings.Contains(r.stdout, "not retried") {
		t.Errorf("retry of a synced scene: %q", r.stdout)
	}
	r = e.cli(t, "", nil, "retry", "--all-failed", "--wait")
	if r.code != 0 || strings.Count(r.stdout, "retry started") != 1 || !strings.Contains(r.stdout, "scene 2: retry started") {
		t.Errorf("retry --all-failed must retry scene 2 only: %q %q", r.stdout, r.stderr)
	}
	e.assertInStep(t, 2)
	if r := e.cli(t, "", nil, "failed"); !strings.Contains(r.stdout, "No failed syncs") {
		t.Errorf("failed after the retries: %q", r.stdout)
	}
}
