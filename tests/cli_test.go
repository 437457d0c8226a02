package tests

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	cliOnce sync.Once
	cliPath string
	cliErr  error
)

// buildCLI builds cmd/plexsync once per test run.
func buildCLI(t *testing.T) string {
	t.Helper()
	cliOnce.Do(func() {
		dir, err := os.MkdirTemp("", "plexsync-cli-")
		if err != nil {
			cliErr = err
			return
		}
		cliPath = filepath.Join(dir, "plexsync")
		if out, err := exec.Command("go", "build", "-o", cliPath, "../cmd/plexsync").CombinedOutput(); err != nil {
			cliErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if cliErr != nil {
		t.Fatal(cliErr)
	}
	return cliPath
}

// cliResult is what a CLI run printed and how it exited.
type cliResult struct {
	stdout, stderr string
	code           int
}

// cli runs plexsync with the environment's configuration (through
// PLEXSYNC_* variables) plus extra variables, stdin and a time limit. It
// reports problems with t.Error, not t.Fatal, so goroutines may call it;
// a run that could not finish has code -1.
func (e *env) cli(t *testing.T, stdin string, extraEnv []string, args ...string) cliResult {
	t.Helper()
	bin := buildCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(),
		"PLEXSYNC_CONFIG=", "PLEXSYNC_STASH_URL="+e.cfg.Stash.URL, "PLEXSYNC_STASH_API_KEY="+apiKey,
		"PLEXSYNC_PLEX_URL="+e.cfg.Plex.URL, "PLEXSYNC_PLEX_TOKEN="+plexToken,
		"PLEXSYNC_TEMPORAL_ADDRESS="+e.cfg.Temporal.Address, "PLEXSYNC_TEMPORAL_NAMESPACE="+e.cfg.Temporal.Namespace,
		"PLEXSYNC_TASK_QUEUE="+e.cfg.Temporal.TaskQueue, "PLEXSYNC_SPOOL_PATH="+e.cfg.SpoolPath,
		"PLEXSYNC_ENCRYPTION_KEYS="+e.cfg.Encryption.Keys.Reveal())
	cmd.Env = append(cmd.Env, extraEnv...)
	cmd.Dir = t.TempDir() // no stray plexsync.yaml
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	res := cliResult{out.String(), errb.String(), 0}
	for _, secret := range []string{apiKey, plexToken} {
		if strings.Contains(res.stdout+res.stderr, secret) {
			t.Errorf("plexsync %v printed a credential", args)
		}
	}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Errorf("plexsync %v did not finish within 2 minutes", args)
		res.code = -1
	case errors.As(err, &ee):
		res.code = ee.ExitCode()
	case err != nil:
		t.Errorf("plexsync %v: %v", args, err)
		res.code = -1
	}
	return res
}

func TestDemoRunsToASummary(t *testing.T) {
	bin := buildCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "demo", "--exit", "--scenes", "6", "--data-dir", t.TempDir())
	cmd.Env = append(cmd.Environ(), "PLEXSYNC_TEMPORAL_BIN="+mustAbs(t, "../bin/temporal"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{
		"9 scenes: 7 synced, 0 unchanged, 1 skipped, 1 failed",
		`InvalidScene: stash scene 7: field "date"`,
		"Temporal Web UI: http://127.0.0.1:",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("demo output lacks %q:\n%s", want, text)
		}
	}
	if regexp.MustCompile(`[0-9a-f]{32}`).MatchString(text) {
		t.Errorf("demo output shows a generated secret:\n%s", text)
	}
}

func TestSyncRejectsBadSceneIDs(t *testing.T) {
	bin := buildCLI(t)
	for _, args := range [][]string{{"sync"}, {"sync", "--scene", "abc"}, {"sync", "--scene", "-3"}} {
		out, err := exec.Command(bin, args...).CombinedOutput()
		if err == nil || !strings.Contains(string(out), "scene") {
			t.Errorf("plexsync %v: err %v, output %q; want a failure that explains the scene ID", args, err, out)
		}
	}
}

func mustAbs(t *testing.T, p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
