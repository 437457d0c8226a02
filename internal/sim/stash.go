package sim

import (
	"context"
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	graphql "github.com/graph-gophers/graphql-go"
)

// stashSchema is the part of Stash's GraphQL schema that PlexSync reads,
// with the names, types and nullability of stashapp/stash's
// graphql/schema/types/*.graphql, so that a query the real server would
// reject fails here too.
const stashSchema = `
schema { query: Query }
scalar Time
scalar Int64
enum SortDirectionEnum { ASC DESC }
enum CriterionModifier { EQUALS NOT_EQUALS GREATER_THAN LESS_THAN IS_NULL NOT_NULL INCLUDES_ALL INCLUDES EXCLUDES MATCHES_REGEX NOT_MATCHES_REGEX BETWEEN NOT_BETWEEN }
input FindFilterType { q: String page: Int per_page: Int sort: String direction: SortDirectionEnum }
input TimestampCriterionInput { value: String! value2: String modifier: CriterionModifier! }
input SceneFilterType { updated_at: TimestampCriterionInput }
type Query {
  findScene(id: ID, checksum: String): Scene
  findScenes(scene_filter: SceneFilterType, scene_ids: [Int!], ids: [ID!], filter: FindFilterType): FindScenesResultType!
}
type FindScenesResultType { count: Int! duration: Float! filesize: Float! scenes: [Scene!]! }
type Studio { id: ID! name: String! parent_studio: Studio }
type Performer { id: ID! name: String! }
type Tag { id: ID! name: String! }
type Group { id: ID! name: String! }
type SceneGroup { group: Group! scene_index: Int }
type StashID { endpoint: String! stash_id: String! updated_at: Time! }
type Fingerprint { type: String! value: String! }
type VideoFile { id: ID! path: String! basename: String! size: Int64! duration: Float! fingerprints: [Fingerprint!]! }
type ScenePathsType { screenshot: String preview: String stream: String }
type Scene {
  id: ID! title: String code: String details: String director: String urls: [String!]!
  date: String rating100: Int organized: Boolean! created_at: Time! updated_at: Time!
  studio: Studio performers: [Performer!]! tags: [Tag!]! groups: [SceneGroup!]!
  stash_ids: [StashID!]! files: [VideoFile!]! paths: ScenePathsType!
}`

// StashScene is a scene as the simulator stores it.
type StashScene struct {
	ID         int
	Title      string
	Details    string
	Date       string
	Rating100  *int
	Studio     string
	Performers []string
	Tags       []string
	Groups     []string
	Files      []string
	UpdatedAt  time.Time
	CreatedAt  time.Time
	// ImageVersion changes the screenshot bytes, like a new cover in Stash.
	ImageVersion int
}

// StashOptions configure a simulated Stash.
type StashOptions struct {
	Addr   string // listen address; default 127.0.0.1 on a free port
	APIKey string // when set, requests need it (ApiKey header or apikey query)
}

// Stash is a simulated Stash server.
type Stash struct {
	Server
	opts   StashOptions
	schema *graphql.Schema

	mu     sync.Mutex
	scenes map[int]*StashScene
	clock  time.Time
}

// NewStash starts a simulated Stash.
func NewStash(o StashOptions) (*Stash, error) {
	s := &Stash{opts: o, scenes: map[int]*StashScene{}}
	s.schema = graphql.MustParseSchema(stashSchema, &stashQuery{s}, graphql.UseFieldResolvers())
	mux := http.NewServeMux()
	mux.HandleFunc("POST /graphql", s.graphql)
	mux.HandleFunc("GET /scene/{id}/screenshot", s.screenshot)
	if err := s.start(o.Addr, s.auth(mux)); err != nil {
		return nil, err
	}
	return s, nil
}

// Put stores a scene, stamping updated_at with the time, as Stash does on
// every save. Stash keeps whole seconds; the simulator also keeps every
// stamp later than the one before, so "the newest" is always well defined.
func (s *Stash) Put(sc StashScene) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clock = s.clock.Add(time.Second)
	if now := time.Now().UTC().Truncate(time.Second); now.After(s.clock) {
		s.clock = now
	}
	sc.UpdatedAt = s.clock
	if old, ok := s.scenes[sc.ID]; ok {
		sc.CreatedAt = old.CreatedAt
	} else {
		sc.CreatedAt = s.clock
	}
	s.scenes[sc.ID] = &sc
}

// Update changes a stored scene in place and stamps it; false if unknown.
func (s *Stash) Update(id int, edit func(*StashScene)) bool {
	s.mu.Lock()
	sc, ok := s.scenes[id]
	if !ok {
		s.mu.Unlock()
		return false
	}
	c := *sc
	s.mu.Unlock()
	edit(&c)
	s.Put(c)
	return true
}

// Delete removes a scene, as deleting it in Stash would.
func (s *Stash) Delete(id int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.scenes, id)
}

// Scene returns a copy of a stored scene.
func (s *Stash) Scene(id int) (StashScene, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sc, ok := s.scenes[id]
	if !ok {
		return StashScene{}, false
	}
	return *sc, true
}

// ScreenshotBytes is the image the simulator serves for a scene; tests use
// it to check which poster Plex received.
func ScreenshotBytes(sc StashScene) []byte {
	return []byte(fmt.Sprintf("\xff\xd8\xff\xe0 simulated screenshot of scene %d, version %d", sc.ID, sc.ImageVersion))
}

// auth mirrors Stash: with credentials configured, a request without a valid
// ApiKey header, apikey query or session cookie gets 401, an empty body and
// "WWW-Authenticate: FormBased".
func (s *Stash) auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.opts.APIKey != "" {
			key := r.Header.Get("ApiKey")
			if key == "" {
				key = r.URL.Query().Get("apikey")
			}
			c, err := r.Cookie("session")
			if key != s.opts.APIKey && (err != nil || c.Value != s.opts.APIKey) {
				w.Header().Set("WWW-Authenticate", "FormBased")
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// SessionCookieValue is the cookie value the simulator accepts, standing in
// for the session a hook receives from Stash.
func (s *Stash) SessionCookieValue() string { return s.opts.APIKey }

func (s *Stash) graphql(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Query         string         `json:"query"`
		OperationName string         `json:"operationName"`
		Variables     map[string]any `json:"variables"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "json body could not be decoded: "+err.Error(), http.StatusBadRequest)
		return
	}
	resp := s.schema.Exec(r.Context(), req.Query, req.OperationName, req.Variables)
	w.Header().Set("Content-Type", "application/json")
	if resp.Data == nil && len(resp.Errors) > 0 {
		// gqlgen answers parse and validation failures with 422 for
		// Accept: application/json, and "data": null.
		w.WriteHeader(http.StatusUnprocessableEntity)
		_ = json.NewEncoder(w).Encode(map[string]any{"errors": resp.Errors, "data": nil})
		return
	}
	_ = json.NewEncoder(w).Encode(resp)
}

func (s *Stash) screenshot(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.Atoi(r.PathValue("id"))
	sc, ok := s.Scene(id)
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	_, _ = w.Write(ScreenshotBytes(sc))
}

// The resolvers below turn stored scenes into the schema's types.

type stashQuery struct{ s *Stash }

type named struct {
	ID   graphql.ID
	Name string
}

type studio struct {
	ID           graphql.ID
	Name         string
	ParentStudio *studio
}

type sceneGroup struct {
	Group      named
	SceneIndex *int32
}

type stashID struct {
	Endpoint  string
	StashID   string
	UpdatedAt graphql.Time
}

type fingerprint struct{ Type, Value string }

type int64Scalar int64

func (int64Scalar) ImplementsGraphQLType(name string) bool { return name == "Int64" }
func (i *int64Scalar) UnmarshalGraphQL(v any) error {
	n, ok := v.(int64)
	if !ok {
		return fmt.Errorf("wrong type for Int64: %T", v)
	}
	*i = int64Scalar(n)
	return nil
}

type videoFile struct {
	ID           graphql.ID
	Path         string
	Basename     string
	Size         int64Scalar
	Duration     float64
	Fingerprints []fingerprint
}

type scenePaths struct{ Screenshot, Preview, Stream *string }

type sceneResolver struct {
	ID         graphql.ID
	Title      *string
	Code       *string
	Details    *string
	Director   *string
	Urls       []string
	Date       *string
	Rating100  *int32
	Organized  bool
	CreatedAt  graphql.Time
	UpdatedAt  graphql.Time
	Studio     *studio
	Performers []named
	Tags       []named
	Groups     []sceneGroup
	StashIds   []stashID
	Files      []videoFile
	Paths      scenePaths
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// names gives each name a stable ID, as Stash has one per tag or performer.
func names(kind string, list []string) []named {
	out := []named{}
	for _, n := range list {
		h := sha1.Sum([]byte(kind + "\x00" + n))
		out = append(out, named{ID: graphql.ID(strconv.Itoa(int(h[0])<<8 | int(h[1]))), Name: n})
	}
	return out
}

func (s *Stash) resolve(sc StashScene, base string) *sceneResolver {
	id := strconv.Itoa(sc.ID)
	r := &sceneResolver{
		ID: graphql.ID(id), Title: optional(sc.Title), Details: optional(sc.Details), Date: optional(sc.Date),
		Urls: []string{}, CreatedAt: graphql.Time{Time: sc.CreatedAt}, UpdatedAt: graphql.Time{Time: sc.UpdatedAt},
		Performers: names("performer", sc.Performers), Tags: names("tag", sc.Tags),
		Groups: []sceneGroup{}, StashIds: []stashID{}, Files: []videoFile{},
		Paths: scenePaths{Screenshot: optional(fmt.Sprintf("%s/scene/%s/screenshot?t=%d", base, id, sc.UpdatedAt.Unix()))},
	}
	if sc.Rating100 != nil {
		v := int32(*sc.Rating100)
		r.Rating100 = &v
	}
	if sc.Studio != "" {
		r.Studio = &studio{ID: names("studio", []string{sc.Studio})[0].ID, Name: sc.Studio}
	}
	for _, g := range names("group", sc.Groups) {
		r.Groups = append(r.Groups, sceneGroup{Group: g})
	}
	for i, f := range sc.Files {
		r.Files = append(r.Files, videoFile{ID: graphql.ID(fmt.Sprintf("%d%02d", sc.ID, i)), Path: f,
			Basename: path.Base(strings.ReplaceAll(f, `\`, "/")), Size: 1 << 20, Duration: 60,
			Fingerprints: []fingerprint{{Type: "oshash", Value: fmt.Sprintf("%016x", sc.ID)}}})
	}
	return r
}

func (q *stashQuery) FindScene(ctx context.Context, args struct {
	ID       *graphql.ID
	Checksum *string
}) (*sceneResolver, error) {
	if args.ID == nil {
		return nil, nil
	}
	id, err := strconv.Atoi(string(*args.ID))
	if err != nil {
		return nil, fmt.Errorf("strconv.Atoi: parsing %q: invalid syntax", string(*args.ID))
	}
	sc, ok := q.s.Scene(id)
	if !ok {
		return nil, nil
	}
	return q.s.resolve(sc, q.s.URL), nil
}

type findFilter struct {
	Q         *string
	Page      *int32
	PerPage   *int32
	Sort      *string
	Direction *string
}

type timestampCriterion struct {
	Value    string
	Value2   *string
	Modifier string
}

type sceneFilter struct {
	UpdatedAt *timestampCriterion
}

type findScenesResult struct {
	Count    int32
	Duration float64
	Filesize float64
	Scenes   []*sceneResolver
}

func (q *stashQuery) FindScenes(ctx context.Context, args struct {
	SceneFilter *sceneFilter
	SceneIds    *[]int32
	Ids         *[]graphql.ID
	Filter      *findFilter
}) (*findScenesResult, error) {
	list, err := q.s.filter(args.SceneFilter, args.Ids)
	if err != nil {
		return nil, err
	}
	sortScenes(list, args.Filter)
	page, perPage := 1, 25
	if f := args.Filter; f != nil {
		if f.Page != nil {
			page = int(*f.Page)
		}
		if f.PerPage != nil {
			perPage = int(*f.PerPage)
		}
	}
	res := &findScenesResult{Count: int32(len(list)), Scenes: []*sceneResolver{}}
	if perPage >= 0 {
		start := min(max(page-1, 0)*perPage, len(list))
		list = list[start:min(start+perPage, len(list))]
	}
	for _, sc := range list {
		res.Scenes = append(res.Scenes, q.s.resolve(sc, q.s.URL))
	}
	return res, nil
}

func (s *Stash) filter(f *sceneFilter, ids *[]graphql.ID) ([]StashScene, error) {
	var since time.Time
	if f != nil && f.UpdatedAt != nil {
		if f.UpdatedAt.Modifier != "GREATER_THAN" {
			return nil, fmt.Errorf("simulator supports only GREATER_THAN on updated_at")
		}
		t, err := time.Parse(time.RFC3339, f.UpdatedAt.Value)
		if err != nil {
			return nil, fmt.Errorf("invalid timestamp %q", f.UpdatedAt.Value)
		}
		since = t
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []StashScene
	for _, sc := range s.scenes {
		if ids != nil && !slices.Contains(*ids, graphql.ID(strconv.Itoa(sc.ID))) {
			continue
		}
		if !since.IsZero() && !sc.UpdatedAt.After(since) {
			continue
		}
		out = append(out, *sc)
	}
	return out, nil
}

// sortScenes orders by updated_at (then id, for a stable order) when asked,
// by id otherwise.
func sortScenes(list []StashScene, f *findFilter) {
	byUpdated := f != nil && f.Sort != nil && *f.Sort == "updated_at"
	desc := f != nil && f.Direction != nil && *f.Direction == "DESC"
	slices.SortFunc(list, func(a, b StashScene) int {
		c := a.ID - b.ID
		if byUpdated {
			if d := a.UpdatedAt.Compare(b.UpdatedAt); d != 0 {
				c = d
			}
		}
		if desc {
			return -c
		}
		return c
	})
}
