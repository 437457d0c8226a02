package tests

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/plexsync/plexsync/internal/config"
	"github.com/plexsync/plexsync/internal/syncflow"
	"github.com/plexsync/plexsync/internal/testenv"
)

// The server caps Plex-bound activities across every worker of the queue.
func TestPlexActivitiesAreRateCapped(t *testing.T) {
	const cap, n = 2.0, 8
	e := testenv.New(t, srv, n, testenv.Config(func(c *config.Config) { c.Plex.ActivitiesPerSecond = cap }))
	ctx := context.Background()
	var runs []func() error
	for id := 1; id <= n; id++ {
		run, err := syncflow.StartSync(ctx, e.C, e.Cfg.Temporal.TaskQueue, fmt.Sprint(id), "test")
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, func() error { return run.Get(ctx, nil) })
	}
	for _, wait := range runs {
		if err := wait(); err != nil {
			t.Fatal(err)
		}
	}
	// Each sync runs two Plex-bound activities: a match (its first request
	// lists the section) and an apply (its first request reads the item).
	var first, last time.Time
	starts := 0
	for _, r := range e.Fx.Plex.Requests() {
		if r.Method == "GET" && (strings.HasSuffix(r.Path, "/all") || strings.Count(r.Path, "/") == 3) {
			if first.IsZero() {
				first = r.At
			}
			last, starts = r.At, starts+1
		}
	}
	rate := float64(starts-1) / last.Sub(first).Seconds()
	if starts != 2*n || rate > 2*cap {
		t.Errorf("%d activity starts at %.1f/s; want %d at about the cap of %.0f/s", starts, rate, 2*n, cap)
	}
	testenv.Figure(t, "%d Plex-bound activities ran at %.1f/s under a cap of %.0f/s", starts, rate, cap)
}
