package admission

import (
	"context"
	"time"
)

// Forms that fit the moment: a step's form is offered when the step could
// be recorded today with sensible values; one that cannot is shown greyed
// with why, and the day it opens when that is known (the recognition vote
// opens when the probation ends).

// Offer is one step a user may record on a file, and whether it can be
// recorded today.
type Offer struct {
	Def     StepDef
	Open    bool      // recording it today with sensible values would be accepted
	OpensOn time.Time // when it opens, if known and later
	Why     string    // why not now (the engine's refusal)
}

// Offers judges, for the user, each step possible next on a file: it runs
// the rules on sensible values dated today and writes nothing.
func (s *Service) Offers(ctx context.Context, a Actor, candidateID int64) ([]Offer, error) {
	var out []Offer
	err := s.DB.InTx(ctx, func(st Store) error {
		fl, err := s.openFile(ctx, st, a, candidateID)
		if err != nil {
			return err
		}
		base, org := fl.base, fl.org
		h := newHistory(base.Steps)
		for _, def := range Possible(base) {
			if !CanRecord(a, def, org.Path) {
				continue
			}
			if cert, ok := h.lastOf(AwarenessClass); ok && def.Kind == AwarenessClass {
				// a retake is for a certificate that expires before the vote can be held
				exp := AddMonths(cert.OccurredOn, base.RuleSets.ParamsOn(cert.OccurredOn).CertificateValidityMonths)
				if exp.After(AddMonths(base.Today, 6)) {
					out = append(out, Offer{Def: def, Why: "Giấy chứng nhận đã có còn giá trị đến " + FormatDate(exp) + "; chỉ học lại khi giấy sắp hết hạn mà chi bộ chưa biểu quyết."})
					continue
				}
			}
			in, f, err := s.sample(ctx, st, &fl, def)
			if err != nil {
				return err
			}
			o := Offer{Def: def, Open: true}
			if _, err := Evaluate(in, f); err != nil {
				o.Open, o.Why = false, MessageOf(err)
				if def.Kind == RecognitionResolution {
					if end := ProbationEnd(f.Steps, f.RuleSets); end.After(f.Today) {
						o.OpensOn = end
					}
				}
			}
			out = append(out, o)
		}
		return nil
	})
	return out, err
}

// SampleInput is what a careful user would type today in the form of step
// kind k on a file (the offers are judged on it; tests record it).
func (s *Service) SampleInput(ctx context.Context, a Actor, candidateID int64, k Kind) (StepInput, error) {
	var in StepInput
	err := s.DB.InTx(ctx, func(st Store) error {
		fl, err := s.openFile(ctx, st, a, candidateID)
		if err != nil {
			return err
		}
		def, ok := Def(k)
		if !ok {
			return ErrNotFound
		}
		in, _, err = s.sample(ctx, st, &fl, def)
		return err
	})
	return in, err
}

// openedFile is a file read for the offers: the candidate, its cell, the
// facts with no step input, and the members a sponsor may be.
type openedFile struct {
	c         Candidate
	org       Organization
	base      Facts
	committee []Member
	loaded    bool
	roll      []Member // the cell's roll, once a vote's sample read it
}

// openFile reads a file in the actor's scope without locking it: the
// offers write nothing.
func (s *Service) openFile(ctx context.Context, st Store, a Actor, id int64) (openedFile, error) {
	var fl openedFile
	var err error
	if fl.c, err = st.Candidate(ctx, id, a.ScopePath); err != nil {
		return fl, err
	}
	if fl.org, err = st.Organization(ctx, fl.c.OrganizationID, a.ScopePath); err != nil {
		return fl, err
	}
	fl.base, err = s.fileFacts(ctx, st, fl.c, fl.org)
	return fl, err
}

// members returns the members a sample helper or sponsor is drawn from,
// read once and only for a form that needs them: the cell's own roll when
// it has the two officials a sample needs (a ward of thousands is not read
// for every view of a file), else the whole committee.
func (fl *openedFile) members(ctx context.Context, st Store) ([]Member, error) {
	if fl.loaded {
		return fl.committee, nil
	}
	cell, err := st.RollMembers(ctx, fl.org.ID)
	if err != nil {
		return nil, err
	}
	officials := 0
	for _, m := range cell {
		if m.IsOfficialOn(fl.base.Today) && (fl.c.PersonID == 0 || m.PersonID != fl.c.PersonID) {
			officials++
		}
	}
	if officials >= 2 {
		fl.committee = cell
	} else if fl.committee, err = st.CommitteeMembers(ctx, fl.org.CommitteePath()); err != nil {
		return nil, err
	}
	fl.loaded = true
	return fl.committee, nil
}

// sample is the sensible input of a step and the facts it is judged on.
func (s *Service) sample(ctx context.Context, st Store, fl *openedFile, def StepDef) (StepInput, Facts, error) {
	var members []Member
	if def.Has(FieldHelper) || def.Has(FieldRoute) {
		var err error
		if members, err = fl.members(ctx, st); err != nil {
			return StepInput{}, Facts{}, err
		}
	}
	in := sampleInput(def, fl.base, members)
	f := fl.base
	if err := inputFacts(ctx, st, &f, in, members, &fl.roll); err != nil {
		return in, f, err
	}
	if def.Vote && f.Roll != nil {
		in.VotesYes = f.Roll.MaxEligible() // everyone present votes yes
	} else if def.Vote {
		in.VotesYes = in.VotesEligible
	}
	return in, f, nil
}

// sampleInput is what a careful user would type in a step's form today.
func sampleInput(def StepDef, f Facts, committee []Member) StepInput {
	today := f.Today
	in := StepInput{Kind: def.Kind, OccurredOn: today, DocumentNo: "1", IssuedBy: "Đảng ủy", ApprovalRef: "1", Note: "Lý do", Outcome: OutcomePassed}
	if def.Has(FieldReceivedOn) {
		in.ReceivedOn = today
	}
	var officials []Member
	for _, m := range committee {
		if m.IsOfficialOn(today) && (f.Candidate.PersonID == 0 || m.PersonID != f.Candidate.PersonID) {
			officials = append(officials, m)
		}
	}
	for _, m := range officials {
		if m.OrganizationID == f.Org.ID {
			in.HelperMemberID = m.ID
			break
		}
	}
	if def.Vote {
		if def.Level != LevelCommittee {
			in.VotesFromRoll = true
		} else {
			in.VotesEligible = 1
		}
	}
	if def.Has(FieldRoute) {
		in.Route = RouteTwoSponsors
		p := f.RuleSets.ParamsOn(today)
		if years := FullMonths(f.Candidate.BirthDate, today) / 12; p.YouthRouteRequired && f.Org.HasYouthUnion && years <= p.YouthAgeMaxYears {
			in.Route = RouteYouthUnion
		}
		n := 2
		if in.Route != RouteTwoSponsors {
			n = 1
		}
		for _, m := range officials {
			if len(in.Sponsors) == n {
				break
			}
			in.Sponsors = append(in.Sponsors, Sponsor{MemberID: m.ID, KnownSince: today.AddDate(-3, 0, 0), Relation: RelationLived})
		}
	}
	return in
}
