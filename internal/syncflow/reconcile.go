package syncflow

import (
	"strconv"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/plexsync/plexsync/internal/stash"
)

const (
	// ReconcileWorkflow is the workflow type of a bulk reconciliation.
	ReconcileWorkflow = "Reconcile"
	// ReconcileID is the workflow ID of a reconciliation started from the CLI;
	// one runs at a time.
	ReconcileID = "reconcile"
	// QueryProgress returns a reconciliation's Progress.
	QueryProgress = "progress"
)

// Reconciliation scopes.
const (
	ScopeAll    = "all"
	ScopeRecent = "recent" // scenes updated within Window before the start
	ScopeIDs    = "ids"
)

// ReconcileInput says what to reconcile and, across continue-as-new, where
// the previous run stopped.
type ReconcileInput struct {
	Scope       string        `json:"scope"`
	Window      time.Duration `json:"window,omitempty"`
	IDs         []string      `json:"ids,omitempty"`
	PageSize    int           `json:"pageSize"`
	Concurrency int           `json:"concurrency"`
	PagesPerRun int           `json:"pagesPerRun"` // continue as new after this many pages

	Since    time.Time `json:"since,omitempty"` // fixed at the first run for ScopeRecent
	Page     int       `json:"page,omitempty"`  // next page; 0 before the first
	Progress Progress  `json:"progress"`
}

// Progress counts a reconciliation's work so far; it answers the progress
// query and is the workflow's result.
type Progress struct {
	Total      int  `json:"total"`      // scenes in scope, as Stash counted them last
	Seen       int  `json:"seen"`       // scenes checked against Plex
	Changed    int  `json:"changed"`    // scenes whose Plex item differed
	Synced     int  `json:"synced"`     // ... and were synced
	Unchanged  int  `json:"unchanged"`  // ... but had been fixed by the time their sync ran
	Skipped    int  `json:"skipped"`    // ... but were deleted from Stash meanwhile
	Failed     int  `json:"failed"`     // ... and whose sync failed
	InProgress int  `json:"inProgress"` // ... and already had a sync running (from a hook)
	Remaining  int  `json:"remaining"`  // scenes not checked yet
	Runs       int  `json:"runs"`       // workflow runs so far (continue-as-new)
	Done       bool `json:"done"`
}

func (in *ReconcileInput) defaults() {
	if in.PageSize <= 0 {
		in.PageSize = 100
	}
	if in.Concurrency <= 0 {
		in.Concurrency = 8
	}
	if in.PagesPerRun <= 0 {
		in.PagesPerRun = 20
	}
}

// Reconcile pages through Stash's scenes, newest update first, checks each
// against Plex, and runs SceneSync for those that differ. Newest first means
// an edit during the run moves a scene to a page already done (its hook
// syncs it) and shifts the rest later: a scene may be seen twice, none is
// skipped.
func (w *Workflows) Reconcile(ctx workflow.Context, in ReconcileInput) (Progress, error) {
	in.defaults()
	if in.Page == 0 {
		in.Page = 1
		if in.Scope == ScopeRecent {
			in.Since = workflow.Now(ctx).Add(-in.Window)
		}
	}
	prog := in.Progress
	prog.Runs++
	if err := workflow.SetQueryHandler(ctx, QueryProgress, func() (Progress, error) { return prog, nil }); err != nil {
		return prog, err
	}
	// From version 1 on, a page's syncs still run while the next page is
	// checked; before, each page waited for all of its syncs.
	overlap := workflow.GetVersion(ctx, "overlap-pages", workflow.DefaultVersion, 1) == 1
	s := newSyncs(ctx, in.Concurrency, &prog)
	for pages := 0; ; pages++ {
		if pages == in.PagesPerRun || workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			s.wait(ctx)
			in.Progress = prog
			return prog, workflow.NewContinueAsNewError(ctx, ReconcileWorkflow, in)
		}
		q := stash.ScenesQuery{UpdatedSince: in.Since, IDs: in.IDs, Page: in.Page, PerPage: in.PageSize, NewestFirst: true}
		var page CheckResult
		if err := w.run(ctx, "CheckScenes", "Compare page "+strconv.Itoa(in.Page)+" of Stash scenes with Plex", &page, q); err != nil {
			return prog, err
		}
		prog.Total, prog.Seen, prog.Changed = page.Total, prog.Seen+page.Count, prog.Changed+len(page.Differ)
		prog.Remaining = max(prog.Total-prog.Seen, 0)
		s.start(ctx, page)
		last := page.Count < in.PageSize
		if !overlap || last {
			s.wait(ctx)
		}
		if last {
			prog.Done, prog.Remaining = true, 0
			return prog, nil
		}
		in.Page++
	}
}

// syncs runs SceneSync as a child for each differing scene, at most
// concurrency at a time, and counts the outcomes. A scene whose sync is
// already running counts as in progress. Children are abandoned, not
// cancelled, if the reconciliation is stopped.
type syncs struct {
	sem  workflow.Semaphore
	wg   workflow.WaitGroup
	prog *Progress
}

func newSyncs(ctx workflow.Context, concurrency int, prog *Progress) *syncs {
	return &syncs{sem: workflow.NewSemaphore(ctx, int64(concurrency)), wg: workflow.NewWaitGroup(ctx), prog: prog}
}

// start returns once every sync of the page has started.
func (s *syncs) start(ctx workflow.Context, page CheckResult) {
	for _, id := range page.Differ {
		if err := s.sem.Acquire(ctx, 1); err != nil {
			return
		}
		s.wg.Add(1)
		workflow.Go(ctx, func(ctx workflow.Context) {
			defer s.wg.Done()
			defer s.sem.Release(1)
			s.count(s.run(ctx, id, page.Matched[id]))
		})
	}
}

// wait returns once every started sync has finished.
func (s *syncs) wait(ctx workflow.Context) { s.wg.Wait(ctx) }

func (s *syncs) run(ctx workflow.Context, id string, m PlexMatch) (SceneSyncResult, error) {
	ctx = workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:            WorkflowID(id),
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		ParentClosePolicy:     enumspb.PARENT_CLOSE_POLICY_ABANDON,
		TypedSearchAttributes: temporal.NewSearchAttributes(SceneIDKey.ValueSet(id)),
		StaticSummary:         Summary(id, "reconcile"),
	})
	var res SceneSyncResult
	err := workflow.ExecuteChildWorkflow(ctx, SceneSyncWorkflow, SceneSyncInput{SceneID: id, Reason: "reconcile", Match: m}).Get(ctx, &res)
	return res, err
}

func (s *syncs) count(res SceneSyncResult, err error) {
	switch {
	case temporal.IsWorkflowExecutionAlreadyStartedError(err):
		s.prog.InProgress++
	case err != nil:
		s.prog.Failed++
	case res.Outcome == OutcomeSynced:
		s.prog.Synced++
	case res.Outcome == OutcomeSkipped:
		s.prog.Skipped++
	default:
		s.prog.Unchanged++
	}
}
