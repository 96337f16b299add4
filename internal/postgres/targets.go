package postgres

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"ketnap/internal/admission"
)

type CellProgress = admission.CellProgress

// Progress returns, for each active cell in scope, the year's target, the
// admissions so far, the candidates by stage, the open files the forecast
// weighs and the overdue and due-soon counts relative to today.
//
// Admissions are counted as admission.AdmittedIn defines them: the members
// of the cell's roll (through ketnap or entered directly) whose decision
// (or, with basis "ceremony", ceremony) falls in the year. The counts by
// stage and year are read from the tallies the writes keep (migration
// 00018), not from the files themselves.
func (db *DB) Progress(ctx context.Context, scope string, year int, today, soonBy time.Time, basis string) ([]CellProgress, error) {
	out, _, err := db.progress(ctx, scope, year, today, soonBy, basis, false)
	return out, err
}

// UnitProgress is Progress for each organization directly under scope, its
// figures those of its whole subtree, when some cells lie deeper than that
// (a province's wards); otherwise it is Progress itself. rolled says which.
func (db *DB) UnitProgress(ctx context.Context, scope string, year int, today, soonBy time.Time, basis string) ([]CellProgress, bool, error) {
	return db.progress(ctx, scope, year, today, soonBy, basis, true)
}

func (db *DB) progress(ctx context.Context, scope string, year int, today, soonBy time.Time, basis string, roll bool) ([]CellProgress, bool, error) {
	deep := false
	if roll {
		// a cell two levels or more below scope (its path has two more
		// segments): a pattern, where a regular expression was compiled for
		// every row
		err := db.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM organizations o WHERE o.path LIKE $1 || '%/%/' AND o.kind = 'cell' AND o.active)`, scope).Scan(&deep)
		if err != nil {
			return nil, false, wrap(err)
		}
	}
	// the units: the cells themselves, or the organizations directly under
	// scope with active cells under them (their "cell" tally, below)
	units := `SELECT o.id, o.name, o.path FROM organizations o WHERE o.path LIKE $1 || '%' AND o.kind = 'cell' AND o.active`
	if deep {
		units = `SELECT o.id, o.name, o.path FROM organizations o WHERE o.parent_id = (SELECT id FROM organizations WHERE path = $1) AND o.active`
	}
	rows, err := db.Pool.Query(ctx, units+` ORDER BY o.name COLLATE vi, o.id`, scope)
	if err != nil {
		return nil, false, wrap(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (CellProgress, error) {
		p := CellProgress{ByStage: map[admission.Stage]int{}}
		return p, r.Scan(&p.OrgID, &p.Name, &p.Path)
	})
	if err != nil {
		return nil, false, wrap(err)
	}
	idx := map[int64]int{}
	ids := make([]int64, len(out))
	for i, p := range out {
		idx[p.OrgID], ids[i] = i, p.OrgID
	}
	y := strconv.Itoa(year)
	items := tallyItems{admitted: "admitted/" + y, target: "target/" + y, targeted: "targeted/" + y, year: year}
	if basis == admission.AdmittedByCeremony {
		items.admitted = "ceremony/" + y
	}
	sums, err := db.unitTallies(ctx, tallyView{scope: scope, admitted: items.admitted, target: items.target, targeted: items.targeted,
		today: today.Format(time.DateOnly), soonBy: soonBy.Format(time.DateOnly), children: deep}, ids)
	if err != nil {
		return nil, false, err
	}
	cells := make([]int, len(out))
	for _, s := range sums {
		if i, ok := idx[s.org]; ok {
			if s.item == "cell" {
				cells[i] += s.n
			}
			items.add(&out[i], s.item, s.n)
		}
	}
	if deep { // the units with active cells under them
		kept := out[:0]
		for i, p := range out {
			if cells[i] > 0 {
				kept = append(kept, p)
			}
		}
		out = kept
	}
	return out, deep, nil
}

// tallyItems names the tally items of a year's progress.
type tallyItems struct {
	admitted, target, targeted string
	year                       int
}

// add adds a tally item's count to a unit's progress.
func (t tallyItems) add(p *CellProgress, item string, n int) {
	if n == 0 { // the deltas of an item that came and went
		return
	}
	switch item {
	case t.admitted:
		p.Admitted += n
		return
	case t.target:
		p.Target += n
		return
	case t.targeted:
		p.HasTarget = p.HasTarget || n > 0
		return
	case "overdue":
		p.Overdue += n
		return
	case "soon":
		p.DueSoon += n
		return
	}
	rest, ok := strings.CutPrefix(item, "stage/")
	if !ok {
		return
	}
	st, mark, _ := strings.Cut(rest, "/")
	stage := admission.Stage(st)
	p.ByStage[stage] += n
	f := &p.Pipeline
	switch stage {
	case admission.StageAwaitingCeremony:
		if mark == strconv.Itoa(t.year) {
			f.AwaitingCeremony += n
		}
	case admission.StageAwaitingDecision:
		if y, err := strconv.Atoi(mark); err == nil && y <= t.year {
			f.DecisionInYear += n
		} else {
			f.DecisionLater += n
		}
	case admission.StageDossier:
		if mark == "verified" {
			f.DossierVerified += n
		} else {
			f.DossierUnverified += n
		}
	}
}

// CompactTallies folds each tally item's deltas into one row
// (tallies_compact), and the deadlines before foldBefore, when given, into
// one item, and returns how many rows it removed; it then vacuums
// the table, so that a count reads its rows from the index alone (an
// autovacuum of a table this small and this busy comes too seldom).
func (db *DB) CompactTallies(ctx context.Context, foldBefore time.Time) (int64, error) {
	var n int64
	var fold *time.Time
	if !foldBefore.IsZero() {
		fold = &foldBefore
	}
	if err := db.Pool.QueryRow(ctx, `SELECT tallies_compact($1::date)`, fold).Scan(&n); err != nil {
		return n, wrap(err)
	}
	_, err := db.Pool.Exec(ctx, `VACUUM (ANALYZE) tallies`)
	return n, wrap(err)
}

// AnalyzeAuditMonth refreshes the planner's statistics of the current
// month's audit partition: thousands of reads an hour make them stale, and
// the planner then scans the month by time instead of taking the index of
// the events other than reads for "since your last visit".
func (db *DB) AnalyzeAuditMonth(ctx context.Context, now time.Time) error {
	var name *string
	if err := db.Pool.QueryRow(ctx, `SELECT to_regclass($1)::text`, "audit_events_"+now.UTC().Format("2006_01")).Scan(&name); err != nil || name == nil {
		return wrap(err)
	}
	_, err := db.Pool.Exec(ctx, `ANALYZE `+pgx.Identifier{*name}.Sanitize())
	return wrap(err)
}

// EnsureAuditMonths makes sure the audit trail has its partition for each
// month from now's through three months later (migration 00020).
func (db *DB) EnsureAuditMonths(ctx context.Context, now time.Time) (int, error) {
	var n int
	err := db.Pool.QueryRow(ctx, `SELECT audit_events_month_partitions($1, $2)`, now, now.AddDate(0, 3, 0)).Scan(&n)
	return n, wrap(err)
}

// FoldDays is how many days before today a deadline must lie for its
// count to be folded with the older ones (migration 00025): more than the
// few days two clocks might differ, so that today's overdue is unchanged.
const FoldDays = 7

// ChainEvery is how often each instance links the audit events committed
// since (ChainAudit): an event waits about this long for its link.
const ChainEvery = 200 * time.Millisecond

// Maintain keeps the database's own housekeeping until ctx ends: the audit
// events committed linked into the chain every ChainEvery, the tallies
// compacted every interval, so that a count reads about one row per item
// however many writes came before, the current month's audit statistics
// refreshed every five minutes, and the audit trail's coming months
// prepared at the start and every hour. Several instances may run it at once.
func (db *DB) Maintain(ctx context.Context, every time.Duration, now func() time.Time, log *slog.Logger) {
	months := func() {
		if _, err := db.EnsureAuditMonths(ctx, now()); err != nil && ctx.Err() == nil {
			log.Warn("chuẩn bị bảng nhật ký các tháng tới", "err", err)
		}
	}
	months()
	t := time.NewTicker(every)
	defer t.Stop()
	chain := time.NewTicker(ChainEvery)
	defer chain.Stop()
	last, analyzed := now(), now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-chain.C:
			if _, err := db.ChainAudit(ctx, false); err != nil && ctx.Err() == nil {
				log.Warn("nối chuỗi băm nhật ký", "err", err)
			}
		case <-t.C:
			if _, err := db.CompactTallies(ctx, now().AddDate(0, 0, -FoldDays)); err != nil && ctx.Err() == nil {
				log.Warn("gộp số đếm", "err", err)
			}
			if now().Sub(last) >= time.Hour {
				last = now()
				months()
			}
			if now().Sub(analyzed) >= 5*time.Minute {
				analyzed = now()
				if err := db.AnalyzeAuditMonth(ctx, analyzed); err != nil && ctx.Err() == nil {
					log.Warn("thống kê bảng nhật ký tháng này", "err", err)
				}
			}
		}
	}
}
