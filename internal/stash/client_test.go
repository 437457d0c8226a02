package stash

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/plexsync/plexsync/internal/httpapi"
	"github.com/plexsync/plexsync/internal/sim"
)

const apiKey = "stash-test-key-4567"

func setup(t *testing.T) (*sim.Stash, *Client) {
	t.Helper()
	s, err := sim.NewStash(sim.StashOptions{APIKey: apiKey})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	c, err := New(Options{URL: s.URL, APIKey: apiKey, ConnectTimeout: time.Second, ReadTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

func TestFindScene(t *testing.T) {
	s, c := setup(t)
	r := 80
	s.Put(sim.StashScene{ID: 45, Title: "T", Details: "D", Date: "2023-05-01", Rating100: &r, Studio: "S",
		Performers: []string{"Ann"}, Tags: []string{"x", "y"}, Groups: []string{"G"}, Files: []string{"/data/a.mp4", "/data/b.mp4"}})
	got, err := c.FindScene(context.Background(), "45")
	if err != nil || got == nil {
		t.Fatalf("FindScene = %v, %v", got, err)
	}
	if got.Title != "T" || got.Details != "D" || got.Date != "2023-05-01" || *got.Rating100 != 80 || got.Studio != "S" ||
		!slices.Equal(got.Performers, []string{"Ann"}) || !slices.Equal(got.Tags, []string{"x", "y"}) ||
		!slices.Equal(got.Groups, []string{"G"}) || !slices.Equal(got.Files, []string{"/data/a.mp4", "/data/b.mp4"}) || got.UpdatedAt.IsZero() {
		t.Errorf("scene = %+v", got)
	}
	if !strings.HasPrefix(got.Screenshot, "/scene/45/screenshot?t=") {
		t.Errorf("screenshot %q must be a path with no host", got.Screenshot)
	}
	img, err := c.Screenshot(context.Background(), got.Screenshot)
	sc, _ := s.Scene(45)
	if err != nil || string(img) != string(sim.ScreenshotBytes(sc)) {
		t.Errorf("Screenshot = %q, %v", img, err)
	}

	s.Put(sim.StashScene{ID: 46, Files: []string{"/x.mp4"}})
	bare, err := c.FindScene(context.Background(), "46")
	if err != nil || bare.Title != "" || bare.Rating100 != nil || bare.Studio != "" {
		t.Errorf("null fields: %+v, %v", bare, err)
	}
}

func TestFindSceneGoneAndBadID(t *testing.T) {
	_, c := setup(t)
	got, err := c.FindScene(context.Background(), "999")
	if err != nil || got != nil {
		t.Errorf("unknown id = %v, %v; want nil, nil", got, err)
	}
	_, err = c.FindScene(context.Background(), "abc")
	if httpapi.KindOf(err) != httpapi.Invalid || !strings.Contains(err.Error(), "GraphQL error") {
		t.Errorf("bad id: %v", err)
	}
}

func TestFindScenes(t *testing.T) {
	s, c := setup(t)
	for i := 1; i <= 7; i++ {
		s.Put(sim.StashScene{ID: i, Files: []string{"/f.mp4"}})
	}
	mid, _ := s.Scene(4)
	s.Update(2, func(sc *sim.StashScene) { sc.Title = "edited" }) // now the newest

	var ids []string
	for page := 1; page <= 3; page++ {
		p, err := c.FindScenes(context.Background(), ScenesQuery{Page: page, PerPage: 3})
		if err != nil || p.Count != 7 {
			t.Fatalf("page %d: %+v, %v", page, p, err)
		}
		for _, sc := range p.Scenes {
			ids = append(ids, sc.ID)
		}
	}
	if want := []string{"1", "3", "4", "5", "6", "7", "2"}; !slices.Equal(ids, want) {
		t.Errorf("order by updated_at = %q, want %q", ids, want)
	}

	p, err := c.FindScenes(context.Background(), ScenesQuery{UpdatedSince: mid.UpdatedAt, Page: 1, PerPage: 100})
	if err != nil || p.Count != 4 {
		t.Errorf("updated since scene 4: count %d, %v; want 4 (5, 6, 7, 2)", p.Count, err)
	}
	p, err = c.FindScenes(context.Background(), ScenesQuery{IDs: []string{"3", "6"}, Page: 1, PerPage: 100})
	if err != nil || p.Count != 2 {
		t.Errorf("by ids: %+v, %v", p, err)
	}
}

func TestAuthAndFaults(t *testing.T) {
	s, c := setup(t)
	s.Put(sim.StashScene{ID: 1, Files: []string{"/f.mp4"}})
	bad, _ := New(Options{URL: s.URL, APIKey: "nope-secret", ConnectTimeout: time.Second, ReadTimeout: time.Second})
	_, err := bad.FindScene(context.Background(), "1")
	if httpapi.KindOf(err) != httpapi.Auth || strings.Contains(err.Error(), "nope-secret") {
		t.Errorf("bad key: %v", err)
	}
	cookie, _ := New(Options{URL: s.URL, Cookie: &http.Cookie{Name: "session", Value: s.SessionCookieValue()},
		ConnectTimeout: time.Second, ReadTimeout: time.Second})
	if sc, err := cookie.FindScene(context.Background(), "1"); err != nil || sc == nil {
		t.Errorf("session cookie: %v, %v", sc, err)
	}

	s.AddFault(sim.Fault{Path: "/graphql", Status: 502, Times: 2})
	for range 2 {
		if _, err := c.FindScene(context.Background(), "1"); httpapi.KindOf(err) != httpapi.Transient {
			t.Errorf("502: %v", err)
		}
	}
	if _, err := c.FindScene(context.Background(), "1"); err != nil {
		t.Errorf("after the fault's 2 times: %v", err)
	}
}

func TestSimulatorRejectsUnknownFields(t *testing.T) {
	_, c := setup(t)
	var out any
	err := c.query(context.Background(), `query { findScene(id: "1") { id no_such_field } }`, nil, &out)
	if httpapi.KindOf(err) != httpapi.Invalid {
		t.Errorf("unknown field: %v, want Invalid (HTTP 422 as gqlgen answers)", err)
	}
}
