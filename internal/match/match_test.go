package match

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestMap(t *testing.T) {
	ms := Mappings{
		{From: "/data/videos", To: "/media/videos"},
		{From: `C:\Stash\Library`, To: "/mnt/library"},
		{From: "/data", To: `\\nas\share`},
		{From: "/srv/stash/", To: "D:\\Plex\\"},
	}
	cases := []struct{ in, want string }{
		{"/data/videos/a/b.mp4", "/media/videos/a/b.mp4"},        // linux to linux
		{"/data/videos2/b.mp4", `\\nas\share\videos2\b.mp4`},     // whole-segment prefix only
		{`c:\stash\library\Sub\x.mkv`, "/mnt/library/Sub/x.mkv"}, // windows source, case-insensitive
		{"/data/other/c.mp4", `\\nas\share\other\c.mp4`},         // first match wins, windows target
		{"/srv/stash/d.mp4", `D:\Plex\d.mp4`},                    // trailing separators
		{"/elsewhere/e.mp4", "/elsewhere/e.mp4"},                 // unmapped: unchanged
		{"/data/videos/./f.mp4", "/media/videos/f.mp4"},          // "." dropped
	}
	for _, c := range cases {
		got, err := ms.Map(c.in)
		if err != nil || got != c.want {
			t.Errorf("Map(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func TestMapRefusesEscape(t *testing.T) {
	ms := Mappings{{From: "/data/videos", To: "/media/videos"}}
	for _, p := range []string{"/data/videos/../secret/x.mp4", `/data/videos/..\x.mp4`} {
		if got, err := ms.Map(p); err == nil {
			t.Errorf("Map(%q) = %q, want an error", p, got)
		}
	}
}

func TestValidate(t *testing.T) {
	bad := []Mappings{{{From: "", To: "/x"}}, {{From: "/x", To: " "}}, {{From: "/a/../b", To: "/x"}}}
	for _, ms := range bad {
		if ms.Validate() == nil {
			t.Errorf("Validate(%+v) = nil, want error", ms)
		}
	}
	if err := (Mappings{{From: "/a", To: "/b"}}).Validate(); err != nil {
		t.Error(err)
	}
}

// library is a fake Plex file= filter: a case-insensitive substring match,
// as Plex does, so Find has to confirm candidates itself.
func library(items ...Item) (Lookup, *[]string) {
	var asked []string
	return func(_ context.Context, frag string) ([]Item, error) {
		asked = append(asked, frag)
		var out []Item
		for _, it := range items {
			for _, f := range it.Files {
				if strings.Contains(strings.ToLower(f), strings.ToLower(frag)) {
					out = append(out, it)
					break
				}
			}
		}
		return out, nil
	}, &asked
}

func TestFind(t *testing.T) {
	ms := Mappings{{From: "/data", To: "/media"}}
	a := Item{RatingKey: "1", SectionID: "1", Files: []string{"/media/a/clip.mp4"}}
	longer := Item{RatingKey: "2", SectionID: "1", Files: []string{"/media/a/clip.mp4.bak/x.mp4"}}
	other := Item{RatingKey: "3", SectionID: "2", Files: []string{"/other/CLIP.MP4"}}
	lone := Item{RatingKey: "4", SectionID: "2", Files: []string{"/plex/elsewhere/unique.mkv"}}

	t.Run("exact path wins over basename and substring hits", func(t *testing.T) {
		lookup, _ := library(a, longer, other)
		r, err := Find(context.Background(), []string{"/data/a/clip.mp4"}, ms, lookup)
		if err != nil || r.Item.RatingKey != "1" || r.Strategy != "path" {
			t.Fatalf("got %+v, %v", r, err)
		}
	})
	t.Run("unique basename, case-insensitive", func(t *testing.T) {
		lookup, _ := library(a, lone)
		r, err := Find(context.Background(), []string{"/data/x/UNIQUE.mkv"}, ms, lookup)
		if err != nil || r.Item.RatingKey != "4" || r.Strategy != "basename" {
			t.Fatalf("got %+v, %v", r, err)
		}
	})
	t.Run("several basename hits are ambiguous", func(t *testing.T) {
		lookup, _ := library(a, other)
		_, err := Find(context.Background(), []string{"/data/z/clip.mp4"}, ms, lookup)
		var amb *AmbiguousError
		if !errors.As(err, &amb) || len(amb.Candidates) != 2 {
			t.Fatalf("want ambiguous with 2 candidates, got %v", err)
		}
		if !strings.Contains(err.Error(), "ratingKey 1") || !strings.Contains(err.Error(), "ratingKey 3") {
			t.Errorf("message does not list candidates: %v", err)
		}
	})
	t.Run("secondary file matches when primary is absent", func(t *testing.T) {
		lookup, asked := library(a)
		r, err := Find(context.Background(), []string{"/data/missing.mp4", "/data/a/clip.mp4"}, ms, lookup)
		if err != nil || r.Item.RatingKey != "1" || r.Strategy != "path" {
			t.Fatalf("got %+v, %v (asked %q)", r, err, *asked)
		}
	})
	t.Run("none is not found, naming the mapped paths", func(t *testing.T) {
		lookup, _ := library(a)
		_, err := Find(context.Background(), []string{"/data/new.mp4"}, ms, lookup)
		var nf *NotFoundError
		if !errors.As(err, &nf) || nf.Files[0] != "/media/new.mp4" {
			t.Fatalf("want not found for /media/new.mp4, got %v", err)
		}
	})
	t.Run("lookup errors pass through", func(t *testing.T) {
		boom := errors.New("plex down")
		_, err := Find(context.Background(), []string{"/data/a.mp4"}, ms, func(context.Context, string) ([]Item, error) { return nil, boom })
		if !errors.Is(err, boom) {
			t.Fatalf("got %v", err)
		}
	})
}
