package sim

import (
	"fmt"
	"sync"
)

// The paths of a fixture library: Stash sees files under StashRoot, Plex the
// same files under PlexRoot, as with two containers mounting one share.
const (
	StashRoot  = "/data/videos"
	PlexRoot   = "/media/videos"
	SectionKey = 1
	Section    = "Movies"
)

// Fixture is a simulated Stash and Plex with a seeded library of scenes,
// each with a Plex item for its file.
type Fixture struct {
	Stash     *Stash
	Plex      *Plex
	APIKey    string
	PlexToken string

	mu         sync.Mutex
	ratingKeys map[int]int // Stash scene ID -> Plex ratingKey
}

// NewFixture starts both simulators on loopback and seeds n scenes.
func NewFixture(n int, apiKey, plexToken string) (*Fixture, error) {
	st, err := NewStash(StashOptions{APIKey: apiKey})
	if err != nil {
		return nil, err
	}
	px, err := NewPlex(PlexOptions{Token: plexToken})
	if err != nil {
		st.Close()
		return nil, err
	}
	px.AddSection(SectionKey, Section, PlexRoot)
	f := &Fixture{Stash: st, Plex: px, APIKey: apiKey, PlexToken: plexToken, ratingKeys: map[int]int{}}
	for i := 1; i <= n; i++ {
		f.AddScene(SeedScene(i), true)
	}
	return f, nil
}

// Close stops both simulators.
func (f *Fixture) Close() {
	f.Stash.Close()
	f.Plex.Close()
}

// AddScene stores a scene in Stash and, when inPlex, an item for its
// primary file in Plex (as if Plex had scanned it).
func (f *Fixture) AddScene(sc StashScene, inPlex bool) {
	f.Stash.Put(sc)
	if inPlex {
		f.ScanIntoPlex(sc.ID)
	}
}

// ScanIntoPlex adds the Plex item for a scene's primary file and returns its
// ratingKey.
func (f *Fixture) ScanIntoPlex(id int) int {
	sc, _ := f.Stash.Scene(id)
	rk := f.Plex.AddItem(SectionKey, PlexRoot+sc.Files[0][len(StashRoot):])
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ratingKeys[id] = rk
	return rk
}

// RatingKey returns the Plex ratingKey of a scene's item.
func (f *Fixture) RatingKey(id int) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.ratingKeys[id]
}

var (
	performers = []string{"Alex Stone", "Bea Marín", "Chloé Dubois", "Dmitri Volkov", "Emi Tanaka", "Farah Haddad", "Gus Olsen"}
	tags       = []string{"Outdoor", "Interview", "Behind the Scenes", "Travel", "Music", "Comedy", "Drama", "4K"}
	studios    = []string{"North Light", "Blue Harbor", "Studio Ümlaut", "Red Fern"}
)

// SeedScene returns a deterministic scene with varied metadata.
func SeedScene(i int) StashScene {
	r := 20 + (i*7)%81
	sc := StashScene{
		ID:         i,
		Title:      fmt.Sprintf("Scene %d", i),
		Details:    fmt.Sprintf("Details of scene %d.\nSecond line.", i),
		Date:       fmt.Sprintf("20%02d-%02d-%02d", 10+i%15, 1+i%12, 1+i%28),
		Rating100:  &r,
		Studio:     studios[i%len(studios)],
		Performers: []string{performers[i%len(performers)], performers[(i+3)%len(performers)]},
		Tags:       []string{tags[i%len(tags)], tags[(i+1)%len(tags)], tags[(i+5)%len(tags)]},
		Files:      []string{fmt.Sprintf("%s/%03d/scene-%05d.mp4", StashRoot, i%100, i)},
	}
	if i%5 == 0 {
		sc.Groups = []string{fmt.Sprintf("Series %d", i%3)}
	}
	return sc
}
