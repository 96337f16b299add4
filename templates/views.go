// Package templates renders ketnap's pages with templ. Templates receive view
// models shaped for display: dates already dd/mm/yyyy, labels in Vietnamese.
package templates

// Page is what the layout needs on every page.
type Page struct {
	Title  string
	CSS    string // content-hash URL of the stylesheet
	Active string // key of the current navigation entry
	User   *UserView
	Flash  string
}

// UserView is the signed-in user, as the header shows them.
type UserView struct {
	Name  string
	Role  string
	Scope string
}

// NavItem is one entry of the main navigation.
type NavItem struct {
	Key, Label, Href string
}

// Nav returns the main navigation for the page.
func (p Page) Nav() []NavItem {
	items := []NavItem{{"tree", "Tổ chức", "/"}}
	return items
}

// OrgRow is one organization of the tree page.
type OrgRow struct {
	ID           int64
	Name         string
	Href         string
	IsCell       bool
	Depth        int
	Official     int
	Probationary int
	Candidates   int
}

// TreeView is the organization tree page.
type TreeView struct {
	Root       OrgRow
	Cells      []OrgRow
	Official   int
	Probation  int
	Candidates int
}

// MemberRow is one member on a cell page.
type MemberRow struct {
	Name        string
	Gender      string
	BirthDate   string
	Status      string
	StatusLabel string
	AdmittedOn  string
	OfficialOn  string
}

// CellView is a cell's page.
type CellView struct {
	Name       string
	ParentName string
	ParentHref string
	Members    []MemberRow
	Official   int
	Probation  int
}
