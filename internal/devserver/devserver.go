// Package devserver runs the pinned Temporal CLI dev server (`temporal
// server start-dev`) as a child process, for `plexsync dev`, the demo and the
// end-to-end tests.
package devserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	"log/slog"
)

// Options configure a dev server.
type Options struct {
	Binary     string   // path to the temporal CLI
	DBFile     string   // SQLite file; the data survives restarts
	IP         string   // default 127.0.0.1
	Port       int      // frontend gRPC port; 0 picks a free one
	UIPort     int      // Web UI port; 0 picks a free one; -1 disables the UI
	Namespaces []string // registered at start; the first is the default
	Search     []string // Keyword search attributes to register
	Pragmas    []string // SQLite pragmas, "NAME=VALUE"; WALPragmas when nil and DBFile is set
	Log        io.Writer
	StartLimit time.Duration // how long to wait for it to answer; default 60s
}

// WALPragmas make SQLite write through a write-ahead log, syncing at
// checkpoints: about twice the throughput of the default journal. A killed
// server loses nothing; a power cut may lose the last moments of work, which
// the next sync or scheduled reconciliation repeats (every step is
// idempotent).
var WALPragmas = []string{"journal_mode=wal", "synchronous=normal"}

// dynamicConfig suits a server with one machine's workers; together about a
// third more syncs per second (issue 5). One partition per task queue: the
// default four spread a few pollers thin and forward tasks between
// partitions. Search attributes from the server's cache: the CLI turns on a
// database read per request so that attributes created at run time show at
// once, but ours are registered before the server starts.
var dynamicConfig = []string{
	"matching.numTaskqueueReadPartitions=1",
	"matching.numTaskqueueWritePartitions=1",
	"system.forceSearchAttributesCacheRefreshOnRead=false",
}

// Server is a running dev server.
type Server struct {
	Address string // host:port for clients
	UIURL   string // empty when headless
	opts    Options
	cmd     *exec.Cmd
	exited  chan struct{}
	waitErr error
	stderr  *tail
}

// Find returns the temporal binary to use: $PLEXSYNC_TEMPORAL_BIN, then
// bin/temporal beside the running executable or under dir, then PATH.
func Find(dirs ...string) (string, error) {
	if p := os.Getenv("PLEXSYNC_TEMPORAL_BIN"); p != "" {
		return p, nil
	}
	if exe, err := os.Executable(); err == nil {
		dirs = append(dirs, filepath.Dir(exe), filepath.Join(filepath.Dir(exe), ".."))
	}
	for _, d := range dirs {
		for _, p := range []string{filepath.Join(d, "temporal"), filepath.Join(d, "bin", "temporal")} {
			if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
				return filepath.Abs(p)
			}
		}
	}
	if p, err := exec.LookPath("temporal"); err == nil {
		return p, nil
	}
	return "", errors.New("the Temporal CLI was not found; run `make setup` (it builds the pinned version into ./bin) or set PLEXSYNC_TEMPORAL_BIN")
}

// FreePort asks the kernel for an unused loopback port.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Start launches the dev server and returns once it answers health checks.
func Start(ctx context.Context, o Options) (*Server, error) {
	if o.IP == "" {
		o.IP = "127.0.0.1"
	}
	if o.StartLimit == 0 {
		o.StartLimit = 60 * time.Second
	}
	if o.Pragmas == nil && o.DBFile != "" {
		o.Pragmas = WALPragmas
	}
	if len(o.Namespaces) == 0 {
		o.Namespaces = []string{"default"}
	}
	var err error
	if o.Port == 0 {
		if o.Port, err = FreePort(); err != nil {
			return nil, err
		}
	}
	if o.UIPort == 0 {
		if o.UIPort, err = FreePort(); err != nil {
			return nil, err
		}
	}
	s := &Server{Address: net.JoinHostPort(o.IP, strconv.Itoa(o.Port)), opts: o, stderr: &tail{}}
	if o.UIPort > 0 {
		s.UIURL = fmt.Sprintf("http://%s:%d", o.IP, o.UIPort)
	}
	if err := s.launch(); err != nil {
		return nil, err
	}
	if err := s.waitReady(ctx); err != nil {
		s.Kill()
		return nil, err
	}
	return s, nil
}

func (s *Server) args() []string {
	o := s.opts
	a := []string{"server", "start-dev", "--ip", o.IP, "--port", strconv.Itoa(o.Port),
		"--log-level", "warn", "--log-format", "pretty"}
	if o.DBFile != "" {
		a = append(a, "--db-filename", o.DBFile)
	}
	if o.UIPort > 0 {
		a = append(a, "--ui-port", strconv.Itoa(o.UIPort))
	} else {
		a = append(a, "--headless")
	}
	for _, ns := range o.Namespaces {
		a = append(a, "--namespace", ns)
	}
	for _, sa := range o.Search {
		a = append(a, "--search-attribute", sa+"=Keyword")
	}
	for _, p := range o.Pragmas {
		a = append(a, "--sqlite-pragma", p)
	}
	for _, d := range dynamicConfig {
		a = append(a, "--dynamic-config-value", d)
	}
	return a
}

func (s *Server) launch() error {
	if s.opts.DBFile != "" {
		if err := os.MkdirAll(filepath.Dir(s.opts.DBFile), 0o755); err != nil {
			return err
		}
	}
	cmd := exec.Command(s.opts.Binary, s.args()...)
	var out io.Writer = s.stderr
	if s.opts.Log != nil {
		out = io.MultiWriter(s.stderr, s.opts.Log)
	}
	cmd.Stdout, cmd.Stderr = out, out
	// Its own process group, so that Ctrl-C in a terminal reaches only us and
	// we stop it in order.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", s.opts.Binary, err)
	}
	s.cmd, s.exited = cmd, make(chan struct{})
	go func() {
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()
	return nil
}

// waitReady polls the frontend until it answers, the process exits, or the
// start limit passes.
func (s *Server) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.opts.StartLimit)
	defer cancel()
	quiet := tlog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		c, err := client.DialContext(ctx, client.Options{HostPort: s.Address, Namespace: s.opts.Namespaces[0], Logger: quiet})
		if err == nil {
			_, err = c.CheckHealth(ctx, &client.CheckHealthRequest{})
			c.Close()
			if err == nil {
				return nil
			}
		}
		select {
		case <-s.exited:
			return fmt.Errorf("temporal dev server exited during start-up (%v): %s", s.waitErr, s.stderr.String())
		case <-ctx.Done():
			return fmt.Errorf("temporal dev server did not answer at %s within %s: %s", s.Address, s.opts.StartLimit, s.stderr.String())
		case <-tick.C:
		}
	}
}

// Stop asks the server to shut down and waits up to 15s before killing it.
func (s *Server) Stop() error {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
		return nil
	case <-time.After(15 * time.Second):
		s.Kill()
		return errors.New("temporal dev server did not stop within 15s; killed it")
	}
}

// Kill stops the server at once, as a crash would.
func (s *Server) Kill() {
	_ = s.cmd.Process.Kill()
	<-s.exited
}

// Restart starts the server again with the same options (and database).
func (s *Server) Restart(ctx context.Context) error {
	if err := s.launch(); err != nil {
		return err
	}
	return s.waitReady(ctx)
}

// tail keeps the last few KiB of the server's output for error messages.
type tail struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf.Write(p)
	if t.buf.Len() > 8<<10 {
		b := t.buf.Bytes()[t.buf.Len()-4<<10:]
		t.buf.Reset()
		t.buf.Write(b)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}
