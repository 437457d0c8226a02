package plex

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/plexsync/plexsync/internal/httpapi"
	"github.com/plexsync/plexsync/internal/scene"
	"github.com/plexsync/plexsync/internal/sim"
)

const token = "plex-test-token-0123"

func setup(t *testing.T) (*sim.Plex, *Client) {
	t.Helper()
	p, err := sim.NewPlex(sim.PlexOptions{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	p.AddSection(1, "Movies", "/media")
	c, err := New(Options{URL: p.URL, Token: token, ConnectTimeout: time.Second, ReadTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return p, c
}

func TestSectionsAndFindByFile(t *testing.T) {
	p, c := setup(t)
	ctx := context.Background()
	for i := range 450 { // more than two pages
		p.AddItem(1, fmt.Sprintf("/media/batch/clip%03d.mp4", i))
	}
	want := p.AddItem(1, "/media/other/Special Clip.mkv")

	secs, err := c.Sections(ctx)
	if err != nil || len(secs) != 1 || secs[0].Key != "1" || secs[0].Title != "Movies" {
		t.Fatalf("Sections = %+v, %v", secs, err)
	}
	all, err := c.FindByFile(ctx, "1", "/media/batch/")
	if err != nil || len(all) != 450 {
		t.Fatalf("FindByFile paged = %d items, %v; want 450", len(all), err)
	}
	hits, err := c.FindByFile(ctx, "1", "special clip")
	if err != nil || len(hits) != 1 || hits[0].RatingKey != fmt.Sprint(want) || hits[0].Files[0] != "/media/other/Special Clip.mkv" {
		t.Fatalf("FindByFile = %+v, %v", hits, err)
	}
}

func TestEditRateAndRead(t *testing.T) {
	p, c := setup(t)
	ctx := context.Background()
	rk := p.AddItem(1, "/media/a.mp4")
	p.SetItem(rk, func(it *sim.PlexItem) {
		it.Tags["genre"] = []string{"Stale One", "Rock & Roll", "Keep"}
	})
	key := fmt.Sprint(rk)
	ch := scene.Changes{
		Fields: map[string]string{scene.FieldTitle: "New & Title", scene.FieldSummary: "Line 1\nLine 2", scene.FieldDate: "2024-02-29"},
		Tags: map[string]scene.TagEdit{
			scene.TagGenre: {Set: []string{"Keep", "100% Fresh", "a+b"}, Remove: []string{"Stale One", "Rock & Roll"}},
			scene.TagActor: {Set: []string{"Ann", "Bob", "Cy", "Di", "Ed"}},
		},
		LockPoster: true,
	}
	if err := c.Edit(ctx, "1", key, ch); err != nil {
		t.Fatal(err)
	}
	if err := c.Rate(ctx, key, 7.5); err != nil {
		t.Fatal(err)
	}
	if n := p.Count(http.MethodPut, "/library/sections/1/all"); n != 1 {
		t.Errorf("edit took %d PUTs, want 1", n)
	}

	it, err := c.Item(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	st := it.State()
	if st.Fields[scene.FieldTitle] != "New & Title" || st.Fields[scene.FieldSummary] != "Line 1\nLine 2" || st.Fields[scene.FieldDate] != "2024-02-29" {
		t.Errorf("fields = %q", st.Fields)
	}
	if g := st.Tags[scene.TagGenre]; !slices.Equal(g, []string{"Keep", "100% Fresh", "a+b"}) {
		t.Errorf("genres = %q (stale entries must be gone)", g)
	}
	if a := st.Tags[scene.TagActor]; len(a) != 5 {
		t.Errorf("actors = %q; full metadata must not be truncated", a)
	}
	for _, f := range []string{"title", "summary", "originallyAvailableAt", "genre", "actor", "thumb"} {
		if !st.Locked[f] {
			t.Errorf("%s not locked; locks = %v", f, st.Locked)
		}
	}
	if st.Rating != 7.5 || it.SectionKey != "1" {
		t.Errorf("rating %v section %q", st.Rating, it.SectionKey)
	}

	if err := c.Rate(ctx, key, scene.NoRating); err != nil {
		t.Fatal(err)
	}
	it, _ = c.Item(ctx, key)
	if it.State().Rating != scene.NoRating {
		t.Errorf("rating after clear = %v", it.State().Rating)
	}
}

func TestPosters(t *testing.T) {
	p, c := setup(t)
	ctx := context.Background()
	rk := fmt.Sprint(p.AddItem(1, "/media/a.mp4"))
	img1, img2 := []byte("image one"), []byte("image two")
	for _, img := range [][]byte{img1, img2} {
		if err := c.UploadPoster(ctx, rk, img); err != nil {
			t.Fatal(err)
		}
	}
	sum := sha1.Sum(img1)
	key1 := "upload://posters/" + hex.EncodeToString(sum[:])
	if err := c.SelectPoster(ctx, rk, key1); err != nil {
		t.Fatal(err)
	}
	ps, err := c.Posters(ctx, rk)
	if err != nil || len(ps) != 2 {
		t.Fatalf("Posters = %+v, %v", ps, err)
	}
	if ps[0].RatingKey != key1 || !ps[0].Selected || ps[1].Selected {
		t.Errorf("posters = %+v, want %s selected", ps, key1)
	}
}

func TestErrorsAreClassified(t *testing.T) {
	p, c := setup(t)
	ctx := context.Background()
	rk := fmt.Sprint(p.AddItem(1, "/media/a.mp4"))

	bad, _ := New(Options{URL: p.URL, Token: "wrong-token-xyz", ConnectTimeout: time.Second, ReadTimeout: time.Second})
	_, err := bad.Item(ctx, rk)
	if httpapi.KindOf(err) != httpapi.Auth || strings.Contains(err.Error(), "wrong-token-xyz") || !strings.Contains(err.Error(), "plex.token") {
		t.Errorf("bad token: %v", err)
	}

	cases := []struct {
		name  string
		fault sim.Fault
		kind  httpapi.Kind
	}{
		{"503", sim.Fault{Status: 503}, httpapi.Transient},
		{"dropped connection", sim.Fault{Drop: true}, httpapi.Transient},
		{"slower than read timeout", sim.Fault{Latency: 3 * time.Second}, httpapi.Transient},
		{"429", sim.Fault{Status: 429, RetryAfter: "3"}, httpapi.RateLimited},
		{"404", sim.Fault{Status: 404}, httpapi.NotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// A fresh client: after a 429 a client holds every request back.
			c, _ := New(Options{URL: p.URL, Token: token, ConnectTimeout: time.Second, ReadTimeout: 2 * time.Second})
			p.AddFault(tc.fault)
			_, err := c.Item(ctx, rk)
			if httpapi.KindOf(err) != tc.kind {
				t.Fatalf("got %v (kind %q), want %q", err, httpapi.KindOf(err), tc.kind)
			}
			var he *httpapi.Error
			if tc.kind == httpapi.RateLimited && (!errors.As(err, &he) || he.RetryAfter != 3*time.Second) {
				t.Errorf("RetryAfter not read: %v", err)
			}
			p.ClearFaults()
			if _, err := c.Item(ctx, rk); err != nil && tc.kind != httpapi.RateLimited {
				t.Errorf("after clearing the fault: %v", err)
			}
		})
	}

	err = c.Edit(ctx, "1", rk, scene.Changes{Fields: map[string]string{"bogus": "x"}})
	if httpapi.KindOf(err) != httpapi.Invalid {
		t.Errorf("unknown field: %v, want Invalid", err)
	}
	err = c.Edit(ctx, "1", rk, scene.Changes{Fields: map[string]string{scene.FieldDate: "not a date"}})
	if httpapi.KindOf(err) != httpapi.Transient {
		t.Errorf("bad field data (Plex answers 500): %v, want Transient", err)
	}
	if _, err := c.Item(ctx, "999999"); httpapi.KindOf(err) != httpapi.NotFound {
		t.Errorf("unknown item: %v", err)
	}
}

func TestRetryAfterHoldsEveryRequest(t *testing.T) {
	p, c := setup(t)
	ctx := context.Background()
	rk := fmt.Sprint(p.AddItem(1, "/media/a.mp4"))
	p.AddFault(sim.Fault{Status: 429, RetryAfter: "2", Times: 1})
	if _, err := c.Item(ctx, rk); httpapi.KindOf(err) != httpapi.RateLimited {
		t.Fatalf("first: %v", err)
	}
	before := len(p.Requests())
	_, err := c.Sections(ctx)
	var he *httpapi.Error
	if !errors.As(err, &he) || he.Kind != httpapi.RateLimited || he.RetryAfter <= time.Second {
		t.Fatalf("during Retry-After: %v", err)
	}
	if n := len(p.Requests()); n != before {
		t.Errorf("%d requests reached Plex during its Retry-After", n-before)
	}
}

func TestItemsInOneRequest(t *testing.T) {
	p, c := setup(t)
	var keys []string
	for i := range 150 {
		keys = append(keys, fmt.Sprint(p.AddItem(1, fmt.Sprintf("/media/%d.mp4", i))))
	}
	p.ResetLog()
	items, err := c.Items(context.Background(), append(keys, "999999"))
	if err != nil || len(items) != 150 || items[keys[42]].Files()[0] != "/media/42.mp4" {
		t.Fatalf("Items = %d items, %v", len(items), err)
	}
	if n := len(p.Requests()); n != 2 {
		t.Errorf("%d requests for 151 keys, want 2 (100 per request)", n)
	}
}
