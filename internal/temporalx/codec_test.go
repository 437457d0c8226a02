package temporalx

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
)

func newKey(id string) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return id + "=" + base64.StdEncoding.EncodeToString(b)
}

func payload(t *testing.T, v any) *commonpb.Payload {
	p, err := converter.GetDefaultDataConverter().ToPayload(v)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCodecRoundTripAndRotation(t *testing.T) {
	old, cur := newKey("2025"), newKey("2026")
	before, err := ParseKeys(old)
	if err != nil {
		t.Fatal(err)
	}
	plain := payload(t, map[string]string{"title": "Secret Title", "file": "/data/private.mp4"})
	enc, err := before.Encode([]*commonpb.Payload{plain})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(enc[0].Data, []byte("Secret Title")) || string(enc[0].Metadata["encryption-key-id"]) != "2025" {
		t.Fatalf("not encrypted, or no key id: %v", enc[0])
	}

	rotated, err := ParseKeys(cur + "\n" + old) // new key first; the old one still decrypts
	if err != nil {
		t.Fatal(err)
	}
	dec, err := rotated.Decode(enc)
	if err != nil || !bytes.Equal(dec[0].Data, plain.Data) {
		t.Fatalf("after rotation: %v, %v", dec, err)
	}
	if enc2, _ := rotated.Encode([]*commonpb.Payload{plain}); string(enc2[0].Metadata["encryption-key-id"]) != "2026" {
		t.Error("new payloads must use the first key")
	}

	onlyNew, _ := ParseKeys(cur)
	if _, err := onlyNew.Decode(enc); err == nil || !strings.Contains(err.Error(), `"2025"`) {
		t.Errorf("a dropped key must fail clearly: %v", err)
	}
	tampered := &commonpb.Payload{Metadata: enc[0].Metadata, Data: append([]byte(nil), enc[0].Data...)}
	tampered.Data[len(tampered.Data)-1] ^= 1
	if _, err := before.Decode([]*commonpb.Payload{tampered}); err == nil {
		t.Error("a tampered payload decrypted")
	}
	if out, err := before.Decode([]*commonpb.Payload{plain}); err != nil || out[0] != plain {
		t.Errorf("unencrypted payloads must pass through: %v", err)
	}
}

func TestParseKeysErrors(t *testing.T) {
	for _, spec := range []string{"", "nokey", "id=" + base64.StdEncoding.EncodeToString([]byte("short")), "=abc",
		newKey("a") + "," + newKey("a")} {
		if _, err := ParseKeys(spec); err == nil {
			t.Errorf("ParseKeys(%.20q) accepted", spec)
		}
	}
	if c, err := LoadKeys("", ""); c != nil || err != nil {
		t.Errorf("no keys must mean encryption off: %v %v", c, err)
	}
}

func TestCodecServer(t *testing.T) {
	codec, _ := ParseKeys(newKey("k1"))
	srv := httptest.NewServer(CodecServer(codec, []string{"http://localhost:8233"}, "t0ken"))
	defer srv.Close()

	remote := converter.NewRemotePayloadCodec(converter.RemotePayloadCodecOptions{Endpoint: srv.URL,
		ModifyRequest: func(r *http.Request) error { r.Header.Set("Authorization", "Bearer t0ken"); return nil }})
	plain := payload(t, "Performer Name")
	enc, err := codec.Encode([]*commonpb.Payload{plain})
	if err != nil {
		t.Fatal(err)
	}
	dec, err := remote.Decode(enc)
	if err != nil || !bytes.Equal(dec[0].Data, plain.Data) {
		t.Fatalf("decode over HTTP: %v, %v", dec, err)
	}

	noToken := converter.NewRemotePayloadCodec(converter.RemotePayloadCodecOptions{Endpoint: srv.URL})
	if _, err := noToken.Decode(enc); err == nil {
		t.Error("a request without the bearer token was served")
	}

	req, _ := http.NewRequest(http.MethodOptions, srv.URL+"/decode", nil)
	req.Header.Set("Origin", "http://localhost:8233")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "http://localhost:8233" {
		t.Errorf("CORS preflight: %v %v", resp, err)
	}
	req.Header.Set("Origin", "http://evil.example")
	resp, _ = http.DefaultClient.Do(req)
	if resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Error("CORS allowed an unknown origin")
	}
}
