// Package plex is a client of the Plex Media Server HTTP API, reduced to
// what a sync needs: sections, items by file, item metadata, one edit per
// item, rating and posters.
package plex

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/plexsync/plexsync/internal/breaker"
	"github.com/plexsync/plexsync/internal/httpapi"
	"github.com/plexsync/plexsync/internal/match"
	"github.com/plexsync/plexsync/internal/scene"
)

const (
	service  = "plex"
	pageSize = 200
	// maxPages bounds every paged listing, so that a server that misreports
	// totalSize cannot keep a worker looping.
	maxPages = 10000
)

var hints = httpapi.Hints{Auth: "Plex refused the token; set plex.token (or PLEXSYNC_PLEX_TOKEN) to a valid X-Plex-Token"}

// Options configure a Client.
type Options struct {
	URL            string
	Token          string
	ClientID       string // X-Plex-Client-Identifier; a stable name for this install
	ConnectTimeout time.Duration
	ReadTimeout    time.Duration
	// Breaker, if set, stops requests while Plex keeps failing.
	Breaker *breaker.Breaker
	// Limiter, if set, spaces this client's requests out.
	Limiter *rate.Limiter
	// Now is the clock of Retry-After hold-offs; time.Now when nil.
	Now func() time.Time
}

// Client talks to one Plex Media Server.
type Client struct {
	base     *url.URL
	token    string
	clientID string
	http     *http.Client
	breaker  *breaker.Breaker
	limiter  *rate.Limiter
	now      func() time.Time

	mu        sync.Mutex
	notBefore time.Time // Plex asked (429 Retry-After) for no request until then
}

// New checks the options and returns a client.
func New(o Options) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(o.URL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("plex URL %q is not an http(s) URL with a host", httpapi.Redact(o.URL))
	}
	if o.ClientID == "" {
		o.ClientID = "plexsync"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Client{base: u, token: o.Token, clientID: o.ClientID, breaker: o.Breaker, limiter: o.Limiter, now: o.Now,
		http: httpapi.NewClient(o.ConnectTimeout, o.ReadTimeout)}, nil
}

// Section is a library section.
type Section struct {
	Key   string `json:"key"`
	Title string `json:"title"`
	Type  string `json:"type"`
}

// Sections lists the library sections.
func (c *Client) Sections(ctx context.Context) ([]Section, error) {
	var mc struct {
		Directory []Section `json:"Directory"`
	}
	return mc.Directory, c.getJSON(ctx, "/library/sections", nil, &mc)
}

// Item is a Plex movie's metadata.
type Item struct {
	RatingKey             string   `json:"ratingKey"`
	SectionKey            flexID   `json:"librarySectionID"`
	Title                 string   `json:"title"`
	Summary               string   `json:"summary"`
	Studio                string   `json:"studio"`
	OriginallyAvailableAt string   `json:"originallyAvailableAt"`
	UserRating            *float64 `json:"userRating"`
	Genre                 []tag    `json:"Genre"`
	Role                  []tag    `json:"Role"`
	Collection            []tag    `json:"Collection"`
	Label                 []tag    `json:"Label"`
	Field                 []struct {
		Name   string `json:"name"`
		Locked bool   `json:"locked"`
	} `json:"Field"`
	Media []struct {
		Part []struct {
			File string `json:"file"`
		} `json:"Part"`
	} `json:"Media"`
}

type tag struct {
	Tag string `json:"tag"`
}

// flexID accepts an ID sent as a JSON string or number; Plex sends
// librarySectionID as a number and section keys as strings.
type flexID string

func (f *flexID) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = flexID(n.String())
	return nil
}

// Files lists the item's file paths as Plex sees them.
func (it Item) Files() []string {
	var out []string
	for _, m := range it.Media {
		for _, p := range m.Part {
			out = append(out, p.File)
		}
	}
	return out
}

// State is the item's metadata in the domain's terms.
func (it Item) State() scene.State {
	names := func(ts []tag) []string {
		out := []string{}
		for _, t := range ts {
			out = append(out, t.Tag)
		}
		return out
	}
	s := scene.State{
		Fields: map[string]string{scene.FieldTitle: it.Title, scene.FieldSummary: it.Summary,
			scene.FieldStudio: it.Studio, scene.FieldDate: it.OriginallyAvailableAt},
		Tags: map[string][]string{scene.TagGenre: names(it.Genre), scene.TagActor: names(it.Role),
			scene.TagCollection: names(it.Collection), scene.TagLabel: names(it.Label)},
		Rating: scene.NoRating, Locked: map[string]bool{},
	}
	if it.UserRating != nil {
		s.Rating = *it.UserRating
	}
	for _, f := range it.Field {
		s.Locked[f.Name] = f.Locked
	}
	return s
}

// Item returns one item's full metadata (listings truncate tag lists).
func (c *Client) Item(ctx context.Context, ratingKey string) (Item, error) {
	var mc struct {
		LibrarySectionID flexID `json:"librarySectionID"`
		Metadata         []Item `json:"Metadata"`
	}
	if err := c.getJSON(ctx, "/library/metadata/"+url.PathEscape(ratingKey), nil, &mc); err != nil {
		return Item{}, err
	}
	if len(mc.Metadata) == 0 {
		return Item{}, &httpapi.Error{Service: service, Kind: httpapi.NotFound, Status: http.StatusOK,
			Msg: "item " + ratingKey + " has no metadata"}
	}
	it := mc.Metadata[0]
	if it.SectionKey == "" {
		it.SectionKey = mc.LibrarySectionID
	}
	return it, nil
}

// Items returns the full metadata of several items in one request per 100
// (Plex takes comma-separated ratingKeys); items Plex no longer has are
// missing from the result.
func (c *Client) Items(ctx context.Context, ratingKeys []string) (map[string]Item, error) {
	out := make(map[string]Item, len(ratingKeys))
	for chunk := range slices.Chunk(ratingKeys, 100) {
		var mc struct {
			Metadata []Item `json:"Metadata"`
		}
		keys := make([]string, len(chunk))
		for i, k := range chunk {
			keys[i] = url.PathEscape(k)
		}
		err := c.getJSON(ctx, "/library/metadata/"+strings.Join(keys, ","), nil, &mc)
		if httpapi.KindOf(err) == httpapi.NotFound {
			continue // none of them exists any more
		}
		if err != nil {
			return nil, err
		}
		for _, it := range mc.Metadata {
			out[it.RatingKey] = it
		}
	}
	return out, nil
}

// FindByFile returns the movies of a section whose file path contains
// fragment. Plex's file= filter is not an exact match; callers confirm.
func (c *Client) FindByFile(ctx context.Context, sectionKey, fragment string) ([]match.Item, error) {
	var out []match.Item
	for start, page := 0, 0; page < maxPages; page++ {
		q := url.Values{"type": {"1"}, "file": {fragment},
			"X-Plex-Container-Start": {strconv.Itoa(start)}, "X-Plex-Container-Size": {strconv.Itoa(pageSize)}}
		var mc struct {
			TotalSize *int   `json:"totalSize"`
			Metadata  []Item `json:"Metadata"`
		}
		if err := c.getJSON(ctx, "/library/sections/"+url.PathEscape(sectionKey)+"/all", q, &mc); err != nil {
			return nil, err
		}
		for _, it := range mc.Metadata {
			out = append(out, match.Item{RatingKey: it.RatingKey, SectionID: sectionKey, Title: it.Title, Files: it.Files()})
		}
		start += len(mc.Metadata)
		if len(mc.Metadata) == 0 || mc.TotalSize == nil || start >= *mc.TotalSize {
			break
		}
	}
	return out, nil
}

// Edit sends every change of one item in a single PUT, locking each field it
// sets. Tag lists are sent whole (Plex replaces an indexed list) and stale
// entries are also removed by name, as python-plexapi does.
func (c *Client) Edit(ctx context.Context, sectionKey, ratingKey string, ch scene.Changes) error {
	q := url.Values{"type": {"1"}, "id": {ratingKey}}
	for name, v := range ch.Fields {
		q.Set(name+".value", v)
		q.Set(name+".locked", "1")
	}
	for name, e := range ch.Tags {
		for i, t := range e.Set {
			q.Set(fmt.Sprintf("%s[%d].tag.tag", name, i), t)
		}
		if rm := removable(e.Remove); rm != "" {
			q.Set(name+"[].tag.tag-", rm)
		}
		q.Set(name+".locked", "1")
	}
	if ch.LockPoster {
		q.Set(scene.FieldPoster+".locked", "1")
	}
	return c.send(ctx, http.MethodPut, "/library/sections/"+url.PathEscape(sectionKey)+"/all", q, nil)
}

// removable joins tag names for "-=": each name percent-encoded (spaces as
// %20), comma separated. Names containing a comma cannot be expressed this
// way; the indexed list already drops them.
func removable(names []string) string {
	var parts []string
	for _, n := range names {
		if !strings.Contains(n, ",") {
			parts = append(parts, strings.ReplaceAll(url.QueryEscape(n), "+", "%20"))
		}
	}
	return strings.Join(parts, ",")
}

// Rate sets the item's user rating (0..10), or clears it with scene.NoRating.
func (c *Client) Rate(ctx context.Context, ratingKey string, rating float64) error {
	q := url.Values{"key": {ratingKey}, "identifier": {"com.plexapp.plugins.library"},
		"rating": {strconv.FormatFloat(rating, 'f', -1, 64)}}
	return c.send(ctx, http.MethodPut, "/:/rate", q, nil)
}

// Poster is one entry of an item's poster list.
type Poster struct {
	RatingKey string `json:"ratingKey"` // upload://posters/<sha1> for uploads
	Selected  bool   `json:"selected"`
}

// Posters lists the item's posters.
func (c *Client) Posters(ctx context.Context, ratingKey string) ([]Poster, error) {
	var mc struct {
		Metadata []Poster `json:"Metadata"`
	}
	return mc.Metadata, c.getJSON(ctx, "/library/metadata/"+url.PathEscape(ratingKey)+"/posters", nil, &mc)
}

// UploadPoster uploads image bytes; Plex selects the upload.
func (c *Client) UploadPoster(ctx context.Context, ratingKey string, img []byte) error {
	return c.send(ctx, http.MethodPost, "/library/metadata/"+url.PathEscape(ratingKey)+"/posters", nil, img)
}

// SelectPoster selects a poster the item already has.
func (c *Client) SelectPoster(ctx context.Context, ratingKey, posterKey string) error {
	return c.send(ctx, http.MethodPut, "/library/metadata/"+url.PathEscape(ratingKey)+"/poster",
		url.Values{"url": {posterKey}}, nil)
}

func (c *Client) getJSON(ctx context.Context, path string, q url.Values, container any) error {
	resp, err := c.do(ctx, http.MethodGet, path, q, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	env := struct {
		MediaContainer any `json:"MediaContainer"`
	}{container}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return &httpapi.Error{Service: service, Kind: httpapi.Transient, Status: resp.StatusCode,
			Msg: "unreadable response to " + path + ": " + err.Error()}
	}
	return nil
}

func (c *Client) send(ctx context.Context, method, path string, q url.Values, body []byte) error {
	resp, err := c.do(ctx, method, path, q, body)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.Body.Close()
}

// do sends one request with the token in a header (never in the URL, so
// that no logged URL carries it) and classifies the outcome.
func (c *Client) do(ctx context.Context, method, path string, q url.Values, body []byte) (*http.Response, error) {
	u := *c.base
	u.Path = strings.TrimRight(c.base.Path, "/") + path
	u.RawQuery = q.Encode()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Plex-Token", c.token)
	req.Header.Set("X-Plex-Client-Identifier", c.clientID)
	req.Header.Set("X-Plex-Product", "PlexSync")
	if c.limiter != nil {
		if err := c.limiter.Wait(ctx); err != nil {
			return nil, httpapi.FromTransport(ctx, service, err)
		}
	}
	if wait := c.holdOff(); wait > 0 {
		return nil, &httpapi.Error{Service: service, Op: method + " " + path, Kind: httpapi.RateLimited, RetryAfter: wait,
			Msg: fmt.Sprintf("not sent: Plex asked for no requests for %s more", wait.Round(time.Millisecond))}
	}
	if c.breaker != nil {
		if ok, wait := c.breaker.Allow(); !ok {
			return nil, &httpapi.Error{Service: service, Op: method + " " + path, Kind: httpapi.CircuitOpen, RetryAfter: wait,
				Msg: fmt.Sprintf("not sent: Plex failed repeatedly, so PlexSync waits %s before trying again", wait.Round(time.Second))}
		}
	}
	resp, err := httpapi.Do(c.http, service, hints, req)
	if k := httpapi.KindOf(err); c.breaker != nil && (err == nil || k != "") {
		c.breaker.Record(k == httpapi.Transient)
	}
	var he *httpapi.Error
	if errors.As(err, &he) && he.Kind == httpapi.RateLimited && he.RetryAfter > 0 {
		c.mu.Lock()
		c.notBefore = c.now().Add(he.RetryAfter)
		c.mu.Unlock()
	}
	return resp, err
}

// holdOff is how long Plex's last Retry-After still asks every request of
// this client to wait: a 429 speaks for the server, not for one request.
func (c *Client) holdOff() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.notBefore.Sub(c.now())
}

// URL is the server's base URL (it carries no credential).
func (c *Client) URL() string { return c.base.String() }
