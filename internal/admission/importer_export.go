package admission

import "strconv"

// ExportTables lays out a scope's records in the import's sheets, so that
// importing the export back changes nothing: organizations below root,
// members on the roll, candidates, and the candidates' effective steps
// (the closing steps — withdrawal, removal, transfer — are left out: they
// carry a reason the layout has no column for).
func ExportTables(root Organization, orgs []Organization, members []Member, cands []Candidate, keys []string, steps map[int64][]Step) []ImportTable {
	code := map[int64]string{root.ID: ""}
	for _, o := range orgs {
		code[o.ID] = o.Code
	}
	var t [4]ImportTable
	for i, name := range []string{SheetOrgs, SheetMembers, SheetCandidates, SheetSteps} {
		t[i].Sheet = name
	}
	line := func(i int) int { return len(t[i].Rows) + 2 }
	for _, o := range orgs {
		if o.ID == root.ID {
			continue
		}
		kind := "Đảng bộ"
		if o.Kind == KindCell {
			kind = "Chi bộ"
		}
		t[0].Rows = append(t[0].Rows, ImportRow{Line: line(0), Cells: map[string]string{"code": o.Code, "name": o.Name, "kind": kind, "parent_id": code[o.ParentID]}})
	}
	memberKey := map[int64]string{}
	for _, m := range members {
		memberKey[m.ID] = MemberSheetKey(m)
		status := "Dự bị"
		if m.Status == MemberOfficial {
			status = "Chính thức"
		}
		t[1].Rows = append(t[1].Rows, ImportRow{Line: line(1), Cells: map[string]string{"key": memberKey[m.ID], "full_name": m.FullName, "gender": genderWord(m.Gender),
			"birth_date": FormatDate(m.BirthDate), "ethnicity": m.Ethnicity, "religion": m.Religion, "education_general": EducationLabels[m.EducationGeneral],
			"admitted_on": FormatDate(m.AdmittedOn), "ceremony_on": FormatDate(m.CeremonyOn), "official_on": FormatDate(m.OfficialOn), "status": status,
			"organization_id": code[m.OrganizationID]}})
	}
	keyOf := func(id int64) string {
		if k, ok := memberKey[id]; ok {
			return k
		}
		return exportMemberKey + strconv.FormatInt(id, 10)
	}
	for i, c := range cands {
		key := CandidateSheetKey(c, keys[i])
		t[2].Rows = append(t[2].Rows, ImportRow{Line: line(2), Cells: map[string]string{"key": key, "full_name": c.FullName, "gender": genderWord(c.Gender),
			"birth_date": FormatDate(c.BirthDate), "ethnicity": c.Ethnicity, "religion": c.Religion, "education_general": EducationLabels[c.EducationGeneral],
			"education_professional": c.EducationProfessional, "occupation": c.Occupation, "youth_union": yesWord(c.YouthUnion), "trade_union": yesWord(c.TradeUnion),
			"organization_id": code[c.OrganizationID]}})
		for _, x := range Effective(steps[c.ID]) {
			def, ok := Def(x.Kind)
			if !ok || def.Terminal {
				continue
			}
			row := map[string]string{"candidate": key, "kind": def.Label, "occurred_on": FormatDate(x.OccurredOn), "document_no": x.DocumentNo, "issued_by": x.IssuedBy}
			if !x.ReceivedOn.IsZero() {
				row["received_on"] = FormatDate(x.ReceivedOn)
			}
			if def.Vote {
				row["votes_eligible"], row["votes_yes"] = strconv.Itoa(x.VotesEligible), strconv.Itoa(x.VotesYes)
			}
			if x.Kind == Verification {
				row["outcome"] = map[string]string{OutcomePassed: "Đạt", OutcomeFailed: "Không đạt"}[x.Outcome]
			}
			if x.HelperMemberID != 0 {
				row["helper_member_id"] = keyOf(x.HelperMemberID)
			}
			if def.Has(FieldRoute) {
				row["route"] = map[string]string{RouteTwoSponsors: "Hai đảng viên", RouteYouthUnion: "Đoàn", RouteTradeUnion: "Công đoàn"}[x.Route]
				for j, sp := range x.Sponsors {
					if j < 2 {
						row["sponsor"+strconv.Itoa(j+1)] = keyOf(sp.MemberID)
						row["relation"] = map[string]string{RelationWorked: "cùng công tác", RelationStudied: "cùng học tập", RelationLived: "cùng cư trú"}[sp.Relation]
						row["known_since"] = FormatDate(sp.KnownSince)
					}
				}
			}
			t[3].Rows = append(t[3].Rows, ImportRow{Line: line(3), Cells: row})
		}
	}
	return t[:]
}

func genderWord(g string) string {
	if g == Female {
		return "Nữ"
	}
	return "Nam"
}

func yesWord(b bool) string {
	if b {
		return "Có"
	}
	return "Không"
}
