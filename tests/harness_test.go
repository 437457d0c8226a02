// Package tests holds end-to-end tests: a real Temporal dev server (the
// pinned CLI in ../bin), real workers, and the simulated Stash and Plex.
package tests

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/plexsync/plexsync/internal/config"
	"github.com/plexsync/plexsync/internal/devserver"
	"github.com/plexsync/plexsync/internal/match"
	"github.com/plexsync/plexsync/internal/scene"
	"github.com/plexsync/plexsync/internal/sim"
	"github.com/plexsync/plexsync/internal/syncflow"
	"github.com/plexsync/plexsync/internal/temporalx"
)

const namespaces = 40 // one per test environment; a test uses one

var (
	server *devserver.Server
	nextNS atomic.Int32
	// suiteLogs collects every log line of the suite's workers and clients;
	// the last test checks it for credentials.
	suiteLogs lockedBuffer
	suiteLog  = slog.New(slog.NewTextHandler(&suiteLogs, &slog.HandlerOptions{Level: slog.LevelDebug}))
)

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

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	bin, err := devserver.Find("../bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	dir, err := os.MkdirTemp("", "plexsync-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	ns := []string{"default"}
	for i := range namespaces {
		ns = append(ns, fmt.Sprintf("e2e-%02d", i))
	}
	server, err = devserver.Start(context.Background(), devserver.Options{Binary: bin,
		DBFile: filepath.Join(dir, "temporal.db"), UIPort: -1, Namespaces: ns, Search: temporalx.SearchAttributes})
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer server.Stop()
	return m.Run()
}

// env is one test's world: simulators, a config pointing at them, a client
// in a namespace of its own and a running worker.
type env struct {
	fx    *sim.Fixture
	cfg   config.Config
	c     client.Client
	codec *temporalx.Codec // nil unless the env encrypts
}

// encrypted switches payload encryption on for an env.
func encrypted(c *config.Config) {
	c.Encryption.Keys = "test-key=" + config.Secret(base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32)))
}

const (
	apiKey    = "e2e-stash-api-key-0f3a"
	plexToken = "e2e-plex-token-77c1"
)

// newEnv starts a world with scenes seeded scenes; opts may change the
// configuration before the worker starts.
func newEnv(t *testing.T, scenes int, opts ...func(*config.Config)) *env {
	t.Helper()
	n := nextNS.Add(1) - 1
	if n >= namespaces {
		t.Fatal("out of test namespaces; raise the namespaces constant")
	}
	fx, err := sim.NewFixture(scenes, apiKey, plexToken)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fx.Close)
	cfg := config.Default()
	cfg.Stash.URL, cfg.Stash.APIKey = fx.Stash.URL, config.Secret(apiKey)
	cfg.Plex.URL, cfg.Plex.Token, cfg.Plex.Sections = fx.Plex.URL, config.Secret(plexToken), []string{sim.Section}
	cfg.Plex.Timeout = config.Duration(2 * time.Second)
	cfg.PathMappings = match.Mappings{{From: sim.StashRoot, To: sim.PlexRoot}}
	cfg.Temporal = config.Temporal{Address: server.Address, Namespace: fmt.Sprintf("e2e-%02d", n), TaskQueue: "plexsync"}
	cfg.SpoolPath = filepath.Join(t.TempDir(), "spool.jsonl")
	cfg.Retry = config.Retry{
		TransientInitial: config.Duration(100 * time.Millisecond), TransientMax: config.Duration(time.Second),
		TransientFor: config.Duration(2 * time.Minute), NotInPlexInitial: config.Duration(time.Second),
		NotInPlexMax: config.Duration(2 * time.Second), NotInPlexFor: config.Duration(2 * time.Minute),
	}
	for _, o := range opts {
		o(&cfg)
	}
	if err := cfg.Validate(true); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	codec, err := temporalx.LoadKeys(cfg.Encryption.Keys.Reveal(), "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := temporalx.Dial(ctx, cfg.Temporal, suiteLog, codec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	if err := temporalx.EnsureSearchAttributes(ctx, c, cfg.Temporal.Namespace); err != nil {
		t.Fatal(err)
	}
	w, err := syncflow.NewWorker(c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	return &env{fx: fx, cfg: cfg, c: c, codec: codec}
}

// sync runs one scene's sync to its end, within a bounded time.
func (e *env) sync(t *testing.T, id int) (syncflow.SceneSyncResult, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	run, err := syncflow.StartSync(ctx, e.c, e.cfg.Temporal.TaskQueue, fmt.Sprint(id), "test")
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

// toScene converts a simulator scene the way the Stash client would.
func toScene(s sim.StashScene) scene.Scene {
	return scene.Scene{ID: fmt.Sprint(s.ID), Title: s.Title, Details: s.Details, Date: s.Date, Rating100: s.Rating100,
		Studio: s.Studio, Performers: s.Performers, Tags: s.Tags, Groups: s.Groups, Files: s.Files}
}

// assertInStep checks that scene id's Plex item holds exactly the desired
// state: every managed field and tag list, locks, rating, and the Stash
// screenshot as the one selected poster, uploaded once.
func (e *env) assertInStep(t *testing.T, id int) {
	t.Helper()
	sc, _ := e.fx.Stash.Scene(id)
	want, err := scene.Build(toScene(sc), e.cfg.SceneOptions())
	if err != nil {
		t.Fatalf("scene %d: %v", id, err)
	}
	it, ok := e.fx.Plex.Item(e.fx.RatingKey(id))
	if !ok {
		t.Fatalf("scene %d: no Plex item", id)
	}
	got := map[string]string{scene.FieldTitle: it.Title, scene.FieldSummary: it.Summary,
		scene.FieldStudio: it.Studio, scene.FieldDate: it.OriginallyAvailableAt}
	for f, v := range want.State.Fields {
		if got[f] != v || !it.Locked[f] {
			t.Errorf("scene %d: %s = %q (locked %v), want %q locked", id, f, got[f], it.Locked[f], v)
		}
	}
	for tag, v := range want.State.Tags {
		have := slices.Clone(it.Tags[tag])
		v = slices.Clone(v)
		slices.Sort(have)
		slices.Sort(v)
		if !slices.Equal(have, v) || !it.Locked[tag] {
			t.Errorf("scene %d: %s = %q (locked %v), want %q locked", id, tag, have, it.Locked[tag], v)
		}
	}
	rating := scene.NoRating
	if it.UserRating != nil {
		rating = *it.UserRating
	}
	if rating != want.State.Rating {
		t.Errorf("scene %d: rating %v, want %v", id, rating, want.State.Rating)
	}
	sum := sha1.Sum(sim.ScreenshotBytes(sc))
	key := "upload://posters/" + hex.EncodeToString(sum[:])
	selected := slices.IndexFunc(it.Posters, func(p sim.PlexPoster) bool { return p.Selected && p.RatingKey == key })
	if selected < 0 || it.Uploads != len(it.Posters) || !it.Locked["thumb"] {
		t.Errorf("scene %d: posters %+v after %d uploads (thumb locked %v); want %s selected, each uploaded once",
			id, it.Posters, it.Uploads, it.Locked["thumb"], key)
	}
}

// writes counts the requests that changed something in Plex.
func writes(p *sim.Plex) int {
	return len(p.Requests()) - p.Count("GET", "")
}

// eventually checks cond on a ticker until it holds or limit passes; for
// state with no event to wait on (Temporal's visibility store).
func eventually(t *testing.T, limit time.Duration, cond func() bool, what string, args ...any) {
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
