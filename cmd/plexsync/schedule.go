package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/plexsync/plexsync/internal/syncflow"
)

// ScheduleID names PlexSync's one reconciliation schedule.
const ScheduleID = "plexsync-reconcile"

func newScheduleCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "schedule",
		Short: "Run reconciliations periodically (a Temporal Schedule)",
		Long: `A Temporal Schedule runs a reconciliation periodically, to catch what hooks
missed (Stash down, hooks disabled, edits made elsewhere). Runs never overlap:
a run due while the previous one is still going is skipped.`,
	}
	var every time.Duration
	var scope string
	set := &cobra.Command{
		Use:     "set --every DURATION [--scope recent|all]",
		Short:   "Create or change the schedule",
		Long:    "Create or change the schedule. Scope recent checks the scenes updated within twice the interval (the overlap covers a late or skipped run); all checks every scene.",
		Example: "  plexsync schedule set --every 6h --scope recent",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if every < time.Second {
				return errors.New("--every must be at least 1s, e.g. 6h")
			}
			if scope != syncflow.ScopeRecent && scope != syncflow.ScopeAll {
				return fmt.Errorf("--scope %q: use recent or all", scope)
			}
			return a.withClient(cmd, func(ctx context.Context, c client.Client) error {
				return a.setSchedule(ctx, c, every, scope, cmd.OutOrStdout())
			})
		},
	}
	set.Flags().DurationVar(&every, "every", 0, "interval between runs, e.g. 6h")
	set.Flags().StringVar(&scope, "scope", syncflow.ScopeRecent, "recent or all")

	show := &cobra.Command{
		Use:   "show",
		Short: "Show the schedule, its next and recent runs",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withClient(cmd, func(ctx context.Context, c client.Client) error {
				return showSchedule(ctx, c, cmd.OutOrStdout())
			})
		},
	}
	del := &cobra.Command{
		Use:   "delete",
		Short: "Delete the schedule (running reconciliations go on)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withClient(cmd, func(ctx context.Context, c client.Client) error {
				if err := c.ScheduleClient().GetHandle(ctx, ScheduleID).Delete(ctx); err != nil {
					return noSchedule(err)
				}
				fmt.Fprintln(cmd.OutOrStdout(), "Schedule deleted.")
				return nil
			})
		},
	}
	cmd.AddCommand(set, show, del)
	return cmd
}

func noSchedule(err error) error {
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return errors.New("no schedule is set; create one with `plexsync schedule set --every 6h`")
	}
	return err
}

func (a *app) setSchedule(ctx context.Context, c client.Client, every time.Duration, scope string, out io.Writer) error {
	in := a.reconcileInput(scope, 0, nil)
	if scope == syncflow.ScopeRecent {
		in.Window = 2 * every
	}
	spec := client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: every}}}
	action := &client.ScheduleWorkflowAction{ID: "reconcile-scheduled", Workflow: syncflow.ReconcileWorkflow,
		Args: []any{in}, TaskQueue: a.cfg.Temporal.TaskQueue, StaticSummary: syncflow.ReconcileSummary(in)}
	_, err := c.ScheduleClient().Create(ctx, client.ScheduleOptions{ID: ScheduleID, Spec: spec, Action: action,
		Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_SKIP, Note: "PlexSync: " + syncflow.ReconcileSummary(in)})
	if errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		err = c.ScheduleClient().GetHandle(ctx, ScheduleID).Update(ctx, client.ScheduleUpdateOptions{
			DoUpdate: func(u client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
				u.Description.Schedule.Spec = &spec
				u.Description.Schedule.Action = action
				u.Description.Schedule.Policy.Overlap = enumspb.SCHEDULE_OVERLAP_POLICY_SKIP
				return &client.ScheduleUpdate{Schedule: &u.Description.Schedule}, nil
			},
		})
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Schedule %s set: every %s, %s.\n", ScheduleID, every, syncflow.ReconcileSummary(in))
	return nil
}

func showSchedule(ctx context.Context, c client.Client, out io.Writer) error {
	d, err := c.ScheduleClient().GetHandle(ctx, ScheduleID).Describe(ctx)
	if err != nil {
		return noSchedule(err)
	}
	for _, iv := range d.Schedule.Spec.Intervals {
		fmt.Fprintf(out, "Every:    %s\n", iv.Every)
	}
	if wa, ok := d.Schedule.Action.(*client.ScheduleWorkflowAction); ok {
		fmt.Fprintf(out, "Runs:     %s (task queue %s)\n", wa.StaticSummary, wa.TaskQueue)
	}
	fmt.Fprintf(out, "Paused:   %v\n", d.Schedule.State.Paused)
	for _, t := range d.Info.NextActionTimes {
		fmt.Fprintf(out, "Next:     %s\n", t.Local().Format(time.DateTime))
	}
	for _, r := range d.Info.RecentActions {
		id := ""
		if r.StartWorkflowResult != nil {
			id = r.StartWorkflowResult.WorkflowID
		}
		fmt.Fprintf(out, "Ran:      %s  %s\n", r.ActualTime.Local().Format(time.DateTime), id)
	}
	return nil
}
