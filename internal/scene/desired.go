package scene

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

// State is a Plex item's metadata, keyed by Plex field names. Desired and
// current state share this shape so that the diff is a plain comparison.
type State struct {
	Fields map[string]string   `json:"fields,omitempty"` // title, summary, studio, originallyAvailableAt
	Tags   map[string][]string `json:"tags,omitempty"`   // genre, actor, collection
	Rating float64             `json:"rating"`           // 0..10, NoRating when unset
	Locked map[string]bool     `json:"locked,omitempty"` // only meaningful for current state
}

// Desired is the Plex state a scene should have. Only the fields present in
// Fields and Tags are managed; ManageRating and Poster likewise.
type Desired struct {
	SceneID      string `json:"sceneId"`
	State        State  `json:"state"`
	ManageRating bool   `json:"manageRating,omitempty"`
	// Poster is the Stash screenshot path (no host, no credentials); empty
	// when posters are not managed or the scene has none.
	Poster string `json:"poster,omitempty"`
	// Files are the scene's file paths as Stash sees them, primary first.
	Files []string `json:"files"`
}

// Build turns a Stash scene into the desired Plex state, applying the
// sanitising rules. A scene that cannot be synced yields a *ValidationError.
func Build(s Scene, opt Options) (Desired, error) {
	fail := func(field, rule string) (Desired, error) {
		return Desired{}, &ValidationError{SceneID: s.ID, Field: field, Rule: rule}
	}
	if len(s.Files) == 0 {
		return fail("files", "the scene has no file, so no Plex item can match it")
	}
	d := Desired{SceneID: s.ID, Files: s.Files, State: State{
		Fields: map[string]string{}, Tags: map[string][]string{}, Rating: NoRating,
	}}
	f := opt.Fields
	if f.Title {
		title := CleanText(s.Title, MaxTitleLen, false)
		if title == "" {
			title = CleanText(Basename(s.Files[0]), MaxTitleLen, false)
		}
		if title == "" {
			return fail("title", "the title is empty and the file name gives none")
		}
		d.State.Fields[FieldTitle] = title
	}
	if f.Summary {
		d.State.Fields[FieldSummary] = CleanText(s.Details, MaxSummaryLen, true)
	}
	if f.Studio {
		d.State.Fields[FieldStudio] = CleanText(s.Studio, maxStudioLength, false)
	}
	if f.Date {
		date, err := plexDate(s.Date)
		if err != nil {
			return fail("date", err.Error())
		}
		d.State.Fields[FieldDate] = date
	}
	if f.Performers {
		d.State.Tags[TagActor] = CleanTags(s.Performers)
	}
	if f.Tags {
		d.State.Tags[TagGenre] = CleanTags(s.Tags)
	}
	if f.Collections {
		d.State.Tags[TagCollection] = CleanTags(collections(s, opt.CollectionSources))
	}
	if f.Rating {
		r, err := plexRating(s.Rating100)
		if err != nil {
			return fail("rating100", err.Error())
		}
		d.State.Rating, d.ManageRating = r, true
	}
	if f.Poster {
		d.Poster = s.Screenshot
	}
	return d, nil
}

func collections(s Scene, sources []string) []string {
	var out []string
	for _, src := range sources {
		switch src {
		case "studio":
			out = append(out, s.Studio)
		case "groups":
			out = append(out, s.Groups...)
		}
	}
	return out
}

// plexDate accepts Stash's date forms: YYYY-MM-DD, and the reduced
// precisions YYYY-MM and YYYY, which become the first day of the period
// because Plex only stores full dates.
func plexDate(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil && len(s) == len(layout) {
			return t.Format("2006-01-02"), nil
		}
	}
	return "", fmt.Errorf("%q is not a date (want YYYY-MM-DD, YYYY-MM or YYYY)", CleanText(s, 40, false))
}

// plexRating maps Stash's rating100 (1..100, or none) to Plex's 0..10 scale.
func plexRating(r *int) (float64, error) {
	if r == nil {
		return NoRating, nil
	}
	if *r < 1 || *r > 100 {
		return 0, fmt.Errorf("%d is out of range (want 1..100 or no rating)", *r)
	}
	return float64(*r) / 10, nil
}

// Changes is what must be written to bring a Plex item to the desired state.
type Changes struct {
	Fields map[string]string  `json:"fields,omitempty"`
	Tags   map[string]TagEdit `json:"tags,omitempty"`
	Rating *float64           `json:"rating,omitempty"` // nil = unchanged
	// LockPoster locks the poster, so that a Plex refresh keeps ours.
	LockPoster bool `json:"lockPoster,omitempty"`
	// PosterStale: the item does not carry the label of the current Stash
	// screenshot, so the poster must be checked (and maybe uploaded).
	PosterStale bool `json:"posterStale,omitempty"`
}

// PosterLabelPrefix marks the Plex label in which PlexSync records which
// Stash screenshot it made the item's poster, so that checking an unchanged
// item needs no image download and no poster listing.
const PosterLabelPrefix = "plexsync:poster:"

// PosterLabel is the label for a Stash screenshot path (which changes
// whenever the scene is saved in Stash).
func PosterLabel(screenshot string) string {
	sum := sha256.Sum256([]byte(screenshot))
	return PosterLabelPrefix + hex.EncodeToString(sum[:6])
}

// posterLabelEdit keeps the item's own labels and replaces any PlexSync
// poster label with want; nil when the item already carries want alone.
func posterLabelEdit(want string, have []string) *TagEdit {
	keep, stale := []string{}, []string{}
	for _, l := range have {
		switch {
		case l == want:
		case strings.HasPrefix(l, PosterLabelPrefix):
			stale = append(stale, l)
		default:
			keep = append(keep, l)
		}
	}
	if len(stale) == 0 && slices.Contains(have, want) {
		return nil
	}
	return &TagEdit{Set: append(keep, want), Remove: stale}
}

// TagEdit replaces a tag list with Set and names the stale entries to remove.
type TagEdit struct {
	Set    []string `json:"set"`
	Remove []string `json:"remove,omitempty"`
}

// Diff compares the desired state with the item's current state. A field
// that has the right value but is not locked counts as changed, because Plex
// overwrites unlocked fields the next time it refreshes the item.
func Diff(d Desired, cur State) Changes {
	var c Changes
	for name, want := range d.State.Fields {
		if cur.Fields[name] != want || !cur.Locked[name] {
			if c.Fields == nil {
				c.Fields = map[string]string{}
			}
			c.Fields[name] = want
		}
	}
	for name, want := range d.State.Tags {
		have := cur.Tags[name]
		if sameSet(want, have) && cur.Locked[name] {
			continue
		}
		if c.Tags == nil {
			c.Tags = map[string]TagEdit{}
		}
		c.Tags[name] = TagEdit{Set: want, Remove: stale(want, have)}
	}
	if d.ManageRating && d.State.Rating != cur.Rating {
		r := d.State.Rating
		c.Rating = &r
	}
	if d.Poster != "" {
		c.LockPoster = !cur.Locked[FieldPoster]
		if e := posterLabelEdit(PosterLabel(d.Poster), cur.Tags[TagLabel]); e != nil {
			if c.Tags == nil {
				c.Tags = map[string]TagEdit{}
			}
			c.Tags[TagLabel], c.PosterStale = *e, true
		}
	}
	return c
}

// NeedsEdit reports whether the item needs the metadata PUT.
func (c Changes) NeedsEdit() bool {
	return len(c.Fields) > 0 || len(c.Tags) > 0 || c.LockPoster
}

// Empty reports whether the item needs no write at all.
func (c Changes) Empty() bool {
	return !c.NeedsEdit() && c.Rating == nil
}

// Names lists the changed fields, sorted, for results and logs.
func (c Changes) Names() []string {
	var out []string
	for n := range c.Fields {
		out = append(out, n)
	}
	for n := range c.Tags {
		if n == TagLabel {
			n = "poster" // the label records which poster PlexSync set
		}
		out = append(out, n)
	}
	if c.Rating != nil {
		out = append(out, FieldRating)
	}
	slices.Sort(out)
	return out
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// stale lists the entries of have that want does not contain.
func stale(want, have []string) []string {
	var out []string
	for _, h := range have {
		if !slices.Contains(want, h) {
			out = append(out, h)
		}
	}
	return out
}
