// Package testenv is the end-to-end test harness, shared by tests/,
// tests/reliability and the benchmarks: the pinned Temporal dev server, real
// workers, the simulated Stash and Plex, and the plexsync binary.
package testenv

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/plexsync/plexsync/internal/config"
	"github.com/plexsync/plexsync/internal/devserver"
	"github.com/plexsync/plexsync/internal/match"
	"github.com/plexsync/plexsync/internal/scene"
	"github.com/plexsync/plexsync/internal/sim"
	"github.com/plexsync/plexsync/internal/syncflow"
	"github.com/plexsync/plexsync/internal/temporalx"
)

// Credentials of every test environment; the suites check that they never
// reach a history, a log line or an output.
const (
	APIKey    = "e2e-stash-api-key-0f3a"
	PlexToken = "e2e-plex-token-77c1"
)

// Namespaces each Server registers; a test environment takes one.
const Namespaces = 40

// Root returns the repository root (the directory holding go.mod).
func Root() string {
	dir, _ := os.Getwd()
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}

// Server is a dev server with Namespaces namespaces, for one test package.
type Server struct {
	*devserver.Server
	dir  string
	next atomic.Int32
}

// StartServer starts the pinned dev server on a fresh database; call Close
// when the package's tests are done.
func StartServer() (*Server, error) {
	bin, err := devserver.Find(filepath.Join(Root(), "bin"))
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "plexsync-e2e-")
	if err != nil {
		return nil, err
	}
	ns := []string{"default"}
	for i := range Namespaces {
		ns = append(ns, NamespaceName(i))
	}
	srv, err := devserver.Start(context.Background(), devserver.Options{Binary: bin,
		DBFile: filepath.Join(dir, "temporal.db"), UIPort: -1, Namespaces: ns, Search: temporalx.SearchAttributes})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return &Server{Server: srv, dir: dir}, nil
}

// NamespaceName is the name of the i-th test namespace.
func NamespaceName(i int) string { return fmt.Sprintf("e2e-%02d", i) }

// Used says how many namespaces test environments have taken.
func (s *Server) Used() int { return int(s.next.Load()) }

// Close stops the server and removes its database.
func (s *Server) Close() {
	_ = s.Stop()
	os.RemoveAll(s.dir)
}

// suite logs: every log line of the package's workers and clients.
var (
	suiteLogs lockedBuffer
	// Log is the logger of test workers and clients.
	Log = slog.New(slog.NewTextHandler(&suiteLogs, &slog.HandlerOptions{Level: slog.LevelDebug}))
)

// Logs returns every line logged through Log so far.
func Logs() string { return suiteLogs.String() }

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Env is one test's world: simulators, a configuration pointing at them,
// a client in a namespace of its own and (unless NoWorker) a running worker.
type Env struct {
	Fx     *sim.Fixture
	Cfg    config.Config
	C      client.Client
	Codec  *temporalx.Codec // nil unless the env encrypts
	Server *Server
}

type settings struct {
	cfg      config.Config
	noWorker bool
}

// Option changes how an environment starts.
type Option func(*settings)

// Config changes the environment's configuration before it starts.
func Config(f func(*config.Config)) Option { return func(s *settings) { f(&s.cfg) } }

// Encrypted switches payload encryption on.
func Encrypted(s *settings) {
	s.cfg.Encryption.Keys = "test-key=" + config.Secret(base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32)))
}

// NoWorker leaves starting workers to the test (e.g. as processes).
func NoWorker(s *settings) { s.noWorker = true }

// New starts an environment with scenes seeded scenes.
func New(t testing.TB, srv *Server, scenes int, opts ...Option) *Env {
	t.Helper()
	n := int(srv.next.Add(1) - 1)
	if n >= Namespaces {
		t.Fatal("out of test namespaces; raise testenv.Namespaces")
	}
	fx, err := sim.NewFixture(scenes, APIKey, PlexToken)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fx.Close)
	cfg := config.Default()
	cfg.Stash.URL, cfg.Stash.APIKey = fx.Stash.URL, config.Secret(APIKey)
	cfg.Plex.URL, cfg.Plex.Token, cfg.Plex.Sections = fx.Plex.URL, config.Secret(PlexToken), []string{sim.Section}
	cfg.Plex.Timeout = config.Duration(2 * time.Second)
	cfg.Plex.ActivitiesPerSecond, cfg.Plex.RequestsPerSecond = 1000, 1000
	cfg.PathMappings = match.Mappings{{From: sim.StashRoot, To: sim.PlexRoot}}
	cfg.Temporal = config.Temporal{Address: srv.Address, Namespace: NamespaceName(n), TaskQueue: "plexsync"}
	cfg.SpoolPath = filepath.Join(t.TempDir(), "spool.jsonl")
	cfg.Retry = config.Retry{
		TransientInitial: config.Duration(100 * time.Millisecond), TransientMax: config.Duration(time.Second),
		TransientFor: config.Duration(2 * time.Minute), NotInPlexInitial: config.Duration(time.Second),
		NotInPlexMax: config.Duration(2 * time.Second), NotInPlexFor: config.Duration(2 * time.Minute),
		ActivityTimeout: config.Duration(30 * time.Second),
	}
	st := settings{cfg: cfg}
	for _, o := range opts {
		o(&st)
	}
	cfg = st.cfg
	if err := cfg.Validate(true); err != nil {
		t.Fatal(err)
	}
	codec, err := temporalx.LoadKeys(cfg.Encryption.Keys.Reveal(), "")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c, err := temporalx.Dial(ctx, cfg.Temporal, Log, codec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	if err := temporalx.EnsureSearchAttributes(ctx, c, cfg.Temporal.Namespace); err != nil {
		t.Fatal(err)
	}
	e := &Env{Fx: fx, Cfg: cfg, C: c, Codec: codec, Server: srv}
	if !st.noWorker {
		e.StartWorker(t)
	}
	return e
}

// StartWorker starts an in-process worker, stopped at cleanup.
func (e *Env) StartWorker(t testing.TB) syncflow.Workers {
	t.Helper()
	w, err := syncflow.NewWorker(e.C, e.Cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	return w
}

// Sync runs one scene's sync to its end, within a bounded time.
func (e *Env) Sync(t testing.TB, id int) (syncflow.SceneSyncResult, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	run, err := syncflow.StartSync(ctx, e.C, e.Cfg.Temporal.TaskQueue, fmt.Sprint(id), "test")
	if err != nil {
		t.Fatal(err)
	}
	var res syncflow.SceneSyncResult
	err = run.Get(ctx, &res)
	if ctx.Err() != nil {
		t.Fatalf("scene %d: sync did not finish within 90s", id)
	}
	return res, err
}

// Result waits for the current run of a scene's sync and returns its result.
func (e *Env) Result(t testing.TB, id int) syncflow.SceneSyncResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var res syncflow.SceneSyncResult
	if err := e.C.GetWorkflow(ctx, syncflow.WorkflowID(fmt.Sprint(id)), "").Get(ctx, &res); err != nil {
		t.Fatalf("scene %d: %v", id, err)
	}
	return res
}

// NoWorkflow fails the test when a sync workflow exists for the scene.
func (e *Env) NoWorkflow(t testing.TB, id int) {
	t.Helper()
	_, err := e.C.DescribeWorkflowExecution(context.Background(), syncflow.WorkflowID(fmt.Sprint(id)), "")
	var nf *serviceerror.NotFound
	if !errors.As(err, &nf) {
		t.Errorf("scene %d: a workflow exists (%v), want none", id, err)
	}
}

// Reconcile runs a reconciliation to its end, within limit.
func (e *Env) Reconcile(t testing.TB, in syncflow.ReconcileInput, limit time.Duration) syncflow.Progress {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	run, err := syncflow.StartReconcile(ctx, e.C, e.Cfg.Temporal.TaskQueue, syncflow.ReconcileID, in)
	if err != nil {
		t.Fatal(err)
	}
	var p syncflow.Progress
	if err := e.C.GetWorkflow(ctx, run.GetID(), "").Get(ctx, &p); err != nil {
		t.Fatalf("reconcile: %v", err)
	}
	return p
}

// ToScene converts a simulator scene the way the Stash client would.
func ToScene(s sim.StashScene) scene.Scene {
	return scene.Scene{ID: fmt.Sprint(s.ID), Title: s.Title, Details: s.Details, Date: s.Date, Rating100: s.Rating100,
		Studio: s.Studio, Performers: s.Performers, Tags: s.Tags, Groups: s.Groups, Files: s.Files,
		Screenshot: fmt.Sprintf("/scene/%d/screenshot?t=%d", s.ID, s.UpdatedAt.Unix()), UpdatedAt: s.UpdatedAt}
}

// InStep returns what differs between scene id's Plex item and the state
// Stash's data calls for (fields, tag lists without duplicates, locks,
// rating, one selected poster uploaded once); nil when they agree.
func (e *Env) InStep(id int) []string {
	sc, _ := e.Fx.Stash.Scene(id)
	want, err := scene.Build(ToScene(sc), e.Cfg.SceneOptions())
	if err != nil {
		return []string{err.Error()}
	}
	it, ok := e.Fx.Plex.Item(e.Fx.RatingKey(id))
	if !ok {
		return []string{"no Plex item"}
	}
	var diffs []string
	got := map[string]string{scene.FieldTitle: it.Title, scene.FieldSummary: it.Summary,
		scene.FieldStudio: it.Studio, scene.FieldDate: it.OriginallyAvailableAt}
	for f, v := range want.State.Fields {
		if got[f] != v || !it.Locked[f] {
			diffs = append(diffs, fmt.Sprintf("%s = %.40q (locked %v), want %.40q locked", f, got[f], it.Locked[f], v))
		}
	}
	for tag, v := range want.State.Tags {
		have, v := slices.Clone(it.Tags[tag]), slices.Clone(v)
		slices.Sort(have)
		slices.Sort(v)
		if !slices.Equal(have, v) || !it.Locked[tag] {
			diffs = append(diffs, fmt.Sprintf("%s = %q (locked %v), want %q locked", tag, have, it.Locked[tag], v))
		}
	}
	rating := scene.NoRating
	if it.UserRating != nil {
		rating = *it.UserRating
	}
	if rating != want.State.Rating {
		diffs = append(diffs, fmt.Sprintf("rating %v, want %v", rating, want.State.Rating))
	}
	sum := sha1.Sum(sim.ScreenshotBytes(sc))
	key := "upload://posters/" + hex.EncodeToString(sum[:])
	selected := slices.IndexFunc(it.Posters, func(p sim.PlexPoster) bool { return p.Selected && p.RatingKey == key })
	if want.Poster != "" && !slices.Equal(it.Tags[scene.TagLabel], []string{scene.PosterLabel(want.Poster)}) {
		diffs = append(diffs, fmt.Sprintf("labels %q, want the poster label %s alone", it.Tags[scene.TagLabel], scene.PosterLabel(want.Poster)))
	}
	if selected < 0 || it.Uploads != len(it.Posters) || !it.Locked["thumb"] {
		diffs = append(diffs, fmt.Sprintf("posters %v after %d uploads (thumb locked %v), want %s selected, each uploaded once",
			it.Posters, it.Uploads, it.Locked["thumb"], key))
	}
	return diffs
}

// AssertInStep fails the test unless scene id's Plex item is in step.
func (e *Env) AssertInStep(t testing.TB, id int) {
	t.Helper()
	for _, d := range e.InStep(id) {
		t.Errorf("scene %d: %s", id, d)
	}
}

// Writes counts the requests that changed something in Plex.
func Writes(p *sim.Plex) int {
	return len(p.Requests()) - p.Count("GET", "")
}

// WrittenItems returns the ratingKeys of the Plex items that received a write.
func WrittenItems(p *sim.Plex) map[string]bool {
	out := map[string]bool{}
	for _, r := range p.Requests() {
		switch {
		case r.Method == "GET":
		case r.Path == "/:/rate":
			out[r.Query.Get("key")] = true
		case strings.HasPrefix(r.Path, "/library/sections/"):
			out[r.Query.Get("id")] = true
		default: // /library/metadata/{rk}/poster(s)
			out[strings.Split(r.Path, "/")[3]] = true
		}
	}
	return out
}

// Eventually checks cond on a ticker until it holds or limit passes; for
// state with no event to wait on (Temporal's visibility store).
func Eventually(t testing.TB, limit time.Duration, cond func() bool, what string, args ...any) {
	t.Helper()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(limit)
	for !cond() {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("not within %v: "+what, append([]any{limit}, args...)...)
		}
	}
}

// SeedInStep writes the desired state of scenes first..last straight into
// the simulated Plex, as if they had been synced earlier: a fault scenario
// then starts from a library in step.
func (e *Env) SeedInStep(t testing.TB, first, last int) {
	t.Helper()
	for id := first; id <= last; id++ {
		sc, _ := e.Fx.Stash.Scene(id)
		d, err := scene.Build(ToScene(sc), e.Cfg.SceneOptions())
		if err != nil {
			t.Fatal(err)
		}
		sum := sha1.Sum(sim.ScreenshotBytes(sc))
		e.Fx.Plex.SetItem(e.Fx.RatingKey(id), func(it *sim.PlexItem) {
			f := d.State.Fields
			it.Title, it.Summary, it.Studio, it.OriginallyAvailableAt = f[scene.FieldTitle], f[scene.FieldSummary], f[scene.FieldStudio], f[scene.FieldDate]
			for tag, list := range d.State.Tags {
				it.Tags[tag] = slices.Clone(list)
				it.Locked[tag] = true
			}
			for name := range f {
				it.Locked[name] = true
			}
			it.Locked["thumb"] = true
			it.Tags[scene.TagLabel] = []string{scene.PosterLabel(d.Poster)}
			it.UserRating = nil
			if r := d.State.Rating; r != scene.NoRating {
				it.UserRating = &r
			}
			it.Posters, it.Uploads = []sim.PlexPoster{{RatingKey: "upload://posters/" + hex.EncodeToString(sum[:]), Selected: true}}, 1
		})
		if diffs := e.InStep(id); len(diffs) > 0 {
			t.Fatalf("scene %d not in step after seeding: %v", id, diffs)
		}
	}
}

// Figure reports a measured figure: in the test log, and appended to the
// file $PLEXSYNC_FIGURES when set (make test prints it at the end).
func Figure(t testing.TB, format string, args ...any) {
	t.Helper()
	line := fmt.Sprintf("%s: %s", t.Name(), fmt.Sprintf(format, args...))
	t.Log(line)
	if path := os.Getenv("PLEXSYNC_FIGURES"); path != "" {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			t.Error(err)
			return
		}
		defer f.Close()
		fmt.Fprintln(f, line)
	}
}

// WriteConfig writes the parts of the environment's configuration that have
// no environment variable (timeouts, retry tuning, path mappings) to a YAML
// file for plexsync processes, and returns its path.
func (e *Env) WriteConfig(t testing.TB) string {
	t.Helper()
	r, p := e.Cfg.Retry, e.Cfg.Plex
	body := fmt.Sprintf(`plex:
  timeout: %s
  activities_per_second: %g
  requests_per_second: %g
  breaker_failures: %d
  breaker_cooldown: %s
retry:
  transient_initial: %s
  transient_max: %s
  transient_for: %s
  not_in_plex_initial: %s
  not_in_plex_max: %s
  not_in_plex_for: %s
  activity_timeout: %s
path_mappings:
  - {from: %q, to: %q}
`, p.Timeout.D(), p.ActivitiesPerSecond, p.RequestsPerSecond, p.BreakerFailures, p.BreakerCooldown.D(),
		r.TransientInitial.D(), r.TransientMax.D(), r.TransientFor.D(), r.NotInPlexInitial.D(), r.NotInPlexMax.D(),
		r.NotInPlexFor.D(), r.ActivityTimeout.D(), sim.StashRoot, sim.PlexRoot)
	path := filepath.Join(t.TempDir(), "plexsync.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Main starts a Server for a test package, runs its tests and stops the
// server; for TestMain: os.Exit(testenv.Main(m, &srv)).
func Main(m *testing.M, srv **Server) int {
	s, err := StartServer()
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting the Temporal dev server:", err)
		return 1
	}
	defer s.Close()
	*srv = s
	return m.Run()
}
