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
	keys, err := a.sectionKeysFor(ctx)
	if err != nil {
		return match.Result{}, a.classify(ctx, "MatchPlexItem", err)
	}
	lookup := func(ctx context.Context, fragment string) ([]match.Item, error) {
		var all []match.Item
		for _, k := range keys {
			items, err := a.Plex.FindByFile(ctx, k, fragment)
			if err != nil {
				return nil, err
			}
			all = append(all, items...)
		}
		return all, nil
	}
	r, err := match.Find(ctx, files, a.Mappings, lookup)
	if err != nil {
		return r, a.classify(ctx, "MatchPlexItem", err)
	}
	return r, nil
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

// ApplyMetadata reads the item's current state and writes only what differs:
// the poster (when it is not already the selected one), then one PUT with
// every changed field locked, then the rating. Re-running it is safe: a second
// run finds nothing to change.
func (a *Activities) ApplyMetadata(ctx context.Context, in ApplyInput) (ApplyResult, error) {
	fail := func(err error) (ApplyResult, error) { return ApplyResult{}, a.classify(ctx, "ApplyMetadata", err) }
	rk := in.Item.RatingKey
	it, err := a.Plex.Item(ctx, rk)
	if httpapi.KindOf(err) == httpapi.NotFound {
		return fail(&itemGoneError{rk})
	}
	if err != nil {
		return fail(err)
	}
	ch := scene.Diff(in.Desired, it.State())
	changed := ch.Names()
	if in.Desired.Poster != "" {
		posterChanged, err := a.applyPoster(ctx, rk, in.Desired.Poster)
		if err != nil {
			return fail(err)
		}
		if posterChanged {
			changed = append(changed, "poster")
		}
	}
	if ch.NeedsEdit() {
		if err := a.Plex.Edit(ctx, string(it.SectionKey), rk, ch); err != nil {
			return fail(err)
		}
	}
	if ch.Rating != nil {
		if err := a.Plex.Rate(ctx, rk, *ch.Rating); err != nil {
			return fail(err)
		}
	}
	activity.GetLogger(ctx).Info("Applied metadata", "SceneID", in.Desired.SceneID, "RatingKey", rk, "Changed", changed)
	return ApplyResult{Changed: changed}, nil
}

// applyPoster makes the Stash screenshot the selected poster. Plex names an
// uploaded image by the SHA-1 of its bytes, so an image it already has is
// selected, not uploaded again.
func (a *Activities) applyPoster(ctx context.Context, rk, path string) (bool, error) {
	img, err := a.Stash.Screenshot(ctx, path)
	if err != nil {
		return false, err
	}
	sum := sha1.Sum(img)
	key := "upload://posters/" + hex.EncodeToString(sum[:])
	posters, err := a.Plex.Posters(ctx, rk)
	if err != nil {
		return false, err
	}
	i := slices.IndexFunc(posters, func(p plex.Poster) bool { return p.RatingKey == key })
	switch {
	case i >= 0 && posters[i].Selected:
		return false, nil
	case i >= 0:
		return true, a.Plex.SelectPoster(ctx, rk, key)
	}
	return true, a.Plex.UploadPoster(ctx, rk, img)
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
		case httpapi.Auth:
			return opt(ErrAuth, true, 0)
		case httpapi.Invalid:
			return opt(ErrInvalid, true, 0)
		}
		return opt(ErrTransient, false, fullJitter(attempt, p.Base, p.Cap)) // Transient, NotFound
	}
	return err
}
