// Package scene holds the domain: a Stash scene snapshot, the Plex state we
// want for it, and the difference between that and what Plex has now.
package scene

import (
	"fmt"
	"path"
	"strings"
	"time"
)

// Scene is the snapshot of one Stash scene that a sync works from. It holds
// only what the sync needs, so that workflow histories stay small.
type Scene struct {
	ID         string    `json:"id"`
	Title      string    `json:"title,omitempty"`
	Details    string    `json:"details,omitempty"`
	Date       string    `json:"date,omitempty"`
	Rating100  *int      `json:"rating100,omitempty"`
	Studio     string    `json:"studio,omitempty"`
	Performers []string  `json:"performers,omitempty"`
	Tags       []string  `json:"tags,omitempty"`
	Groups     []string  `json:"groups,omitempty"`
	Files      []string  `json:"files,omitempty"` // the first is primary
	Screenshot string    `json:"screenshot,omitempty"`
	UpdatedAt  time.Time `json:"updatedAt"`
}

// Plex field names, as Plex's edit API and metadata JSON spell them.
const (
	FieldTitle      = "title"
	FieldSummary    = "summary"
	FieldStudio     = "studio"
	FieldDate       = "originallyAvailableAt"
	TagGenre        = "genre"
	TagActor        = "actor"
	TagCollection   = "collection"
	TagLabel        = "label"
	FieldRating     = "userRating"
	FieldPoster     = "thumb"
	NoRating        = -1.0 // what Plex's /:/rate takes to clear a rating
	maxStudioLength = 255
)

// Fields switches each synced field on or off.
type Fields struct {
	Title       bool `yaml:"title"`
	Summary     bool `yaml:"summary"`
	Studio      bool `yaml:"studio"`
	Date        bool `yaml:"date"`
	Performers  bool `yaml:"performers"`
	Tags        bool `yaml:"tags"`
	Collections bool `yaml:"collections"`
	Rating      bool `yaml:"rating"`
	Poster      bool `yaml:"poster"`
}

// AllFields is the default: sync everything.
func AllFields() Fields {
	return Fields{true, true, true, true, true, true, true, true, true}
}

// Options shape the desired state.
type Options struct {
	Fields Fields `json:"fields"`
	// CollectionSources lists where Plex collections come from: "studio"
	// and/or "groups".
	CollectionSources []string `json:"collectionSources"`
}

// CollectionSourceNames are the valid CollectionSources values.
var CollectionSourceNames = []string{"studio", "groups"}

// ValidationError says which field of a scene breaks which rule. It never
// carries a credential and carries a value only where the value is harmless.
type ValidationError struct {
	SceneID string
	Field   string
	Rule    string
}

func (e *ValidationError) Error() string {
	return fmt.Sprintf("stash scene %s: field %q: %s", e.SceneID, e.Field, e.Rule)
}

// Basename returns the file name of a Stash path without its extension,
// accepting both / and \ separators.
func Basename(p string) string {
	p = strings.ReplaceAll(p, `\`, "/")
	b := path.Base(p)
	if b == "." || b == "/" {
		return ""
	}
	return strings.TrimSuffix(b, path.Ext(b))
}
