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

// The rows written since a compaction add to the kept sums item by item; an
// item that came and went is no sum, and the kept sums stay as they were.
func TestAddSums(t *testing.T) {
	kept := []tallySum{{1, "stage/dossier/", 2}, {1, "cell", 1}, {2, "stage/source/", 1}}
	fresh := []tallySum{{1, "stage/dossier/", -1}, {2, "stage/source/", -1}, {2, "stage/dossier/", 1}}
	got := fmt.Sprint(addSums(kept, fresh))
	if want := "[{1 stage/dossier/ 1} {1 cell 1} {2 stage/dossier/ 1}]"; got != want {
		t.Fatalf("added %s, want %s", got, want)
	}
	if fmt.Sprint(kept) != "[{1 stage/dossier/ 2} {1 cell 1} {2 stage/source/ 1}]" {
		t.Fatalf("the kept sums changed: %v", kept)
	}
	if got := addSums(kept, nil); len(got) != 3 {
		t.Fatalf("nothing written since: %v", got)
	}
}

// A kept scope count serves shapeRecount times, then is taken again; the
// memo holds at most shapeScopes scopes.
func TestShapeMemoRecountsAndIsBounded(t *testing.T) {
	m := &shapeMemo{}
	if _, ok := m.get("/1/", 201); ok {
		t.Fatal("an empty memo served a count")
	}
	m.put("/1/", 201, 201)
	for i := range shapeRecount {
		if n, ok := m.get("/1/", 201); !ok || n != 201 {
			t.Fatalf("use %d: %d %v", i+1, n, ok)
		}
	}
	if _, ok := m.get("/1/", 201); ok {
		t.Fatalf("the count served past %d uses", shapeRecount)
	}
	if _, ok := m.get("/1/", 401); ok {
		t.Fatal("a count up to another limit served")
	}
	for i := range shapeScopes + 5 {
		m.put(fmt.Sprintf("/1/%d/", i), 201, 1)
	}
	if len(m.m) > shapeScopes {
		t.Fatalf("%d scopes kept, at most %d", len(m.m), shapeScopes)
	}
}
