package main

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/plexsync/plexsync/internal/devserver"
	"github.com/plexsync/plexsync/internal/temporalx"
)

func newDevCmd(a *app) *cobra.Command {
	var dataDir string
	var uiPort int
	cmd := &cobra.Command{
		Use:   "dev",
		Short: "Run Temporal's dev server and a worker: everything for one machine",
		Long: `For a single machine with a real Stash and Plex: starts the pinned Temporal
dev server (its database in --data-dir survives restarts; Web UI on
--ui-port) on temporal.address, and a worker with your configuration. Ctrl-C
stops both. For bigger installs see docker-compose.yml.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := a.load(true); err != nil {
				return err
			}
			return a.dev(cmd.Context(), dataDir, uiPort)
		},
	}
	cmd.Flags().StringVar(&dataDir, "data-dir", ".data", "where the dev server keeps its database")
	cmd.Flags().IntVar(&uiPort, "ui-port", 8233, "Temporal Web UI port")
	return cmd
}

func (a *app) dev(ctx context.Context, dataDir string, uiPort int) error {
	host, portText, err := net.SplitHostPort(a.cfg.Temporal.Address)
	port, perr := strconv.Atoi(portText)
	if err != nil || perr != nil {
		return fmt.Errorf("temporal.address %q is not host:port", a.cfg.Temporal.Address)
	}
	if !portFree(port) {
		return fmt.Errorf("something already listens on %s; if it is Temporal, run `plexsync worker` instead", a.cfg.Temporal.Address)
	}
	bin, err := devserver.Find("bin")
	if err != nil {
		return err
	}
	srv, err := devserver.Start(ctx, devserver.Options{Binary: bin, DBFile: filepath.Join(dataDir, "temporal.db"),
		IP: host, Port: port, UIPort: uiPort, Namespaces: []string{a.cfg.Temporal.Namespace},
		Search: temporalx.SearchAttributes})
	if err != nil {
		return err
	}
	defer srv.Stop()
	a.log.Info("Temporal dev server started", "address", srv.Address, "webUI", srv.UIURL, "database", filepath.Join(dataDir, "temporal.db"))
	return a.runWorker(ctx)
}
