package web

import (
	"io"
	assets "ketnap/web"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// Heavy pages run a few at a time; one that waits past its turn is told
// to come back, and one in its turn runs.
func TestHeavyPagesQueue(t *testing.T) {
	as, err := assets.Load()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{HeavyWait: 100 * time.Millisecond, Assets: as, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	var running, peak atomic.Int64
	release := make(chan struct{})
	h := s.heavy(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := running.Add(1)
		defer running.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		<-release
	}))
	done := make(chan int, 8)
	for i := 0; i < 8; i++ {
		go func() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/bao-cao", nil))
			done <- rec.Code
		}()
	}
	time.Sleep(500 * time.Millisecond)
	if p := peak.Load(); p != int64(cap(s.heavySlots)) {
		t.Fatalf("%d ran at once, slots %d", p, cap(s.heavySlots))
	}
	close(release)
	busy := 0
	for i := 0; i < 8; i++ {
		if <-done == http.StatusServiceUnavailable {
			busy++
		}
	}
	if busy != 8-cap(s.heavySlots) {
		t.Fatalf("%d told to come back, want %d", busy, 8-cap(s.heavySlots))
	}
}
