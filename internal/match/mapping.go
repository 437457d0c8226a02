// Package match finds the Plex item that holds a Stash scene's file.
package match

import (
	"fmt"
	"regexp"
	"strings"
)

// Mapping rewrites a Stash path prefix into the prefix Plex sees, for when the
// two run with different mounts, in containers, or on different systems.
type Mapping struct {
	From string `yaml:"from" json:"from"`
	To   string `yaml:"to" json:"to"`
}

// Mappings are tried in order; the first whose From is a whole-segment prefix
// of the path wins. A path no mapping covers is used as it is.
type Mappings []Mapping

var drive = regexp.MustCompile(`^[A-Za-z]:`)

// windows reports whether p is a Windows path (drive letter, UNC, backslashes).
func windows(p string) bool {
	return drive.MatchString(p) || strings.Contains(p, `\`)
}

// segments splits a path on either separator, dropping empty and "." parts.
func segments(p string) []string {
	var out []string
	for _, s := range strings.FieldsFunc(p, func(r rune) bool { return r == '/' || r == '\\' }) {
		if s != "." {
			out = append(out, s)
		}
	}
	return out
}

// UnsafePathError is a path that mapping refuses, because after mapping it
// could point outside the mapped folder.
type UnsafePathError struct{ Path string }

func (e *UnsafePathError) Error() string {
	return fmt.Sprintf("path %q has a \"..\" segment; refusing to map it", e.Path)
}

// Map rewrites a Stash path into the path Plex sees. A path with a ".."
// segment is refused with an *UnsafePathError.
func (ms Mappings) Map(p string) (string, error) {
	segs := segments(p)
	for _, s := range segs {
		if s == ".." {
			return "", &UnsafePathError{Path: p}
		}
	}
	for _, m := range ms {
		from := segments(m.From)
		if !hasPrefix(segs, from, windows(m.From)) {
			continue
		}
		return join(m.To, segs[len(from):]), nil
	}
	return p, nil
}

func hasPrefix(segs, prefix []string, foldCase bool) bool {
	if len(prefix) > len(segs) {
		return false
	}
	for i, p := range prefix {
		if p != segs[i] && !(foldCase && strings.EqualFold(p, segs[i])) {
			return false
		}
	}
	return true
}

// join appends rest to the target prefix, using the target's separator.
func join(to string, rest []string) string {
	sep := "/"
	if windows(to) {
		sep = `\`
	}
	to = strings.TrimRight(to, `/\`)
	if len(rest) == 0 {
		return to
	}
	return to + sep + strings.Join(rest, sep)
}

// Validate checks that each mapping has both sides and no ".." segment.
func (ms Mappings) Validate() error {
	for i, m := range ms {
		if strings.TrimSpace(m.From) == "" || strings.TrimSpace(m.To) == "" {
			return fmt.Errorf("path_mappings[%d]: both from and to are required", i)
		}
		for _, s := range append(segments(m.From), segments(m.To)...) {
			if s == ".." {
				return fmt.Errorf("path_mappings[%d]: %q segments are not allowed", i, "..")
			}
		}
	}
	return nil
}
