package admission

// The forecast of a year's admissions against the target: who is admitted
// already, and which open files can still get their admission decision
// signed this year (an admission counts in the year of its decision by
// default: DefaultAdmissionBasis).

// ForecastInput counts a cell's open files by how close they are to a
// decision in the year.
type ForecastInput struct {
	AwaitingCeremony  int // decision signed this year, ceremony pending: counted once it is held
	DecisionInYear    int // cell voted, the committee's decision is due within the year
	DecisionLater     int // cell voted, the decision is due next year (it may come early)
	DossierVerified   int // dossier stage, personal history verified: the cell may vote soon
	DossierUnverified int // dossier stage, verification still pending
}

// ForecastClass says how likely a target is met.
type ForecastClass string

// Forecast classes.
const (
	ForecastMet      ForecastClass = "met"
	ForecastLikely   ForecastClass = "likely"
	ForecastPossible ForecastClass = "possible"
	ForecastAtRisk   ForecastClass = "at_risk"
	ForecastNone     ForecastClass = "none" // no target set
)

// ForecastLabels name the classes.
var ForecastLabels = map[ForecastClass]string{
	ForecastMet: "Đã đạt", ForecastLikely: "Nhiều khả năng đạt", ForecastPossible: "Có thể đạt",
	ForecastAtRisk: "Khó đạt", ForecastNone: "Chưa giao chỉ tiêu",
}

// Forecast is a cell's (or a total's) outlook for the year.
type Forecast struct {
	Target    int
	HasTarget bool
	Admitted  int
	Likely    int // decision signed or due within the year
	Possible  int // may get a decision in the year
	AtRisk    int // unlikely to get a decision in the year
	Class     ForecastClass
}

// ForecastOf weighs a cell's open files against its target. Likely: the
// files awaiting the ceremony and those whose decision is due within the
// year; possible: the other files the cell has voted on, and verified
// dossiers; at risk: dossiers not yet verified.
func ForecastOf(c CellProgress) Forecast {
	in := c.Pipeline
	f := Forecast{Target: c.Target, HasTarget: c.HasTarget, Admitted: c.Admitted,
		Likely: in.AwaitingCeremony + in.DecisionInYear, Possible: in.DecisionLater + in.DossierVerified, AtRisk: in.DossierUnverified}
	f.Class = f.classify()
	return f
}

func (f Forecast) classify() ForecastClass {
	switch {
	case !f.HasTarget:
		return ForecastNone
	case f.Admitted >= f.Target:
		return ForecastMet
	case f.Admitted+f.Likely >= f.Target:
		return ForecastLikely
	case f.Admitted+f.Likely+f.Possible >= f.Target:
		return ForecastPossible
	}
	return ForecastAtRisk
}

// Add sums two forecasts (a ward's cells, a province's wards).
func (f Forecast) Add(g Forecast) Forecast {
	f.Target += g.Target
	f.HasTarget = f.HasTarget || g.HasTarget
	f.Admitted += g.Admitted
	f.Likely += g.Likely
	f.Possible += g.Possible
	f.AtRisk += g.AtRisk
	f.Class = f.classify()
	return f
}

// RollUp sums cells into the units directly under the organization at
// path (the wards of a province), in the order of units; cells directly
// under it stay as they are. names names the units by id.
func RollUp(cells []CellProgress, path string, names map[int64]string) []CellProgress {
	var out []CellProgress
	idx := map[int64]int{}
	for _, c := range cells {
		unit := childOf(c.Path, path)
		if unit == 0 || unit == c.OrgID {
			out = append(out, c)
			continue
		}
		i, ok := idx[unit]
		if !ok {
			i = len(out)
			idx[unit] = i
			out = append(out, CellProgress{OrgID: unit, Name: names[unit], ByStage: map[Stage]int{}})
		}
		u := &out[i]
		if c.HasTarget {
			u.Target += c.Target
			u.HasTarget = true
		}
		u.Admitted += c.Admitted
		u.Overdue += c.Overdue
		u.DueSoon += c.DueSoon
		for st, n := range c.ByStage {
			u.ByStage[st] += n
		}
		p, q := &u.Pipeline, c.Pipeline
		p.AwaitingCeremony += q.AwaitingCeremony
		p.DecisionInYear += q.DecisionInYear
		p.DecisionLater += q.DecisionLater
		p.DossierVerified += q.DossierVerified
		p.DossierUnverified += q.DossierUnverified
	}
	return out
}

// childOf is the id of the organization directly under path on the way to
// the organization at p ("/1/4/9/" under "/1/" is 4), 0 when p is not under it.
func childOf(p, path string) int64 {
	if len(p) <= len(path) || p[:len(path)] != path {
		return 0
	}
	rest := p[len(path):]
	var id int64
	for _, r := range rest {
		if r == '/' {
			return id
		}
		if r < '0' || r > '9' {
			return 0
		}
		id = id*10 + int64(r-'0')
	}
	return id
}
