// Package syncflow holds the Temporal side of PlexSync: the SceneSync
// workflow, its activities, the retry-policy table and the worker.
package syncflow

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/plexsync/plexsync/internal/match"
	"github.com/plexsync/plexsync/internal/scene"
)

const (
	// TaskQueue is the default task queue of the worker.
	TaskQueue = "plexsync"
	// SceneSyncWorkflow is the workflow type name shown in the Web UI.
	SceneSyncWorkflow = "SceneSync"
	// SignalSceneChanged asks a running SceneSync for one more pass.
	SignalSceneChanged = "SceneChanged"
	// maxPassesPerRun bounds one run's history; further passes continue as new.
	maxPassesPerRun = 20
)

// Outcomes, as stored in the PlexSyncOutcome search attribute.
const (
	OutcomeSynced    = "synced"
	OutcomeUnchanged = "unchanged"
	OutcomeSkipped   = "skipped"
	OutcomeFailed    = "failed"
)

// Search attributes; the dev server script and the cluster setup register them.
var (
	SceneIDKey   = temporal.NewSearchAttributeKeyKeyword("StashSceneId")
	OutcomeKey   = temporal.NewSearchAttributeKeyKeyword("PlexSyncOutcome")
	RatingKeyKey = temporal.NewSearchAttributeKeyKeyword("PlexRatingKey")
)

// WorkflowID is the one ID a scene's sync has, so that triggers deduplicate.
func WorkflowID(sceneID string) string { return "scene-sync/" + sceneID }

// SceneSyncInput names the scene and why it is synced; never credentials and
// never scene data, which the workflow reads fresh from Stash.
type SceneSyncInput struct {
	SceneID string `json:"sceneId"`
	Reason  string `json:"reason"` // hook, reconcile, manual, retry
	// The Plex item a reconciliation matched moments before: the first pass
	// starts from it instead of matching again. If Plex has re-scanned the
	// file since, the item is gone and the pass matches anew.
	Match PlexMatch `json:"match,omitzero"`
}

// SceneSyncResult is what a sync did.
type SceneSyncResult struct {
	SceneID    string   `json:"sceneId"`
	Outcome    string   `json:"outcome"`
	RatingKey  string   `json:"ratingKey,omitempty"`
	Strategy   string   `json:"strategy,omitempty"`
	Changed    []string `json:"changed,omitempty"`
	SkipReason string   `json:"skipReason,omitempty"`
	Passes     int      `json:"passes"`
}

// Workflows carries the retry tuning into workflow code. It holds values
// only, so the workflows stay deterministic.
type Workflows struct {
	Tuning Tuning
}

// SceneSync brings one Plex item in line with one Stash scene. A
// SceneChanged signal during a pass makes it run one more pass with fresh
// Stash data afterwards, however many signals arrived, so bursts of edits
// coalesce and the last edit wins.
func (w *Workflows) SceneSync(ctx workflow.Context, in SceneSyncInput) (SceneSyncResult, error) {
	if err := workflow.UpsertTypedSearchAttributes(ctx, SceneIDKey.ValueSet(in.SceneID)); err != nil {
		return SceneSyncResult{}, err
	}
	changed := workflow.GetSignalChannel(ctx, SignalSceneChanged)
	var res SceneSyncResult
	m := match.Result{Item: match.Item{RatingKey: in.Match.RatingKey}, Strategy: in.Match.Strategy}
	// Later passes, and runs continued as new, match again: the edit that
	// asked for them may have moved the file.
	in.Match = PlexMatch{}
	for pass := 1; ; pass++ {
		drain(changed)
		r, err := w.pass(ctx, in.SceneID, m)
		m = match.Result{}
		r.Passes = pass
		if err != nil {
			_ = workflow.UpsertTypedSearchAttributes(ctx, OutcomeKey.ValueSet(OutcomeFailed))
			return r, err
		}
		res = merge(res, r)
		if !drain(changed) {
			break
		}
		workflow.GetLogger(ctx).Info("Scene changed during the sync; running again", "SceneID", in.SceneID)
		if pass == maxPassesPerRun {
			return res, workflow.NewContinueAsNewError(ctx, SceneSyncWorkflow, in)
		}
	}
	workflow.GetLogger(ctx).Info("Scene sync finished", "SceneID", in.SceneID, "Outcome", res.Outcome,
		"RatingKey", res.RatingKey, "Changed", res.Changed, "Passes", res.Passes)
	upserts := []temporal.SearchAttributeUpdate{OutcomeKey.ValueSet(res.Outcome)}
	if res.RatingKey != "" {
		upserts = append(upserts, RatingKeyKey.ValueSet(res.RatingKey))
	}
	return res, workflow.UpsertTypedSearchAttributes(ctx, upserts...)
}

// drain empties the signal channel and reports whether it held anything.
func drain(ch workflow.ReceiveChannel) bool {
	got := false
	for ch.ReceiveAsync(nil) {
		got = true
	}
	return got
}

// merge keeps the latest pass's result and every field any pass changed.
func merge(prev, next SceneSyncResult) SceneSyncResult {
	for _, f := range prev.Changed {
		if !slices.Contains(next.Changed, f) {
			next.Changed = append(next.Changed, f)
		}
	}
	if len(next.Changed) > 0 {
		next.Outcome = OutcomeSynced
	}
	return next
}

// pass runs fetch, validate, match and apply once; it skips the match when
// given one.
func (w *Workflows) pass(ctx workflow.Context, sceneID string, m match.Result) (SceneSyncResult, error) {
	res := SceneSyncResult{SceneID: sceneID}
	var fetched FetchResult
	if err := w.run(ctx, "FetchScene", "Read scene "+sceneID+" from Stash", &fetched, sceneID); err != nil {
		return res, err
	}
	if !fetched.Found {
		res.Outcome, res.SkipReason = OutcomeSkipped, "the scene no longer exists in Stash"
		return res, nil
	}
	var desired scene.Desired
	if err := w.run(ctx, "ValidateScene", "Check and clean scene "+sceneID, &desired, fetched.Scene); err != nil {
		return res, err
	}
	var applied ApplyResult
	for attempt := 1; ; attempt++ {
		if m.Item.RatingKey == "" {
			if err := w.run(ctx, "MatchPlexItem", "Find the Plex item for scene "+sceneID, &m, desired.Files); err != nil {
				return res, err
			}
		}
		res.RatingKey, res.Strategy = m.Item.RatingKey, m.Strategy
		err := w.run(ctx, "ApplyMetadata", "Write scene "+sceneID+" to Plex item "+m.Item.RatingKey, &applied,
			ApplyInput{Item: m.Item, Desired: desired})
		// Plex gives an item a new ratingKey when it re-scans the file: match once more.
		if isType(err, ErrItemGone) && attempt == 1 {
			m = match.Result{}
			continue
		}
		if err != nil {
			return res, err
		}
		break
	}
	res.Changed = applied.Changed
	res.Outcome = OutcomeUnchanged
	if len(applied.Changed) > 0 {
		res.Outcome = OutcomeSynced
	}
	return res, nil
}

// run executes one activity with its policy from the table.
func (w *Workflows) run(ctx workflow.Context, name, summary string, out any, args ...any) error {
	p, ok := w.Tuning.Policies()[name]
	if !ok {
		return fmt.Errorf("no retry policy for activity %s", name)
	}
	retry := p.Retry
	// Runs started before version 1 ran every step as a regular activity.
	if p.Local && workflow.GetVersion(ctx, "local-fetch-validate", workflow.DefaultVersion, 1) == 1 {
		ctx = workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{StartToCloseTimeout: p.StartToClose,
			ScheduleToCloseTimeout: p.ScheduleToClose, RetryPolicy: &retry, Summary: summary})
		return workflow.ExecuteLocalActivity(ctx, name, args...).Get(ctx, out)
	}
	opts := workflow.ActivityOptions{
		StartToCloseTimeout: p.StartToClose, ScheduleToCloseTimeout: p.ScheduleToClose,
		HeartbeatTimeout: p.Heartbeat, RetryPolicy: &retry, Summary: summary,
	}
	if p.PlexBound {
		opts.TaskQueue = PlexQueue(workflow.GetInfo(ctx).TaskQueueName)
	}
	ctx = workflow.WithActivityOptions(ctx, opts)
	return workflow.ExecuteActivity(ctx, name, args...).Get(ctx, out)
}

func isType(err error, typ string) bool {
	var ae *temporal.ApplicationError
	return errors.As(err, &ae) && ae.Type() == typ
}

// Summary is the one-line description shown for a sync in the Web UI.
func Summary(sceneID, reason string) string {
	return fmt.Sprintf("Sync Stash scene %s to Plex (%s)", sceneID, strings.TrimSpace(reason))
}
