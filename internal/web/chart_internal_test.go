package web

import (
	"fmt"
	"slices"
	"testing"

	"ketnap/internal/admission"
)

// The chart draws every unit when they are few, and otherwise those
// furthest behind their target, units without one after them.
func TestChartUnitsAreTheFurthestBehind(t *testing.T) {
	unit := func(name string, target, admitted int, has bool) admission.CellProgress {
		return admission.CellProgress{Name: name, Target: target, Admitted: admitted, HasTarget: has}
	}
	cells := []admission.CellProgress{
		unit("A", 10, 10, true), // 100 %
		unit("B", 4, 1, true),   // 25 %
		unit("C", 0, 0, false),  // no target, none admitted
		unit("D", 3, 1, true),   // 33 %
		unit("E", 0, 2, false),  // no target, two admitted
		unit("F", 8, 2, true),   // 25 %, more admitted than B
		unit("G", 0, 0, true),   // a target of none: met
		unit("H", 5, 0, true),   // 0 %
	}
	names := func(cs []admission.CellProgress) string {
		var s []string
		for _, c := range cs {
			s = append(s, c.Name)
		}
		return fmt.Sprint(s)
	}
	if got := chartUnits(cells, len(cells)); names(got) != names(cells) {
		t.Fatalf("few units: drawn %s, want all in their order %s", names(got), names(cells))
	}
	for n, want := range map[int]string{
		1: "[H]",
		3: "[H B F]",
		6: "[H B F D A G]",
		7: "[H B F D A G C]",
	} {
		if got := names(chartUnits(cells, n)); got != want {
			t.Errorf("chartUnits(%d) = %s, want %s", n, got, want)
		}
	}
	before := slices.Clone(cells)
	chartUnits(cells, 3)
	if names(before) != names(cells) {
		t.Fatal("chartUnits reordered the table's units")
	}
}
