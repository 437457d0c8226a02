// Package stash is a client of Stash's GraphQL API, reduced to what a sync
// reads: one scene, pages of scenes, and a scene's screenshot.
package stash

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/plexsync/plexsync/internal/httpapi"
	"github.com/plexsync/plexsync/internal/scene"
)

const service = "stash"

var hints = httpapi.Hints{Auth: "Stash refused the credentials; set stash.api_key (or PLEXSYNC_STASH_API_KEY) to a key from Stash's Settings > Security"}

// Options configure a Client. APIKey or Cookie may be empty when Stash has no
// credentials set.
type Options struct {
	URL            string // Stash's base URL, e.g. http://localhost:9999
	APIKey         string
	Cookie         *http.Cookie // a hook's session cookie
	ConnectTimeout time.Duration
	ReadTimeout    time.Duration
}

// Client talks to one Stash server.
type Client struct {
	base   *url.URL
	apiKey string
	cookie *http.Cookie
	http   *http.Client
}

// New checks the options and returns a client.
func New(o Options) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(o.URL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("stash URL %q is not an http(s) URL with a host", httpapi.Redact(o.URL))
	}
	return &Client{base: u, apiKey: o.APIKey, cookie: o.Cookie,
		http: httpapi.NewClient(o.ConnectTimeout, o.ReadTimeout)}, nil
}

// sceneFields is the part of Scene that a sync needs; see Stash's
// graphql/schema/types/scene.graphql.
const sceneFields = `fragment SyncScene on Scene {
  id title details date rating100 updated_at
  studio { name }
  performers { name }
  tags { name }
  groups { group { name } }
  files { path }
  paths { screenshot }
}`

const findSceneQuery = `query FindScene($id: ID!) { findScene(id: $id) { ...SyncScene } }
` + sceneFields

const findScenesQuery = `query FindScenes($filter: FindFilterType, $scene_filter: SceneFilterType, $ids: [ID!]) {
  findScenes(filter: $filter, scene_filter: $scene_filter, ids: $ids) { count scenes { ...SyncScene } }
}
` + sceneFields

type named struct {
	Name string `json:"name"`
}

type wireScene struct {
	ID         string    `json:"id"`
	Title      *string   `json:"title"`
	Details    *string   `json:"details"`
	Date       *string   `json:"date"`
	Rating100  *int      `json:"rating100"`
	UpdatedAt  time.Time `json:"updated_at"`
	Studio     *named    `json:"studio"`
	Performers []named   `json:"performers"`
	Tags       []named   `json:"tags"`
	Groups     []struct {
		Group named `json:"group"`
	} `json:"groups"`
	Files []struct {
		Path string `json:"path"`
	} `json:"files"`
	Paths struct {
		Screenshot *string `json:"screenshot"`
	} `json:"paths"`
}

func (w wireScene) scene() scene.Scene {
	s := scene.Scene{ID: w.ID, Title: deref(w.Title), Details: deref(w.Details), Date: deref(w.Date),
		Rating100: w.Rating100, UpdatedAt: w.UpdatedAt, Screenshot: localPath(deref(w.Paths.Screenshot))}
	if w.Studio != nil {
		s.Studio = w.Studio.Name
	}
	for _, p := range w.Performers {
		s.Performers = append(s.Performers, p.Name)
	}
	for _, t := range w.Tags {
		s.Tags = append(s.Tags, t.Name)
	}
	for _, g := range w.Groups {
		s.Groups = append(s.Groups, g.Group.Name)
	}
	for _, f := range w.Files {
		s.Files = append(s.Files, f.Path)
	}
	return s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// localPath keeps the path and query of a Stash URL, minus any apikey, so
// that no host or credential travels in a workflow payload.
func localPath(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || raw == "" {
		return ""
	}
	q := u.Query()
	q.Del("apikey")
	return (&url.URL{Path: u.Path, RawQuery: q.Encode()}).String()
}

// FindScene returns the scene with this ID, or nil when Stash has none
// (deleted, or never existed).
func (c *Client) FindScene(ctx context.Context, id string) (*scene.Scene, error) {
	var data struct {
		FindScene *wireScene `json:"findScene"`
	}
	if err := c.query(ctx, findSceneQuery, map[string]any{"id": id}, &data); err != nil {
		return nil, err
	}
	if data.FindScene == nil {
		return nil, nil
	}
	s := data.FindScene.scene()
	return &s, nil
}

// ScenesQuery selects a page of scenes sorted by updated_at.
type ScenesQuery struct {
	UpdatedSince time.Time `json:"updatedSince"`  // zero: all scenes
	IDs          []string  `json:"ids,omitempty"` // empty: no ID filter
	Page         int       `json:"page"`          // 1-based
	PerPage      int       `json:"perPage"`
	NewestFirst  bool      `json:"newestFirst,omitempty"`
}

// ScenesPage is one page of a findScenes answer.
type ScenesPage struct {
	Count  int // all scenes matching the filter, over every page
	Scenes []scene.Scene
}

// FindScenes returns one page of scenes sorted by updated_at, oldest first
// unless NewestFirst.
func (c *Client) FindScenes(ctx context.Context, q ScenesQuery) (ScenesPage, error) {
	dir := "ASC"
	if q.NewestFirst {
		dir = "DESC"
	}
	vars := map[string]any{"filter": map[string]any{
		"page": q.Page, "per_page": q.PerPage, "sort": "updated_at", "direction": dir,
	}}
	if !q.UpdatedSince.IsZero() {
		vars["scene_filter"] = map[string]any{"updated_at": map[string]any{
			"value": q.UpdatedSince.Format(time.RFC3339), "modifier": "GREATER_THAN",
		}}
	}
	if len(q.IDs) > 0 {
		vars["ids"] = q.IDs
	}
	var data struct {
		FindScenes struct {
			Count  int         `json:"count"`
			Scenes []wireScene `json:"scenes"`
		} `json:"findScenes"`
	}
	if err := c.query(ctx, findScenesQuery, vars, &data); err != nil {
		return ScenesPage{}, err
	}
	page := ScenesPage{Count: data.FindScenes.Count}
	for _, w := range data.FindScenes.Scenes {
		page.Scenes = append(page.Scenes, w.scene())
	}
	return page, nil
}

type gqlError struct {
	Message string `json:"message"`
}

func (c *Client) query(ctx context.Context, query string, vars map[string]any, out any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	resp, err := c.do(ctx, http.MethodPost, "/graphql", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var env struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return &httpapi.Error{Service: service, Kind: httpapi.Transient, Status: resp.StatusCode,
			Msg: "unreadable GraphQL response: " + err.Error()}
	}
	if len(env.Errors) > 0 {
		var msgs []string
		for _, e := range env.Errors {
			msgs = append(msgs, e.Message)
		}
		return &httpapi.Error{Service: service, Kind: httpapi.Invalid, Status: resp.StatusCode,
			Msg: "GraphQL error: " + httpapi.Redact(strings.Join(msgs, "; "))}
	}
	return json.Unmarshal(env.Data, out)
}

// Screenshot downloads a scene's screenshot (a path from Scene.Screenshot).
func (c *Client) Screenshot(ctx context.Context, path string) ([]byte, error) {
	resp, err := c.do(ctx, http.MethodGet, path, nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return nil, httpapi.FromTransport(ctx, service, err)
	}
	return b, nil
}

// do sends one request with credentials and returns a 2xx response or a
// classified error.
func (c *Client) do(ctx context.Context, method, pathAndQuery string, body io.Reader) (*http.Response, error) {
	ref, err := url.Parse(pathAndQuery)
	if err != nil {
		return nil, fmt.Errorf("stash: bad path %q: %w", pathAndQuery, err)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base.ResolveReference(ref).String(), body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if c.apiKey != "" {
		req.Header.Set("ApiKey", c.apiKey)
	}
	if c.cookie != nil {
		req.AddCookie(c.cookie)
	}
	return httpapi.Do(c.http, service, hints, req)
}
