// Package breaker is a circuit breaker: after sustained failures of a
// server it stops calls for a cool-down, then lets one probe through.
package breaker

import (
	"sync"
	"time"
)

// State of a breaker.
type State string

const (
	Closed   State = "closed"    // calls go through
	Open     State = "open"      // calls fail fast until the cool-down ends
	HalfOpen State = "half-open" // one probe call decides
)

// Breaker opens after Threshold failures in a row and stays open for
// Cooldown. Safe for concurrent use.
type Breaker struct {
	Threshold int
	Cooldown  time.Duration
	// OnChange, if set, is called (outside the lock) on every state change.
	OnChange func(from, to State)
	Now      func() time.Time // for tests; time.Now when nil

	mu       sync.Mutex
	state    State
	failures int
	openedAt time.Time
	probing  bool
}

func (b *Breaker) now() time.Time {
	if b.Now != nil {
		return b.Now()
	}
	return time.Now()
}

// State returns the current state.
func (b *Breaker) State() State {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.current()
}

func (b *Breaker) current() State {
	if b.state == "" {
		return Closed
	}
	return b.state
}

// Allow reports whether a call may go out; when not, wait is how long until
// the breaker lets a probe through.
func (b *Breaker) Allow() (ok bool, wait time.Duration) {
	b.mu.Lock()
	from := b.current()
	switch from {
	case Closed:
		b.mu.Unlock()
		return true, 0
	case Open:
		if left := b.openedAt.Add(b.Cooldown).Sub(b.now()); left > 0 {
			b.mu.Unlock()
			return false, left
		}
		b.state, b.probing = HalfOpen, true
		b.mu.Unlock()
		b.changed(from, HalfOpen)
		return true, 0
	}
	// Half-open: only the one probe is out; the rest wait a moment for it.
	ok = !b.probing
	b.probing = true
	b.mu.Unlock()
	if ok {
		return true, 0
	}
	return false, min(b.Cooldown, time.Second)
}

// Record reports a call's result: failed means the server could not serve it
// (5xx, timeout, refused), not that it refused the request.
func (b *Breaker) Record(failed bool) {
	b.mu.Lock()
	from := b.current()
	to := from
	switch {
	case !failed:
		b.failures, to = 0, Closed
	case from == HalfOpen:
		to = Open
	default:
		b.failures++
		if b.failures >= b.Threshold {
			to = Open
		}
	}
	if to == Open && from != Open {
		b.openedAt = b.now()
	}
	b.state, b.probing = to, false
	b.mu.Unlock()
	if to != from {
		b.changed(from, to)
	}
}

func (b *Breaker) changed(from, to State) {
	if b.OnChange != nil {
		b.OnChange(from, to)
	}
}
