package sim

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// PlexSection is a library section.
type PlexSection struct {
	Key       int
	Title     string
	Type      string // "movie"
	Locations []string
}

// PlexPoster is one entry of an item's poster list.
type PlexPoster struct {
	RatingKey string // upload://posters/<sha1 of the bytes>
	Selected  bool
}

// PlexItem is a movie as the simulator stores it.
type PlexItem struct {
	RatingKey             int
	SectionKey            int
	Title                 string
	Summary               string
	Studio                string
	Tagline               string
	OriginallyAvailableAt string
	UserRating            *float64
	Tags                  map[string][]string // genre, actor, collection, label, director, writer, country
	Locked                map[string]bool
	Files                 []string
	Posters               []PlexPoster
	Uploads               int // poster uploads received, including repeats
}

// PlexOptions configure a simulated Plex.
type PlexOptions struct {
	Addr  string
	Token string // required X-Plex-Token
}

// Plex is a simulated Plex Media Server.
type Plex struct {
	Server
	opts PlexOptions

	mu       sync.Mutex
	sections map[int]*PlexSection
	items    map[int]*PlexItem
	nextKey  int
}

// NewPlex starts a simulated Plex with no sections.
func NewPlex(o PlexOptions) (*Plex, error) {
	p := &Plex{opts: o, sections: map[int]*PlexSection{}, items: map[int]*PlexItem{}, nextKey: 100}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /library/sections", p.listSections)
	mux.HandleFunc("GET /library/sections/{key}/all", p.listItems)
	mux.HandleFunc("PUT /library/sections/{key}/all", p.edit)
	mux.HandleFunc("GET /library/metadata/{rk}", p.metadata)
	mux.HandleFunc("GET /library/metadata/{rk}/posters", p.listPosters)
	mux.HandleFunc("POST /library/metadata/{rk}/posters", p.uploadPoster)
	mux.HandleFunc("PUT /library/metadata/{rk}/poster", p.selectPoster)
	mux.HandleFunc("PUT /:/rate", p.rate)
	if err := p.start(o.Addr, p.auth(mux)); err != nil {
		return nil, err
	}
	return p, nil
}

// AddSection adds a movie section.
func (p *Plex) AddSection(key int, title string, locations ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sections[key] = &PlexSection{Key: key, Title: title, Type: "movie", Locations: locations}
}

// AddItem adds a movie for a file, as a Plex scan would, and returns its
// ratingKey. The title is the file name, as Plex's agent would set it.
func (p *Plex) AddItem(section int, file string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.nextKey++
	name := path.Base(strings.ReplaceAll(file, `\`, "/"))
	p.items[p.nextKey] = &PlexItem{RatingKey: p.nextKey, SectionKey: section,
		Title: strings.TrimSuffix(name, path.Ext(name)),
		Tags:  map[string][]string{}, Locked: map[string]bool{}, Files: []string{file}}
	return p.nextKey
}

// Rescan moves an item to a new ratingKey, as Plex does when it removes and
// re-adds a file, and returns the new key.
func (p *Plex) Rescan(rk int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	it, ok := p.items[rk]
	if !ok {
		return 0
	}
	p.nextKey++
	delete(p.items, rk)
	it.RatingKey = p.nextKey
	p.items[p.nextKey] = it
	return p.nextKey
}

// Item returns a deep copy of an item.
func (p *Plex) Item(rk int) (PlexItem, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	it, ok := p.items[rk]
	if !ok {
		return PlexItem{}, false
	}
	c := *it
	c.Tags = map[string][]string{}
	for k, v := range it.Tags {
		c.Tags[k] = slices.Clone(v)
	}
	c.Locked = map[string]bool{}
	for k, v := range it.Locked {
		c.Locked[k] = v
	}
	c.Posters = slices.Clone(it.Posters)
	return c, true
}

// SetItem changes an item in place, as an edit in Plex's UI would.
func (p *Plex) SetItem(rk int, edit func(*PlexItem)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if it, ok := p.items[rk]; ok {
		edit(it)
	}
}

func (p *Plex) auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := r.Header.Get("X-Plex-Token")
		if tok == "" {
			tok = r.URL.Query().Get("X-Plex-Token")
		}
		if tok != p.opts.Token {
			htmlError(w, http.StatusUnauthorized)
			return
		}
		// The simulator speaks only JSON; real Plex answers XML unless asked.
		if !strings.Contains(r.Header.Get("Accept"), "application/json") {
			http.Error(w, "simulator: send Accept: application/json", http.StatusNotAcceptable)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, container map[string]any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"MediaContainer": container})
}

func (p *Plex) listSections(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	dirs := []map[string]any{}
	for _, k := range sortedKeys(p.sections) {
		s := p.sections[k]
		locs := []map[string]any{}
		for i, l := range s.Locations {
			locs = append(locs, map[string]any{"id": i + 1, "path": l})
		}
		dirs = append(dirs, map[string]any{"allowSync": true, "key": strconv.Itoa(s.Key), "type": s.Type,
			"title": s.Title, "agent": "tv.plex.agents.none", "scanner": "Plex Video Files Scanner",
			"language": "xn", "uuid": fmt.Sprintf("sim-%d", s.Key), "Location": locs})
	}
	writeJSON(w, map[string]any{"size": len(dirs), "allowSync": false, "title1": "Plex Library", "Directory": dirs})
}

func sortedKeys[V any](m map[int]V) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// paging reads X-Plex-Container-Start/Size from the query or, as
// python-plexapi sends them, from headers. Without a size the whole list is
// returned.
func paging(r *http.Request) (start, size int) {
	get := func(name string) string {
		if v := r.URL.Query().Get(name); v != "" {
			return v
		}
		return r.Header.Get(name)
	}
	start, _ = strconv.Atoi(get("X-Plex-Container-Start"))
	size, err := strconv.Atoi(get("X-Plex-Container-Size"))
	if err != nil {
		size = -1
	}
	return max(start, 0), size
}

func (p *Plex) listItems(w http.ResponseWriter, r *http.Request) {
	key, _ := strconv.Atoi(r.PathValue("key"))
	p.mu.Lock()
	defer p.mu.Unlock()
	sec, ok := p.sections[key]
	if !ok {
		htmlError(w, http.StatusNotFound)
		return
	}
	file := strings.ToLower(r.URL.Query().Get("file"))
	var all []*PlexItem
	for _, rk := range sortedKeys(p.items) {
		it := p.items[rk]
		if it.SectionKey != key || (file != "" && !slices.ContainsFunc(it.Files, func(f string) bool {
			return strings.Contains(strings.ToLower(f), file)
		})) {
			continue
		}
		all = append(all, it)
	}
	start, size := paging(r)
	page := all[min(start, len(all)):]
	if size >= 0 {
		page = page[:min(size, len(page))]
	}
	md := []map[string]any{}
	for _, it := range page {
		md = append(md, p.itemJSON(it, true))
	}
	w.Header().Set("X-Plex-Container-Start", strconv.Itoa(start))
	w.Header().Set("X-Plex-Container-Total-Size", strconv.Itoa(len(all)))
	writeJSON(w, map[string]any{"size": len(md), "totalSize": len(all), "offset": start, "allowSync": true,
		"librarySectionID": key, "librarySectionTitle": sec.Title, "viewGroup": "movie", "Metadata": md})
}

// itemJSON renders an item. Listings, like Plex's, carry at most three
// entries of each tag list and no Field (lock) list.
func (p *Plex) itemJSON(it *PlexItem, listing bool) map[string]any {
	rk := strconv.Itoa(it.RatingKey)
	m := map[string]any{"ratingKey": rk, "key": "/library/metadata/" + rk, "guid": "plex://movie/sim" + rk,
		"type": "movie", "title": it.Title, "addedAt": 1700000000, "updatedAt": 1700000000,
		"thumb": fmt.Sprintf("/library/metadata/%s/thumb/%d", rk, len(it.Posters))}
	for k, v := range map[string]string{"summary": it.Summary, "studio": it.Studio, "tagline": it.Tagline,
		"originallyAvailableAt": it.OriginallyAvailableAt} {
		if v != "" {
			m[k] = v
		}
	}
	if it.UserRating != nil {
		m["userRating"] = *it.UserRating
	}
	var parts []map[string]any
	for i, f := range it.Files {
		parts = append(parts, map[string]any{"id": it.RatingKey*10 + i, "key": fmt.Sprintf("/library/parts/%d/file.mp4", it.RatingKey*10+i),
			"file": f, "size": 1 << 20, "container": "mp4"})
	}
	m["Media"] = []map[string]any{{"id": it.RatingKey, "duration": 60000, "Part": parts}}
	for tag, key := range map[string]string{"genre": "Genre", "actor": "Role", "collection": "Collection",
		"label": "Label", "director": "Director", "writer": "Writer", "country": "Country"} {
		list := it.Tags[tag]
		if listing && len(list) > 3 {
			list = list[:3]
		}
		var out []map[string]any
		for i, t := range list {
			e := map[string]any{"id": i + 1, "tag": t, "filter": fmt.Sprintf("%s=%d", tag, i+1)}
			out = append(out, e)
		}
		if len(out) > 0 {
			m[key] = out
		}
	}
	if !listing {
		m["librarySectionID"] = it.SectionKey
		m["librarySectionKey"] = fmt.Sprintf("/library/sections/%d", it.SectionKey)
		if s := p.sections[it.SectionKey]; s != nil {
			m["librarySectionTitle"] = s.Title
		}
		var fields []map[string]any
		for _, name := range slices.Sorted(maps.Keys(it.Locked)) {
			if it.Locked[name] {
				fields = append(fields, map[string]any{"locked": true, "name": name})
			}
		}
		if len(fields) > 0 {
			m["Field"] = fields
		}
	}
	return m
}

func (p *Plex) item(w http.ResponseWriter, r *http.Request) *PlexItem {
	rk, _ := strconv.Atoi(r.PathValue("rk"))
	it, ok := p.items[rk]
	if !ok {
		htmlError(w, http.StatusNotFound)
		return nil
	}
	return it
}

// metadata answers /library/metadata/{ratingKey}, or a comma-separated list
// of ratingKeys with the items that exist (404 when none does).
func (p *Plex) metadata(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	md := []map[string]any{}
	for _, k := range strings.Split(r.PathValue("rk"), ",") {
		rk, _ := strconv.Atoi(k)
		if it, ok := p.items[rk]; ok {
			md = append(md, p.itemJSON(it, false))
		}
	}
	if len(md) == 0 {
		htmlError(w, http.StatusNotFound)
		return
	}
	writeJSON(w, map[string]any{"size": len(md), "allowSync": true, "identifier": "com.plexapp.plugins.library", "Metadata": md})
}

var (
	scalarFields = []string{"title", "titleSort", "summary", "studio", "tagline", "originallyAvailableAt", "contentRating"}
	tagFields    = []string{"genre", "actor", "collection", "label", "director", "writer", "country"}
	lockOnly     = []string{"thumb", "art"}
	indexedTag   = regexp.MustCompile(`^([a-z]+)\[(\d+)\]\.tag\.tag$`)
	editControl  = []string{"type", "id", "X-Plex-Token", "includeExternalMedia"}
)

// edit implements PUT /library/sections/{key}/all?type=1&id=..: all params in
// the query string. An unknown field is 400, bad field data is 500, an
// indexed tag list replaces the whole list and "-=" removes named entries.
func (p *Plex) edit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p.mu.Lock()
	defer p.mu.Unlock()
	key, _ := strconv.Atoi(r.PathValue("key"))
	rk, _ := strconv.Atoi(q.Get("id"))
	it, ok := p.items[rk]
	if !ok || it.SectionKey != key {
		htmlError(w, http.StatusNotFound)
		return
	}
	next := *it
	next.Tags, next.Locked = map[string][]string{}, map[string]bool{}
	for k, v := range it.Tags {
		next.Tags[k] = slices.Clone(v)
	}
	for k, v := range it.Locked {
		next.Locked[k] = v
	}
	sets := map[string]map[int]string{}
	for name, vals := range q {
		if status := applyParam(&next, sets, name, vals[0]); status != http.StatusOK {
			htmlError(w, status)
			return
		}
	}
	for tag, byIndex := range sets {
		list := []string{}
		for _, i := range sortedKeys(byIndex) {
			if v := byIndex[i]; v != "" && !slices.Contains(list, v) {
				list = append(list, v)
			}
		}
		next.Tags[tag] = list
	}
	for name, vals := range q {
		if tag, ok := strings.CutSuffix(name, "[].tag.tag-"); ok {
			for _, enc := range strings.Split(vals[0], ",") {
				dec, err := url.QueryUnescape(enc)
				if err != nil {
					dec = enc
				}
				next.Tags[tag] = slices.DeleteFunc(next.Tags[tag], func(t string) bool { return t == dec })
			}
		}
	}
	*it = next
	w.WriteHeader(http.StatusOK)
}

// applyParam applies one scalar, indexed-tag or lock parameter, or says why
// it cannot (400 unknown field, 500 bad data).
func applyParam(it *PlexItem, sets map[string]map[int]string, name, val string) int {
	if slices.Contains(editControl, name) || strings.HasSuffix(name, "[].tag.tag-") {
		if tag, ok := strings.CutSuffix(name, "[].tag.tag-"); ok && !slices.Contains(tagFields, tag) {
			return http.StatusBadRequest
		}
		return http.StatusOK
	}
	if field, ok := strings.CutSuffix(name, ".locked"); ok {
		if !slices.Contains(scalarFields, field) && !slices.Contains(tagFields, field) && !slices.Contains(lockOnly, field) {
			return http.StatusBadRequest
		}
		it.Locked[field] = val == "1"
		return http.StatusOK
	}
	if m := indexedTag.FindStringSubmatch(name); m != nil {
		if !slices.Contains(tagFields, m[1]) {
			return http.StatusBadRequest
		}
		i, _ := strconv.Atoi(m[2])
		if sets[m[1]] == nil {
			sets[m[1]] = map[int]string{}
		}
		sets[m[1]][i] = val
		return http.StatusOK
	}
	field, ok := strings.CutSuffix(name, ".value")
	if !ok || !slices.Contains(scalarFields, field) {
		return http.StatusBadRequest
	}
	switch field {
	case "title":
		it.Title = val
	case "summary":
		it.Summary = val
	case "studio":
		it.Studio = val
	case "tagline":
		it.Tagline = val
	case "originallyAvailableAt":
		if _, err := time.Parse("2006-01-02", val); val != "" && err != nil {
			return http.StatusInternalServerError
		}
		it.OriginallyAvailableAt = val
	}
	return http.StatusOK
}

func (p *Plex) rate(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	rating, err := strconv.ParseFloat(q.Get("rating"), 64)
	if err != nil || q.Get("identifier") != "com.plexapp.plugins.library" || rating < -1 || rating > 10 {
		htmlError(w, http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	rk, _ := strconv.Atoi(q.Get("key"))
	it, ok := p.items[rk]
	if !ok {
		htmlError(w, http.StatusNotFound)
		return
	}
	if rating == -1 {
		it.UserRating = nil
	} else {
		it.UserRating = &rating
	}
	w.WriteHeader(http.StatusOK)
}

func (p *Plex) listPosters(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	it := p.item(w, r)
	if it == nil {
		return
	}
	md := []map[string]any{}
	for _, ps := range it.Posters {
		md = append(md, map[string]any{"key": "/library/metadata/" + strconv.Itoa(it.RatingKey) + "/file?url=" + url.QueryEscape(ps.RatingKey),
			"ratingKey": ps.RatingKey, "selected": ps.Selected, "thumb": "/photo/:/transcode?url=" + url.QueryEscape(ps.RatingKey),
			"provider": "local"})
	}
	writeJSON(w, map[string]any{"size": len(md), "identifier": "com.plexapp.plugins.library", "Metadata": md})
}

// uploadPoster stores the body as a poster named by its SHA-1 and selects
// it; the same bytes again select the existing entry.
func (p *Plex) uploadPoster(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	if err != nil || len(body) == 0 {
		htmlError(w, http.StatusBadRequest)
		return
	}
	sum := sha1.Sum(body)
	key := "upload://posters/" + hex.EncodeToString(sum[:])
	p.mu.Lock()
	defer p.mu.Unlock()
	it := p.item(w, r)
	if it == nil {
		return
	}
	it.Uploads++
	p.choosePoster(it, key, true)
	w.WriteHeader(http.StatusOK)
}

func (p *Plex) selectPoster(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	it := p.item(w, r)
	if it == nil {
		return
	}
	if !p.choosePoster(it, r.URL.Query().Get("url"), false) {
		htmlError(w, http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// choosePoster selects the poster key, adding it when add is set.
func (p *Plex) choosePoster(it *PlexItem, key string, add bool) bool {
	found := slices.ContainsFunc(it.Posters, func(ps PlexPoster) bool { return ps.RatingKey == key })
	if !found && !add {
		return false
	}
	if !found {
		it.Posters = append(it.Posters, PlexPoster{RatingKey: key})
	}
	for i := range it.Posters {
		it.Posters[i].Selected = it.Posters[i].RatingKey == key
	}
	return true
}
