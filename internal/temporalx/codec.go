package temporalx

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"google.golang.org/protobuf/proto"
)

// Metadata of an encrypted payload.
const (
	encodingEncrypted = "binary/encrypted"
	metaEncoding      = "encoding"
	metaKeyID         = "encryption-key-id"
)

// Codec encrypts payloads with AES-256-GCM. Each payload records the ID of
// its key, so that payloads written before a key rotation stay readable as
// long as the old key is kept.
type Codec struct {
	current string
	keys    map[string]cipher.AEAD
}

// ParseKeys reads "ID=BASE64KEY" entries, separated by commas or newlines;
// the first encrypts, all decrypt. Each key is 32 random bytes, e.g. from
// `openssl rand -base64 32`.
func ParseKeys(spec string) (*Codec, error) {
	c := &Codec{keys: map[string]cipher.AEAD{}}
	for i, entry := range strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || r == '\n' }) {
		entry = strings.TrimSpace(entry)
		if entry == "" || strings.HasPrefix(entry, "#") {
			continue
		}
		id, b64, ok := strings.Cut(entry, "=")
		id = strings.TrimSpace(id)
		if !ok || id == "" {
			return nil, fmt.Errorf("encryption key %d: want ID=BASE64KEY", i+1)
		}
		key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
		if err != nil || len(key) != 32 {
			return nil, fmt.Errorf("encryption key %q: want 32 bytes in base64 (openssl rand -base64 32)", id)
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		if _, dup := c.keys[id]; dup {
			return nil, fmt.Errorf("encryption key %q is listed twice", id)
		}
		c.keys[id] = aead
		if c.current == "" {
			c.current = id
		}
	}
	if c.current == "" {
		return nil, errors.New("no encryption key given")
	}
	return c, nil
}

// LoadKeys returns the codec for a key list given inline or in a file (the
// file wins), or nil when neither is set: encryption is off.
func LoadKeys(inline, file string) (*Codec, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("encryption keys file: %w", err)
		}
		inline = string(b)
	}
	if strings.TrimSpace(inline) == "" {
		return nil, nil
	}
	return ParseKeys(inline)
}

// Encode implements converter.PayloadCodec.
func (c *Codec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	aead := c.keys[c.current]
	for i, p := range payloads {
		plain, err := proto.Marshal(p)
		if err != nil {
			return nil, err
		}
		nonce := make([]byte, aead.NonceSize())
		if _, err := rand.Read(nonce); err != nil {
			return nil, err
		}
		out[i] = &commonpb.Payload{
			Metadata: map[string][]byte{metaEncoding: []byte(encodingEncrypted), metaKeyID: []byte(c.current)},
			Data:     aead.Seal(nonce, nonce, plain, []byte(c.current)),
		}
	}
	return out, nil
}

// Decode implements converter.PayloadCodec; payloads that are not
// encrypted pass through, so that histories from before encryption was
// switched on stay readable.
func (c *Codec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if string(p.GetMetadata()[metaEncoding]) != encodingEncrypted {
			out[i] = p
			continue
		}
		id := string(p.GetMetadata()[metaKeyID])
		aead, ok := c.keys[id]
		if !ok {
			return nil, fmt.Errorf("payload encrypted with key %q, which is not configured; add it to the key list to read old payloads", id)
		}
		n := aead.NonceSize()
		if len(p.Data) < n {
			return nil, errors.New("encrypted payload is too short")
		}
		plain, err := aead.Open(nil, p.Data[:n], p.Data[n:], []byte(id))
		if err != nil {
			return nil, fmt.Errorf("payload with key %q does not decrypt: %w", id, err)
		}
		var dec commonpb.Payload
		if err := proto.Unmarshal(plain, &dec); err != nil {
			return nil, err
		}
		out[i] = &dec
	}
	return out, nil
}

// DataConverter returns the default data converter, encrypting through c
// when c is not nil.
func DataConverter(c *Codec) converter.DataConverter {
	if c == nil {
		return converter.GetDefaultDataConverter()
	}
	return converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), c)
}

// FailureConverter also encrypts failure messages and stack traces when c
// is not nil: they can name files and titles.
func FailureConverter(c *Codec) converter.FailureConverter {
	return temporal.NewDefaultFailureConverter(temporal.DefaultFailureConverterOptions{
		DataConverter: DataConverter(c), EncodeCommonAttributes: c != nil,
	})
}

// CodecServer serves the codec over HTTP for the Temporal Web UI (POST
// .../encode and .../decode), answering CORS requests from the given UI
// origins and, when token is set, only requests that carry it as a bearer
// token.
func CodecServer(c *Codec, origins []string, token string) http.Handler {
	codec := converter.NewPayloadCodecHTTPHandler(c)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o := r.Header.Get("Origin"); o != "" && slices.Contains(origins, o) {
			w.Header().Set("Access-Control-Allow-Origin", o)
			w.Header().Set("Access-Control-Allow-Credentials", "true")
			w.Header().Set("Access-Control-Allow-Headers", "Content-Type, X-Namespace, Authorization")
			w.Header().Set("Access-Control-Allow-Methods", "POST, OPTIONS")
			w.Header().Set("Vary", "Origin")
		}
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusOK)
			return
		}
		if token != "" && subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte("Bearer "+token)) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		codec.ServeHTTP(w, r)
	})
}
