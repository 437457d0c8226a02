package spool

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestAppendAndFlush(t *testing.T) {
	s := New(filepath.Join(t.TempDir(), "sub", "spool.jsonl"))
	for _, id := range []string{"1", "2", "1", "3"} {
		if err := s.Append(Entry{SceneID: id, Reason: "hook", At: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := s.Len(); n != 4 {
		t.Fatalf("Len = %d, want 4", n)
	}
	var sent []string
	n, err := s.Flush(func(e Entry) error {
		if e.SceneID == "2" {
			return errors.New("temporal down")
		}
		sent = append(sent, e.SceneID)
		return nil
	})
	if err == nil || n != 2 || fmt.Sprint(sent) != "[1 3]" {
		t.Fatalf("Flush sent %v (n=%d, err %v); want scenes 1 and 3 once each, and the error", sent, n, err)
	}
	if left, _ := s.Len(); left != 1 {
		t.Fatalf("%d entries left, want the one that failed", left)
	}
	sent = nil
	if n, err := s.Flush(func(e Entry) error { sent = append(sent, e.SceneID); return nil }); err != nil || n != 1 || sent[0] != "2" {
		t.Fatalf("second flush: n=%d err=%v sent=%v", n, err, sent)
	}
	if _, err := os.Stat(s.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("spool file left after a full flush: %v", err)
	}
	if n, err := s.Flush(func(Entry) error { t.Fatal("nothing to send"); return nil }); n != 0 || err != nil {
		t.Errorf("empty flush: %d, %v", n, err)
	}
}

func TestTornLastLineIsSkipped(t *testing.T) {
	s := New(filepath.Join(t.TempDir(), "spool.jsonl"))
	_ = s.Append(Entry{SceneID: "7"})
	f, _ := os.OpenFile(s.Path(), os.O_APPEND|os.O_WRONLY, 0)
	_, _ = f.WriteString(`{"sceneId":"8","rea`)
	f.Close()
	if n, err := s.Len(); n != 1 || err != nil {
		t.Errorf("Len = %d, %v; want the whole entry only", n, err)
	}
}

func TestConcurrentAppendsAreAllKept(t *testing.T) {
	s := New(filepath.Join(t.TempDir(), "spool.jsonl"))
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.Append(Entry{SceneID: fmt.Sprint(i)}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n, _ := s.Len(); n != 40 {
		t.Errorf("Len = %d, want 40", n)
	}
}
