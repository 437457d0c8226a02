package sim

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"
)

func plexReq(t *testing.T, p *Plex, method, path string, q url.Values, accept string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(method, p.URL+path+"?"+q.Encode(), nil)
	req.Header.Set("X-Plex-Token", "tok")
	req.Header.Set("Accept", accept)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestPlexEditSemantics(t *testing.T) {
	p, err := NewPlex(PlexOptions{Token: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	p.AddSection(1, "Movies")
	rk := p.AddItem(1, "/m/a.mp4")
	p.SetItem(rk, func(it *PlexItem) { it.Tags["genre"] = []string{"A & B", "C,D", "Keep", "E F"} })
	id := url.Values{"type": {"1"}, "id": {itoa(rk)}}

	// Removal alone: names percent-encoded once more inside the value, as python-plexapi sends them.
	q := url.Values{"genre[].tag.tag-": {url.QueryEscape("A & B") + "," + "E%20F"}}
	for k, v := range id {
		q[k] = v
	}
	if r := plexReq(t, p, "PUT", "/library/sections/1/all", q, "application/json"); r.StatusCode != 200 {
		t.Fatalf("removal: %d", r.StatusCode)
	}
	it, _ := p.Item(rk)
	if !slices.Equal(it.Tags["genre"], []string{"C,D", "Keep"}) {
		t.Errorf("after -= : %q", it.Tags["genre"])
	}

	// An indexed list replaces the set; .locked locks.
	q = url.Values{"genre[0].tag.tag": {"New"}, "genre[1].tag.tag": {"Keep"}, "genre.locked": {"1"}}
	for k, v := range id {
		q[k] = v
	}
	plexReq(t, p, "PUT", "/library/sections/1/all", q, "application/json")
	it, _ = p.Item(rk)
	if !slices.Equal(it.Tags["genre"], []string{"New", "Keep"}) || !it.Locked["genre"] {
		t.Errorf("after replace: %q locked %v", it.Tags["genre"], it.Locked["genre"])
	}

	for name, want := range map[string]int{"bogus.value": 400, "bogus[0].tag.tag": 400, "originallyAvailableAt.value": 500} {
		q := url.Values{name: {"x"}}
		for k, v := range id {
			q[k] = v
		}
		if r := plexReq(t, p, "PUT", "/library/sections/1/all", q, "application/json"); r.StatusCode != want {
			t.Errorf("%s: %d, want %d", name, r.StatusCode, want)
		}
	}
	if r := plexReq(t, p, "GET", "/library/sections", nil, "application/xml"); r.StatusCode != http.StatusNotAcceptable {
		t.Errorf("non-JSON request: %d, want 406", r.StatusCode)
	}
}

func TestPlexListingTruncatesTags(t *testing.T) {
	p, _ := NewPlex(PlexOptions{Token: "tok"})
	defer p.Close()
	p.AddSection(1, "Movies")
	rk := p.AddItem(1, "/m/a.mp4")
	p.SetItem(rk, func(it *PlexItem) { it.Tags["actor"] = []string{"1", "2", "3", "4", "5"} })
	var body struct {
		MediaContainer struct {
			TotalSize int `json:"totalSize"`
			Metadata  []struct {
				Role []struct{ Tag string } `json:"Role"`
			} `json:"Metadata"`
		} `json:"MediaContainer"`
	}
	r := plexReq(t, p, "GET", "/library/sections/1/all", url.Values{"type": {"1"}}, "application/json")
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if n := len(body.MediaContainer.Metadata[0].Role); n != 3 || body.MediaContainer.TotalSize != 1 {
		t.Errorf("listing shows %d roles (want 3, as Plex truncates) of total %d", n, body.MediaContainer.TotalSize)
	}
}

func TestWaitForWakesOnRequests(t *testing.T) {
	p, _ := NewPlex(PlexOptions{Token: "tok"})
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	done := make(chan error)
	go func() { done <- p.WaitFor(ctx, func() bool { return p.Count("GET", "/library/sections") >= 2 }) }()
	plexReq(t, p, "GET", "/library/sections", nil, "application/json")
	plexReq(t, p, "GET", "/library/sections", nil, "application/json")
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }
