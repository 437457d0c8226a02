package syncflow

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/plexsync/plexsync/internal/httpapi"
	"github.com/plexsync/plexsync/internal/match"
	"github.com/plexsync/plexsync/internal/plex"
	"github.com/plexsync/plexsync/internal/scene"
	"github.com/plexsync/plexsync/internal/stash"
)

// Activities hold the clients and settings the sync activities need. Their
// credentials live here, in the worker, and never in a payload.
type Activities struct {
	Stash    *stash.Client
	Plex     *plex.Client
	Sections []string // Plex library section names to search
	Mappings match.Mappings
	Scene    scene.Options
	Tuning   Tuning

	mu          sync.Mutex
	sectionKeys []string
	sectionsAt  time.Time
}

// FetchResult is a scene snapshot, or Found=false when Stash has no such scene.
type FetchResult struct {
	Found bool        `json:"found"`
	Scene scene.Scene `json:"scene"`
}

// FetchScene reads one scene from Stash.
func (a *Activities) FetchScene(ctx context.Context, sceneID string) (FetchResult, error) {
	s, err := a.Stash.FindScene(ctx, sceneID)
	if err != nil {
		return FetchResult{}, a.classify(ctx, "FetchScene", err)
	}
	if s == nil {
		return FetchResult{}, nil
	}
	return FetchResult{Found: true, Scene: *s}, nil
}

// ValidateScene sanitises a scene into the Plex state it should have.
func (a *Activities) ValidateScene(ctx context.Context, s scene.Scene) (scene.Desired, error) {
	d, err := scene.Build(s, a.Scene)
	if err != nil {
		return d, a.classify(ctx, "ValidateScene", err)
	}
	return d, nil
}

// MatchPlexItem finds the Plex item that holds the scene's file.
func (a *Activities) MatchPlexItem(ctx context.Context, files []string) (match.Result, error) {
	r, err := a.match(ctx, files)
	if err != nil {
		return r, a.classify(ctx, "MatchPlexItem", err)
	}
	return r, nil
}

func (a *Activities) match(ctx context.Context, files []string) (match.Result, error) {
	keys, err := a.sectionKeysFor(ctx)
	if err != nil {
		return match.Result{}, err
	}
	return match.Find(ctx, files, a.Mappings, func(ctx context.Context, fragment string) ([]match.Item, error) {
		var all []match.Item
		for _, k := range keys {
			items, err := a.Plex.FindByFile(ctx, k, fragment)
			if err != nil {
				return nil, err
			}
			all = append(all, items...)
		}
		return all, nil
	})
}

// configError is a setting that does not fit the servers; a person must fix it.
type configError struct{ msg string }

func (e *configError) Error() string { return e.msg }

// sectionKeysFor resolves the configured section names, caching them for a
// few minutes because every match needs them.
func (a *Activities) sectionKeysFor(ctx context.Context) ([]string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.sectionKeys != nil && time.Since(a.sectionsAt) < 5*time.Minute {
		return a.sectionKeys, nil
	}
	secs, err := a.Plex.Sections(ctx)
	if err != nil {
		return nil, err
	}
	var keys, have []string
	for _, name := range a.Sections {
		i := slices.IndexFunc(secs, func(s plex.Section) bool { return strings.EqualFold(s.Title, name) })
		if i < 0 {
			for _, s := range secs {
				have = append(have, s.Title)
			}
			return nil, &configError{fmt.Sprintf("plex.sections: Plex has no library section %q (it has: %s)", name, strings.Join(have, ", "))}
		}
		keys = append(keys, secs[i].Key)
	}
	a.sectionKeys, a.sectionsAt = keys, time.Now()
	return keys, nil
}

// ApplyInput is what ApplyMetadata needs: the matched item and the desired state.
type ApplyInput struct {
	Item    match.Item    `json:"item"`
	Desired scene.Desired `json:"desired"`
}

// ApplyResult lists the fields written; empty means the item was already right.
type ApplyResult struct {
	Changed []string `json:"changed,omitempty"`
}

// plan is what a sync would write to one item.
type plan struct {
	item    plex.Item
	changes scene.Changes
	poster  posterPlan
}

// posterPlan says how to make the Stash screenshot the selected poster.
// Plex names an uploaded image by the SHA-1 of its bytes, so an image it
// already has is selected, never uploaded twice.
type posterPlan struct {
	img    []byte // nil: nothing to do
	key    string
	upload bool // false: select the existing entry
}

// plan reads the item's current state (and posters) and works out the writes.
func (a *Activities) plan(ctx context.Context, rk string, d scene.Desired) (plan, error) {
	it, err := a.Plex.Item(ctx, rk)
	if httpapi.KindOf(err) == httpapi.NotFound {
		return plan{}, &itemGoneError{rk}
	}
	if err != nil {
		return plan{}, err
	}
	p := plan{item: it, changes: scene.Diff(d, it.State())}
	if p.changes.PosterStale {
		p.poster, err = a.planPoster(ctx, rk, d.Poster)
	}
	return p, err
}

func (a *Activities) planPoster(ctx context.Context, rk, path string) (posterPlan, error) {
	img, err := a.Stash.Screenshot(ctx, path)
	if err != nil {
		return posterPlan{}, err
	}
	sum := sha1.Sum(img)
	key := "upload://posters/" + hex.EncodeToString(sum[:])
	posters, err := a.Plex.Posters(ctx, rk)
	if err != nil {
		return posterPlan{}, err
	}
	i := slices.IndexFunc(posters, func(p plex.Poster) bool { return p.RatingKey == key })
	if i >= 0 && posters[i].Selected {
		return posterPlan{}, nil
	}
	return posterPlan{img: img, key: key, upload: i < 0}, nil
}

// ApplyMetadata writes only what differs: the poster, then one PUT with
// every changed field locked, then the rating. Re-running it is safe: a
// second run finds nothing to change.
func (a *Activities) ApplyMetadata(ctx context.Context, in ApplyInput) (ApplyResult, error) {
	rk := in.Item.RatingKey
	p, err := a.plan(ctx, rk, in.Desired)
	if err == nil {
		err = a.write(ctx, rk, p)
	}
	if err != nil {
		return ApplyResult{}, a.classify(ctx, "ApplyMetadata", err)
	}
	changed := p.changes.Names()
	if p.poster.img != nil && !slices.Contains(changed, "poster") {
		changed = append(changed, "poster")
	}
	activity.GetLogger(ctx).Info("Applied metadata", "SceneID", in.Desired.SceneID, "RatingKey", rk, "Changed", changed)
	return ApplyResult{Changed: changed}, nil
}

func (a *Activities) write(ctx context.Context, rk string, p plan) error {
	switch {
	case p.poster.img == nil:
	case p.poster.upload:
		if err := a.Plex.UploadPoster(ctx, rk, p.poster.img); err != nil {
			return err
		}
	default:
		if err := a.Plex.SelectPoster(ctx, rk, p.poster.key); err != nil {
			return err
		}
	}
	if p.changes.NeedsEdit() {
		if err := a.Plex.Edit(ctx, string(p.item.SectionKey), rk, p.changes); err != nil {
			return err
		}
	}
	if p.changes.Rating != nil {
		return a.Plex.Rate(ctx, rk, *p.changes.Rating)
	}
	return nil
}

// CheckResult is one page of a reconciliation.
type CheckResult struct {
	Total  int      `json:"total"`  // scenes matching the query, over all pages
	Count  int      `json:"count"`  // scenes on this page
	Differ []string `json:"differ"` // scene IDs whose Plex item needs a sync
	// Matched holds the Plex item of each differing scene that has one, by
	// scene ID, so that its sync need not match again.
	Matched map[string]PlexMatch `json:"matched,omitempty"`
}

// PlexMatch is the Plex item a scene matched and the strategy that found it.
type PlexMatch struct {
	RatingKey string `json:"ratingKey"`
	Strategy  string `json:"strategy"`
}

// CheckScenes reads one page of scenes and returns those whose Plex item
// differs from what a sync would write. A scene that cannot be validated or
// matched also counts: its SceneSync then fails visibly, with the reason.
// Plex is asked once per scene (the match) and once per page (the items'
// full metadata); the poster label makes image downloads unnecessary.
func (a *Activities) CheckScenes(ctx context.Context, q stash.ScenesQuery) (CheckResult, error) {
	fail := func(err error) (CheckResult, error) { return CheckResult{}, a.classify(ctx, "CheckScenes", err) }
	page, err := a.Stash.FindScenes(ctx, q)
	if err != nil {
		return fail(err)
	}
	res := CheckResult{Total: page.Count, Count: len(page.Scenes), Matched: map[string]PlexMatch{}}
	type found struct {
		d scene.Desired
		m match.Result
	}
	var matched []found
	var keys []string
	for i, sc := range page.Scenes {
		activity.RecordHeartbeat(ctx, i)
		d, err := scene.Build(sc, a.Scene)
		if err != nil {
			res.Differ = append(res.Differ, sc.ID)
			continue
		}
		m, err := a.match(ctx, d.Files)
		var (
			amb *match.AmbiguousError
			nf  *match.NotFoundError
			up  *match.UnsafePathError
		)
		switch {
		case errors.As(err, &amb), errors.As(err, &nf), errors.As(err, &up):
			res.Differ = append(res.Differ, sc.ID)
			continue
		case err != nil:
			return fail(err)
		}
		matched = append(matched, found{d, m})
		if !slices.Contains(keys, m.Item.RatingKey) {
			keys = append(keys, m.Item.RatingKey)
		}
	}
	items, err := a.Plex.Items(ctx, keys)
	if err != nil {
		return fail(err)
	}
	for _, f := range matched {
		it, ok := items[f.m.Item.RatingKey]
		switch {
		case !ok: // gone since the match: the sync matches again
			res.Differ = append(res.Differ, f.d.SceneID)
		case !scene.Diff(f.d, it.State()).Empty():
			res.Differ = append(res.Differ, f.d.SceneID)
			res.Matched[f.d.SceneID] = PlexMatch{RatingKey: f.m.Item.RatingKey, Strategy: f.m.Strategy}
		}
	}
	return res, nil
}

type itemGoneError struct{ ratingKey string }

func (e *itemGoneError) Error() string {
	return fmt.Sprintf("Plex item %s no longer exists (Plex may have re-scanned the file); the sync matches again", e.ratingKey)
}

// classify turns an error into a Temporal application error with the type,
// retryability and next delay its class calls for. It is the only place
// where errors meet retry behaviour.
func (a *Activities) classify(ctx context.Context, name string, err error) error {
	p := a.Tuning.Policies()[name]
	attempt := activity.GetInfo(ctx).Attempt
	opt := func(typ string, nonRetryable bool, next time.Duration) error {
		return temporal.NewApplicationErrorWithOptions(err.Error(), typ,
			temporal.ApplicationErrorOptions{NonRetryable: nonRetryable, NextRetryDelay: next})
	}
	var (
		he   *httpapi.Error
		ve   *scene.ValidationError
		amb  *match.AmbiguousError
		nf   *match.NotFoundError
		up   *match.UnsafePathError
		gone *itemGoneError
		ce   *configError
	)
	switch {
	case errors.As(err, &ve), errors.As(err, &up):
		return opt(ErrInvalidScene, true, 0)
	case errors.As(err, &amb):
		return opt(ErrAmbiguous, true, 0)
	case errors.As(err, &nf):
		return opt(ErrNotInPlex, false, halfJitter(attempt, p.SlowBase, p.SlowCap))
	case errors.As(err, &gone):
		return opt(ErrItemGone, true, 0)
	case errors.As(err, &ce):
		return opt(ErrConfig, true, 0)
	case errors.As(err, &he):
		switch he.Kind {
		case httpapi.RateLimited:
			next := he.RetryAfter
			if next <= 0 {
				next = fullJitter(attempt, p.Base, p.Cap)
			}
			return opt(ErrRateLimited, false, next)
		case httpapi.CircuitOpen:
			// A little jitter, so that the waiting syncs do not all come back at once.
			return opt(ErrCircuitOpen, false, he.RetryAfter+fullJitter(1, time.Second, time.Second))
		case httpapi.Auth:
			return opt(ErrAuth, true, 0)
		case httpapi.Invalid:
			return opt(ErrInvalid, true, 0)
		}
		return opt(ErrTransient, false, fullJitter(attempt, p.Base, p.Cap)) // Transient, NotFound
	}
	return err
}
