package tests

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/plexsync/plexsync/internal/testenv"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/worker"

	"github.com/plexsync/plexsync/internal/config"
	"github.com/plexsync/plexsync/internal/sim"
	"github.com/plexsync/plexsync/internal/syncflow"
)

// TestRecordAndReplayHistories runs each workflow through its main paths on
// the real server, saves the histories in the format of `temporal workflow
// show --output json`, and replays them. With PLEXSYNC_RECORD_HISTORIES set
// to a directory (internal/syncflow/testdata/histories), it also refreshes
// the recordings that internal/syncflow replays on every test run.
func TestRecordAndReplayHistories(t *testing.T) {
	e := testenv.New(t, srv, 5, testenv.Config(func(c *config.Config) { c.Plex.Timeout = config.Duration(20 * time.Second) }))
	ctx := context.Background()

	// A sync that retries after a 503, and a sync with a second pass.
	e.Fx.Plex.AddFault(sim.Fault{Path: "/library/metadata/", Status: 503, Times: 1})
	if _, err := e.Sync(t, 1); err != nil {
		t.Fatal(err)
	}
	e.Fx.Plex.AddFault(sim.Fault{Path: "/library/metadata/", Latency: 2 * time.Second, Times: 1})
	if _, err := syncflow.StartSync(ctx, e.C, e.Cfg.Temporal.TaskQueue, "2", "test"); err != nil {
		t.Fatal(err)
	}
	if err := e.Fx.Stash.WaitFor(ctx, func() bool { return e.Fx.Stash.Count("POST", "/graphql") >= 2 }); err != nil {
		t.Fatal(err)
	}
	if _, err := syncflow.StartSync(ctx, e.C, e.Cfg.Temporal.TaskQueue, "2", "test"); err != nil {
		t.Fatal(err)
	}
	if res := e.Result(t, 2); res.Passes != 2 {
		t.Fatalf("scene 2: %d passes, want 2", res.Passes)
	}
	// A failed sync.
	e.Fx.Stash.Update(3, func(s *sim.StashScene) { s.Date = "2021-02-30" })
	if _, err := e.Sync(t, 3); err == nil {
		t.Fatal("invalid scene synced")
	}
	// A reconciliation that continues as new.
	p := e.Reconcile(t, syncflow.ReconcileInput{Scope: syncflow.ScopeAll, PageSize: 2, PagesPerRun: 2, Concurrency: 2}, 5*time.Minute)
	if p.Runs < 2 {
		t.Fatalf("reconciliation ran %d times, want continue-as-new", p.Runs)
	}

	dir := t.TempDir()
	files := map[string][2]string{ // file -> workflow ID, which run
		"scene-sync-retried.json":    {"scene-sync/1", "first"},
		"scene-sync-two-passes.json": {"scene-sync/2", "first"},
		"scene-sync-failed.json":     {"scene-sync/3", "first"},
		"scene-sync-reconciled.json": {"scene-sync/4", "first"}, // started with the reconciliation's match
		"reconcile-continued.json":   {"reconcile", "first"},
		"reconcile-last-run.json":    {"reconcile", "last"},
	}
	for name, w := range files {
		h := history(t, e, w[0], w[1])
		b, err := temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range []string{dir, os.Getenv("PLEXSYNC_RECORD_HISTORIES")} {
			if d != "" {
				if err := os.WriteFile(filepath.Join(d, name), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		r := worker.NewWorkflowReplayer()
		syncflow.RegisterWorkflows(r, &syncflow.Workflows{Tuning: syncflow.TuningFrom(config.Default().Retry)})
		if err := r.ReplayWorkflowHistoryFromJSONFile(nil, filepath.Join(dir, name)); err != nil {
			t.Errorf("%s does not replay: %v", name, err)
		}
	}
}

// history returns the events of a workflow's first or last run.
func history(t *testing.T, e *testenv.Env, id, which string) *historypb.History {
	t.Helper()
	ctx := context.Background()
	resp, err := e.C.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
		Query: fmt.Sprintf("WorkflowId = '%s'", id)})
	if err != nil || len(resp.GetExecutions()) == 0 {
		t.Fatalf("runs of %s: %v", id, err)
	}
	runs := resp.GetExecutions() // newest first
	run := runs[0]
	if which == "first" {
		run = runs[len(runs)-1]
	}
	h := &historypb.History{}
	it := e.C.GetWorkflowHistory(ctx, id, run.GetExecution().GetRunId(), false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		h.Events = append(h.Events, ev)
	}
	return h
}
