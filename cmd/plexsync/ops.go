package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	enumspb "go.temporal.io/api/enums/v1"
	failurepb "go.temporal.io/api/failure/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/plexsync/plexsync/internal/spool"
	"github.com/plexsync/plexsync/internal/syncflow"
	"github.com/plexsync/plexsync/internal/temporalx"
)

// listIDs returns the workflow IDs a visibility query finds, newest first,
// at most limit, each once.
func listIDs(ctx context.Context, c client.Client, query string, limit int) ([]string, error) {
	var ids []string
	seen := map[string]bool{}
	var token []byte
	for {
		resp, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: query, PageSize: 100, NextPageToken: token})
		if err != nil {
			return nil, fmt.Errorf("listing workflows (%s): %w", query, err)
		}
		for _, e := range resp.GetExecutions() {
			if id := e.GetExecution().GetWorkflowId(); !seen[id] {
				seen[id] = true
				ids = append(ids, id)
				if len(ids) == limit {
					return ids, nil
				}
			}
		}
		if token = resp.GetNextPageToken(); len(token) == 0 {
			return ids, nil
		}
	}
}

func count(ctx context.Context, c client.Client, query string) (int64, error) {
	resp, err := c.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Query: query})
	return resp.GetCount(), err
}

// status is what `plexsync status` reports.
type status struct {
	Running     int64
	Waiting     map[string]int // running syncs by the error type they are retrying
	CircuitOpen bool
	Outcomes    map[string]int64 // last 24 h
	Failed      int64            // last 24 h
	LastSuccess time.Time
	Schedule    string
	Reconcile   *syncflow.Progress
	Spooled     int
}

func (a *app) gatherStatus(ctx context.Context, c client.Client) (status, error) {
	st := status{Outcomes: map[string]int64{}, Waiting: map[string]int{}}
	dayAgo := time.Now().Add(-24 * time.Hour).UTC().Format(time.RFC3339)
	var err error
	if st.Running, err = count(ctx, c, "WorkflowType='SceneSync' AND ExecutionStatus='Running'"); err != nil {
		return st, err
	}
	for _, o := range []string{syncflow.OutcomeSynced, syncflow.OutcomeUnchanged, syncflow.OutcomeSkipped} {
		q := fmt.Sprintf("WorkflowType='SceneSync' AND ExecutionStatus='Completed' AND CloseTime > '%s' AND PlexSyncOutcome='%s'", dayAgo, o)
		if st.Outcomes[o], err = count(ctx, c, q); err != nil {
			return st, err
		}
	}
	q := fmt.Sprintf("WorkflowType='SceneSync' AND ExecutionStatus IN ('Failed','TimedOut','Terminated') AND CloseTime > '%s'", dayAgo)
	if st.Failed, err = count(ctx, c, q); err != nil {
		return st, err
	}
	resp, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{PageSize: 1,
		Query: "WorkflowType='SceneSync' AND ExecutionStatus='Completed' ORDER BY CloseTime DESC"})
	if err != nil { // not every visibility store sorts; fall back to its order
		resp, err = c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{PageSize: 1,
			Query: "WorkflowType='SceneSync' AND ExecutionStatus='Completed'"})
	}
	if err == nil && len(resp.GetExecutions()) > 0 {
		st.LastSuccess = resp.GetExecutions()[0].GetCloseTime().AsTime()
	}
	st.Schedule = "none (set one with `plexsync schedule set --every 6h`)"
	if d, err := c.ScheduleClient().GetHandle(ctx, ScheduleID).Describe(ctx); err == nil {
		st.Schedule = "active"
		if d.Schedule.State.Paused {
			st.Schedule = "paused"
		}
		if len(d.Info.NextActionTimes) > 0 {
			st.Schedule += ", next run " + d.Info.NextActionTimes[0].Local().Format(time.DateTime)
		}
	}
	if run, err := findRunningReconcile(ctx, c); err == nil {
		if p, err := queryProgress(ctx, c, run.GetID()); err == nil {
			st.Reconcile = &p
		}
	}
	st.Spooled, _ = spool.New(a.cfg.SpoolPath).Len()
	return st, a.gatherWaiting(ctx, c, &st)
}

// gatherWaiting reads why running syncs wait (the last failure of their
// pending activity), at most 100 of them; that is where the workers' view
// of Plex, circuit breaker included, reaches an operator.
func (a *app) gatherWaiting(ctx context.Context, c client.Client, st *status) error {
	ids, err := listIDs(ctx, c, "WorkflowType='SceneSync' AND ExecutionStatus='Running'", 100)
	if err != nil {
		return err
	}
	fc := temporalx.FailureConverter(a.codec)
	for _, id := range ids {
		d, err := c.DescribeWorkflowExecution(ctx, id, "")
		if err != nil {
			continue // finished meanwhile
		}
		for _, pa := range d.GetPendingActivities() {
			if f := pa.GetLastFailure(); f != nil {
				typ, _ := failure(fc.FailureToError(f))
				st.Waiting[typ]++
				st.CircuitOpen = st.CircuitOpen || typ == syncflow.ErrCircuitOpen
			}
		}
	}
	return nil
}

func ago(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return fmt.Sprintf("%s (%s ago)", t.Local().Format(time.DateTime), time.Since(t).Round(time.Second))
}

func (st status) oneLine() string {
	return fmt.Sprintf("%d syncs running; last 24 h: %d synced, %d unchanged, %d skipped, %d failed; last success %s; %d spooled",
		st.Running, st.Outcomes[syncflow.OutcomeSynced], st.Outcomes[syncflow.OutcomeUnchanged],
		st.Outcomes[syncflow.OutcomeSkipped], st.Failed, ago(st.LastSuccess), st.Spooled)
}

func (st status) print(out io.Writer) {
	tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "Syncs running\t%d\n", st.Running)
	if len(st.Waiting) > 0 {
		var w []string
		for typ, n := range st.Waiting {
			w = append(w, fmt.Sprintf("%d on %s", n, typ))
		}
		slices.Sort(w)
		fmt.Fprintf(tw, "... retrying\t%s\n", strings.Join(w, ", "))
	}
	breakerState := "not open (no running sync is waiting on it)"
	if st.CircuitOpen {
		breakerState = "OPEN: Plex failed repeatedly; workers send nothing until the cool-down ends"
	}
	fmt.Fprintf(tw, "Plex circuit breaker\t%s\n", breakerState)
	fmt.Fprintf(tw, "Last 24 h\t%d synced, %d unchanged, %d skipped, %d failed\n", st.Outcomes[syncflow.OutcomeSynced],
		st.Outcomes[syncflow.OutcomeUnchanged], st.Outcomes[syncflow.OutcomeSkipped], st.Failed)
	fmt.Fprintf(tw, "Last successful sync\t%s\n", ago(st.LastSuccess))
	fmt.Fprintf(tw, "Schedule\t%s\n", st.Schedule)
	if p := st.Reconcile; p != nil {
		fmt.Fprintf(tw, "Reconciliation\trunning: %d of %d scenes checked, %d differ, %d synced, %d failed\n",
			p.Seen, p.Total, p.Changed, p.Synced, p.Failed)
	}
	fmt.Fprintf(tw, "Spooled hook events\t%d\n", st.Spooled)
	tw.Flush()
	if st.Failed > 0 {
		fmt.Fprintln(out, "\nSee the failures with `plexsync failed`.")
	}
}

func newStatusCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Show running syncs, recent outcomes, failures and the schedule",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withClient(cmd, func(ctx context.Context, c client.Client) error {
				st, err := a.gatherStatus(ctx, c)
				if err == nil {
					st.print(cmd.OutOrStdout())
				}
				return err
			})
		},
	}
}

// failedSync is a scene whose latest sync failed.
type failedSync struct {
	SceneID, Type, Message string
	At                     time.Time
}

// failedSyncs returns the scenes whose latest SceneSync run failed.
func failedSyncs(ctx context.Context, c client.Client, codec *temporalx.Codec, limit int) ([]failedSync, error) {
	ids, err := listIDs(ctx, c, "WorkflowType='SceneSync' AND ExecutionStatus IN ('Failed','TimedOut','Terminated')", limit)
	if err != nil {
		return nil, err
	}
	var out []failedSync
	fc := temporalx.FailureConverter(codec)
	for _, id := range ids {
		d, err := c.DescribeWorkflowExecution(ctx, id, "")
		if err != nil {
			return nil, err
		}
		info := d.GetWorkflowExecutionInfo()
		switch info.GetStatus() {
		case enumspb.WORKFLOW_EXECUTION_STATUS_FAILED, enumspb.WORKFLOW_EXECUTION_STATUS_TIMED_OUT, enumspb.WORKFLOW_EXECUTION_STATUS_TERMINATED:
		default:
			continue // a later run did not fail
		}
		f := failedSync{SceneID: strings.TrimPrefix(id, "scene-sync/"), At: info.GetCloseTime().AsTime(),
			Type: info.GetStatus().String(), Message: "-"}
		if fl := closeFailure(ctx, c, id, info.GetExecution().GetRunId()); fl != nil {
			// The failure converter decrypts messages when encryption is on.
			f.Type, f.Message = failure(fc.FailureToError(fl))
		}
		out = append(out, f)
	}
	return out, nil
}

// closeFailure reads the failure from a run's close event.
func closeFailure(ctx context.Context, c client.Client, id, runID string) *failurepb.Failure {
	it := c.GetWorkflowHistory(ctx, id, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			return nil
		}
		if a := ev.GetWorkflowExecutionFailedEventAttributes(); a != nil {
			return a.GetFailure()
		}
	}
	return nil
}

func newFailedCmd(a *app) *cobra.Command {
	var limit int
	cmd := &cobra.Command{
		Use:   "failed",
		Short: "List the scenes whose latest sync failed, and why",
		Long: `List the scenes whose latest sync failed, with the error type and the
message that says what to do. Fix the cause, then run ` + "`plexsync retry`" + `.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withClient(cmd, func(ctx context.Context, c client.Client) error {
				list, err := failedSyncs(ctx, c, a.codec, limit)
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				if len(list) == 0 {
					fmt.Fprintln(out, "No failed syncs.")
					return nil
				}
				tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "SCENE\tERROR\tFAILED AT\tMESSAGE")
				for _, f := range list {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.SceneID, f.Type, f.At.Local().Format(time.DateTime), f.Message)
				}
				tw.Flush()
				fmt.Fprintln(out, "\nAfter fixing the cause: `plexsync retry --scene ID` or `plexsync retry --all-failed`.")
				return nil
			})
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 200, "list at most this many")
	return cmd
}

func newRetryCmd(a *app) *cobra.Command {
	var ids []string
	var allFailed, wait bool
	cmd := &cobra.Command{
		Use:   "retry (--scene ID... | --all-failed) [--wait]",
		Short: "Run failed syncs again",
		Long: `Run the sync of scenes whose latest sync failed once more. A scene whose
latest sync succeeded or is running is left alone.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if (len(ids) > 0) == allFailed {
				return errors.New("give --scene ID (repeatable) or --all-failed")
			}
			for _, id := range ids {
				if err := checkSceneID(id); err != nil {
					return err
				}
			}
			return a.withClient(cmd, func(ctx context.Context, c client.Client) error {
				if allFailed {
					list, err := failedSyncs(ctx, c, a.codec, 10000)
					if err != nil {
						return err
					}
					for _, f := range list {
						ids = append(ids, f.SceneID)
					}
				}
				return a.retry(ctx, c, cmd.OutOrStdout(), ids, wait)
			})
		},
	}
	cmd.Flags().StringSliceVar(&ids, "scene", nil, "Stash scene ID (repeatable)")
	cmd.Flags().BoolVar(&allFailed, "all-failed", false, "every scene whose latest sync failed")
	cmd.Flags().BoolVar(&wait, "wait", false, "wait for the outcomes and print them")
	return cmd
}

func (a *app) retry(ctx context.Context, c client.Client, out io.Writer, ids []string, wait bool) error {
	if len(ids) == 0 {
		fmt.Fprintln(out, "No failed syncs to retry.")
		return nil
	}
	var started []string
	var runs []client.WorkflowRun
	for _, id := range ids {
		opts := syncflow.SyncOptions(a.cfg.Temporal.TaskQueue, id, "retry")
		opts.WorkflowIDReusePolicy = enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY
		opts.WorkflowIDConflictPolicy = enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL
		// Without this the SDK hands back the existing run instead of the refusal.
		opts.WorkflowExecutionErrorWhenAlreadyStarted = true
		run, err := c.ExecuteWorkflow(ctx, opts, syncflow.SceneSyncWorkflow, syncflow.SceneSyncInput{SceneID: id, Reason: "retry"})
		if temporal.IsWorkflowExecutionAlreadyStartedError(err) {
			fmt.Fprintf(out, "scene %s: not retried; its latest sync did not fail or is still running\n", id)
			continue
		}
		if err != nil {
			return fmt.Errorf("retrying scene %s: %w", id, err)
		}
		fmt.Fprintf(out, "scene %s: retry started (run %s)\n", id, run.GetRunID())
		started, runs = append(started, id), append(runs, run)
	}
	if wait {
		return waitAndPrint(ctx, out, started, runs)
	}
	return nil
}
