// Package spool keeps sync requests that could not reach Temporal in a local
// file, so that a Stash hook never loses an event. Entries are appended with
// fsync under a lock and flushed, deduplicated, when Temporal answers again.
package spool

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// Entry is one spooled sync request.
type Entry struct {
	SceneID string    `json:"sceneId"`
	Reason  string    `json:"reason"`
	At      time.Time `json:"at"`
}

// Spool is a JSON-lines file and a lock file beside it. The lock file, not
// the data file, is locked, because a flush replaces the data file.
type Spool struct{ path string }

// New returns the spool at path; nothing is created until the first Append.
func New(path string) *Spool { return &Spool{path: path} }

// Path returns the data file's path.
func (s *Spool) Path() string { return s.path }

// DefaultPath is $XDG_STATE_HOME/plexsync/spool.jsonl, or the same under
// ~/.local/state.
func DefaultPath() string {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "plexsync-spool.jsonl"
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "plexsync", "spool.jsonl")
}

func (s *Spool) lock() (func(), error) {
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(s.path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// Append adds an entry and returns once it is on disk.
func (s *Spool) Append(e Entry) error {
	unlock, err := s.lock()
	if err != nil {
		return fmt.Errorf("spool %s: %w", s.path, err)
	}
	defer unlock()
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(s.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("spool %s: %w", s.path, err)
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("spool %s: %w", s.path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("spool %s: %w", s.path, err)
	}
	return f.Close()
}

// Len counts the pending entries.
func (s *Spool) Len() (int, error) {
	entries, err := s.read()
	return len(entries), err
}

// read parses the data file. A torn last line (a crash mid-append) is
// skipped; the entries before it are kept.
func (s *Spool) read() ([]Entry, error) {
	b, err := os.ReadFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Entry
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		var e Entry
		if json.Unmarshal(sc.Bytes(), &e) == nil && e.SceneID != "" {
			out = append(out, e)
		}
	}
	return out, sc.Err()
}

// Flush sends every pending entry, one per scene (the latest), and keeps
// only those that send could not deliver. It returns how many were sent.
func (s *Spool) Flush(send func(Entry) error) (int, error) {
	unlock, err := s.lock()
	if err != nil {
		return 0, fmt.Errorf("spool %s: %w", s.path, err)
	}
	defer unlock()
	entries, err := s.read()
	if err != nil || len(entries) == 0 {
		return 0, err
	}
	latest := map[string]Entry{}
	var order []string
	for _, e := range entries {
		if _, ok := latest[e.SceneID]; !ok {
			order = append(order, e.SceneID)
		}
		latest[e.SceneID] = e
	}
	var keep []Entry
	var firstErr error
	for _, id := range order {
		if err := send(latest[id]); err != nil {
			keep = append(keep, latest[id])
			firstErr = cmp.Or(firstErr, err)
		}
	}
	if err := s.replace(keep); err != nil {
		return 0, err
	}
	return len(order) - len(keep), firstErr
}

// replace writes entries to a new file and renames it over the old one, so
// that a crash leaves either the old or the new list, never half of one.
func (s *Spool) replace(entries []Entry) error {
	if len(entries) == 0 {
		if err := os.Remove(s.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return syncDir(filepath.Dir(s.path))
	}
	tmp := s.path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	for _, e := range entries {
		if err := enc.Encode(e); err != nil {
			f.Close()
			return err
		}
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, s.path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(s.path))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
