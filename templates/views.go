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
	Name     string
	Role     string
	Scope    string
	CanAudit bool
	IsAdmin  bool
}

// NavItem is one entry of the main navigation.
type NavItem struct {
	Key, Label, Href string
}

// Nav returns the main navigation for the page.
func (p Page) Nav() []NavItem {
	if p.User == nil {
		return nil
	}
	items := []NavItem{{"tree", "Tổ chức", "/"}}
	if p.User.CanAudit {
		items = append(items, NavItem{"audit", "Nhật ký", "/nhat-ky"})
	}
	if p.User.IsAdmin {
		items = append(items, NavItem{"users", "Người dùng", "/quan-tri/nguoi-dung"}, NavItem{"orgs", "Tổ chức đảng", "/quan-tri/to-chuc"})
	}
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
	Candidates []CandidateRow
}

// CandidateRow is one candidate in a list.
type CandidateRow struct {
	Href      string
	Name      string
	BirthDate string
	Stage     string
	Closed    bool
}

// LoginView is the login form.
type LoginView struct {
	Username string
	Next     string
	Error    string
	Notice   string
}

// CandidateView is a candidate's page.
type CandidateView struct {
	Name      string
	CellName  string
	CellHref  string
	Stage     string
	Escalated bool
	Profile   []Pair
	Timeline  []TimelineRow
	Deadlines []DeadlineRow
	Checklist []CheckRow
}

// Pair is a label and its value.
type Pair struct{ Label, Value string }

// TimelineRow is one step on a candidate's timeline.
type TimelineRow struct {
	Date       string
	Label      string
	Form       string
	Outcome    string
	Failed     bool
	Details    []string
	RecordedBy string
	RecordedAt string
	Superseded bool
	Correction string
}

// DeadlineRow is one deadline of a candidate.
type DeadlineRow struct {
	Label       string
	Due         string
	Status      string
	StatusLabel string
}

// CheckRow is one document of the dossier and whether it is in.
type CheckRow struct {
	Document string
	Done     bool
}

// Option is one choice of a select.
type Option struct {
	Value    string
	Label    string
	Selected bool
}

// UsersView is the list of users.
type UsersView struct {
	Users []UserRow
	Saved string
}

// UserRow is one user in the list.
type UserRow struct {
	Href      string
	Username  string
	FullName  string
	Role      string
	Scope     string
	Active    bool
	LastLogin string
	Sessions  int
}

// UserForm creates or edits a user.
type UserForm struct {
	IsNew     bool
	Action    string
	Username  string
	FullName  string
	Active    bool
	Roles     []Option
	Orgs      []Option
	Error     string
	Errors    map[string]string
	ResetHref string
}

// SecretView shows a password once.
type SecretView struct {
	Title    string
	Username string
	Password string
	Back     string
}

// OrgsView is the organization administration page.
type OrgsView struct {
	Rows    []OrgAdminRow
	Parents []Option
	New     OrgForm
	Error   string
	Saved   string
}

// OrgForm is the values of a new organization.
type OrgForm struct {
	Name, Code string
	Errors     map[string]string
}

// OrgAdminRow is one organization with its edit form.
type OrgAdminRow struct {
	Action       string
	Name         string
	Code         string
	Kind         string
	Depth        int
	IsRoot       bool
	Intermediate bool
	Youth        bool
	Parents      []Option
}

// AuditView is the audit trail page.
type AuditView struct {
	Rows      []AuditRow
	Users     []Option
	Actions   []Option
	Candidate string
	From, To  string
	Total     int
	Page      int
	Pages     int
	PrevHref  string
	NextHref  string
	Error     string
}

// AuditRow is one audit event.
type AuditRow struct {
	At        string
	User      string
	Org       string
	Action    string
	Entity    string
	Before    string
	After     string
	IP        string
	RequestID string
}
