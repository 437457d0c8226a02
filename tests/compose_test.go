package tests

import (
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// docker-compose.yml cannot run here (no Docker engine); this checks what
// can be checked without one: pinned images, the setup jobs wired to our
// scripts, and the worker's configuration.
func TestComposeFile(t *testing.T) {
	b, err := os.ReadFile("../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Services map[string]struct {
			Image       string            `yaml:"image"`
			Build       any               `yaml:"build"`
			Entrypoint  []string          `yaml:"entrypoint"`
			Environment map[string]string `yaml:"environment"`
			DependsOn   map[string]struct {
				Condition string `yaml:"condition"`
			} `yaml:"depends_on"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	for name, s := range f.Services {
		if s.Build != nil {
			continue
		}
		tag := s.Image[strings.LastIndex(s.Image, ":")+1:]
		if !strings.Contains(s.Image, ":") || tag == "latest" || !strings.ContainsAny(tag, "0123456789") {
			t.Errorf("%s: image %q is not pinned to a version", name, s.Image)
		}
	}
	want := map[string]string{"temporal-schema": "setup-postgres.sh", "temporal-search-attributes": "setup-search-attributes.sh"}
	for name, script := range want {
		s := f.Services[name]
		if !strings.HasPrefix(s.Image, "temporalio/admin-tools:") || len(s.Entrypoint) == 0 || !strings.HasSuffix(s.Entrypoint[len(s.Entrypoint)-1], script) {
			t.Errorf("%s: want the official admin-tools running temporal/%s, got %+v", name, script, s)
		}
		if _, err := os.Stat("../temporal/" + script); err != nil {
			t.Error(err)
		}
	}
	w := f.Services["plexsync-worker"]
	if w.Environment["PLEXSYNC_TEMPORAL_ADDRESS"] != "temporal:7233" || w.DependsOn["temporal-search-attributes"].Condition != "service_completed_successfully" {
		t.Errorf("worker: %+v", w)
	}
	for k, v := range w.Environment {
		if strings.Contains(k, "TOKEN") && !strings.HasSuffix(k, "_FILE") {
			t.Errorf("worker: secret %s=%q set inline; use a secrets file", k, v)
		}
	}
}
