package scene

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// FuzzBuild: any scene yields either a ValidationError or a desired state
// that keeps every sanitising rule.
func FuzzBuild(f *testing.F) {
	f.Add("Title", "Details\nmore", "2023-05-01", 85, "Tag", "/data/a.mp4")
	f.Add("", "\x00\x1b[31m", "2023-02-30", 0, "tag,with,commas", `C:\x\y.mkv`)
	f.Add("\u202eevil", "🎬", "2021", 101, "ÉTÉ", "")
	f.Fuzz(func(t *testing.T, title, details, date string, rating int, tag, file string) {
		s := Scene{ID: "1", Title: title, Details: details, Date: date, Rating100: &rating, Tags: []string{tag, tag},
			Performers: []string{tag}, Studio: title, Files: []string{file}}
		d, err := Build(s, Options{Fields: AllFields(), CollectionSources: []string{"studio"}})
		if err != nil {
			if _, ok := err.(*ValidationError); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		for name, v := range d.State.Fields {
			checkText(t, name, v, name == FieldSummary)
		}
		for name, list := range d.State.Tags {
			seen := map[string]bool{}
			for _, v := range list {
				checkText(t, name, v, false)
				if v == "" || seen[strings.ToLower(v)] || utf8.RuneCountInString(v) > MaxTagLen {
					t.Fatalf("%s entry %q empty, duplicate or too long", name, v)
				}
				seen[strings.ToLower(v)] = true
			}
		}
		if d.State.Rating != NoRating && (d.State.Rating < 0.1 || d.State.Rating > 10) {
			t.Fatalf("rating %v out of range", d.State.Rating)
		}
	})
}

func checkText(t *testing.T, field, v string, multiline bool) {
	t.Helper()
	if !utf8.ValidString(v) || !norm.NFC.IsNormalString(v) || v != strings.TrimSpace(v) {
		t.Fatalf("%s = %q: invalid UTF-8, not NFC or untrimmed", field, v)
	}
	for _, r := range v {
		if unicode.IsControl(r) && !(multiline && r == '\n') {
			t.Fatalf("%s = %q holds control character %U", field, v, r)
		}
	}
}
