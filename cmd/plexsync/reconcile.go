package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/plexsync/plexsync/internal/syncflow"
)

func newReconcileCmd(a *app) *cobra.Command {
	var (
		all, wait, attach bool
		since             time.Duration
		ids               []string
	)
	cmd := &cobra.Command{
		Use:   "reconcile (--all | --since DURATION | --scene ID...) [--wait] | --attach",
		Short: "Compare Stash with Plex and sync every scene that differs",
		Long: `Start a reconciliation: page through Stash's scenes, compare each with its
Plex item, and run a sync for those that differ (a scene whose sync is
already running counts as in progress). It runs in Temporal, not in this
process: with --wait (or --attach, to a running one) a progress bar follows
it, and Ctrl-C only detaches. One runs at a time. Spooled hook events are
sent first.`,
		Example: "  plexsync reconcile --since 24h --wait\n  plexsync reconcile --all\n  plexsync reconcile --attach",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			scope, err := reconcileScope(all, since, ids, attach)
			if err != nil {
				return err
			}
			return a.withClient(cmd, func(ctx context.Context, c client.Client) error {
				a.flushSpool(ctx, c, slogLogger{a.log})
				var run client.WorkflowRun
				if attach {
					run, err = findRunningReconcile(ctx, c)
				} else {
					run, err = a.startReconcile(ctx, c, a.reconcileInput(scope, since, ids))
				}
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				fmt.Fprintf(out, "Reconciliation %s (run %s) is running in Temporal.\n", run.GetID(), run.GetRunID())
				if !wait && !attach {
					fmt.Fprintln(out, "Follow it with `plexsync reconcile --attach` or in the Temporal Web UI.")
					return nil
				}
				return watchReconcile(ctx, c, run, out)
			})
		},
	}
	f := cmd.Flags()
	f.BoolVar(&all, "all", false, "every scene")
	f.DurationVar(&since, "since", 0, "scenes updated within this long, e.g. 24h")
	f.StringSliceVar(&ids, "scene", nil, "these scene IDs (repeatable)")
	f.BoolVar(&wait, "wait", false, "follow the progress until it ends (Ctrl-C detaches)")
	f.BoolVar(&attach, "attach", false, "follow a reconciliation that is already running")
	return cmd
}

// reconcileScope checks that exactly one scope was given (none with
// --attach) and names it.
func reconcileScope(all bool, since time.Duration, ids []string, attach bool) (string, error) {
	n := 0
	for _, set := range []bool{all, since > 0, len(ids) > 0} {
		if set {
			n++
		}
	}
	switch {
	case attach && n > 0:
		return "", errors.New("--attach follows the running reconciliation; give no scope with it")
	case attach:
		return "", nil
	case since < 0:
		return "", errors.New("--since must be positive, e.g. 24h")
	case n != 1:
		return "", errors.New("give exactly one of --all, --since DURATION or --scene ID")
	}
	for _, id := range ids {
		if err := checkSceneID(id); err != nil {
			return "", err
		}
	}
	switch {
	case all:
		return syncflow.ScopeAll, nil
	case since > 0:
		return syncflow.ScopeRecent, nil
	}
	return syncflow.ScopeIDs, nil
}

// reconcileInput builds a reconciliation's input with the configured tuning.
func (a *app) reconcileInput(scope string, window time.Duration, ids []string) syncflow.ReconcileInput {
	return syncflow.ReconcileInput{Scope: scope, Window: window, IDs: ids,
		PageSize: a.cfg.Reconcile.PageSize, Concurrency: a.cfg.Reconcile.Concurrency}
}

func (a *app) startReconcile(ctx context.Context, c client.Client, in syncflow.ReconcileInput) (client.WorkflowRun, error) {
	run, err := syncflow.StartReconcile(ctx, c, a.cfg.Temporal.TaskQueue, syncflow.ReconcileID, in)
	if temporal.IsWorkflowExecutionAlreadyStartedError(err) {
		return nil, errors.New("a reconciliation is already running; follow it with `plexsync reconcile --attach`")
	}
	return run, err
}

// findRunningReconcile returns the CLI's reconciliation if it runs, else any
// running one (a scheduled one has another ID).
func findRunningReconcile(ctx context.Context, c client.Client) (client.WorkflowRun, error) {
	d, err := c.DescribeWorkflowExecution(ctx, syncflow.ReconcileID, "")
	if err == nil && d.GetWorkflowExecutionInfo().GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		return c.GetWorkflow(ctx, syncflow.ReconcileID, ""), nil
	}
	ids, err := listIDs(ctx, c, "WorkflowType='Reconcile' AND ExecutionStatus='Running'", 1)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, errors.New("no reconciliation is running; start one with `plexsync reconcile --since 24h --wait`")
	}
	return c.GetWorkflow(ctx, ids[0], ""), nil
}

// watchReconcile shows a progress bar from the progress query until the
// reconciliation ends or ctx is cancelled (Ctrl-C), which only detaches.
func watchReconcile(ctx context.Context, c client.Client, run client.WorkflowRun, out io.Writer) error {
	done := make(chan error, 1)
	var final syncflow.Progress
	go func() { done <- c.GetWorkflow(ctx, run.GetID(), "").Get(ctx, &final) }()
	bar := newBar(-1, "Reconciling", out)
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			_ = bar.Finish()
			if ctx.Err() != nil {
				return detached(out)
			}
			if err != nil {
				return fmt.Errorf("the reconciliation failed: %w", err)
			}
			printProgress(out, final)
			return nil
		case <-ctx.Done():
			_ = bar.Exit()
			return detached(out)
		case <-tick.C:
			if p, err := queryProgress(ctx, c, run.GetID()); err == nil {
				bar.ChangeMax(max(p.Total, 1))
				_ = bar.Set(p.Seen)
				bar.Describe(fmt.Sprintf("Reconciling: %d differ, %d synced, %d failed", p.Changed, p.Synced, p.Failed))
			}
		}
	}
}

func detached(out io.Writer) error {
	fmt.Fprintln(out, "\nDetached; the reconciliation goes on in Temporal. Reattach with `plexsync reconcile --attach`.")
	return nil
}

func queryProgress(ctx context.Context, c client.Client, id string) (syncflow.Progress, error) {
	var p syncflow.Progress
	v, err := c.QueryWorkflow(ctx, id, "", syncflow.QueryProgress)
	if err == nil {
		err = v.Get(&p)
	}
	return p, err
}

func printProgress(out io.Writer, p syncflow.Progress) {
	tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	for _, row := range []struct {
		k string
		v int
	}{{"scenes checked", p.Seen}, {"differed from Plex", p.Changed}, {"synced", p.Synced},
		{"unchanged by the time they ran", p.Unchanged}, {"skipped (deleted in Stash)", p.Skipped},
		{"already being synced (hook)", p.InProgress}, {"failed (see `plexsync failed`)", p.Failed},
		{"workflow runs (continue-as-new)", p.Runs}} {
		fmt.Fprintf(tw, "%s\t%d\n", row.k, row.v)
	}
	tw.Flush()
}
