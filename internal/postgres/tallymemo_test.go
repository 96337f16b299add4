package postgres

import (
	"fmt"
	"testing"
)

// The tally memo holds at most maxTallySums sums, counts a view put again
// once, and keeps a view only for its own units.
func TestTallyMemoIsBounded(t *testing.T) {
	m := &tallyMemo{}
	base := func(n int) tallyBase { return tallyBase{epoch: 1, units: []int64{1, 2}, sums: make([]tallySum, n)} }
	ward := tallyView{scope: "/1/2/"}
	m.put(ward, base(400))
	m.put(ward, base(300))
	if m.sums != 300 || len(m.m) != 1 {
		t.Fatalf("one view put twice: %d sums in %d views", m.sums, len(m.m))
	}
	if _, ok := m.get(ward, []int64{1, 2}); !ok {
		t.Fatal("the view is not kept")
	}
	if _, ok := m.get(ward, []int64{1, 3}); ok {
		t.Fatal("the view is kept for other units")
	}
	for i := 0; i < 2*maxTallySums/4000; i++ {
		m.put(tallyView{scope: fmt.Sprintf("/1/%d/", i)}, base(4000))
		if m.sums > maxTallySums {
			t.Fatalf("after %d provinces: %d sums", i+1, m.sums)
		}
	}
	total := 0
	for _, b := range m.m {
		total += len(b.sums)
	}
	if total != m.sums || len(m.m) >= 2*maxTallySums/4000 {
		t.Fatalf("%d sums counted, %d held in %d views", m.sums, total, len(m.m))
	}
}
