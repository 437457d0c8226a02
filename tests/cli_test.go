package tests

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/plexsync/plexsync/internal/testenv"
)

func TestDemoRunsToASummary(t *testing.T) {
	bin := testenv.BuildCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "demo", "--exit", "--scenes", "6", "--data-dir", t.TempDir())
	cmd.Env = append(cmd.Environ(), "PLEXSYNC_TEMPORAL_BIN="+filepath.Join(testenv.Root(), "bin", "temporal"))
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
	bin := testenv.BuildCLI(t)
	for _, args := range [][]string{{"sync"}, {"sync", "--scene", "abc"}, {"sync", "--scene", "-3"}} {
		out, err := exec.Command(bin, args...).CombinedOutput()
		if err == nil || !strings.Contains(string(out), "scene") {
			t.Errorf("plexsync %v: err %v, output %q; want a failure that explains the scene ID", args, err, out)
		}
	}
}
