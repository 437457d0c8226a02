package devserver

import (
	"context"
	"path/filepath"
	"testing"

	"go.temporal.io/sdk/client"
)

func TestStartRestartStop(t *testing.T) {
	bin, err := Find("../../bin")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, err := Start(ctx, Options{Binary: bin, DBFile: filepath.Join(t.TempDir(), "t.db"), UIPort: -1,
		Namespaces: []string{"default", "other"}, Search: []string{"StashSceneId"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	c, err := client.Dial(client.Options{HostPort: s.Address, Namespace: "other"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s.Kill()
	if err := s.Restart(ctx); err != nil {
		t.Fatalf("restart on the same database: %v", err)
	}
	if _, err := c.CheckHealth(ctx, &client.CheckHealthRequest{}); err != nil {
		t.Errorf("after restart: %v", err)
	}
}
