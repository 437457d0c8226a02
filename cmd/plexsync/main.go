// Command plexsync keeps a Plex library's metadata in step with Stash, one
// Temporal workflow per scene.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	"go.temporal.io/sdk/client"

	"github.com/plexsync/plexsync/internal/config"
	"github.com/plexsync/plexsync/internal/httpapi"
	"github.com/plexsync/plexsync/internal/temporalx"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// app is what every subcommand shares: the loaded configuration and logger.
type app struct {
	configPath string
	debug      bool
	logFormat  string
	cfg        config.Config
	codec      *temporalx.Codec // nil: payloads are not encrypted
	log        *slog.Logger
}

func main() {
	a := &app{}
	root := &cobra.Command{
		Use:   "plexsync",
		Short: "Copy Stash scene metadata to Plex, durably, through Temporal",
		Long: `PlexSync copies each Stash scene's curated metadata (title, details, studio,
date, performers, tags, collections, rating, poster) to the matching Plex item.
Every scene sync is a Temporal workflow: retries, crash recovery and the
operator's view (Temporal Web UI) come from the Temporal server.

Start with "plexsync demo" to see it work against simulated servers.`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVarP(&a.configPath, "config", "c", os.Getenv("PLEXSYNC_CONFIG"),
		"config file (YAML); default $PLEXSYNC_CONFIG, else ./plexsync.yaml when present")
	root.PersistentFlags().BoolVar(&a.debug, "debug", false, "log at debug level")
	root.PersistentFlags().StringVar(&a.logFormat, "log-format", "", "log format: text or json (overrides log.format)")
	root.AddCommand(newWorkerCmd(a), newDevCmd(a), newDemoCmd(a), newSyncCmd(a), newReconcileCmd(a),
		newHookCmd(a), newScheduleCmd(a), newStatusCmd(a), newFailedCmd(a), newRetryCmd(a), newCodecServerCmd(a))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := root.ExecuteContext(ctx); err != nil {
		var ee exitError
		if errors.As(err, &ee) { // the command has said why
			os.Exit(int(ee))
		}
		fmt.Fprintln(os.Stderr, "plexsync:", httpapi.Redact(err.Error()))
		os.Exit(1)
	}
}

// exitError ends the program with a status after the command has explained
// itself.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// load reads the configuration and sets up logging. needPlex is false for
// commands that never talk to Plex.
func (a *app) load(needPlex bool) error {
	path := a.configPath
	if path == "" {
		if _, err := os.Stat("plexsync.yaml"); err == nil {
			path = "plexsync.yaml"
		}
	}
	cfg, err := config.Load(path, os.Getenv, needPlex)
	if err != nil {
		return err
	}
	codec, err := temporalx.LoadKeys(cfg.Encryption.Keys.Reveal(), cfg.Encryption.KeysFile)
	if err != nil {
		return fmt.Errorf("config: encryption: %w", err)
	}
	a.codec = codec
	if a.logFormat != "" {
		cfg.Log.Format = a.logFormat
	}
	if a.debug {
		cfg.Log.Level = "debug"
	}
	a.cfg, a.log = cfg, newLogger(os.Stderr, cfg.Log)
	slog.SetDefault(a.log)
	return nil
}

// newLogger passes every string through redaction, so a URL with a token
// in it cannot reach a log line.
func newLogger(w io.Writer, c config.Log) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(c.Level))
	opts := &slog.HandlerOptions{Level: lvl, ReplaceAttr: func(_ []string, at slog.Attr) slog.Attr {
		if at.Value.Kind() == slog.KindString {
			at.Value = slog.StringValue(httpapi.Redact(at.Value.String()))
		}
		return at
	}}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// withClient loads the configuration, connects, and runs f.
func (a *app) withClient(cmd *cobra.Command, f func(context.Context, client.Client) error) error {
	if err := a.load(false); err != nil {
		return err
	}
	c, err := a.dial(cmd.Context())
	if err != nil {
		return err
	}
	defer c.Close()
	return f(cmd.Context(), c)
}
