package scene

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestCleanText(t *testing.T) {
	cases := []struct {
		name, in  string
		max       int
		multiline bool
		want      string
	}{
		{"control characters removed", "a\x00b\x07c\x1b[31m", 0, false, "abc[31m"},
		{"newline and tab become spaces", "a\nb\tc\r", 0, false, "a b c"},
		{"newline kept when multiline", "a\nb", 0, true, "a\nb"},
		{"NFC normalisation", "e\u0301", 0, false, "\u00e9"},
		{"trimmed", "  x  ", 0, false, "x"},
		{"invalid UTF-8 replaced", "a\xffb", 0, false, "a\uFFFDb"},
		{"capped by runes, not bytes", "ééééé", 3, false, "ééé"},
		{"cap trims trailing space", "ab cd", 3, false, "ab"},
		{"right-to-left text kept", "\u05e9\u05dc\u05d5\u05dd", 0, false, "\u05e9\u05dc\u05d5\u05dd"},
		{"emoji kept", "🎬 film", 0, false, "🎬 film"},
		{"empty stays empty", "", 10, false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := CleanText(c.in, c.max, c.multiline); got != c.want {
				t.Errorf("CleanText(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestCleanTags(t *testing.T) {
	got := CleanTags([]string{"Action", " action ", "", "Drama\x00", "DRAMA", "Comedy"})
	want := []string{"Action", "Drama", "Comedy"}
	if !slices.Equal(got, want) {
		t.Errorf("CleanTags = %q, want %q", got, want)
	}
	many := make([]string, MaxTags+10)
	for i := range many {
		many[i] = fmt.Sprintf("tag %d", i)
	}
	if n := len(CleanTags(many)); n != MaxTags {
		t.Errorf("CleanTags kept %d tags, want cap %d", n, MaxTags)
	}
	if got := CleanTags([]string{strings.Repeat("y", 500)}); len(got[0]) != MaxTagLen {
		t.Errorf("tag length %d, want %d", len(got[0]), MaxTagLen)
	}
}

func ptr[T any](v T) *T { return &v }

func sample() Scene {
	return Scene{
		ID: "45", Title: "A Title", Details: "Line one\nLine two", Date: "2023-05-01",
		Rating100: ptr(85), Studio: "Studio X", Performers: []string{"Ann", "Bob", "ann"},
		Tags: []string{"Outdoor", "Solo"}, Groups: []string{"Series 1"},
		Files: []string{"/data/videos/a/clip.mp4"}, Screenshot: "/scene/45/screenshot?t=1",
	}
}

func TestBuild(t *testing.T) {
	d, err := Build(sample(), Options{Fields: AllFields(), CollectionSources: []string{"studio", "groups"}})
	if err != nil {
		t.Fatal(err)
	}
	f := d.State.Fields
	if f[FieldTitle] != "A Title" || f[FieldSummary] != "Line one\nLine two" || f[FieldStudio] != "Studio X" || f[FieldDate] != "2023-05-01" {
		t.Errorf("fields = %q", f)
	}
	if got := d.State.Tags[TagActor]; !slices.Equal(got, []string{"Ann", "Bob"}) {
		t.Errorf("actors = %q", got)
	}
	if got := d.State.Tags[TagCollection]; !slices.Equal(got, []string{"Studio X", "Series 1"}) {
		t.Errorf("collections = %q", got)
	}
	if d.State.Rating != 8.5 || !d.ManageRating || d.Poster != "/scene/45/screenshot?t=1" {
		t.Errorf("rating %v manage %v poster %q", d.State.Rating, d.ManageRating, d.Poster)
	}
}

func TestBuildRules(t *testing.T) {
	cases := []struct {
		name   string
		edit   func(*Scene)
		field  string // non-empty: expect a ValidationError on this field
		verify func(*testing.T, Desired)
	}{
		{"empty title falls back to basename", func(s *Scene) { s.Title = " \x00 " }, "", func(t *testing.T, d Desired) {
			if d.State.Fields[FieldTitle] != "clip" {
				t.Errorf("title %q", d.State.Fields[FieldTitle])
			}
		}},
		{"windows path basename", func(s *Scene) { s.Title = ""; s.Files = []string{`C:\Videos\My Clip.mkv`} }, "", func(t *testing.T, d Desired) {
			if d.State.Fields[FieldTitle] != "My Clip" {
				t.Errorf("title %q", d.State.Fields[FieldTitle])
			}
		}},
		{"no files", func(s *Scene) { s.Files = nil }, "files", nil},
		{"no title and no usable basename", func(s *Scene) { s.Title = ""; s.Files = []string{"/"} }, "title", nil},
		{"invalid date", func(s *Scene) { s.Date = "2023-13-45" }, "date", nil},
		{"date with trailing junk", func(s *Scene) { s.Date = "2023-01-01x" }, "date", nil},
		{"year-only date", func(s *Scene) { s.Date = "2021" }, "", func(t *testing.T, d Desired) {
			if d.State.Fields[FieldDate] != "2021-01-01" {
				t.Errorf("date %q", d.State.Fields[FieldDate])
			}
		}},
		{"year-month date", func(s *Scene) { s.Date = "2021-07" }, "", func(t *testing.T, d Desired) {
			if d.State.Fields[FieldDate] != "2021-07-01" {
				t.Errorf("date %q", d.State.Fields[FieldDate])
			}
		}},
		{"rating above range", func(s *Scene) { s.Rating100 = ptr(101) }, "rating100", nil},
		{"rating zero", func(s *Scene) { s.Rating100 = ptr(0) }, "rating100", nil},
		{"no rating clears", func(s *Scene) { s.Rating100 = nil }, "", func(t *testing.T, d Desired) {
			if d.State.Rating != NoRating {
				t.Errorf("rating %v", d.State.Rating)
			}
		}},
		{"huge details capped", func(s *Scene) { s.Details = strings.Repeat("é", 100_000) }, "", func(t *testing.T, d Desired) {
			if n := len([]rune(d.State.Fields[FieldSummary])); n != MaxSummaryLen {
				t.Errorf("summary runes %d", n)
			}
		}},
		{"several files: first is primary", func(s *Scene) { s.Title = ""; s.Files = []string{"/a/one.mp4", "/a/two.mp4"} }, "", func(t *testing.T, d Desired) {
			if d.State.Fields[FieldTitle] != "one" || len(d.Files) != 2 {
				t.Errorf("title %q files %q", d.State.Fields[FieldTitle], d.Files)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := sample()
			c.edit(&s)
			d, err := Build(s, Options{Fields: AllFields(), CollectionSources: []string{"studio"}})
			var ve *ValidationError
			switch {
			case c.field != "" && !errors.As(err, &ve):
				t.Fatalf("want ValidationError on %q, got %v", c.field, err)
			case c.field != "" && ve.Field != c.field:
				t.Fatalf("error names field %q, want %q (%v)", ve.Field, c.field, err)
			case c.field == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case c.verify != nil:
				c.verify(t, d)
			}
		})
	}
}

func TestBuildToggles(t *testing.T) {
	d, err := Build(sample(), Options{Fields: Fields{Title: true, Tags: true}})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.State.Fields) != 1 || len(d.State.Tags) != 1 || d.ManageRating || d.Poster != "" {
		t.Errorf("toggled-off fields are managed: %+v", d)
	}
}

func TestDiff(t *testing.T) {
	d, _ := Build(sample(), Options{Fields: AllFields(), CollectionSources: []string{"studio"}})
	locked := map[string]bool{FieldPoster: true}
	for n := range d.State.Fields {
		locked[n] = true
	}
	for n := range d.State.Tags {
		locked[n] = true
	}
	tags := maps.Clone(d.State.Tags)
	tags[TagLabel] = []string{"Own Label", PosterLabel(d.Poster)}
	same := State{Fields: d.State.Fields, Tags: tags, Rating: d.State.Rating, Locked: locked}
	if c := Diff(d, same); !c.Empty() {
		t.Errorf("diff against identical state = %v, want empty", c.Names())
	}
	posterUnlocked := same
	posterUnlocked.Locked = map[string]bool{}
	for k, v := range locked {
		posterUnlocked.Locked[k] = v && k != FieldPoster
	}
	if c := Diff(d, posterUnlocked); !c.LockPoster || !c.NeedsEdit() || len(c.Names()) != 0 {
		t.Errorf("unlocked poster: LockPoster %v NeedsEdit %v names %q", c.LockPoster, c.NeedsEdit(), c.Names())
	}

	cur := State{
		Fields: map[string]string{FieldTitle: "Old", FieldSummary: d.State.Fields[FieldSummary]},
		Tags: map[string][]string{TagGenre: {"Solo", "Outdoor", "Stale"}, TagActor: {"Bob", "Ann"},
			TagLabel: {PosterLabel(d.Poster)}},
		Rating: 2, Locked: locked,
	}
	c := Diff(d, cur)
	want := []string{FieldDate, FieldStudio, TagCollection, TagGenre, FieldTitle, FieldRating}
	slices.Sort(want)
	if !slices.Equal(c.Names(), want) {
		t.Errorf("changed = %q, want %q", c.Names(), want)
	}
	if g := c.Tags[TagGenre]; !slices.Equal(g.Remove, []string{"Stale"}) || len(g.Set) != 2 {
		t.Errorf("genre edit = %+v", g)
	}
	if *c.Rating != 8.5 {
		t.Errorf("rating = %v", *c.Rating)
	}

	relabel := same
	relabel.Tags = maps.Clone(tags)
	relabel.Tags[TagLabel] = []string{"Own Label", PosterLabelPrefix + "0123456789ab"}
	c = Diff(d, relabel)
	if e := c.Tags[TagLabel]; !c.PosterStale || !slices.Equal(e.Set, []string{"Own Label", PosterLabel(d.Poster)}) ||
		!slices.Equal(e.Remove, []string{PosterLabelPrefix + "0123456789ab"}) {
		t.Errorf("a new screenshot: edit %+v stale %v; want the user's label kept and ours replaced", e, c.PosterStale)
	}

	unlocked := same
	unlocked.Locked = map[string]bool{}
	if got := Diff(d, unlocked).Names(); len(got) != len(d.State.Fields)+len(d.State.Tags) {
		t.Errorf("right values but unlocked should rewrite and lock every field, got %q", got)
	}
}
