// Package stashplugin holds the Stash plugin manifest; this test checks it
// the way Stash reads it.
package stashplugin

import (
	"os"
	"slices"
	"testing"

	"gopkg.in/yaml.v3"
)

// The keys Stash's plugin config accepts (stashapp/stash pkg/plugin/config.go);
// Stash decodes strictly, so any other key breaks the plugin.
type operation struct {
	Name        string            `yaml:"name"`
	Description string            `yaml:"description"`
	ExecArgs    []string          `yaml:"execArgs"`
	DefaultArgs map[string]string `yaml:"defaultArgs"`
}

type hook struct {
	operation   `yaml:",inline"`
	TriggeredBy []string `yaml:"triggeredBy"`
}

type manifest struct {
	Name        string         `yaml:"name"`
	Description *string        `yaml:"description"`
	URL         *string        `yaml:"url"`
	Version     *string        `yaml:"version"`
	Interface   string         `yaml:"interface"`
	Exec        []string       `yaml:"exec"`
	ErrLog      string         `yaml:"errLog"`
	Tasks       []operation    `yaml:"tasks"`
	Hooks       []hook         `yaml:"hooks"`
	UI          map[string]any `yaml:"ui"`
	Settings    map[string]any `yaml:"settings"`
}

func TestManifestDecodesStrictly(t *testing.T) {
	f, err := os.Open("plexsync.yml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	dec.KnownFields(true)
	var m manifest
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("Stash would reject the manifest: %v", err)
	}
	if m.Interface != "raw" || len(m.Exec) < 2 || m.Exec[1] != "hook" {
		t.Errorf("exec %q interface %q; want the raw interface running `plexsync hook`", m.Exec, m.Interface)
	}
	if len(m.Hooks) != 1 || !slices.Equal(m.Hooks[0].TriggeredBy, []string{"Scene.Create.Post", "Scene.Update.Post"}) {
		t.Errorf("hooks = %+v", m.Hooks)
	}
	var modes []string
	for _, task := range m.Tasks {
		modes = append(modes, task.DefaultArgs["mode"])
	}
	if !slices.Equal(modes, []string{"reconcile-recent", "reconcile-all", "status"}) {
		t.Errorf("task modes %q", modes)
	}
}
