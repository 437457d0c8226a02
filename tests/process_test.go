package tests

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/plexsync/plexsync/internal/testenv"

	"github.com/plexsync/plexsync/internal/devserver"
	"github.com/plexsync/plexsync/internal/sim"
)

func TestDevRunsServerAndWorkerAndStopsOnCtrlC(t *testing.T) {
	e := testenv.New(t, srv, 1)
	port, err := devserver.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	ui, err := devserver.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("PLEXSYNC_TEMPORAL_ADDRESS=127.0.0.1:%d", port)
	dev := e.Start(t, []string{addr}, "dev", "--data-dir", t.TempDir(), "--ui-port", fmt.Sprint(ui))
	dev.WaitLine(t, "Worker started", 90*time.Second)

	r := e.CLI(t, "", []string{addr}, "sync", "--scene", "1", "--wait")
	if r.Code != 0 || !strings.Contains(r.Stdout, "synced") {
		t.Fatalf("sync through `plexsync dev`: %d %q %q", r.Code, r.Stdout, r.Stderr)
	}
	e.AssertInStep(t, 1)
	dev.Stop(t, 30*time.Second)
}

func TestReconcileCtrlCDetaches(t *testing.T) {
	e := testenv.New(t, srv, 4)
	e.Fx.Plex.AddFault(sim.Fault{Path: "/library/sections/", Latency: 3 * time.Second, Times: 1})
	p := e.Start(t, nil, "reconcile", "--all", "--wait")
	p.WaitLine(t, "is running in Temporal", 60*time.Second)
	p.Stop(t, 10*time.Second)
	if !strings.Contains(p.Output(), "Detached") {
		t.Errorf("no word of detaching:\n%s", p.Output())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var prog struct{ Synced int }
	if err := e.C.GetWorkflow(ctx, "reconcile", "").Get(ctx, &prog); err != nil || prog.Synced != 4 {
		t.Errorf("the reconciliation after detaching: %+v, %v; want it to finish on its own", prog, err)
	}
}
