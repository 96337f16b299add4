package admission_test

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"ketnap/internal/admission"
)

// Together runs every function at once, waits for all of them, and returns
// the first one's error in the order given.
func TestTogetherWaitsForAllAndReturnsTheFirstError(t *testing.T) {
	var running, peak, done atomic.Int32
	work := func(err error) func() error {
		return func() error {
			n := running.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(20 * time.Millisecond)
			running.Add(-1)
			done.Add(1)
			return err
		}
	}
	first, second := errors.New("first"), errors.New("second")
	if err := admission.Together(work(nil), work(first), work(second), work(nil)); err != first {
		t.Fatalf("error %v, want %v", err, first)
	}
	if done.Load() != 4 {
		t.Fatalf("returned after %d of 4", done.Load())
	}
	if peak.Load() < 2 {
		t.Fatalf("at most %d ran at once", peak.Load())
	}
	if err := admission.Together(work(nil), work(nil)); err != nil {
		t.Fatal(err)
	}
}
