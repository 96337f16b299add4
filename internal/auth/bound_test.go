package auth

import (
	"sync"
	"testing"
)

// However many logins arrive at once, no more hashes run together than
// there are processors: memory stays bounded.
func TestHashingIsBounded(t *testing.T) {
	cheap := Params{Time: 1, MemoryKiB: 8 * 1024, Threads: 1, KeyLen: 32}
	h, err := Hash("mật khẩu", cheap)
	if err != nil {
		t.Fatal(err)
	}
	peak.Store(0)
	var wg sync.WaitGroup
	for i := 0; i < 32; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ok, err := Verify("mật khẩu", h); !ok || err != nil {
				t.Error("verify", ok, err)
			}
		}()
	}
	wg.Wait()
	if p := peak.Load(); p < 1 || p > int64(cap(slots)) {
		t.Fatalf("peak %d hashes at once, bound %d", p, cap(slots))
	}
}
