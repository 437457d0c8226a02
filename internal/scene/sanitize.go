package scene

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Length caps. Plex stores these in SQLite without a hard limit, but very long
// values make its UI unusable and bloat every Temporal payload that carries them.
const (
	MaxTitleLen   = 255
	MaxSummaryLen = 10000
	MaxTagLen     = 128
	MaxTags       = 200
)

// CleanText applies the text rules shared by every field:
//   - invalid UTF-8 is replaced by U+FFFD;
//   - control characters are removed, except newline and tab, which become
//     spaces unless multiline is set;
//   - Unicode is normalised to NFC, so that "é" typed two ways compares equal;
//   - leading and trailing white space is trimmed;
//   - the result is capped at max runes (0 = no cap) without splitting a rune.
func CleanText(s string, max int, multiline bool) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' && multiline:
			return r
		case r == '\n' || r == '\t' || r == '\r':
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(norm.NFC.String(s))
	return capRunes(s, max)
}

func capRunes(s string, max int) string {
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max {
			return strings.TrimSpace(s[:i])
		}
		n++
	}
	return s
}

// CleanTags cleans each name like a single-line field, drops empty names,
// merges duplicates case-insensitively (the first spelling wins, as Plex tags
// are case-insensitive) and keeps at most MaxTags, in input order.
func CleanTags(names []string) []string {
	out := make([]string, 0, len(names))
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		n = CleanText(n, MaxTagLen, false)
		key := strings.ToLower(n)
		if n == "" || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, n)
		if len(out) == MaxTags {
			break
		}
	}
	return out
}
