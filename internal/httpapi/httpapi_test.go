package httpapi

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestCheck(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		status     int
		retryAfter string
		kind       Kind
		wait       time.Duration
	}{
		{200, "", "", 0},
		{204, "", "", 0},
		{500, "", Transient, 0},
		{502, "", Transient, 0},
		{503, "", Transient, 0},
		{408, "", Transient, 0},
		{429, "2", RateLimited, 2 * time.Second},
		{429, now.Add(90 * time.Second).Format(http.TimeFormat), RateLimited, 90 * time.Second},
		{429, "soon", RateLimited, 0},
		{401, "", Auth, 0},
		{403, "", Auth, 0},
		{400, "", Invalid, 0},
		{422, "", Invalid, 0},
		{404, "", NotFound, 0},
	}
	for _, c := range cases {
		resp := &http.Response{StatusCode: c.status, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("body"))}
		if c.retryAfter != "" {
			resp.Header.Set("Retry-After", c.retryAfter)
		}
		err := Check("plex", resp, Hints{Auth: "check plex.token"}, now)
		if KindOf(err) != c.kind {
			t.Errorf("status %d: kind %q, want %q (%v)", c.status, KindOf(err), c.kind, err)
		}
		var e *Error
		if errors.As(err, &e) && e.RetryAfter != c.wait {
			t.Errorf("status %d: RetryAfter %v, want %v", c.status, e.RetryAfter, c.wait)
		}
		if c.kind == Auth && !strings.Contains(err.Error(), "check plex.token") {
			t.Errorf("auth error lacks the hint: %v", err)
		}
	}
}

func TestRetryAfterPastDate(t *testing.T) {
	now := time.Now()
	if d := RetryAfter(now.Add(-time.Hour).UTC().Format(http.TimeFormat), now); d != 0 {
		t.Errorf("past date gave %v, want 0", d)
	}
	if d := RetryAfter("-5", now); d != 0 {
		t.Errorf("negative seconds gave %v, want 0", d)
	}
}

func TestFromTransport(t *testing.T) {
	// A port nothing listens on: take one, then close it.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := NewClient(time.Second, time.Second)
	_, err = c.Get("http://" + addr + "/x?X-Plex-Token=sekrit")
	got := FromTransport(context.Background(), "plex", err)
	if KindOf(got) != Transient {
		t.Fatalf("refused connection: %v, want transient", got)
	}
	if strings.Contains(got.Error(), "sekrit") {
		t.Errorf("token leaked: %v", got)
	}

	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer slow.Close()
	c = NewClient(time.Second, 50*time.Millisecond)
	_, err = c.Get(slow.URL)
	got = FromTransport(context.Background(), "plex", err)
	if KindOf(got) != Transient || !strings.Contains(got.Error(), "timed out") {
		t.Errorf("read timeout: %v, want transient timeout", got)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got := FromTransport(ctx, "plex", err); !errors.Is(got, context.Canceled) {
		t.Errorf("cancelled context: %v", got)
	}
}

func TestRedact(t *testing.T) {
	in := `Get "http://plex:32400/library?X-Plex-Token=abc123&x=1": apikey=k3y token=t0k`
	out := Redact(in)
	for _, s := range []string{"abc123", "k3y", "t0k"} {
		if strings.Contains(out, s) {
			t.Errorf("Redact left %q in %q", s, out)
		}
	}
	if !strings.Contains(out, "x=1") {
		t.Errorf("Redact removed too much: %q", out)
	}
}
