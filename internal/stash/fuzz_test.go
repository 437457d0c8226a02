package stash

import (
	"bytes"
	"testing"
)

// FuzzParsePluginInput: any stdin either parses or is refused with an
// error; a parsed hook is decided without panicking.
func FuzzParsePluginInput(f *testing.F) {
	f.Add([]byte(`{"server_connection":{"Scheme":"http","Port":9999},"args":{"hookContext":{"id":45,"type":"Scene.Update.Post","input":{"title":"x"},"inputFields":["title"]}}}`))
	f.Add([]byte(`{"args":{"mode":"status"}}`))
	f.Add([]byte(`{"args":{"hookContext":{"id":-1,"type":"Scene.Create.Post","input":null}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := ParsePluginInput(bytes.NewReader(data))
		if err != nil || in.Args.HookContext == nil {
			return
		}
		d, err := in.Args.HookContext.Decide()
		if err == nil && d.Sync && d.SceneID == "" {
			t.Fatalf("a sync decision without a scene: %+v", d)
		}
	})
}
