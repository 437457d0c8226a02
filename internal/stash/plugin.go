package stash

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
)

// MaxPluginInput bounds what a hook reads from stdin; Stash's real inputs
// are a few KiB.
const MaxPluginInput = 1 << 20

// PluginInput is what Stash writes to a raw-interface plugin's stdin
// (pkg/plugin/common/msg.go). The server connection's keys are Go field
// names because Stash's struct has no json tags.
type PluginInput struct {
	ServerConnection struct {
		Scheme        string
		Host          string
		Port          int
		SessionCookie *struct{ Name, Value string }
		Dir           string
		PluginDir     string
	} `json:"server_connection"`
	Args struct {
		HookContext *HookContext `json:"hookContext"`
		Mode        string       `json:"mode"` // set by a task's defaultArgs
	} `json:"args"`
}

// HookContext describes the event that fired a hook.
type HookContext struct {
	ID          int             `json:"id"`
	Type        string          `json:"type"`
	Input       json.RawMessage `json:"input"`
	InputFields []string        `json:"inputFields"`
}

// ParsePluginInput reads and decodes a plugin input, refusing anything
// larger than MaxPluginInput, malformed or truncated.
func ParsePluginInput(r io.Reader) (PluginInput, error) {
	var in PluginInput
	b, err := io.ReadAll(io.LimitReader(r, MaxPluginInput+1))
	if err != nil {
		return in, fmt.Errorf("reading the plugin input: %w", err)
	}
	if len(b) > MaxPluginInput {
		return in, fmt.Errorf("the plugin input is larger than %d bytes; Stash sends a few KiB", MaxPluginInput)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return in, errors.New("no plugin input on stdin; Stash runs `plexsync hook` with JSON on stdin (see README)")
	}
	if err := json.Unmarshal(b, &in); err != nil {
		return in, fmt.Errorf("the plugin input is not the JSON Stash sends: %w", err)
	}
	if in.Args.HookContext == nil && in.Args.Mode == "" {
		return in, errors.New(`the plugin input has neither args.hookContext (a hook) nor args.mode (a task)`)
	}
	return in, nil
}

// SyncedInputFields are the SceneUpdateInput fields whose change can alter
// what PlexSync writes to Plex ("movies" is the name older Stash used for
// groups).
var SyncedInputFields = []string{"title", "details", "date", "rating100", "studio_id", "performer_ids",
	"tag_ids", "group_ids", "movies", "movie_ids", "cover_image", "primary_file_id"}

// Decision is what a hook should do.
type Decision struct {
	SceneID string
	Sync    bool
	Why     string // for Stash's log
}

// Decide applies the hook rules: only scene create/update hooks, not
// scan-driven updates (no input), and updates only when a synced field
// changed.
func (h HookContext) Decide() (Decision, error) {
	if h.Type != "Scene.Create.Post" && h.Type != "Scene.Update.Post" {
		return Decision{Why: fmt.Sprintf("ignored: %q is not a scene create or update hook", h.Type)}, nil
	}
	if h.ID <= 0 {
		return Decision{}, fmt.Errorf("the %s hook has no scene id", h.Type)
	}
	d := Decision{SceneID: strconv.Itoa(h.ID)}
	if len(h.Input) == 0 || string(h.Input) == "null" {
		d.Why = "ignored: scene " + d.SceneID + " changed by a scan, not an edit"
		return d, nil
	}
	if h.Type == "Scene.Update.Post" && !slices.ContainsFunc(h.InputFields, func(f string) bool {
		return slices.Contains(SyncedInputFields, f)
	}) {
		d.Why = fmt.Sprintf("ignored: no synced field of scene %s changed (%v)", d.SceneID, h.InputFields)
		return d, nil
	}
	d.Sync, d.Why = true, "scene "+d.SceneID+" changed"
	return d, nil
}
