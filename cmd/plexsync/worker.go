package main

import (
	"context"
	"time"

	"github.com/spf13/cobra"
	"go.temporal.io/sdk/client"

	"github.com/plexsync/plexsync/internal/syncflow"
	"github.com/plexsync/plexsync/internal/temporalx"
)

func newWorkerCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "worker",
		Short: "Run the worker that executes scene syncs",
		Long: `Run the worker: it polls Temporal's task queue and runs the SceneSync
workflows and their activities (fetch from Stash, validate, match in Plex,
apply). Run one or more; they share the work. Stops gracefully on Ctrl-C or
SIGTERM, finishing the activities in progress.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.load(true); err != nil {
				return err
			}
			return a.runWorker(cmd.Context())
		},
	}
}

// runWorker connects, sends spooled hook events, and runs a worker until
// ctx ends (Ctrl-C, SIGTERM), letting activities in progress finish.
func (a *app) runWorker(ctx context.Context) error {
	c, err := a.dial(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	w, err := syncflow.NewWorker(c, a.cfg)
	if err != nil {
		return err
	}
	a.flushSpool(ctx, c, slogLogger{a.log})
	a.log.Info("Worker started; Ctrl-C stops it", "temporal", a.cfg.Temporal.Address, "namespace", a.cfg.Temporal.Namespace,
		"taskQueue", a.cfg.Temporal.TaskQueue, "stash", a.cfg.Stash.URL, "plex", a.cfg.Plex.URL)
	err = w.Run(ctxInterrupt(ctx))
	a.log.Info("Worker stopped")
	return err
}

// ctxInterrupt turns a context's end into the channel worker.Run waits on.
func ctxInterrupt(ctx context.Context) <-chan interface{} {
	ch := make(chan interface{})
	go func() {
		<-ctx.Done()
		close(ch)
	}()
	return ch
}

// dial connects to Temporal and makes sure our search attributes exist.
func (a *app) dial(ctx context.Context) (client.Client, error) {
	dctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	c, err := temporalx.Dial(dctx, a.cfg.Temporal, a.log, a.codec)
	if err != nil {
		return nil, err
	}
	if err := temporalx.EnsureSearchAttributes(dctx, c, a.cfg.Temporal.Namespace); err != nil {
		a.log.Warn("Could not check search attributes; run temporal/setup-search-attributes.sh on clusters", "error", err)
	}
	return c, nil
}
