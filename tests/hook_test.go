package tests

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plexsync/plexsync/internal/testenv"

	"go.temporal.io/api/workflowservice/v1"

	"github.com/plexsync/plexsync/internal/config"
	"github.com/plexsync/plexsync/internal/devserver"
	"github.com/plexsync/plexsync/internal/sim"
	"github.com/plexsync/plexsync/internal/spool"
	"github.com/plexsync/plexsync/internal/syncflow"
)

// hookPayload is a hook's stdin in the shape Stash sends it.
func hookPayload(id int, typ, input string, fields ...string) string {
	f, _ := json.Marshal(fields)
	return fmt.Sprintf(`{"server_connection":{"Scheme":"http","Host":"0.0.0.0","Port":9999,`+
		`"SessionCookie":{"Name":"session","Value":"c00kie","Path":"","Domain":"","Expires":"0001-01-01T00:00:00Z","MaxAge":0,"Secure":false,"HttpOnly":false,"SameSite":0,"Raw":"","Unparsed":null},`+
		`"Dir":"/root/.stash","PluginDir":"/root/.stash/plugins/plexsync"},`+
		`"args":{"hookContext":{"id":%d,"type":%q,"input":%s,"inputFields":%s}}}`, id, typ, input, f)
}

func titleEdit(id int, title string) string {
	return hookPayload(id, "Scene.Update.Post", fmt.Sprintf(`{"id":"%d","title":%q}`, id, title), "id", "title")
}

// reply decodes the hook's stdout.
func reply(t *testing.T, r testenv.CLIResult) (output, errText string) {
	t.Helper()
	var v struct {
		Output string `json:"output"`
		Error  string `json:"error"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &v); err != nil {
		t.Fatalf("hook stdout is not Stash's JSON reply: %q (stderr %q)", r.Stdout, r.Stderr)
	}
	return v.Output, v.Error
}

func TestHookSyncsScene(t *testing.T) {
	e := testenv.New(t, srv, 2)
	e.Fx.Stash.Update(1, func(s *sim.StashScene) { s.Title = "Edited in Stash" })
	r := e.CLI(t, titleEdit(1, "Edited in Stash"), nil, "hook")
	out, errText := reply(t, r)
	if r.Code != 0 || errText != "" || !strings.Contains(out, "sync requested") {
		t.Fatalf("hook: code %d output %q error %q stderr %q", r.Code, out, errText, r.Stderr)
	}
	if !strings.Contains(r.Stderr, "\x01i\x02") {
		t.Errorf("stderr lacks Stash's level prefix: %q", r.Stderr)
	}
	if res := e.Result(t, 1); res.Outcome != syncflow.OutcomeSynced {
		t.Fatalf("outcome %+v", res)
	}
	e.AssertInStep(t, 1)
	if strings.Contains(r.Stdout+r.Stderr, testenv.APIKey) || strings.Contains(r.Stdout+r.Stderr, testenv.PlexToken) {
		t.Error("a credential reached the hook's output")
	}
}

func TestHookCreateNeedsNoPlexToken(t *testing.T) {
	e := testenv.New(t, srv, 1)
	r := e.CLI(t, hookPayload(1, "Scene.Create.Post", `{"title":"new"}`, "title"), []string{"PLEXSYNC_PLEX_TOKEN="}, "hook")
	if out, _ := reply(t, r); r.Code != 0 || !strings.Contains(out, "sync requested") {
		t.Fatalf("code %d stdout %q stderr %q", r.Code, r.Stdout, r.Stderr)
	}
	if res := e.Result(t, 1); res.Outcome != syncflow.OutcomeSynced {
		t.Fatalf("outcome %+v", res)
	}
}

func TestHookIgnoresWhatIsNotOurs(t *testing.T) {
	e := testenv.New(t, srv, 1)
	for name, payload := range map[string]string{
		"image hook":         hookPayload(1, "Image.Update.Post", `{"id":"1"}`, "id", "title"),
		"scan-driven update": hookPayload(1, "Scene.Update.Post", `null`),
		"unsynced field":     hookPayload(1, "Scene.Update.Post", `{"id":"1","organized":true}`, "id", "organized"),
		"destroy":            hookPayload(1, "Scene.Destroy.Post", `{"id":"1"}`, "id"),
	} {
		r := e.CLI(t, payload, nil, "hook")
		if out, errText := reply(t, r); r.Code != 0 || errText != "" || !strings.HasPrefix(out, "ignored") {
			t.Errorf("%s: code %d output %q error %q", name, r.Code, out, errText)
		}
	}
	e.NoWorkflow(t, 1)
}

func TestHookRejectsBadInput(t *testing.T) {
	e := testenv.New(t, srv, 1)
	good := titleEdit(1, "x")
	cases := map[string]string{
		"malformed":             "{not json",
		"truncated":             good[:len(good)/2],
		"empty":                 "",
		"oversized":             `{"args":{"mode":"` + strings.Repeat("x", 2<<20) + `"}}`,
		"id of the wrong type":  strings.Replace(good, `"id":1,`, `"id":"one",`, 1),
		"no scene id":           hookPayload(0, "Scene.Update.Post", `{"title":"x"}`, "title"),
		"neither hook nor task": `{"server_connection":{},"args":{}}`,
		"unknown task":          `{"args":{"mode":"explode"}}`,
	}
	for name, payload := range cases {
		r := e.CLI(t, payload, nil, "hook")
		_, errText := reply(t, r)
		if r.Code == 0 || errText == "" || !strings.Contains(r.Stderr, "\x01e\x02") {
			t.Errorf("%s: code %d error %q stderr %q; want a clear error and a non-zero exit", name, r.Code, errText, r.Stderr)
		}
	}
	if _, err := os.Stat(e.Cfg.SpoolPath); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("bad input was spooled: %v", err)
	}
	e.NoWorkflow(t, 1)
}

func TestHookSpoolsWhileTemporalIsDownAndFlushesOnce(t *testing.T) {
	e := testenv.New(t, srv, 2)
	port, err := devserver.FreePort() // nothing listens there
	if err != nil {
		t.Fatal(err)
	}
	down := []string{fmt.Sprintf("PLEXSYNC_TEMPORAL_ADDRESS=127.0.0.1:%d", port)}
	r := e.CLI(t, titleEdit(1, "x"), down, "hook")
	out, errText := reply(t, r)
	if r.Code != 0 || errText != "" || !strings.Contains(out, "spooled") || !strings.Contains(r.Stderr, "\x01w\x02") {
		t.Fatalf("hook with Temporal down: code %d output %q stderr %q", r.Code, out, r.Stderr)
	}
	if n, _ := spool.New(e.Cfg.SpoolPath).Len(); n != 1 {
		t.Fatalf("spool holds %d entries, want 1", n)
	}
	e.NoWorkflow(t, 1)

	// Temporal is back: the next hook (for another scene) flushes the spool.
	r = e.CLI(t, titleEdit(2, "y"), nil, "hook")
	if out, _ := reply(t, r); r.Code != 0 || !strings.Contains(r.Stderr, "sent 1 spooled") {
		t.Fatalf("second hook: code %d output %q stderr %q", r.Code, out, r.Stderr)
	}
	for _, id := range []int{1, 2} {
		if res := e.Result(t, id); res.Outcome != syncflow.OutcomeSynced {
			t.Fatalf("scene %d: %+v", id, res)
		}
	}
	if n, _ := spool.New(e.Cfg.SpoolPath).Len(); n != 0 {
		t.Errorf("spool still holds %d entries", n)
	}
	resp, err := e.C.CountWorkflow(context.Background(), &workflowservice.CountWorkflowExecutionsRequest{
		Query: "WorkflowId='scene-sync/1'"})
	if err != nil || resp.GetCount() != 1 {
		t.Errorf("scene 1 ran %d times (%v), want exactly once", resp.GetCount(), err)
	}
	// A worker starting later finds nothing left to send.
	r = e.CLI(t, titleEdit(2, "y"), nil, "hook")
	if strings.Contains(r.Stderr, "spooled sync request") {
		t.Errorf("spool sent again: %q", r.Stderr)
	}
}

func TestHookBurstCoalesces(t *testing.T) {
	e := testenv.New(t, srv, 1, testenv.Config(func(c *config.Config) { c.Plex.Timeout = config.Duration(30 * time.Second) }))
	// Hold the first pass in Plex while the rest of the burst arrives.
	e.Fx.Plex.AddFault(sim.Fault{Path: "/library/metadata/", Latency: 6 * time.Second, Times: 1})
	edit := func(i int) {
		title := fmt.Sprintf("Edit %d", i)
		e.Fx.Stash.Update(1, func(s *sim.StashScene) { s.Title = title })
		if r := e.CLI(t, titleEdit(1, title), nil, "hook"); r.Code != 0 {
			t.Errorf("hook for %q: %q %q", title, r.Stdout, r.Stderr)
		}
	}
	edit(1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := e.Fx.Stash.WaitFor(ctx, func() bool { return e.Fx.Stash.Count("POST", "/graphql") >= 1 }); err != nil {
		t.Fatal("the first pass did not read Stash")
	}
	var wg sync.WaitGroup
	for i := 2; i <= 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			edit(i)
		}()
	}
	wg.Wait()
	edit(21) // the very last edit
	res := e.Result(t, 1)
	if res.Passes != 2 || res.Outcome != syncflow.OutcomeSynced {
		t.Errorf("21 hooks gave %d passes (%+v), want 2: the first, and one more for everything that arrived during it", res.Passes, res)
	}
	if it, _ := e.Fx.Plex.Item(e.Fx.RatingKey(1)); it.Title != "Edit 21" {
		t.Errorf("Plex title %q, want the last edit", it.Title)
	}
	t.Logf("21 hooks: %d passes, %d Stash reads", res.Passes, e.Fx.Stash.Count("POST", "/graphql"))
}

func TestHookTasks(t *testing.T) {
	e := testenv.New(t, srv, 3)
	r := e.CLI(t, `{"server_connection":{"Dir":"/root/.stash"},"args":{"mode":"reconcile-recent"}}`, nil, "hook")
	if out, errText := reply(t, r); r.Code != 0 || !strings.Contains(out, "started") {
		t.Fatalf("reconcile-recent task: %d %q %q", r.Code, out, errText)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var p syncflow.Progress
	if err := e.C.GetWorkflow(ctx, syncflow.ReconcileID, "").Get(ctx, &p); err != nil || p.Synced != 3 {
		t.Fatalf("the task's reconciliation: %+v, %v", p, err)
	}
	testenv.Eventually(t, 15*time.Second, func() bool {
		r := e.CLI(t, `{"args":{"mode":"status"}}`, nil, "hook")
		out, _ := reply(t, r)
		return r.Code == 0 && strings.Contains(out, "3 synced")
	}, "the status task reports the 3 syncs")
}
