package testenv

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"google.golang.org/protobuf/proto"

	"github.com/plexsync/plexsync/internal/config"
	"github.com/plexsync/plexsync/internal/sim"
	"github.com/plexsync/plexsync/internal/temporalx"
)

var (
	cliOnce sync.Once
	cliPath string
	cliErr  error
)

// BuildCLI builds cmd/plexsync once per test binary and returns its path.
func BuildCLI(t testing.TB) string {
	t.Helper()
	cliOnce.Do(func() {
		dir, err := os.MkdirTemp("", "plexsync-cli-")
		if err != nil {
			cliErr = err
			return
		}
		cliPath = filepath.Join(dir, "plexsync")
		cmd := exec.Command("go", "build", "-o", cliPath, "./cmd/plexsync")
		cmd.Dir = Root()
		if out, err := cmd.CombinedOutput(); err != nil {
			cliErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if cliErr != nil {
		t.Fatal(cliErr)
	}
	return cliPath
}

// Environ is the environment that configures a plexsync process for e.
func (e *Env) Environ() []string {
	return append(os.Environ(), "PLEXSYNC_CONFIG=",
		"PLEXSYNC_STASH_URL="+e.Cfg.Stash.URL, "PLEXSYNC_STASH_API_KEY="+APIKey,
		"PLEXSYNC_PLEX_URL="+e.Cfg.Plex.URL, "PLEXSYNC_PLEX_TOKEN="+PlexToken, "PLEXSYNC_PLEX_SECTIONS="+sim.Section,
		"PLEXSYNC_TEMPORAL_ADDRESS="+e.Cfg.Temporal.Address, "PLEXSYNC_TEMPORAL_NAMESPACE="+e.Cfg.Temporal.Namespace,
		"PLEXSYNC_TASK_QUEUE="+e.Cfg.Temporal.TaskQueue, "PLEXSYNC_SPOOL_PATH="+e.Cfg.SpoolPath,
		"PLEXSYNC_ENCRYPTION_KEYS="+e.Cfg.Encryption.Keys.Reveal(),
		"PLEXSYNC_TEMPORAL_BIN="+filepath.Join(Root(), "bin", "temporal"))
}

// CLIResult is what a CLI run printed and how it exited.
type CLIResult struct {
	Stdout, Stderr string
	Code           int
}

// CLI runs plexsync with the environment's configuration plus extra
// variables, stdin and a time limit. It reports problems with t.Error, not
// t.Fatal, so goroutines may call it; a run that could not finish has code
// -1. Output holding a credential fails the test.
func (e *Env) CLI(t testing.TB, stdin string, extraEnv []string, args ...string) CLIResult {
	t.Helper()
	bin := BuildCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(e.Environ(), extraEnv...)
	cmd.Dir = t.TempDir() // no stray plexsync.yaml
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	res := CLIResult{out.String(), errb.String(), 0}
	for _, secret := range []string{APIKey, PlexToken} {
		if strings.Contains(res.Stdout+res.Stderr, secret) {
			t.Errorf("plexsync %v printed a credential", args)
		}
	}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Errorf("plexsync %v did not finish within 2 minutes", args)
		res.Code = -1
	case errors.As(err, &ee):
		res.Code = ee.ExitCode()
	case err != nil:
		t.Errorf("plexsync %v: %v", args, err)
		res.Code = -1
	}
	return res
}

// Proc is a running plexsync process whose output a test can wait on.
type Proc struct {
	Cmd  *exec.Cmd
	mu   sync.Mutex
	out  bytes.Buffer
	seen chan string
	done chan error
}

// Start runs plexsync in the background with the environment's
// configuration; it is killed at cleanup if still running.
func (e *Env) Start(t testing.TB, extraEnv []string, args ...string) *Proc {
	t.Helper()
	p := &Proc{Cmd: exec.Command(BuildCLI(t), args...), seen: make(chan string, 1000), done: make(chan error, 1)}
	p.Cmd.Env = append(e.Environ(), extraEnv...)
	p.Cmd.Dir = t.TempDir()
	pr, pw := io.Pipe()
	p.Cmd.Stdout, p.Cmd.Stderr = pw, pw
	if err := p.Cmd.Start(); err != nil {
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
		err := p.Cmd.Wait()
		pw.Close()
		p.done <- err
	}()
	t.Cleanup(func() {
		if p.Cmd.ProcessState == nil {
			_ = p.Cmd.Process.Kill()
		}
	})
	return p
}

// WaitLine blocks until a line containing s appears, the process ends, or
// limit passes.
func (p *Proc) WaitLine(t testing.TB, s string, limit time.Duration) {
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
			t.Fatalf("process ended (%v) before printing %q:\n%s", err, s, p.Output())
		case <-deadline:
			t.Fatalf("no %q within %v:\n%s", s, limit, p.Output())
		}
	}
}

// Stop sends SIGINT (Ctrl-C) and waits for a clean exit.
func (p *Proc) Stop(t testing.TB, limit time.Duration) {
	t.Helper()
	_ = p.Cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-p.done:
		if err != nil {
			t.Errorf("exit after Ctrl-C: %v\n%s", err, p.Output())
		}
	case <-time.After(limit):
		t.Fatalf("still running %v after Ctrl-C:\n%s", limit, p.Output())
	}
}

// Kill ends the process at once, as a crash would, and waits for it.
func (p *Proc) Kill() {
	_ = p.Cmd.Process.Kill()
	err := <-p.done
	p.done <- err
}

// Output is everything the process printed so far.
func (p *Proc) Output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// RawHistories returns every event of every run in a namespace as stored,
// read by a client without any codec: what the server and Web UI hold.
func RawHistories(t testing.TB, address, namespace string) []byte {
	t.Helper()
	ctx := context.Background()
	c, err := temporalx.Dial(ctx, config.Temporal{Address: address, Namespace: namespace}, Log, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var all bytes.Buffer
	var token []byte
	for {
		resp, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{PageSize: 200, NextPageToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, ex := range resp.GetExecutions() {
			it := c.GetWorkflowHistory(ctx, ex.GetExecution().GetWorkflowId(), ex.GetExecution().GetRunId(), false,
				enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
			for it.HasNext() {
				ev, err := it.Next()
				if err != nil {
					t.Fatal(err)
				}
				b, err := proto.Marshal(ev)
				if err != nil {
					t.Fatal(err)
				}
				all.Write(b)
			}
		}
		if token = resp.GetNextPageToken(); len(token) == 0 {
			return all.Bytes()
		}
	}
}
