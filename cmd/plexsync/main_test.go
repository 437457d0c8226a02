package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"go.temporal.io/sdk/temporal"

	"github.com/plexsync/plexsync/internal/config"
)

func TestLoggerRedactsTokens(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		var buf bytes.Buffer
		log := newLogger(&buf, config.Log{Format: format, Level: "debug"})
		log.Debug("GET http://plex:32400/library?X-Plex-Token=tok123", "url", "http://stash/graphql?apikey=key456")
		if out := buf.String(); strings.Contains(out, "tok123") || strings.Contains(out, "key456") || !strings.Contains(out, "REDACTED") {
			t.Errorf("%s: %s", format, out)
		}
	}
}

func TestFailureFindsTheRootCause(t *testing.T) {
	inner := temporal.NewApplicationError("Plex refused the token", "AuthFailed")
	outer := temporal.NewApplicationErrorWithCause("activity failed", "Wrapper", inner)
	if typ, msg := failure(outer); typ != "AuthFailed" || msg != "Plex refused the token" {
		t.Errorf("failure = %q, %q", typ, msg)
	}
	if typ, _ := failure(errors.New("plain")); typ != "Error" {
		t.Errorf("plain error type %q", typ)
	}
}

func TestReconcileScope(t *testing.T) {
	if _, err := reconcileScope(true, 0, nil, true); err == nil {
		t.Error("--attach with a scope accepted")
	}
	if _, err := reconcileScope(false, 0, nil, false); err == nil {
		t.Error("no scope accepted")
	}
	if s, err := reconcileScope(false, 0, []string{"4"}, false); err != nil || s != "ids" {
		t.Errorf("ids scope: %q %v", s, err)
	}
	if _, err := reconcileScope(false, 0, []string{"x"}, false); err == nil {
		t.Error("bad scene id accepted")
	}
}
