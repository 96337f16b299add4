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

// A request that holds a heavy slot keeps it when it asks again (a report's
// download counts its report inside the download's own slot), even when
// every other slot is taken.
func TestHeavySlotHeldOnce(t *testing.T) {
	as, err := assets.Load()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{HeavyWait: 50 * time.Millisecond, Assets: as, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	ran := false
	h := s.heavy(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for len(s.heavySlots) < cap(s.heavySlots) { // the others take the rest
			s.heavySlots <- struct{}{}
		}
		_, release, ok := s.heavySlot(w, r)
		if ok {
			release()
			ran = true
		}
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/bao-cao/tai-ve", nil))
	if !ran || rec.Code != http.StatusOK {
		t.Fatalf("asking again inside a slot: ran %v, status %d", ran, rec.Code)
	}
}
