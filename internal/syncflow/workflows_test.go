package syncflow

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/plexsync/plexsync/internal/config"
	"github.com/plexsync/plexsync/internal/match"
	"github.com/plexsync/plexsync/internal/plex"
	"github.com/plexsync/plexsync/internal/sim"
)

const (
	testKey   = "stash-key-for-tests"
	testToken = "plex-token-for-tests"
)

// testTuning keeps retries short; the test clock skips the waits anyway.
var testTuning = Tuning{
	TransientInitial: 100 * time.Millisecond, TransientMax: time.Second, TransientFor: time.Minute,
	NotInPlexInitial: 10 * time.Second, NotInPlexMax: 40 * time.Second, NotInPlexFor: 10 * time.Minute,
	ActivityTimeout: 30 * time.Second,
}

func testConfig(fx *sim.Fixture) config.Config {
	c := config.Default()
	c.Stash.URL, c.Stash.APIKey = fx.Stash.URL, config.Secret(fx.APIKey)
	c.Plex.URL, c.Plex.Token = fx.Plex.URL, config.Secret(fx.PlexToken)
	c.Plex.Sections = []string{sim.Section}
	c.Plex.Timeout = config.Duration(2 * time.Second)
	c.PathMappings = match.Mappings{{From: sim.StashRoot, To: sim.PlexRoot}}
	return c
}

func newFixture(t *testing.T, n int) (*sim.Fixture, *Activities) {
	t.Helper()
	fx, err := sim.NewFixture(n, testKey, testToken)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fx.Close)
	acts, err := NewActivities(testConfig(fx))
	if err != nil {
		t.Fatal(err)
	}
	acts.Tuning = testTuning
	return fx, acts
}

// attempts records when (on the test clock) each activity attempt started.
type attempts struct {
	mu sync.Mutex
	at map[string][]time.Time
}

func (a *attempts) times(name string) []time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.at[name]
}

// run executes SceneSync for sceneID in the test environment; onStart, if
// set, runs as each activity attempt starts (with its attempt number).
func run(t *testing.T, acts *Activities, sceneID string, onStart func(name string, attempt int32)) (SceneSyncResult, *attempts, error) {
	t.Helper()
	return runInput(t, acts, SceneSyncInput{SceneID: sceneID, Reason: "test"}, onStart)
}

func runInput(t *testing.T, acts *Activities, in SceneSyncInput, onStart func(name string, attempt int32)) (SceneSyncResult, *attempts, error) {
	t.Helper()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	// The Plex client's Retry-After hold-off follows the test clock, which
	// skips ahead instead of waiting.
	px, err := plex.New(plex.Options{URL: acts.Plex.URL(), Token: testToken, ConnectTimeout: time.Second,
		ReadTimeout: 2 * time.Second, Now: env.Now})
	if err != nil {
		t.Fatal(err)
	}
	acts.Plex = px
	RegisterWorkflows(env, &Workflows{Tuning: testTuning})
	env.RegisterActivity(acts)
	rec := &attempts{at: map[string][]time.Time{}}
	started := func(info *activity.Info, _ context.Context, _ []any) {
		rec.mu.Lock()
		rec.at[info.ActivityType.Name] = append(rec.at[info.ActivityType.Name], env.Now())
		rec.mu.Unlock()
		if onStart != nil {
			onStart(info.ActivityType.Name, info.Attempt)
		}
	}
	env.SetOnActivityStartedListener(func(info *activity.Info, ctx context.Context, _ converter.EncodedValues) {
		started(info, ctx, nil)
	})
	env.SetOnLocalActivityStartedListener(started)
	env.ExecuteWorkflow(SceneSyncWorkflow, in)
	if !env.IsWorkflowCompleted() {
		t.Fatal("workflow did not complete")
	}
	var res SceneSyncResult
	err = env.GetWorkflowError()
	if err == nil {
		if err := env.GetWorkflowResult(&res); err != nil {
			t.Fatal(err)
		}
	}
	return res, rec, err
}

// appErr returns the application error at the root of a workflow error.
func appErr(t *testing.T, err error) *temporal.ApplicationError {
	t.Helper()
	var ae *temporal.ApplicationError
	if !errors.As(err, &ae) {
		t.Fatalf("want an application error, got %v", err)
	}
	return ae
}

func TestSyncThenUnchanged(t *testing.T) {
	fx, acts := newFixture(t, 3)
	res, _, err := run(t, acts, "2", nil)
	if err != nil || res.Outcome != OutcomeSynced || res.Strategy != "path" || len(res.Changed) == 0 {
		t.Fatalf("first sync = %+v, %v", res, err)
	}
	it, _ := fx.Plex.Item(fx.RatingKey(2))
	sc, _ := fx.Stash.Scene(2)
	if it.Title != sc.Title || it.Studio != sc.Studio || it.Uploads != 1 || !it.Locked["title"] {
		t.Errorf("plex item = %+v", it)
	}

	fx.Plex.ResetLog()
	res, _, err = run(t, acts, "2", nil)
	if err != nil || res.Outcome != OutcomeUnchanged || len(res.Changed) != 0 {
		t.Fatalf("second sync = %+v, %v", res, err)
	}
	for _, r := range fx.Plex.Requests() {
		if r.Method != "GET" {
			t.Errorf("unchanged sync wrote: %s %s", r.Method, r.Path)
		}
	}
}

func TestTransientFailuresAreRetried(t *testing.T) {
	fx, acts := newFixture(t, 1)
	fx.Plex.AddFault(sim.Fault{Path: "/library/metadata/", Status: 503, Times: 3})
	res, rec, err := run(t, acts, "1", nil)
	if err != nil || res.Outcome != OutcomeSynced {
		t.Fatalf("got %+v, %v", res, err)
	}
	if n := len(rec.times("ApplyMetadata")); n != 4 {
		t.Errorf("ApplyMetadata ran %d times, want 4 (3 failures, then success)", n)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	fx, acts := newFixture(t, 1)
	fx.Plex.AddFault(sim.Fault{Path: "/library/metadata/", Status: 429, RetryAfter: "7", Times: 1})
	res, rec, err := run(t, acts, "1", nil)
	if err != nil || res.Outcome != OutcomeSynced {
		t.Fatalf("got %+v, %v", res, err)
	}
	at := rec.times("ApplyMetadata")
	if len(at) != 2 || at[1].Sub(at[0]) < 7*time.Second {
		t.Errorf("attempts at %v: want a second attempt at least 7s after the first", at)
	}
}

func TestNonRetryableFailures(t *testing.T) {
	cases := []struct {
		name     string
		setup    func(*sim.Fixture, *Activities)
		scene    string
		typ      string
		activity string
		says     string
	}{
		{"plex auth", func(fx *sim.Fixture, _ *Activities) {
			fx.Plex.AddFault(sim.Fault{Path: "/library/sections", Status: 401})
		}, "1", ErrAuth, "MatchPlexItem", "plex.token"},
		{"stash auth", func(fx *sim.Fixture, _ *Activities) {
			fx.Stash.AddFault(sim.Fault{Path: "/graphql", Status: 401})
		}, "1", ErrAuth, "FetchScene", "stash.api_key"},
		{"invalid rating", func(fx *sim.Fixture, _ *Activities) {
			fx.Stash.Update(1, func(s *sim.StashScene) { r := 150; s.Rating100 = &r })
		}, "1", ErrInvalidScene, "ValidateScene", `"rating100"`},
		{"no files", func(fx *sim.Fixture, _ *Activities) {
			fx.Stash.Update(1, func(s *sim.StashScene) { s.Files = nil })
		}, "1", ErrInvalidScene, "ValidateScene", `"files"`},
		{"ambiguous basename", func(fx *sim.Fixture, _ *Activities) {
			fx.Stash.Update(1, func(s *sim.StashScene) { s.Files = []string{"/elsewhere/dup.mp4"} })
			fx.Plex.AddItem(sim.SectionKey, "/media/a/dup.mp4")
			fx.Plex.AddItem(sim.SectionKey, "/media/b/DUP.mp4")
		}, "1", ErrAmbiguous, "MatchPlexItem", "2 Plex items match"},
		{"unknown section", func(_ *sim.Fixture, a *Activities) { a.Sections = []string{"Films"} },
			"1", ErrConfig, "MatchPlexItem", `(it has: Movies)`},
		{"plex rejects a field", func(fx *sim.Fixture, _ *Activities) {
			fx.Plex.AddFault(sim.Fault{Method: "PUT", Path: "/library/sections/", Status: 400})
		}, "1", ErrInvalid, "ApplyMetadata", "HTTP 400"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fx, acts := newFixture(t, 1)
			c.setup(fx, acts)
			_, rec, err := run(t, acts, c.scene, nil)
			ae := appErr(t, err)
			if ae.Type() != c.typ || !strings.Contains(ae.Error(), c.says) {
				t.Errorf("error type %q message %q; want %q mentioning %q", ae.Type(), ae.Error(), c.typ, c.says)
			}
			if n := len(rec.times(c.activity)); n != 1 {
				t.Errorf("%s ran %d times, want 1 (not retried)", c.activity, n)
			}
			if strings.Contains(err.Error(), testKey) || strings.Contains(err.Error(), testToken) {
				t.Errorf("credential in error: %v", err)
			}
		})
	}
}

func TestNotYetInPlexRetriesSlowly(t *testing.T) {
	fx, acts := newFixture(t, 0)
	fx.AddScene(sim.SeedScene(7), false)
	res, rec, err := run(t, acts, "7", func(name string, attempt int32) {
		if name == "MatchPlexItem" && attempt == 3 {
			fx.ScanIntoPlex(7) // Plex finishes its scan
		}
	})
	if err != nil || res.Outcome != OutcomeSynced {
		t.Fatalf("got %+v, %v", res, err)
	}
	at := rec.times("MatchPlexItem")
	if len(at) != 3 {
		t.Fatalf("MatchPlexItem attempts %d, want 3", len(at))
	}
	for i := 1; i < len(at); i++ {
		if gap := at[i].Sub(at[i-1]); gap < testTuning.NotInPlexInitial/2 {
			t.Errorf("gap %d = %v, want at least %v (slow retries)", i, gap, testTuning.NotInPlexInitial/2)
		}
	}
}

func TestNotInPlexGivesUpAfterItsTimeLimit(t *testing.T) {
	fx, acts := newFixture(t, 0)
	fx.AddScene(sim.SeedScene(8), false)
	_, rec, err := run(t, acts, "8", nil)
	if ae := appErr(t, err); ae.Type() != ErrNotInPlex {
		t.Fatalf("got %v", err)
	}
	at := rec.times("MatchPlexItem")
	if span := at[len(at)-1].Sub(at[0]); span > testTuning.NotInPlexFor || len(at) < 3 {
		t.Errorf("%d attempts over %v; want several, within %v", len(at), span, testTuning.NotInPlexFor)
	}
}

func TestDeletedSceneIsSkipped(t *testing.T) {
	_, acts := newFixture(t, 1)
	res, _, err := run(t, acts, "404", nil)
	if err != nil || res.Outcome != OutcomeSkipped || res.SkipReason == "" {
		t.Fatalf("got %+v, %v", res, err)
	}
}

func TestRescannedItemIsMatchedAgain(t *testing.T) {
	fx, acts := newFixture(t, 1)
	var once sync.Once
	res, rec, err := run(t, acts, "1", func(name string, _ int32) {
		if name == "ApplyMetadata" {
			once.Do(func() { fx.Plex.Rescan(fx.RatingKey(1)) })
		}
	})
	if err != nil || res.Outcome != OutcomeSynced {
		t.Fatalf("got %+v, %v", res, err)
	}
	if n := len(rec.times("MatchPlexItem")); n != 2 {
		t.Errorf("MatchPlexItem ran %d times, want 2", n)
	}
}

// A reconciliation hands over the item it matched; the sync does not ask
// Plex again.
func TestGivenMatchIsUsed(t *testing.T) {
	fx, acts := newFixture(t, 1)
	rk := strconv.Itoa(fx.RatingKey(1))
	res, rec, err := runInput(t, acts, SceneSyncInput{SceneID: "1", Reason: "reconcile", Match: PlexMatch{RatingKey: rk, Strategy: "path"}}, nil)
	if err != nil || res.Outcome != OutcomeSynced || res.RatingKey != rk || res.Strategy != "path" {
		t.Fatalf("got %+v, %v", res, err)
	}
	if n := len(rec.times("MatchPlexItem")); n != 0 {
		t.Errorf("MatchPlexItem ran %d times, want 0", n)
	}
}

// An item re-scanned since the reconciliation matched it is gone: the sync
// matches again and writes to the new item.
func TestGivenMatchOfRescannedItem(t *testing.T) {
	fx, acts := newFixture(t, 1)
	old := fx.RatingKey(1)
	now := fx.Plex.Rescan(old)
	res, rec, err := runInput(t, acts, SceneSyncInput{SceneID: "1", Reason: "reconcile", Match: PlexMatch{RatingKey: strconv.Itoa(old), Strategy: "path"}}, nil)
	if err != nil || res.Outcome != OutcomeSynced || res.RatingKey != strconv.Itoa(now) {
		t.Fatalf("got %+v, %v; want synced to item %d", res, err, now)
	}
	if n := len(rec.times("MatchPlexItem")); n != 1 {
		t.Errorf("MatchPlexItem ran %d times, want 1", n)
	}
}

func TestStaleTagsAreRemoved(t *testing.T) {
	fx, acts := newFixture(t, 1)
	fx.Plex.SetItem(fx.RatingKey(1), func(it *sim.PlexItem) {
		it.Tags["genre"] = []string{"Old Genre", "Another Old"}
		it.Tags["collection"] = []string{"Stale Collection"}
	})
	if _, _, err := run(t, acts, "1", nil); err != nil {
		t.Fatal(err)
	}
	it, _ := fx.Plex.Item(fx.RatingKey(1))
	sc, _ := fx.Stash.Scene(1)
	if strings.Join(it.Tags["genre"], "|") != strings.Join(sc.Tags, "|") || strings.Join(it.Tags["collection"], "|") != sc.Studio {
		t.Errorf("genres %q collections %q; want %q and [%s]", it.Tags["genre"], it.Tags["collection"], sc.Tags, sc.Studio)
	}
}
