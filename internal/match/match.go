package match

import (
	"context"
	"fmt"
	"strings"
)

// Item is a Plex library item as far as matching cares.
type Item struct {
	RatingKey string   `json:"ratingKey"`
	SectionID string   `json:"sectionId"`
	Title     string   `json:"title,omitempty"`
	Files     []string `json:"files"`
}

// Result is the chosen item and how it was found.
type Result struct {
	Item     Item   `json:"item"`
	Strategy string `json:"strategy"` // "path" or "basename"
	File     string `json:"file"`     // the Plex path that matched
}

// Lookup returns the Plex items whose file path contains fragment (Plex's
// file= filter is a substring match, so callers confirm every candidate).
type Lookup func(ctx context.Context, fragment string) ([]Item, error)

// AmbiguousError means several Plex items fit and choosing one would be a
// guess. A person has to resolve it, so it is never retried.
type AmbiguousError struct {
	File       string
	Candidates []Item
}

func (e *AmbiguousError) Error() string {
	var c []string
	for _, it := range e.Candidates {
		c = append(c, fmt.Sprintf("ratingKey %s (section %s) %s", it.RatingKey, it.SectionID, strings.Join(it.Files, ", ")))
	}
	return fmt.Sprintf("%d Plex items match %q: %s; give the files distinct names or add a path mapping so that the full path matches",
		len(e.Candidates), e.File, strings.Join(c, "; "))
}

// NotFoundError means Plex has no item for the scene's files yet, usually
// because Plex has not scanned the file.
type NotFoundError struct{ Files []string }

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("no Plex item has file %s yet; Plex may not have scanned it (check the path mappings if this persists)",
		strings.Join(e.Files, " or "))
}

// Find picks the Plex item for a scene's files, primary first: an item whose
// file equals the mapped path; failing that, the one item whose file has the
// same name, compared case-insensitively.
func Find(ctx context.Context, files []string, ms Mappings, lookup Lookup) (Result, error) {
	mapped := make([]string, 0, len(files))
	for _, f := range files {
		p, err := ms.Map(f)
		if err != nil {
			return Result{}, err
		}
		mapped = append(mapped, p)
	}
	for _, p := range mapped {
		r, found, err := findBy(ctx, p, p, "path", lookup, func(f string) bool { return f == p })
		if found || err != nil {
			return r, err
		}
	}
	for _, p := range mapped {
		name := fileName(p)
		r, found, err := findBy(ctx, p, name, "basename", lookup, func(f string) bool { return strings.EqualFold(fileName(f), name) })
		if found || err != nil {
			return r, err
		}
	}
	return Result{}, &NotFoundError{Files: mapped}
}

// findBy asks Plex for fragment and keeps the items with a file that fits;
// found is false when none fits.
func findBy(ctx context.Context, want, fragment, strategy string, lookup Lookup, fits func(string) bool) (r Result, found bool, err error) {
	items, err := lookup(ctx, fragment)
	if err != nil {
		return r, false, err
	}
	var hits []Item
	var file string
	for _, it := range items {
		for _, f := range it.Files {
			if fits(f) {
				hits = append(hits, it)
				file = f
				break
			}
		}
	}
	switch len(hits) {
	case 0:
		return r, false, nil
	case 1:
		return Result{Item: hits[0], Strategy: strategy, File: file}, true, nil
	}
	return r, false, &AmbiguousError{File: want, Candidates: hits}
}

func fileName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}
