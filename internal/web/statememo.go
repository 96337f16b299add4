package web

import (
	"fmt"
	"hash/fnv"
	"sync"
	"time"

	"ketnap/internal/admission"
)

// maxMemoFiles bounds the state memo: a ward's open files several times
// over, a few megabytes.
const maxMemoFiles = 20000

// stateMemo keeps each open file's state in words and its warnings as last
// derived. The work queue weighs every open file of the scope on each view
// (3 000 in a ward: their 20 000 steps read and their deadlines computed in
// working days), while between two views only a few files change. An entry
// holds while the file's version (which every step, correction, move and
// edit raises), its organization, the day and the rules and holidays it was
// derived under are the same.
type stateMemo struct {
	mu sync.Mutex
	m  map[int64]memoEntry
}

type memoEntry struct {
	version  int
	updated  time.Time
	org      admission.Organization
	basis    uint64
	state    admission.FileState
	warnings []admission.Warning
}

// basisOf is what a derivation depends on besides the file: the day, the
// rule sets and the holidays.
func basisOf(today time.Time, rules admission.RuleSets, holidays []time.Time) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%+v|", today.Format(time.DateOnly), rules)
	for _, d := range holidays {
		fmt.Fprint(h, d.Format(time.DateOnly), ",")
	}
	return h.Sum64()
}

func (m *stateMemo) get(c admission.FileHead, org admission.Organization, basis uint64) (memoEntry, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.m[c.ID]
	if !ok || e.version != c.Version || !e.updated.Equal(c.UpdatedAt) || e.org != org || e.basis != basis {
		return memoEntry{}, false
	}
	return e, true
}

func (m *stateMemo) put(c admission.Candidate, org admission.Organization, basis uint64, st admission.FileState, ws []admission.Warning) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil || len(m.m) >= maxMemoFiles {
		m.m = make(map[int64]memoEntry, 1024) // start over rather than weigh what to keep
	}
	m.m[c.ID] = memoEntry{version: c.Version, updated: c.UpdatedAt, org: org, basis: basis, state: st, warnings: ws}
}
