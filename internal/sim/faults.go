// Package sim holds simulated Stash and Plex servers that answer the same
// endpoints with the same JSON shapes, status codes and quirks as the real
// ones, with fault injection and a request log for tests, the demo and the
// benchmarks.
package sim

import (
	"context"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Fault makes matching requests misbehave. Zero fields do nothing.
type Fault struct {
	Method     string        // "" matches any method
	Path       string        // path prefix; "" matches any path
	Status     int           // answer with this status instead of the real handler
	RetryAfter string        // Retry-After header sent with Status
	Latency    time.Duration // delay before answering (or before the real handler)
	Stall      time.Duration // run the real handler, then hold its answer this long
	Drop       bool          // close the connection without an answer
	Times      int           // apply to this many requests, then stop; 0 = until cleared
}

// Request is one entry of the request log.
type Request struct {
	Method string
	Path   string
	Query  url.Values
	Status int // 0 when the connection was dropped
	At     time.Time
}

// Server is what both simulators share: a loopback HTTP server with fault
// rules and a request log.
type Server struct {
	URL string

	mu      sync.Mutex
	faults  []*Fault
	log     []Request
	changed chan struct{} // closed and replaced on every logged request
	http    *http.Server
}

func (s *Server) start(addr string, h http.Handler) error {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.URL = "http://" + l.Addr().String()
	s.changed = make(chan struct{})
	s.http = &http.Server{Handler: s.wrap(h), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.http.Serve(l) }()
	return nil
}

// Close stops the server and its open connections.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := s.http.Shutdown(ctx); err != nil {
		return s.http.Close()
	}
	return nil
}

// AddFault adds a rule; rules are tried in the order added.
func (s *Server) AddFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults removes every rule.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// Requests returns a copy of the request log.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// Count counts logged requests by method ("" any) and path prefix.
func (s *Server) Count(method, pathPrefix string) int {
	n := 0
	for _, r := range s.Requests() {
		if (method == "" || r.Method == method) && strings.HasPrefix(r.Path, pathPrefix) {
			n++
		}
	}
	return n
}

// ResetLog empties the request log.
func (s *Server) ResetLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}

// takeFault returns the first matching rule, using up one of its Times.
func (s *Server) takeFault(r *http.Request) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if (f.Method != "" && f.Method != r.Method) || !strings.HasPrefix(r.URL.Path, f.Path) {
			continue
		}
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		c := *f
		return &c
	}
	return nil
}

func (s *Server) record(r *http.Request, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Status: status, At: time.Now()})
	close(s.changed)
	s.changed = make(chan struct{})
}

// WaitFor blocks until cond holds, checking it again after every request
// the server logs, or until ctx ends.
func (s *Server) WaitFor(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// statusWriter logs the request as its answer starts, so that no client
// sees an answer before the log holds the request.
type statusWriter struct {
	http.ResponseWriter
	logged bool
	log    func(status int)
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.logged {
		w.logged = true
		w.log(code)
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.logged {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (s *Server) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := s.takeFault(r)
		if f != nil && f.Latency > 0 {
			select {
			case <-time.After(f.Latency):
			case <-r.Context().Done():
				s.record(r, 0)
				return
			}
		}
		switch {
		case f != nil && f.Drop:
			s.record(r, 0)
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
				}
			}
		case f != nil && f.Status != 0:
			s.record(r, f.Status)
			if f.RetryAfter != "" {
				w.Header().Set("Retry-After", f.RetryAfter)
			}
			htmlError(w, f.Status)
		case f != nil && f.Stall > 0:
			// The change is made; only the answer is late, as with a slow disk.
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			select {
			case <-time.After(f.Stall):
			case <-r.Context().Done():
				s.record(r, 0)
				return
			}
			s.record(r, rec.Code)
			maps.Copy(w.Header(), rec.Header())
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
		default:
			sw := &statusWriter{ResponseWriter: w, log: func(status int) { s.record(r, status) }}
			h.ServeHTTP(sw, r)
			if !sw.logged {
				s.record(r, http.StatusOK)
			}
		}
	})
}

// htmlError writes an error page the way Plex does: text/html, not JSON.
func htmlError(w http.ResponseWriter, status int) {
	text := http.StatusText(status)
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, "<html><head><title>%s</title></head><body><h1>%d %s</h1></body></html>", text, status, text)
}
