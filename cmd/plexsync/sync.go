package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/plexsync/plexsync/internal/syncflow"
)

func newSyncCmd(a *app) *cobra.Command {
	var ids []string
	var wait bool
	cmd := &cobra.Command{
		Use:   "sync --scene ID [--scene ID ...] [--wait]",
		Short: "Sync one or more scenes now",
		Long: `Start the sync of the given Stash scenes (the number in a scene's URL,
/scenes/45). A sync already running for a scene runs once more with fresh
data instead of starting twice. With --wait, wait for the outcomes and print
them; the exit status is 1 when any sync failed.`,
		Example: "  plexsync sync --scene 45 --wait\n  plexsync sync --scene 45 --scene 46",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(ids) == 0 {
				return errors.New("give at least one --scene ID")
			}
			for _, id := range ids {
				if err := checkSceneID(id); err != nil {
					return err
				}
			}
			return a.withClient(cmd, func(ctx context.Context, c client.Client) error {
				return a.sync(ctx, c, cmd.OutOrStdout(), ids, wait)
			})
		},
	}
	cmd.Flags().StringSliceVar(&ids, "scene", nil, "Stash scene ID (repeatable, or comma separated)")
	cmd.Flags().BoolVar(&wait, "wait", false, "wait for the outcomes and print them")
	return cmd
}

func checkSceneID(id string) error {
	if n, err := strconv.Atoi(id); err != nil || n <= 0 {
		return fmt.Errorf("scene ID %q is not a positive number; Stash scene IDs are the number in a scene's URL (/scenes/45)", id)
	}
	return nil
}

func (a *app) sync(ctx context.Context, c client.Client, out io.Writer, ids []string, wait bool) error {
	var runs []client.WorkflowRun
	for _, id := range ids {
		run, err := syncflow.StartSync(ctx, c, a.cfg.Temporal.TaskQueue, id, "manual")
		if err != nil {
			return fmt.Errorf("starting the sync of scene %s: %w", id, err)
		}
		fmt.Fprintf(out, "scene %s: sync %s started (run %s)\n", id, run.GetID(), run.GetRunID())
		runs = append(runs, run)
	}
	if !wait {
		return nil
	}
	return waitAndPrint(ctx, out, ids, runs)
}

// waitAndPrint waits for each run and prints a table of outcomes; the exit
// status is 1 when any failed.
func waitAndPrint(ctx context.Context, out io.Writer, ids []string, runs []client.WorkflowRun) error {
	var rows []resultRow
	for i, run := range runs {
		var res syncflow.SceneSyncResult
		err := run.Get(ctx, &res)
		rows = append(rows, resultRow{SceneID: ids[i], Result: res, Err: err})
	}
	if printResults(out, rows) > 0 {
		return exitError(1)
	}
	return nil
}

// resultRow is one scene's outcome for a summary table.
type resultRow struct {
	SceneID string
	Title   string
	Result  syncflow.SceneSyncResult
	Err     error
}

// printResults writes a table of outcomes and returns how many failed.
func printResults(w io.Writer, rows []resultRow) int {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	withTitle := len(rows) > 0 && rows[0].Title != ""
	head := "SCENE\tOUTCOME\tPLEX ITEM\tDETAIL"
	if withTitle {
		head = "SCENE\tTITLE\tOUTCOME\tPLEX ITEM\tDETAIL"
	}
	fmt.Fprintln(tw, head)
	failed := 0
	for _, r := range rows {
		outcome, detail := r.Result.Outcome, strings.Join(r.Result.Changed, ", ")
		if r.Result.SkipReason != "" {
			detail = r.Result.SkipReason
		}
		if r.Err != nil {
			failed++
			typ, msg := failure(r.Err)
			outcome, detail = "failed", typ+": "+msg
		}
		cols := []string{r.SceneID, outcome, dash(r.Result.RatingKey), dash(detail)}
		if withTitle {
			cols = append([]string{r.SceneID, r.Title}, cols[1:]...)
		}
		fmt.Fprintln(tw, strings.Join(cols, "\t"))
	}
	tw.Flush()
	return failed
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// failure returns the type and message of the application error at the root
// of a workflow failure, which is what an operator can act on.
func failure(err error) (string, string) {
	var ae *temporal.ApplicationError
	if errors.As(err, &ae) {
		for {
			var inner *temporal.ApplicationError
			if !errors.As(ae.Unwrap(), &inner) {
				break
			}
			ae = inner
		}
		return ae.Type(), ae.Message()
	}
	return "Error", err.Error()
}
