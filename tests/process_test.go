package tests

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/plexsync/plexsync/internal/devserver"
	"github.com/plexsync/plexsync/internal/sim"
)

// proc is a plexsync process whose output a test can wait on.
type proc struct {
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  bytes.Buffer
	seen chan string // every output line
	done chan error
}

func (e *env) start(t *testing.T, extraEnv []string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(buildCLI(t), args...), seen: make(chan string, 1000), done: make(chan error, 1)}
	p.cmd.Env = append(os.Environ(), "PLEXSYNC_CONFIG=", "PLEXSYNC_STASH_URL="+e.cfg.Stash.URL, "PLEXSYNC_STASH_API_KEY="+apiKey,
		"PLEXSYNC_PLEX_URL="+e.cfg.Plex.URL, "PLEXSYNC_PLEX_TOKEN="+plexToken, "PLEXSYNC_PLEX_SECTIONS="+sim.Section,
		"PLEXSYNC_TEMPORAL_ADDRESS="+e.cfg.Temporal.Address, "PLEXSYNC_TEMPORAL_NAMESPACE="+e.cfg.Temporal.Namespace,
		"PLEXSYNC_SPOOL_PATH="+e.cfg.SpoolPath, "PLEXSYNC_TEMPORAL_BIN="+mustAbs(t, "../bin/temporal"))
	p.cmd.Env = append(p.cmd.Env, extraEnv...)
	p.cmd.Dir = t.TempDir()
	pr, pw := io.Pipe()
	p.cmd.Stdout, p.cmd.Stderr = pw, pw
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			p.mu.Lock()
			p.out.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			select {
			case p.seen <- sc.Text():
			default:
			}
		}
	}()
	go func() {
		err := p.cmd.Wait()
		pw.Close()
		p.done <- err
	}()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
		}
	})
	return p
}

// waitLine blocks until a line containing s appears, the process ends, or
// limit passes.
func (p *proc) waitLine(t *testing.T, s string, limit time.Duration) {
	t.Helper()
	deadline := time.After(limit)
	for {
		select {
		case line := <-p.seen:
			if strings.Contains(line, s) {
				return
			}
		case err := <-p.done:
			p.done <- err
			t.Fatalf("process ended (%v) before printing %q:\n%s", err, s, p.output())
		case <-deadline:
			t.Fatalf("no %q within %v:\n%s", s, limit, p.output())
		}
	}
}

// stop sends SIGINT (Ctrl-C) and waits for a clean exit.
func (p *proc) stop(t *testing.T, limit time.Duration) {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-p.done:
		if err != nil {
			t.Errorf("exit after Ctrl-C: %v\n%s", err, p.output())
		}
	case <-time.After(limit):
		t.Fatalf("still running %v after Ctrl-C:\n%s", limit, p.output())
	}
}

func (p *proc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

func TestDevRunsServerAndWorkerAndStopsOnCtrlC(t *testing.T) {
	e := newEnv(t, 1)
	port, err := devserver.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	ui, err := devserver.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("PLEXSYNC_TEMPORAL_ADDRESS=127.0.0.1:%d", port)
	dev := e.start(t, []string{addr}, "dev", "--data-dir", t.TempDir(), "--ui-port", fmt.Sprint(ui))
	dev.waitLine(t, "Worker started", 90*time.Second)

	r := e.cli(t, "", []string{addr}, "sync", "--scene", "1", "--wait")
	if r.code != 0 || !strings.Contains(r.stdout, "synced") {
		t.Fatalf("sync through `plexsync dev`: %d %q %q", r.code, r.stdout, r.stderr)
	}
	e.assertInStep(t, 1)
	dev.stop(t, 30*time.Second)
}

func TestReconcileCtrlCDetaches(t *testing.T) {
	e := newEnv(t, 4)
	e.fx.Plex.AddFault(sim.Fault{Path: "/library/sections/", Latency: 3 * time.Second, Times: 1})
	p := e.start(t, nil, "reconcile", "--all", "--wait")
	p.waitLine(t, "is running in Temporal", 60*time.Second)
	p.stop(t, 10*time.Second)
	if !strings.Contains(p.output(), "Detached") {
		t.Errorf("no word of detaching:\n%s", p.output())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var prog struct{ Synced int }
	if err := e.c.GetWorkflow(ctx, "reconcile", "").Get(ctx, &prog); err != nil || prog.Synced != 4 {
		t.Errorf("the reconciliation after detaching: %+v, %v; want it to finish on its own", prog, err)
	}
}
