package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"go.temporal.io/sdk/client"
	"golang.org/x/term"

	"github.com/plexsync/plexsync/internal/config"
	"github.com/plexsync/plexsync/internal/devserver"
	"github.com/plexsync/plexsync/internal/match"
	"github.com/plexsync/plexsync/internal/sim"
	"github.com/plexsync/plexsync/internal/syncflow"
	"github.com/plexsync/plexsync/internal/temporalx"
)

type demoOptions struct {
	scenes  int
	exit    bool
	dataDir string
}

func newDemoCmd(a *app) *cobra.Command {
	var o demoOptions
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Sync a simulated Stash library to a simulated Plex through Temporal",
		Long: `Run the whole pipeline on this machine with nothing to configure: a
Temporal dev server of its own (data in --data-dir, Web UI on :8233 when
free), a worker, and simulated Stash and Plex servers seeded with scenes.
A few realistic troubles are injected: Plex answering 503 and 429 for a
while, a file Plex has not scanned yet, a scene with an invalid date and one
deleted from Stash. Every scene is synced, a summary is printed, and the
demo keeps running so that you can browse the runs in the Web UI until you
press Ctrl-C.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.load(false); err != nil {
				return err
			}
			return a.demo(cmd.Context(), cmd.OutOrStdout(), o)
		},
	}
	cmd.Flags().IntVar(&o.scenes, "scenes", 36, "number of seeded scenes")
	cmd.Flags().BoolVar(&o.exit, "exit", false, "exit after the summary instead of waiting for Ctrl-C")
	cmd.Flags().StringVar(&o.dataDir, "data-dir", ".data/demo", "where the demo keeps its Temporal database and log")
	return cmd
}

// demo troubles: scene IDs after the seeded ones.
const (
	troubleInvalid = iota + 1
	troubleNotScanned
	troubleDeleted
)

func (a *app) demo(ctx context.Context, out io.Writer, o demoOptions) error {
	if o.scenes < 1 {
		return fmt.Errorf("--scenes must be at least 1")
	}
	logFile, err := a.demoLog(o.dataDir)
	if err != nil {
		return err
	}
	defer logFile.Close()

	fx, err := sim.NewFixture(o.scenes, randomSecret(), randomSecret())
	if err != nil {
		return err
	}
	defer fx.Close()
	ids := addTroubles(fx, o.scenes)
	fmt.Fprintf(out, "Simulated Stash at %s and Plex at %s with %d scenes.\n", fx.Stash.URL, fx.Plex.URL, o.scenes+2)

	srv, err := startDemoServer(ctx, o.dataDir, logFile)
	if err != nil {
		return err
	}
	defer srv.Stop()
	cfg := demoConfig(a.cfg, fx, srv.Address)
	c, err := temporalx.Dial(ctx, cfg.Temporal, a.log, a.codec)
	if err != nil {
		return err
	}
	defer c.Close()
	w, err := syncflow.NewWorker(c, cfg)
	if err != nil {
		return err
	}
	if err := w.Start(); err != nil {
		return err
	}
	defer w.Stop()

	rows, err := syncAll(ctx, c, cfg.Temporal.TaskQueue, fx, ids, out)
	if err != nil {
		return err
	}
	fmt.Fprintln(out)
	printResults(out, rows)
	fmt.Fprintf(out, "\n%s\nPlex requests: %d reads, %d writes. Worker log: %s\n",
		countOutcomes(rows), fx.Plex.Count("GET", ""), len(fx.Plex.Requests())-fx.Plex.Count("GET", ""), logFile.Name())
	fmt.Fprintf(out, "Temporal Web UI: %s/namespaces/default/workflows\n", srv.UIURL)
	if o.exit {
		return nil
	}
	fmt.Fprintln(out, "The demo keeps running so that you can look around. Press Ctrl-C to stop.")
	<-ctx.Done()
	fmt.Fprintln(out, "\nStopping the worker, the Temporal dev server and the simulators.")
	return nil
}

// demoLog sends logs to a file so that the terminal shows the progress bar.
func (a *app) demoLog(dir string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(filepath.Join(dir, "plexsync.log"))
	if err != nil {
		return nil, err
	}
	lvl := slog.LevelInfo
	if a.debug {
		lvl = slog.LevelDebug
	}
	a.log = slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: lvl}))
	slog.SetDefault(a.log)
	return f, nil
}

func randomSecret() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// addTroubles injects what users meet in real life and returns every scene
// ID to sync.
func addTroubles(fx *sim.Fixture, n int) []string {
	bad := sim.SeedScene(n + troubleInvalid)
	bad.Date = "2023-02-30"
	fx.AddScene(bad, true)
	late := sim.SeedScene(n + troubleNotScanned)
	fx.AddScene(late, false)
	time.AfterFunc(4*time.Second, func() { fx.ScanIntoPlex(late.ID) }) // Plex's scan catches up
	fx.Plex.AddFault(sim.Fault{Path: "/library/metadata/", Status: 503, Times: 4})
	fx.Plex.AddFault(sim.Fault{Path: "/library/metadata/", Status: 429, RetryAfter: "2", Times: 1})
	var ids []string
	for i := 1; i <= n+troubleDeleted; i++ {
		ids = append(ids, strconv.Itoa(i))
	}
	return ids
}

// startDemoServer runs a dev server of the demo's own, so that demo runs
// never mix with real syncs; it takes the usual ports when they are free.
func startDemoServer(ctx context.Context, dataDir string, log io.Writer) (*devserver.Server, error) {
	bin, err := devserver.Find("bin")
	if err != nil {
		return nil, err
	}
	port, ui := 7233, 8233
	if !portFree(port) || !portFree(ui) {
		port, ui = 0, 0
	}
	return devserver.Start(ctx, devserver.Options{Binary: bin, DBFile: filepath.Join(dataDir, "temporal.db"),
		Port: port, UIPort: ui, Search: temporalx.SearchAttributes, Log: log})
}

func portFree(p int) bool {
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

func demoConfig(base config.Config, fx *sim.Fixture, address string) config.Config {
	c := base
	c.Stash.URL, c.Stash.APIKey = fx.Stash.URL, config.Secret(fx.APIKey)
	c.Plex.URL, c.Plex.Token, c.Plex.Sections = fx.Plex.URL, config.Secret(fx.PlexToken), []string{sim.Section}
	c.PathMappings = match.Mappings{{From: sim.StashRoot, To: sim.PlexRoot}}
	c.Temporal = config.Temporal{Address: address, Namespace: "default", TaskQueue: "plexsync-demo"}
	c.Retry = config.Retry{
		TransientInitial: config.Duration(250 * time.Millisecond), TransientMax: config.Duration(2 * time.Second),
		TransientFor: config.Duration(5 * time.Minute), NotInPlexInitial: config.Duration(2 * time.Second),
		NotInPlexMax: config.Duration(4 * time.Second), NotInPlexFor: config.Duration(2 * time.Minute),
		ActivityTimeout: config.Duration(time.Minute),
	}
	return c
}

// syncAll starts every scene's sync and waits for all, with a progress bar.
func syncAll(ctx context.Context, c client.Client, queue string, fx *sim.Fixture, ids []string, out io.Writer) ([]resultRow, error) {
	rows := make([]resultRow, len(ids))
	runs := make([]client.WorkflowRun, len(ids))
	for i, id := range ids {
		run, err := syncflow.StartSync(ctx, c, queue, id, "demo")
		if err != nil {
			return nil, err
		}
		runs[i] = run
		n, _ := strconv.Atoi(id)
		sc, _ := fx.Stash.Scene(n)
		rows[i] = resultRow{SceneID: id, Title: dash(sc.Title)}
	}
	bar := newBar(len(ids), "Syncing scenes", out)
	var wg sync.WaitGroup
	for i := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rows[i].Err = runs[i].Get(ctx, &rows[i].Result)
			_ = bar.Add(1)
		}()
	}
	wg.Wait()
	_ = bar.Finish()
	return rows, ctx.Err()
}

// newBar draws a progress bar on a terminal and stays quiet elsewhere.
func newBar(n int, what string, out io.Writer) *progressbar.ProgressBar {
	f, ok := out.(*os.File)
	visible := ok && term.IsTerminal(int(f.Fd()))
	return progressbar.NewOptions(n, progressbar.OptionSetDescription(what), progressbar.OptionSetWriter(out),
		progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("scenes"),
		progressbar.OptionSetPredictTime(true), progressbar.OptionSetVisibility(visible),
		progressbar.OptionClearOnFinish())
}

func countOutcomes(rows []resultRow) string {
	counts := map[string]int{}
	for _, r := range rows {
		o := r.Result.Outcome
		if r.Err != nil {
			o = "failed"
		}
		counts[o]++
	}
	return fmt.Sprintf("%d scenes: %d synced, %d unchanged, %d skipped, %d failed",
		len(rows), counts[syncflow.OutcomeSynced], counts[syncflow.OutcomeUnchanged], counts[syncflow.OutcomeSkipped], counts["failed"])
}
