// Package bench measures PlexSync on the real dev server and the
// simulators: reconciliations of an unchanged and of a fully changed library,
// hook-to-applied latency, and the hook process's own wall time. It prints
// figures and asserts only correctness, never speed. `make test` runs it with
// tiny sizes (a smoke run); `make bench` with the sizes of the README table:
//
//	PLEXSYNC_BENCH_SCENES=1000,10000 PLEXSYNC_BENCH_HOOKS=200 PLEXSYNC_BENCH_LATENCY=3ms
package bench

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"

	"github.com/plexsync/plexsync/internal/config"
	"github.com/plexsync/plexsync/internal/sim"
	"github.com/plexsync/plexsync/internal/syncflow"
	"github.com/plexsync/plexsync/internal/testenv"
)

var srv *testenv.Server

func TestMain(m *testing.M) {
	os.Exit(testenv.Main(m, &srv))
}

func setting(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func sizes(t *testing.T) []int {
	var out []int
	for _, f := range strings.Split(setting("PLEXSYNC_BENCH_SCENES", "60"), ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			t.Fatalf("PLEXSYNC_BENCH_SCENES: %q is not a positive number", f)
		}
		out = append(out, n)
	}
	return out
}

func latency(t *testing.T) time.Duration {
	d, err := time.ParseDuration(setting("PLEXSYNC_BENCH_LATENCY", "3ms"))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// benchEnv is a library of n scenes served with latency, and a worker
// process (so that its memory can be measured).
func benchEnv(t *testing.T, n int) (*testenv.Env, *testenv.Proc) {
	e := testenv.New(t, srv, n, testenv.NoWorker, testenv.Config(func(c *config.Config) {
		c.Plex.Timeout = config.Duration(30 * time.Second)
		c.Retry.ActivityTimeout = config.Duration(time.Minute)
	}))
	d := latency(t)
	e.Fx.Plex.AddFault(sim.Fault{Latency: d})
	e.Fx.Stash.AddFault(sim.Fault{Latency: d})
	w := e.Start(t, []string{"PLEXSYNC_CONFIG=" + e.WriteConfig(t)}, "worker")
	w.WaitLine(t, "Worker started", time.Minute)
	return e, w
}

// peakRSS reads a process's peak resident memory from /proc.
func peakRSS(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "?"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return fmt.Sprintf("%d MiB", kb/1024)
		}
	}
	return "?"
}

func TestReconcileThroughput(t *testing.T) {
	for _, n := range sizes(t) {
		for _, kind := range []string{"unchanged", "all changed"} {
			t.Run(fmt.Sprintf("%d %s", n, kind), func(t *testing.T) {
				e, w := benchEnv(t, n)
				if kind == "unchanged" {
					e.SeedInStep(t, 1, n)
				}
				e.Fx.Plex.ResetLog()
				e.Fx.Stash.ResetLog()
				start := time.Now()
				rc := e.Cfg.Reconcile // the defaults
				p := e.Reconcile(t, syncflow.ReconcileInput{Scope: syncflow.ScopeAll, PageSize: rc.PageSize, Concurrency: rc.Concurrency}, time.Hour)
				wall := time.Since(start)
				wantChanged := n
				if kind == "unchanged" {
					wantChanged = 0
				}
				if p.Seen != n || p.Changed != wantChanged || p.Failed != 0 {
					t.Errorf("progress %+v; want %d seen, %d changed", p, n, wantChanged)
				}
				reads := e.Fx.Plex.Count("GET", "")
				writes := len(e.Fx.Plex.Requests()) - reads
				started, err := e.C.CountWorkflow(context.Background(), &workflowservice.CountWorkflowExecutionsRequest{Query: "WorkflowType='SceneSync'"})
				if err != nil {
					t.Fatal(err)
				}
				f := float64(n)
				testenv.Figure(t, "%d scenes %s: %.0f scenes/s; Plex %.2f reads + %.2f writes per scene; Stash %.2f requests per scene; "+
					"%.2f SceneSync workflows per scene; worker peak RSS %s; wall %v",
					n, kind, f/wall.Seconds(), float64(reads)/f, float64(writes)/f, float64(len(e.Fx.Stash.Requests()))/f,
					float64(started.GetCount())/f, peakRSS(w.Cmd.Process.Pid), wall.Round(10*time.Millisecond))
				if kind == "all changed" {
					for id := 1; id <= n; id += max(1, n/50) {
						e.AssertInStep(t, id)
					}
				}
			})
		}
	}
}

func percentile(d []time.Duration, p float64) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

func TestHookLatency(t *testing.T) {
	hooks, err := strconv.Atoi(setting("PLEXSYNC_BENCH_HOOKS", "10"))
	if err != nil || hooks < 1 {
		t.Fatalf("PLEXSYNC_BENCH_HOOKS: %v", err)
	}
	e, _ := benchEnv(t, 1)
	e.SeedInStep(t, 1, 1)
	ctx := context.Background()
	var applied, process []time.Duration
	for i := range hooks {
		title := fmt.Sprintf("Edit %d", i)
		e.Fx.Stash.Update(1, func(s *sim.StashScene) { s.Title = title })
		payload := fmt.Sprintf(`{"args":{"hookContext":{"id":1,"type":"Scene.Update.Post","input":{"title":%q},"inputFields":["title"]}}}`, title)
		start := time.Now()
		r := e.CLI(t, payload, nil, "hook")
		process = append(process, time.Since(start))
		if r.Code != 0 {
			t.Fatalf("hook: %q %q", r.Stdout, r.Stderr)
		}
		wctx, cancel := context.WithTimeout(ctx, time.Minute)
		err := e.Fx.Plex.WaitFor(wctx, func() bool {
			it, _ := e.Fx.Plex.Item(e.Fx.RatingKey(1))
			return it.Title == title
		})
		cancel()
		if err != nil {
			t.Fatalf("edit %d never reached Plex", i)
		}
		applied = append(applied, time.Since(start))
		e.Result(t, 1) // let this sync end before the next edit
	}
	testenv.Figure(t, "%d hooks: hook-to-applied p50 %v p99 %v; hook process wall time p50 %v p99 %v",
		hooks, percentile(applied, .5).Round(time.Millisecond), percentile(applied, .99).Round(time.Millisecond),
		percentile(process, .5).Round(time.Millisecond), percentile(process, .99).Round(time.Millisecond))
}
