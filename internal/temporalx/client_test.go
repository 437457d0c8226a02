package temporalx

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
)

// The scripts (temporal/*.sh) and the Go code must register the same
// search attributes.
func TestSearchAttributesMatchTheScriptsList(t *testing.T) {
	f, err := os.Open("../../temporal/search-attributes")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var names []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, typ, _ := strings.Cut(line, "=")
		if typ != "Keyword" {
			t.Errorf("%s: type %q, want Keyword", name, typ)
		}
		names = append(names, name)
	}
	if !slices.Equal(names, SearchAttributes) {
		t.Errorf("temporal/search-attributes lists %v, the Go code %v", names, SearchAttributes)
	}
}
