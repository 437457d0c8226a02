package breaker

import (
	"fmt"
	"testing"
	"time"
)

func TestBreaker(t *testing.T) {
	now := time.Unix(1000, 0)
	var changes []string
	b := &Breaker{Threshold: 3, Cooldown: 10 * time.Second, Now: func() time.Time { return now },
		OnChange: func(from, to State) { changes = append(changes, fmt.Sprintf("%s>%s", from, to)) }}

	b.Record(true)
	b.Record(true)
	b.Record(false) // a success resets the count
	b.Record(true)
	b.Record(true)
	if ok, _ := b.Allow(); !ok || b.State() != Closed {
		t.Fatal("opened before 3 failures in a row")
	}
	b.Record(true)
	if ok, wait := b.Allow(); ok || wait != 10*time.Second || b.State() != Open {
		t.Fatalf("after 3 failures: ok %v wait %v state %s", ok, wait, b.State())
	}
	now = now.Add(4 * time.Second)
	if _, wait := b.Allow(); wait != 6*time.Second {
		t.Errorf("remaining cool-down %v, want 6s", wait)
	}

	now = now.Add(6 * time.Second)
	if ok, _ := b.Allow(); !ok || b.State() != HalfOpen {
		t.Fatal("no probe after the cool-down")
	}
	if ok, wait := b.Allow(); ok || wait <= 0 {
		t.Error("a second call went out while the probe was out")
	}
	b.Record(true) // the probe fails: open again, for a new cool-down
	if ok, wait := b.Allow(); ok || wait != 10*time.Second {
		t.Errorf("failed probe: ok %v wait %v", ok, wait)
	}
	now = now.Add(10 * time.Second)
	b.Allow()
	b.Record(false) // the probe succeeds
	if ok, _ := b.Allow(); !ok || b.State() != Closed {
		t.Error("a successful probe did not close the breaker")
	}
	want := "[closed>open open>half-open half-open>open open>half-open half-open>closed]"
	if fmt.Sprint(changes) != want {
		t.Errorf("changes %v, want %s", changes, want)
	}
}
