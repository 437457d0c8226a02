// Package config loads PlexSync's configuration: one YAML file, then
// PLEXSYNC_* environment overrides, then validation that names the key at
// fault. Secrets may come from the file, the environment or a file path.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/plexsync/plexsync/internal/httpapi"
	"github.com/plexsync/plexsync/internal/match"
	"github.com/plexsync/plexsync/internal/scene"
	"github.com/plexsync/plexsync/internal/spool"
)

// Secret is a credential. It prints as [redacted] in logs, errors and %v, so
// that a config dump cannot leak it.
type Secret string

func (Secret) String() string               { return "[redacted]" }
func (Secret) GoString() string             { return "[redacted]" }
func (Secret) LogValue() slog.Value         { return slog.StringValue("[redacted]") }
func (Secret) MarshalText() ([]byte, error) { return []byte("[redacted]"), nil }

// Reveal returns the secret for use in a request header.
func (s Secret) Reveal() string { return string(s) }

// Duration reads "30s", "5m", "1h30m".
type Duration time.Duration

func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %q is not a duration (like 30s, 5m, 1h)", n.Line, n.Value)
	}
	*d = Duration(v)
	return nil
}

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

type Stash struct {
	URL        string   `yaml:"url"`
	APIKey     Secret   `yaml:"api_key"`
	APIKeyFile string   `yaml:"api_key_file"`
	Timeout    Duration `yaml:"timeout"`
}

type Plex struct {
	URL       string   `yaml:"url"`
	Token     Secret   `yaml:"token"`
	TokenFile string   `yaml:"token_file"`
	Sections  []string `yaml:"sections"`
	Timeout   Duration `yaml:"timeout"`
	// ActivitiesPerSecond caps Plex-bound activities across all workers
	// (server-enforced); RequestsPerSecond caps each worker's requests.
	ActivitiesPerSecond float64 `yaml:"activities_per_second"`
	RequestsPerSecond   float64 `yaml:"requests_per_second"`
	// The circuit breaker opens after BreakerFailures transient failures in
	// a row and then sends nothing for BreakerCooldown.
	BreakerFailures int      `yaml:"breaker_failures"`
	BreakerCooldown Duration `yaml:"breaker_cooldown"`
}

type Temporal struct {
	Address   string `yaml:"address"`
	Namespace string `yaml:"namespace"`
	TaskQueue string `yaml:"task_queue"`
}

// Retry tunes the retry policy table; the defaults suit a home server, the
// tests shorten them.
type Retry struct {
	TransientInitial Duration `yaml:"transient_initial"`
	TransientMax     Duration `yaml:"transient_max"`
	TransientFor     Duration `yaml:"transient_for"`
	NotInPlexInitial Duration `yaml:"not_in_plex_initial"`
	NotInPlexMax     Duration `yaml:"not_in_plex_max"`
	NotInPlexFor     Duration `yaml:"not_in_plex_for"`
	// ActivityTimeout bounds one attempt of an activity; it is also how long
	// the work of a crashed worker waits before another worker retries it.
	ActivityTimeout Duration `yaml:"activity_timeout"`
}

type Log struct {
	Format string `yaml:"format"` // text or json
	Level  string `yaml:"level"`  // debug, info, warn, error
}

// Encryption of Temporal payloads. Keys: "ID=BASE64" entries (32-byte
// keys), comma or newline separated; the first encrypts, all decrypt.
type Encryption struct {
	Keys     Secret `yaml:"keys"`
	KeysFile string `yaml:"keys_file"`
}

// Reconcile tunes bulk reconciliation.
type Reconcile struct {
	PageSize    int `yaml:"page_size"`   // scenes read from Stash per page
	Concurrency int `yaml:"concurrency"` // scene syncs running at once
}

// Config is the whole configuration.
type Config struct {
	Stash             Stash          `yaml:"stash"`
	Plex              Plex           `yaml:"plex"`
	PathMappings      match.Mappings `yaml:"path_mappings"`
	Fields            scene.Fields   `yaml:"fields"`
	CollectionSources []string       `yaml:"collection_sources"`
	Temporal          Temporal       `yaml:"temporal"`
	Retry             Retry          `yaml:"retry"`
	Reconcile         Reconcile      `yaml:"reconcile"`
	Encryption        Encryption     `yaml:"encryption"`
	// SpoolPath keeps hook events while Temporal cannot be reached.
	SpoolPath string `yaml:"spool_path"`
	Log       Log    `yaml:"log"`
}

// Default is the configuration before the file and environment apply.
func Default() Config {
	return Config{
		Stash: Stash{URL: "http://localhost:9999", Timeout: Duration(30 * time.Second)},
		Plex: Plex{URL: "http://localhost:32400", Sections: []string{"Movies"}, Timeout: Duration(30 * time.Second),
			ActivitiesPerSecond: 50, RequestsPerSecond: 50, BreakerFailures: 5, BreakerCooldown: Duration(30 * time.Second)},
		Fields:            scene.AllFields(),
		CollectionSources: []string{"studio"},
		Temporal:          Temporal{Address: "127.0.0.1:7233", Namespace: "default", TaskQueue: "plexsync"},
		Retry: Retry{
			TransientInitial: Duration(time.Second), TransientMax: Duration(5 * time.Minute), TransientFor: Duration(24 * time.Hour),
			NotInPlexInitial: Duration(30 * time.Second), NotInPlexMax: Duration(10 * time.Minute), NotInPlexFor: Duration(6 * time.Hour),
			ActivityTimeout: Duration(2 * time.Minute),
		},
		// Many syncs in flight let the Temporal server batch a reconciliation's
		// work (about 23 syncs/s at 8, 45 at 64 on two cores); Plex's load is
		// bounded by the Plex caps, not by this.
		Reconcile: Reconcile{PageSize: 100, Concurrency: 64},
		SpoolPath: spool.DefaultPath(),
		Log:       Log{Format: "text", Level: "info"},
	}
}

// Load reads the file at path (none when path is empty), applies the
// environment and validates. needPlex is false for commands that never talk
// to Plex (the Stash hook), which then need no Plex token.
func Load(path string, env func(string) string, needPlex bool) (Config, error) {
	c := Default()
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return c, fmt.Errorf("config: %w", err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true) // a misspelt key is an error, not a silent default
		if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
			return c, fmt.Errorf("config %s: %w", path, err)
		}
	}
	c.applyEnv(env)
	if err := c.readSecretFiles(); err != nil {
		return c, err
	}
	return c, c.Validate(needPlex)
}

// applyEnv overrides keys from PLEXSYNC_* variables.
func (c *Config) applyEnv(env func(string) string) {
	str := map[string]*string{
		"PLEXSYNC_STASH_URL":            &c.Stash.URL,
		"PLEXSYNC_STASH_API_KEY_FILE":   &c.Stash.APIKeyFile,
		"PLEXSYNC_PLEX_URL":             &c.Plex.URL,
		"PLEXSYNC_PLEX_TOKEN_FILE":      &c.Plex.TokenFile,
		"PLEXSYNC_TEMPORAL_ADDRESS":     &c.Temporal.Address,
		"PLEXSYNC_TEMPORAL_NAMESPACE":   &c.Temporal.Namespace,
		"PLEXSYNC_TASK_QUEUE":           &c.Temporal.TaskQueue,
		"PLEXSYNC_LOG_FORMAT":           &c.Log.Format,
		"PLEXSYNC_LOG_LEVEL":            &c.Log.Level,
		"PLEXSYNC_SPOOL_PATH":           &c.SpoolPath,
		"PLEXSYNC_ENCRYPTION_KEYS_FILE": &c.Encryption.KeysFile,
	}
	for k, p := range str {
		if v := env(k); v != "" {
			*p = v
		}
	}
	if v := env("PLEXSYNC_STASH_API_KEY"); v != "" {
		c.Stash.APIKey = Secret(v)
	}
	if v := env("PLEXSYNC_PLEX_TOKEN"); v != "" {
		c.Plex.Token = Secret(v)
	}
	if v := env("PLEXSYNC_ENCRYPTION_KEYS"); v != "" {
		c.Encryption.Keys = Secret(v)
	}
	if v := env("PLEXSYNC_PLEX_SECTIONS"); v != "" {
		c.Plex.Sections = splitList(v)
	}
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// readSecretFiles fills secrets from *_file paths, as Docker secrets work.
func (c *Config) readSecretFiles() error {
	for _, f := range []struct {
		key, path string
		dst       *Secret
	}{
		{"stash.api_key_file", c.Stash.APIKeyFile, &c.Stash.APIKey},
		{"plex.token_file", c.Plex.TokenFile, &c.Plex.Token},
	} {
		if f.path == "" {
			continue
		}
		b, err := os.ReadFile(f.path)
		if err != nil {
			return fmt.Errorf("config: %s: cannot read %s: %w", f.key, f.path, errors.Unwrap(err))
		}
		*f.dst = Secret(strings.TrimSpace(string(b)))
	}
	return nil
}

// Validate checks every key and names the first one that is wrong.
func (c Config) Validate(needPlex bool) error {
	bad := func(key, format string, a ...any) error {
		return fmt.Errorf("config: %s: %s", key, fmt.Sprintf(format, a...))
	}
	if err := checkURL(c.Stash.URL); err != nil {
		return bad("stash.url", "%v", err)
	}
	if needPlex {
		if err := checkURL(c.Plex.URL); err != nil {
			return bad("plex.url", "%v", err)
		}
		if c.Plex.Token == "" {
			return bad("plex.token", "is required; set it, plex.token_file or PLEXSYNC_PLEX_TOKEN (see https://support.plex.tv/articles/204059436)")
		}
		if len(c.Plex.Sections) == 0 {
			return bad("plex.sections", "list at least one library section name, e.g. [Movies]")
		}
		if c.Plex.ActivitiesPerSecond <= 0 || c.Plex.RequestsPerSecond <= 0 {
			return bad("plex.activities_per_second", "and plex.requests_per_second must be positive")
		}
		if c.Plex.BreakerFailures < 1 || c.Plex.BreakerCooldown <= 0 {
			return bad("plex.breaker_failures", "must be at least 1, and plex.breaker_cooldown positive")
		}
	}
	for key, d := range map[string]Duration{"stash.timeout": c.Stash.Timeout, "plex.timeout": c.Plex.Timeout,
		"retry.transient_initial": c.Retry.TransientInitial, "retry.transient_max": c.Retry.TransientMax,
		"retry.transient_for": c.Retry.TransientFor, "retry.not_in_plex_initial": c.Retry.NotInPlexInitial,
		"retry.not_in_plex_max": c.Retry.NotInPlexMax, "retry.not_in_plex_for": c.Retry.NotInPlexFor,
		"retry.activity_timeout": c.Retry.ActivityTimeout} {
		if d <= 0 {
			return bad(key, "must be a positive duration")
		}
	}
	if c.Retry.TransientMax < c.Retry.TransientInitial {
		return bad("retry.transient_max", "must not be less than retry.transient_initial")
	}
	if c.Retry.NotInPlexMax < c.Retry.NotInPlexInitial {
		return bad("retry.not_in_plex_max", "must not be less than retry.not_in_plex_initial")
	}
	if err := c.PathMappings.Validate(); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	for _, s := range c.CollectionSources {
		if s != "studio" && s != "groups" {
			return bad("collection_sources", "%q is not one of studio, groups", s)
		}
	}
	if c.Reconcile.PageSize < 1 || c.Reconcile.PageSize > 1000 {
		return bad("reconcile.page_size", "must be between 1 and 1000")
	}
	if c.Reconcile.Concurrency < 1 || c.Reconcile.Concurrency > 100 {
		return bad("reconcile.concurrency", "must be between 1 and 100")
	}
	if c.SpoolPath == "" {
		return bad("spool_path", "must not be empty")
	}
	if c.Temporal.Address == "" || c.Temporal.Namespace == "" || c.Temporal.TaskQueue == "" {
		return bad("temporal", "address, namespace and task_queue must not be empty")
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		return bad("log.format", "%q is not text or json", c.Log.Format)
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.Log.Level)); err != nil {
		return bad("log.level", "%q is not debug, info, warn or error", c.Log.Level)
	}
	return nil
}

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		shown := httpapi.Redact(raw)
		if err == nil && u.User != nil {
			shown = httpapi.Redact(u.Redacted())
		}
		return fmt.Errorf("%q is not an http(s) URL with a host, like http://192.168.1.10:32400", shown)
	}
	if u.User != nil || httpapi.Redact(raw) != raw {
		return errors.New("must not carry a user, password, token or key; use the api_key / token keys instead")
	}
	return nil
}

// SceneOptions are the options that shape a scene's desired state.
func (c Config) SceneOptions() scene.Options {
	return scene.Options{Fields: c.Fields, CollectionSources: c.CollectionSources}
}
