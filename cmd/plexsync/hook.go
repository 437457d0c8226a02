package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/spf13/cobra"
	"go.temporal.io/sdk/client"

	"github.com/plexsync/plexsync/internal/spool"
	"github.com/plexsync/plexsync/internal/stash"
	"github.com/plexsync/plexsync/internal/syncflow"
	"github.com/plexsync/plexsync/internal/temporalx"
)

// hookDialTimeout bounds how long a hook waits for Temporal: Stash waits for
// the hook before it finishes saving the scene.
const hookDialTimeout = 3 * time.Second

func newHookCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "hook",
		Short: "Entry point for the Stash plugin (reads Stash's JSON on stdin)",
		Long: `Stash runs this for the plugin's hooks and tasks, with its JSON on stdin.

A Scene.Create.Post or Scene.Update.Post hook that changed a synced field
requests that scene's sync (signal-with-start of scene-sync/<id>) and returns
as soon as Temporal has accepted it. Other hooks, scan-driven updates and
edits of fields PlexSync does not sync are ignored. When Temporal cannot be
reached within 3s the event is written to the local spool (spool_path) and
sent later by the next hook, by "plexsync worker" at start-up, or by
"plexsync reconcile": nothing is lost. Tasks (args.mode) run
reconcile-recent, reconcile-all or status. Needs no Plex token.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.hook(cmd.Context(), cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
}

// stashReply speaks Stash's raw plugin protocol: one JSON object on stdout,
// log lines on stderr prefixed with 0x01, a level letter and 0x02.
type stashReply struct{ out, log io.Writer }

func (r stashReply) logf(level byte, format string, args ...any) {
	fmt.Fprintf(r.log, "\x01%c\x02%s\n", level, fmt.Sprintf(format, args...))
}

func (r stashReply) output(format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	r.logf('i', "%s", msg)
	return json.NewEncoder(r.out).Encode(map[string]string{"output": msg})
}

func (r stashReply) fail(err error) error {
	r.logf('e', "%v", err)
	_ = json.NewEncoder(r.out).Encode(map[string]string{"error": err.Error()})
	return exitError(1)
}

func (a *app) hook(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer) error {
	r := stashReply{out: stdout, log: stderr}
	in, err := stash.ParsePluginInput(stdin)
	if err != nil {
		return r.fail(err)
	}
	if err := a.load(false); err != nil {
		return r.fail(err)
	}
	a.log = slog.New(slog.NewTextHandler(io.Discard, nil)) // Stash's log gets our lines only
	if in.Args.Mode != "" {
		return a.task(ctx, r, in.Args.Mode)
	}
	d, err := in.Args.HookContext.Decide()
	if err != nil {
		return r.fail(err)
	}
	if !d.Sync {
		return r.output("%s", d.Why)
	}
	c, err := a.dialWithin(ctx, hookDialTimeout)
	if err == nil {
		defer c.Close()
		a.flushSpool(ctx, c, r)
		if _, err = syncflow.StartSync(ctx, c, a.cfg.Temporal.TaskQueue, d.SceneID, "hook"); err == nil {
			return r.output("%s: sync requested (workflow %s)", d.Why, syncflow.WorkflowID(d.SceneID))
		}
	}
	return a.spoolEvent(r, d.SceneID, err)
}

// spoolEvent keeps a sync request that Temporal did not take.
func (a *app) spoolEvent(r stashReply, sceneID string, cause error) error {
	sp := spool.New(a.cfg.SpoolPath)
	if err := sp.Append(spool.Entry{SceneID: sceneID, Reason: "hook", At: time.Now().UTC()}); err != nil {
		return r.fail(fmt.Errorf("the sync of scene %s reached neither Temporal (%v) nor the spool: %w", sceneID, cause, err))
	}
	r.logf('w', "Temporal at %s did not take the sync of scene %s (%v); it is spooled in %s and will be sent by the next hook, `plexsync worker` at start-up or `plexsync reconcile`",
		a.cfg.Temporal.Address, sceneID, cause, sp.Path())
	return r.output("scene %s spooled: Temporal unreachable", sceneID)
}

// logger is what flushSpool reports to: Stash's log or slog.
type logger interface {
	logf(level byte, format string, args ...any)
}

type slogLogger struct{ *slog.Logger }

func (l slogLogger) logf(level byte, format string, args ...any) {
	lvl := slog.LevelInfo
	if level == 'w' || level == 'e' {
		lvl = slog.LevelWarn
	}
	l.Log(context.Background(), lvl, fmt.Sprintf(format, args...))
}

// flushSpool sends spooled events; those Temporal still refuses stay.
func (a *app) flushSpool(ctx context.Context, c client.Client, log logger) {
	sp := spool.New(a.cfg.SpoolPath)
	n, err := sp.Flush(func(e spool.Entry) error {
		_, err := syncflow.StartSync(ctx, c, a.cfg.Temporal.TaskQueue, e.SceneID, e.Reason+", spooled")
		return err
	})
	if n > 0 {
		log.logf('i', "sent %d spooled sync request(s) from %s", n, sp.Path())
	}
	if err != nil {
		log.logf('w', "could not send every spooled sync request from %s: %v", sp.Path(), err)
	}
}

// dialWithin connects to Temporal, giving up after limit.
func (a *app) dialWithin(ctx context.Context, limit time.Duration) (client.Client, error) {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	return temporalx.Dial(ctx, a.cfg.Temporal, a.log, a.codec)
}

// task runs a plugin task (Settings > Tasks in Stash).
func (a *app) task(ctx context.Context, r stashReply, mode string) error {
	c, err := a.dialWithin(ctx, 10*time.Second)
	if err != nil {
		return r.fail(err)
	}
	defer c.Close()
	switch mode {
	case "reconcile-recent", "reconcile-all":
		in := a.reconcileInput(syncflow.ScopeAll, 0, nil)
		if mode == "reconcile-recent" {
			in = a.reconcileInput(syncflow.ScopeRecent, 24*time.Hour, nil)
		}
		a.flushSpool(ctx, c, r)
		run, err := a.startReconcile(ctx, c, in)
		if err != nil {
			return r.fail(err)
		}
		return r.output("%s: started (workflow %s); follow it in the Temporal Web UI or with `plexsync reconcile --attach`",
			syncflow.ReconcileSummary(in), run.GetID())
	case "status":
		st, err := a.gatherStatus(ctx, c)
		if err != nil {
			return r.fail(err)
		}
		return r.output("%s", st.oneLine())
	}
	return r.fail(fmt.Errorf("unknown task mode %q; the plugin's tasks use reconcile-recent, reconcile-all and status", mode))
}
