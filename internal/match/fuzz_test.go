package match

import (
	"strings"
	"testing"
)

// FuzzMap: mapping never panics and never yields a path that climbs out of
// its target with "..".
func FuzzMap(f *testing.F) {
	f.Add("/data/videos/a.mp4", "/data/videos", "/media/videos")
	f.Add(`C:\Stash\..\x.mkv`, `C:\Stash`, "/mnt")
	f.Add("/data/videos/../../etc/passwd", "/data", `\\nas\share`)
	f.Fuzz(func(t *testing.T, path, from, to string) {
		ms := Mappings{{From: from, To: to}}
		if ms.Validate() != nil {
			return
		}
		out, err := ms.Map(path)
		if err != nil {
			return
		}
		for _, seg := range strings.FieldsFunc(out, func(r rune) bool { return r == '/' || r == '\\' }) {
			if seg == ".." {
				t.Fatalf("Map(%q) with %q -> %q = %q climbs with ..", path, from, to, out)
			}
		}
	})
}
