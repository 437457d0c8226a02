// Package httpapi holds what the Stash and Plex clients share: HTTP clients
// with connect and read timeouts, the classification of every HTTP outcome
// into a typed error, and redaction of credentials from text.
package httpapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Kind is the class of a failed call; it decides how a sync retries.
type Kind string

const (
	Transient   Kind = "Transient"   // 5xx, timeouts, refused connections
	RateLimited Kind = "RateLimited" // 429
	Auth        Kind = "Auth"        // 401, 403
	Invalid     Kind = "Invalid"     // 400, 422, GraphQL errors
	NotFound    Kind = "NotFound"    // 404
	CircuitOpen Kind = "CircuitOpen" // not sent: the server failed repeatedly
)

// Error is a classified failure of one call to Stash or Plex. Its text never
// contains a credential.
type Error struct {
	Service    string // "stash" or "plex"
	Op         string // the request, e.g. "GET /library/sections"
	Kind       Kind
	Status     int           // 0 when no response arrived
	RetryAfter time.Duration // from Retry-After, for RateLimited
	Msg        string
}

func (e *Error) Error() string {
	prefix := e.Service
	if e.Op != "" {
		prefix += ": " + e.Op
	}
	if e.Status == 0 {
		return fmt.Sprintf("%s: %s", prefix, e.Msg)
	}
	return fmt.Sprintf("%s: HTTP %d: %s", prefix, e.Status, e.Msg)
}

// KindOf returns the kind of a classified error, or "" for any other error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

// NewClient returns an HTTP client that gives up on connecting after connect
// and on a response after read; a hung NAS must not hold a worker slot.
func NewClient(connect, read time.Duration) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: connect, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = connect
	t.ResponseHeaderTimeout = read
	t.MaxIdleConnsPerHost = 16
	return &http.Client{Transport: t, Timeout: connect + read}
}

// Hints say what an operator should do about an auth failure of a service.
type Hints struct{ Auth string }

// Check turns a response into nil (2xx) or a classified *Error. It drains a
// little of the body so that the connection can be reused.
func Check(service string, resp *http.Response, h Hints, now time.Time) error {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	op := ""
	if resp.Request != nil {
		op = resp.Request.Method + " " + resp.Request.URL.Path
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	e := &Error{Service: service, Op: op, Status: resp.StatusCode, Msg: http.StatusText(resp.StatusCode)}
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests:
		e.Kind, e.RetryAfter = RateLimited, RetryAfter(resp.Header.Get("Retry-After"), now)
		e.Msg = fmt.Sprintf("rate limited; retry after %s", e.RetryAfter)
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		e.Kind, e.Msg = Auth, e.Msg+": "+h.Auth
	case code == http.StatusNotFound:
		e.Kind = NotFound
	case code == http.StatusBadRequest || code == http.StatusUnprocessableEntity:
		e.Kind = Invalid
	case code >= 500 || code == http.StatusRequestTimeout:
		e.Kind = Transient
	default:
		e.Kind = Invalid
	}
	return e
}

// FromTransport classifies an error that left no response: every such error
// (timeout, refused, reset, DNS) is transient, unless ctx itself was
// cancelled, which is returned as it is.
func FromTransport(ctx context.Context, service string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	msg := "no response: " + Redact(err.Error())
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		msg = "timed out: " + Redact(err.Error())
	}
	return &Error{Service: service, Kind: Transient, Msg: msg}
}

// Do sends req and returns a 2xx response or a classified *Error; the
// caller closes the response body.
func Do(c *http.Client, service string, h Hints, req *http.Request) (*http.Response, error) {
	resp, err := c.Do(req)
	if err != nil {
		return nil, FromTransport(req.Context(), service, err)
	}
	if err := Check(service, resp, h, time.Now()); err != nil {
		resp.Body.Close()
		return nil, err
	}
	return resp, nil
}

// RetryAfter parses a Retry-After value in seconds or as an HTTP date. A
// missing or unreadable value gives 0, which lets the retry policy decide.
func RetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil {
		return max(time.Duration(s)*time.Second, 0)
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0)
	}
	return 0
}

var secretParam = regexp.MustCompile(`(?i)((?:x-plex-token|apikey|api_key|token)=)[^&\s"']+`)

// Redact hides credential values in URLs and query strings within text.
func Redact(s string) string {
	return secretParam.ReplaceAllString(s, "${1}REDACTED")
}
