package postgres

import (
	"context"
	"slices"
	"sync"
)

// maxTallySums bounds the tally memo by the sums it holds (about 40 bytes
// each, the items' names shared): a ward's view holds about 400, a
// province's 4 000, so this is every ward's dashboard of a day several
// times over, about 10 MB.
const maxTallySums = 250000

// tallyMemo keeps, for each view of the tallies (the units of a dashboard
// or a targets page, the items of a year and the day's deadlines), the sums
// of the compacted rows under the compaction count they were read at
// (tally_epoch, migration 00032). Only a compaction changes compacted
// rows, and it raises the count in the same transaction; so while the count
// is the same, a view reads only the rows written since the last compaction,
// through their own small index. Each instance keeps its own: the count is
// the database's, so two instances stay right.
type tallyMemo struct {
	mu   sync.Mutex
	m    map[tallyView]tallyBase
	sums int // held in m
}

// tallyView is what a reading of the tallies depends on besides the units:
// the scope and whether its units are its cells or its children, the
// year's items and the day's deadlines.
type tallyView struct {
	scope, admitted, target, targeted, today, soonBy string
	children                                         bool
}

type tallyBase struct {
	epoch int64
	units []int64
	sums  []tallySum
}

// tallySum is the sum of an item of a unit, as the view reads it (the
// deadlines already counted as overdue or due soon).
type tallySum struct {
	org  int64
	item string
	n    int
}

func (m *tallyMemo) get(v tallyView, units []int64) (tallyBase, bool) {
	if m == nil {
		return tallyBase{}, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.m[v]
	if !ok || !slices.Equal(b.units, units) {
		return tallyBase{}, false
	}
	return b, true
}

func (m *tallyMemo) put(v tallyView, b tallyBase) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil || m.sums+len(b.sums) > maxTallySums {
		m.m, m.sums = map[tallyView]tallyBase{}, 0 // start over rather than weigh what to keep
	}
	m.sums += len(b.sums) - len(m.m[v].sums)
	m.m[v] = b
}

// epochNone marks a reading without the compaction count (its row gone):
// nothing read then is kept.
const epochNone = -1

// unitTallies returns the sum of each of the view's items for each unit, the
// deadlines folded into "overdue" (before today) and "soon" (through
// soonBy). With a kept reading of the same compaction count, it reads only
// the rows not yet compacted; otherwise every row, and keeps the compacted
// rows' sums for the next time.
func (db *DB) unitTallies(ctx context.Context, v tallyView, units []int64) ([]tallySum, error) {
	items := []string{v.admitted, v.target, v.targeted, "cell"}
	if base, ok := db.tallies.get(v, units); ok {
		epoch, _, fresh, err := db.readTallies(ctx, true, units, items, v)
		if err != nil {
			return nil, err
		}
		if epoch == base.epoch {
			return addSums(base.sums, fresh), nil
		}
	}
	epoch, compacted, fresh, err := db.readTallies(ctx, false, units, items, v)
	if err != nil {
		return nil, err
	}
	if epoch != epochNone {
		db.tallies.put(v, tallyBase{epoch: epoch, units: slices.Clone(units), sums: compacted})
	}
	return addSums(compacted, fresh), nil
}

// addSums adds the rows written since the last compaction to the kept sums,
// item by item, and leaves out the items whose sum is none (a file that
// came and went). kept is not changed.
func addSums(kept, fresh []tallySum) []tallySum {
	if len(fresh) == 0 {
		return kept
	}
	type key struct {
		org  int64
		item string
	}
	out := slices.Clone(kept)
	at := make(map[key]int, len(kept))
	for i, s := range out {
		at[key{s.org, s.item}] = i
	}
	for _, s := range fresh {
		if i, ok := at[key{s.org, s.item}]; ok {
			out[i].n += s.n
		} else {
			at[key{s.org, s.item}] = len(out)
			out = append(out, s)
		}
	}
	return slices.DeleteFunc(out, func(s tallySum) bool { return s.n == 0 })
}

// readTallies reads, in one statement and so one snapshot, the compaction
// count and the sums of the view's items for each unit: of the compacted
// rows and of the others apart, or of the others only.
func (db *DB) readTallies(ctx context.Context, freshOnly bool, units []int64, items []string, v tallyView) (epoch int64, compacted, fresh []tallySum, err error) {
	// the rows not yet compacted are read by a kept plan (their small
	// index, whatever the units): planning it for 300 units took longer
	// than running it
	q, which := querier(db.Pool), ""
	if freshOnly {
		q, which = db.key(), " AND NOT compacted"
	}
	// each kind of item is one range of the index; the deadlines come
	// folded into the overdue and the due soon
	// the sums as bigint: a sum of bigints is numeric, and reading 4 000
	// numerics was a sixth of a province dashboard's time in Go
	rows, err := q.Query(ctx, `SELECT -1, 'epoch', true, n FROM tally_epoch
		UNION ALL
		SELECT organization_id, k, compacted, sum(n)::bigint FROM (
			SELECT organization_id, item AS k, compacted, n FROM tallies WHERE organization_id = ANY($1) AND item >= 'stage/' AND item < 'stage0'`+which+`
			UNION ALL
			SELECT organization_id, item, compacted, n FROM tallies WHERE organization_id = ANY($1) AND item = ANY($2)`+which+`
			UNION ALL
			SELECT organization_id, CASE WHEN item < $4 THEN 'overdue' ELSE 'soon' END, compacted, n FROM tallies
			WHERE organization_id = ANY($1) AND item >= 'due/' AND item <= $3`+which+`) x
		GROUP BY 1, 2, 3`,
		units, items, "due/"+v.soonBy, "due/"+v.today)
	if err != nil {
		return 0, nil, nil, wrap(err)
	}
	defer rows.Close()
	epoch = epochNone
	names := map[string]string{} // each item's name once, for all the units
	for rows.Next() {
		var s tallySum
		var done bool
		if err := rows.Scan(&s.org, &s.item, &done, &s.n); err != nil {
			return 0, nil, nil, wrap(err)
		}
		if name, ok := names[s.item]; ok {
			s.item = name
		} else {
			names[s.item] = s.item
		}
		switch {
		case s.org == -1:
			epoch = int64(s.n)
		case s.n == 0: // the deltas of an item that came and went
		case done:
			compacted = append(compacted, s)
		default:
			fresh = append(fresh, s)
		}
	}
	return epoch, compacted, fresh, wrap(rows.Err())
}
