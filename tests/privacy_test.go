package tests

import (
	"bytes"
	"context"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/proto"

	"github.com/plexsync/plexsync/internal/config"
	"github.com/plexsync/plexsync/internal/sim"
	"github.com/plexsync/plexsync/internal/temporalx"
)

// rawHistories returns every event of every run in a namespace as stored,
// read by a client without any codec: what the server and Web UI hold.
func rawHistories(t *testing.T, namespace string) []byte {
	t.Helper()
	ctx := context.Background()
	c, err := temporalx.Dial(ctx, config.Temporal{Address: server.Address, Namespace: namespace}, suiteLog, nil)
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
			appendHistory(t, ctx, c, ex.GetExecution().GetWorkflowId(), ex.GetExecution().GetRunId(), &all)
		}
		if token = resp.GetNextPageToken(); len(token) == 0 {
			return all.Bytes()
		}
	}
}

func appendHistory(t *testing.T, ctx context.Context, c client.Client, id, runID string, out *bytes.Buffer) {
	it := c.GetWorkflowHistory(ctx, id, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		b, err := proto.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		out.Write(b)
	}
}

// sensitive is what a history must not show in the clear: a title, a
// performer, a file path (as Stash and as Plex see it) and a tag.
func sensitive(id int) []string {
	sc := sim.SeedScene(id)
	return []string{sc.Title, sc.Performers[0], sc.Files[0], sim.PlexRoot, sc.Tags[0]}
}

func TestEncryptedHistoriesHoldNoSceneData(t *testing.T) {
	plain := newEnv(t, 1)
	enc := newEnv(t, 3, encrypted)
	for _, e := range []*env{plain, enc} {
		if _, err := e.sync(t, 1); err != nil {
			t.Fatal(err)
		}
	}
	// A failure whose message names files: several Plex items fit.
	enc.fx.Stash.Update(2, func(s *sim.StashScene) { s.Files = []string{"/elsewhere/Scene 2 Secret.mp4"} })
	enc.fx.Plex.AddItem(sim.SectionKey, "/media/a/Scene 2 Secret.mp4")
	enc.fx.Plex.AddItem(sim.SectionKey, "/media/b/Scene 2 Secret.mp4")
	if _, err := enc.sync(t, 2); err == nil {
		t.Fatal("ambiguous scene synced")
	}
	// The encrypted env's own client decrypts: the result is readable.
	res, err := enc.sync(t, 1)
	if err != nil || res.RatingKey == "" {
		t.Fatalf("decrypting client: %+v, %v", res, err)
	}

	clear := rawHistories(t, plain.cfg.Temporal.Namespace)
	if !bytes.Contains(clear, []byte(sim.SeedScene(1).Title)) {
		t.Fatal("without encryption the history should show the title; the check below could not fail")
	}
	stored := rawHistories(t, enc.cfg.Temporal.Namespace)
	for _, s := range append(sensitive(1), "Scene 2 Secret") {
		if bytes.Contains(stored, []byte(s)) {
			t.Errorf("encrypted history shows %q in the clear", s)
		}
	}
	r := enc.cli(t, "", nil, "failed")
	if r.code != 0 || !bytes.Contains([]byte(r.stdout), []byte("Scene 2 Secret")) {
		t.Errorf("`plexsync failed` must decrypt the failure message: %q %q", r.stdout, r.stderr)
	}
}
