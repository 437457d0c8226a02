package syncflow

import (
	"slices"
	"testing"
	"time"
)

func TestJitterStaysInBounds(t *testing.T) {
	base, cap := 100*time.Millisecond, 2*time.Second
	for attempt := int32(1); attempt <= 12; attempt++ {
		want := min(cap, base<<(attempt-1))
		seen := map[time.Duration]bool{}
		for range 200 {
			d := fullJitter(attempt, base, cap)
			if d < time.Millisecond || d > want {
				t.Fatalf("fullJitter(%d) = %v, want within [1ms, %v]", attempt, d, want)
			}
			seen[d] = true
			if h := halfJitter(attempt, base, cap); h < want/2 || h > want {
				t.Fatalf("halfJitter(%d) = %v, want within [%v, %v]", attempt, h, want/2, want)
			}
		}
		// 200 draws from a range this wide must not all coincide: that would be lockstep.
		if len(seen) < 50 {
			t.Errorf("attempt %d: only %d distinct delays in 200 draws", attempt, len(seen))
		}
	}
}

func TestPolicyTable(t *testing.T) {
	table := testTuning.Policies()
	for _, name := range []string{"FetchScene", "ValidateScene", "MatchPlexItem", "ApplyMetadata", "CheckScenes"} {
		p, ok := table[name]
		if !ok {
			t.Fatalf("no policy for %s", name)
		}
		if p.StartToClose <= 0 || p.ScheduleToClose <= 0 || p.Base <= 0 || p.Cap < p.Base {
			t.Errorf("%s: incomplete policy %+v", name, p)
		}
		for _, typ := range []string{ErrAuth, ErrInvalid, ErrInvalidScene, ErrAmbiguous, ErrConfig} {
			if !slices.Contains(p.Retry.NonRetryableErrorTypes, typ) {
				t.Errorf("%s: %s is retryable", name, typ)
			}
		}
	}
	if m := table["MatchPlexItem"]; m.ScheduleToClose != testTuning.NotInPlexFor || m.SlowBase != testTuning.NotInPlexInitial {
		t.Errorf("MatchPlexItem must wait for Plex scans: %+v", m)
	}
}
