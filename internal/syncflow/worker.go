package syncflow

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
	"golang.org/x/time/rate"

	"github.com/plexsync/plexsync/internal/breaker"
	"github.com/plexsync/plexsync/internal/config"
	"github.com/plexsync/plexsync/internal/plex"
	"github.com/plexsync/plexsync/internal/stash"
)

// Workers are the workers of one process: workflows and Stash activities on
// the task queue, Plex-bound activities on its Plex queue.
type Workers []worker.Worker

// NewWorker returns the workers for the configured task queue with every
// workflow and activity registered under the names the Web UI shows.
func NewWorker(c client.Client, cfg config.Config) (Workers, error) {
	acts, err := NewActivities(cfg)
	if err != nil {
		return nil, err
	}
	// Four pollers per queue keep a reconciliation's many short tasks flowing.
	main := worker.New(c, cfg.Temporal.TaskQueue, worker.Options{MaxConcurrentWorkflowTaskPollers: 4})
	RegisterWorkflows(main, &Workflows{Tuning: acts.Tuning})
	main.RegisterActivity(acts)
	plexQ := worker.New(c, PlexQueue(cfg.Temporal.TaskQueue), worker.Options{
		// Enforced by the server across every worker of the queue.
		TaskQueueActivitiesPerSecond: cfg.Plex.ActivitiesPerSecond,
		// Plex on a home server copes with a few requests at a time.
		MaxConcurrentActivityExecutionSize: 8, MaxConcurrentActivityTaskPollers: 4,
	})
	plexQ.RegisterActivity(acts)
	return Workers{main, plexQ}, nil
}

// Start starts every worker.
func (ws Workers) Start() error {
	for i, w := range ws {
		if err := w.Start(); err != nil {
			ws[:i].Stop()
			return err
		}
	}
	return nil
}

// Stop stops every worker, letting activities in progress finish.
func (ws Workers) Stop() {
	for _, w := range ws {
		w.Stop()
	}
}

// Run starts the workers and stops them when interrupt is closed.
func (ws Workers) Run(interrupt <-chan any) error {
	if err := ws.Start(); err != nil {
		return err
	}
	<-interrupt
	ws.Stop()
	return nil
}

// WorkflowRegistry is a worker or a replayer.
type WorkflowRegistry interface {
	RegisterWorkflowWithOptions(w any, options workflow.RegisterOptions)
}

// RegisterWorkflows registers every workflow under the name the Web UI and
// recorded histories use.
func RegisterWorkflows(r WorkflowRegistry, wf *Workflows) {
	r.RegisterWorkflowWithOptions(wf.SceneSync, workflow.RegisterOptions{Name: SceneSyncWorkflow})
	r.RegisterWorkflowWithOptions(wf.Reconcile, workflow.RegisterOptions{Name: ReconcileWorkflow})
}

// StartSync starts a scene's sync, or, when one is already running, asks it
// for one more pass with fresh data (signal-with-start), so that every
// trigger of the same scene lands in the same workflow.
func StartSync(ctx context.Context, c client.Client, queue, sceneID, reason string) (client.WorkflowRun, error) {
	opts := SyncOptions(queue, sceneID, reason)
	opts.WorkflowIDReusePolicy = enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE
	return c.SignalWithStartWorkflow(ctx, opts.ID, SignalSceneChanged, reason, opts,
		SceneSyncWorkflow, SceneSyncInput{SceneID: sceneID, Reason: reason})
}

// SyncOptions are the start options every client start of a scene's sync
// shares: its one ID, its search attribute and its Web UI summary.
func SyncOptions(queue, sceneID, reason string) client.StartWorkflowOptions {
	return client.StartWorkflowOptions{
		ID:                    WorkflowID(sceneID),
		TaskQueue:             queue,
		TypedSearchAttributes: temporal.NewSearchAttributes(SceneIDKey.ValueSet(sceneID)),
		StaticSummary:         Summary(sceneID, reason),
	}
}

// TuningFrom takes the retry numbers from the configuration.
func TuningFrom(r config.Retry) Tuning {
	return Tuning{
		TransientInitial: r.TransientInitial.D(), TransientMax: r.TransientMax.D(), TransientFor: r.TransientFor.D(),
		NotInPlexInitial: r.NotInPlexInitial.D(), NotInPlexMax: r.NotInPlexMax.D(), NotInPlexFor: r.NotInPlexFor.D(),
		ActivityTimeout: r.ActivityTimeout.D(),
	}
}

// NewActivities builds the activities and their clients from the configuration.
func NewActivities(cfg config.Config) (*Activities, error) {
	const connect = 10 * time.Second
	st, err := stash.New(stash.Options{URL: cfg.Stash.URL, APIKey: cfg.Stash.APIKey.Reveal(),
		ConnectTimeout: connect, ReadTimeout: cfg.Stash.Timeout.D()})
	if err != nil {
		return nil, err
	}
	br := &breaker.Breaker{Threshold: cfg.Plex.BreakerFailures, Cooldown: cfg.Plex.BreakerCooldown.D(),
		OnChange: func(from, to breaker.State) {
			slog.Warn("Plex circuit breaker "+string(to), "from", from, "cooldown", cfg.Plex.BreakerCooldown.D())
		}}
	px, err := plex.New(plex.Options{URL: cfg.Plex.URL, Token: cfg.Plex.Token.Reveal(),
		ConnectTimeout: connect, ReadTimeout: cfg.Plex.Timeout.D(), Breaker: br,
		Limiter: rate.NewLimiter(rate.Limit(cfg.Plex.RequestsPerSecond), max(1, int(cfg.Plex.RequestsPerSecond)))})
	if err != nil {
		return nil, err
	}
	return &Activities{Stash: st, Plex: px, Sections: cfg.Plex.Sections, Mappings: cfg.PathMappings,
		Scene: cfg.SceneOptions(), Tuning: TuningFrom(cfg.Retry)}, nil
}

// StartReconcile starts a reconciliation with the given workflow ID; it
// fails with an already-started error when one with that ID is running.
func StartReconcile(ctx context.Context, c client.Client, queue, id string, in ReconcileInput) (client.WorkflowRun, error) {
	return c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       id,
		TaskQueue:                queue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		// Without this the SDK hands back the running one instead of the refusal.
		WorkflowExecutionErrorWhenAlreadyStarted: true,
		StaticSummary:                            ReconcileSummary(in),
	}, ReconcileWorkflow, in)
}

// ReconcileSummary describes a reconciliation for the Web UI.
func ReconcileSummary(in ReconcileInput) string {
	switch in.Scope {
	case ScopeRecent:
		return "Reconcile Stash scenes updated in the last " + in.Window.String() + " with Plex"
	case ScopeIDs:
		return fmt.Sprintf("Reconcile %d Stash scenes with Plex", len(in.IDs))
	}
	return "Reconcile all Stash scenes with Plex"
}
