package syncflow

import (
	"math/rand/v2"
	"time"

	"go.temporal.io/sdk/temporal"
)

// Error types: the names Temporal shows for a failed activity, in the Web UI
// and in `plexsync failed`. Each says what happened, not where in the code.
const (
	ErrTransient    = "Unavailable"     // 5xx, timeout, refused: retried with jittered backoff
	ErrRateLimited  = "RateLimited"     // 429: retried after Retry-After
	ErrNotInPlex    = "NotInPlexYet"    // Plex has not scanned the file: slow retries
	ErrAuth         = "AuthFailed"      // 401/403: a person must fix a token
	ErrInvalid      = "Rejected"        // 400/422 or a GraphQL error: the request is wrong
	ErrInvalidScene = "InvalidScene"    // the scene breaks a sanitising rule
	ErrAmbiguous    = "AmbiguousMatch"  // several Plex items fit
	ErrItemGone     = "PlexItemGone"    // the matched item vanished (Plex re-scanned it)
	ErrConfig       = "ConfigError"     // e.g. a section name Plex does not have
	ErrCircuitOpen  = "PlexCircuitOpen" // Plex failed repeatedly: waiting out the cool-down
)

// nonRetryable lists the types that retrying cannot fix.
var nonRetryable = []string{ErrAuth, ErrInvalid, ErrInvalidScene, ErrAmbiguous, ErrItemGone, ErrConfig}

// Tuning holds the few numbers an operator (or a test) may change; everything
// else in the table below is fixed.
type Tuning struct {
	TransientInitial time.Duration // first backoff step for Unavailable
	TransientMax     time.Duration // backoff cap for Unavailable
	TransientFor     time.Duration // give up on Unavailable after this long
	NotInPlexInitial time.Duration // first wait for a file Plex has not scanned
	NotInPlexMax     time.Duration // longest wait between such checks
	NotInPlexFor     time.Duration // give up waiting for Plex's scan after this long
	ActivityTimeout  time.Duration // one attempt's limit; a crashed worker's work waits this long
}

// Policy is how one activity is run and retried.
type Policy struct {
	StartToClose    time.Duration
	ScheduleToClose time.Duration
	Heartbeat       time.Duration // 0: the activity does not heartbeat
	Retry           temporal.RetryPolicy
	// Backoff base and cap for the jittered NextRetryDelay of transient
	// failures; Retry's own intervals only apply to errors we do not classify.
	Base, Cap time.Duration
	// Slow base and cap, for NotInPlexYet.
	SlowBase, SlowCap time.Duration
	// PlexBound activities run on the Plex task queue, whose rate the
	// server caps across all workers.
	PlexBound bool
	// Local activities run in the worker that runs the workflow, without a
	// round trip through the server: for short steps that do not touch Plex.
	Local bool
}

// Policies is the one table of every activity's timeouts and retries.
func (t Tuning) Policies() map[string]Policy {
	retry := func(cap time.Duration) temporal.RetryPolicy {
		return temporal.RetryPolicy{InitialInterval: t.TransientInitial, BackoffCoefficient: 2,
			MaximumInterval: cap, NonRetryableErrorTypes: nonRetryable}
	}
	return map[string]Policy{
		"FetchScene": {StartToClose: t.ActivityTimeout, ScheduleToClose: t.TransientFor, Local: true,
			Retry: retry(t.TransientMax), Base: t.TransientInitial, Cap: t.TransientMax},
		"ValidateScene": {StartToClose: 10 * time.Second, ScheduleToClose: time.Minute, Local: true,
			Retry: retry(t.TransientInitial), Base: t.TransientInitial, Cap: t.TransientInitial},
		// Matching waits for Plex to scan a new file; its time limit is that wait.
		"MatchPlexItem": {StartToClose: t.ActivityTimeout, ScheduleToClose: t.NotInPlexFor,
			Retry: retry(max(t.TransientMax, t.NotInPlexMax)), Base: t.TransientInitial, Cap: t.TransientMax,
			SlowBase: t.NotInPlexInitial, SlowCap: t.NotInPlexMax, PlexBound: true},
		// One page of a reconciliation; it heartbeats after every scene.
		"CheckScenes": {StartToClose: 30 * time.Minute, ScheduleToClose: t.TransientFor, Heartbeat: t.ActivityTimeout,
			Retry: retry(t.TransientMax), Base: t.TransientInitial, Cap: t.TransientMax, PlexBound: true},
		"ApplyMetadata": {StartToClose: t.ActivityTimeout, ScheduleToClose: t.TransientFor,
			Retry: retry(t.TransientMax), Base: t.TransientInitial, Cap: t.TransientMax, PlexBound: true},
	}
}

// fullJitter returns a delay drawn uniformly from [1ms, min(cap, base*2^(attempt-1))].
// Temporal's retry policy has no jitter, so when Plex restarts, thousands of
// failed activities would otherwise come back in the same second. (A zero
// NextRetryDelay would mean "unset", hence the 1 ms floor.)
func fullJitter(attempt int32, base, cap time.Duration) time.Duration {
	d := backoff(attempt, base, cap)
	return max(time.Millisecond, time.Duration(rand.Int64N(int64(d)+1)))
}

// halfJitter returns a delay in [d/2, d] for d = min(cap, base*2^(attempt-1)):
// slow retries stay slow but still spread out.
func halfJitter(attempt int32, base, cap time.Duration) time.Duration {
	d := backoff(attempt, base, cap)
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// PlexQueue is the task queue of the Plex-bound activities of queue.
func PlexQueue(queue string) string { return queue + "-plex" }

func backoff(attempt int32, base, cap time.Duration) time.Duration {
	d := base
	for i := int32(1); i < attempt && d < cap; i++ {
		d *= 2
	}
	return min(d, cap)
}
