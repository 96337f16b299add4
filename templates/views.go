// Package templates renders ketnap's pages with templ. Templates receive view
// models shaped for display: dates already dd/mm/yyyy, labels in Vietnamese.
package templates

// Page is what the layout needs on every page.
type Page struct {
	Title   string
	CSS     string // content-hash URL of the stylesheet
	Icon    string // content-hash URL of the favicon
	PrintJS string // content-hash URL of the print view's script
	Active  string // key of the current navigation entry
	User    *UserView
	Flash   string
	Print   *PrintHead // the heading of a party document on the printed page
}

// PrintHead is the heading a printed page carries.
type PrintHead struct {
	Parent    string // the superior organization, upper case
	Org       string // upper case
	PlaceDate string // "Bình Ngọc, ngày 28 tháng 11 năm 2026"
	Filters   []string
	PrintedBy string
	Secret    bool // "MẬT"
	Preview   bool // the print view: the heading shows on screen and the print dialog opens
}

// UserView is the signed-in user, as the header shows them.
type UserView struct {
	Name      string
	Role      string
	Scope     string
	CanAudit  bool
	IsAdmin   bool
	CanTarget bool
	CanImport bool
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
	items := []NavItem{{"home", "Tổng quan", "/"}, {"queue", "Việc cần làm", "/viec-can-lam"}, {"candidates", "Quần chúng", "/quan-chung"}, {"tree", "Chi bộ", "/to-chuc"}}
	items = append(items, NavItem{"reports", "Báo cáo", "/bao-cao"}, NavItem{"targets", "Chỉ tiêu", "/chi-tieu"})
	if p.User.CanImport {
		items = append(items, NavItem{"import", "Nhập dữ liệu", "/nhap-du-lieu"})
	}
	if p.User.CanAudit {
		items = append(items, NavItem{"audit", "Nhật ký", "/nhat-ky"}, NavItem{"rules", "Quy tắc", "/quy-tac"}, NavItem{"vocab", "Danh mục", "/danh-muc"})
	}
	if p.User.IsAdmin {
		items = append(items, NavItem{"users", "Người dùng", "/quan-tri/nguoi-dung"}, NavItem{"orgs", "Tổ chức đảng", "/quan-tri/to-chuc"},
			NavItem{"holidays", "Ngày nghỉ", "/quan-tri/ngay-nghi"})
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
	Href        string
	Name        string
	Gender      string
	BirthDate   string
	Status      string
	StatusLabel string
	AdmittedOn  string
	OfficialOn  string
	Activity    string // working elsewhere or exempted, with since when; "" when active
}

// CellView is a cell's page.
type CellView struct {
	ID         int64
	CanManage  bool
	AddHref    string
	Name       string
	ParentName string
	ParentHref string
	Members    []MemberRow
	Official   int
	Probation  int
	Roll       string // the cell's roll today as a vote counts it
	XLSX, CSV  string
	Print      string // the lists laid out for A4
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
	ID          int64
	Error       string // a refusal of a step that has no form on the page
	Move        *MoveForm
	ProfileHref string
	Moves       []string
	Notice      string
	Forms       []StepForm
	Later       []LaterStep // steps not possible today: greyed, with why
	CanWrite    bool
	Name        string
	CellName    string
	CellHref    string
	Stage       string
	Escalated   bool
	State       FileStateView
	Warnings    []Pair // what will refuse a later step: the text and its citation
	Profile     []Pair
	Timeline    []TimelineRow
	Deadlines   []DeadlineRow
	Checklist   []CheckRow
	PrintHref   string
	Papers      []Link // every paper of the file, filled from it
	// MemberSearch, in a large committee, finds a member of another cell
	// for the pickers (which list the cell's own members)
	MemberSearch *MemberSearch
}

// QueueView is the work queue: files by horizon, with what each awaits.
type QueueView struct {
	Title     string
	Print     string // the queue laid out for A4
	Lead      string
	Total     int
	Summary   []Pair // what is awaited, and how many files
	Groups    []QueueGroup
	Truncated bool
}

// QueueGroup is the files of one horizon.
type QueueGroup struct {
	Key, Label string
	Items      []QueueItem
}

// QueueItem is one file in a queue.
type QueueItem struct {
	Href, Name, Cell, Who, Sentence string
	Warning                         string // the first condition that will refuse a later step
	Late                            bool
}

// LaterStep is a step this user may record, but not today.
type LaterStep struct {
	Kind, Label, Why, Opens string
}

// FileStateView is a file's state in words: who acts next and what is awaited.
type FileStateView struct {
	Who      string
	Sentence string
	IfLate   string
	Late     bool
	Citation string
}

// Pair is a label and its value.
type Pair struct{ Label, Value string }

// TimelineRow is one step on a candidate's timeline.
type TimelineRow struct {
	Index       int
	CorrectHref string // staff: the page that corrects this step
	Date        string
	Label       string
	Form        string
	Outcome     string
	Failed      bool
	Details     []string
	RecordedBy  string
	RecordedAt  string
	Superseded  bool
	Correction  string
	Papers      []Link // the papers printed from this step
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
	Rows        []AuditRow
	Users       []Option
	Actions     []Option
	Candidate   string
	Name        string
	Capped      bool   // more events than counted: Total is the count and one
	Chain       string // when the hash chain was last verified, and what it found
	ChainBroken bool
	From, To    string
	Total       int
	Page        int
	Pages       int
	PrevHref    string
	NextHref    string
	Error       string
}

// AuditRow is one audit event.
type AuditRow struct {
	Sentence  string // the action in words
	Href      string // the person's page
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

// CandidatesView is the candidate list with its filters.
type CandidatesView struct {
	XLSX, CSV string // the list with its filters, as a download
	Print     string // the list laid out for A4
	Query     string
	Orgs      []Option
	Stages    []Option
	Dues      []Option
	Rows      []CandidateListRow
	Total     int
	Capped    bool // more than Total-1: the count stopped
	Page      int
	Pages     int
	PrevHref  string
	NextHref  string
	CanAdd    bool
	Filtered  bool
	ShowCells bool
	CanBulk   bool // checkboxes to record one step for many
	// FilterFields carry the list's filter to the bulk form (Label: the
	// parameter's name), so "everyone the filter finds" can be chosen
	FilterFields []Option
}

// CandidateListRow is one candidate of the list.
type CandidateListRow struct {
	ID            int64
	Href          string
	Name          string
	Cell          string
	BirthDate     string
	Stage         string
	NextDue       string
	NextDueLabel  string
	NextDueStatus string
	NextDueWords  string // "Quá hạn", "Sắp đến hạn": the status in words, not only colour
	NextWho       string // who acts next
	NextWhat      string // what the file awaits
}

// CandidateForm is the new-candidate form, with what was typed and the errors.
type CandidateForm struct {
	Values  map[string]string
	Checks  map[string]bool
	Errors  map[string]string
	Error   string
	Orgs    []Option
	Edu     []Option
	Vocab   map[string]VocabChoice // by field: ethnicity, religion, education_professional, political_theory, occupation
	Token   string
	IsEdit  bool
	Title   string
	Action  string
	Back    string
	Version string
}

// VocabChoice is a select over a vocabulary: the common entries first, the
// others in a group after them.
type VocabChoice struct {
	Common     []Option
	Other      []Option
	OtherLabel string
}

// MemberOption is a member offered by a sponsor or helper picker, with why
// they cannot be chosen when they cannot.
type MemberOption struct {
	Value    string
	Label    string
	Group    string // the member's cell: the pickers group by it
	Disabled bool
	Selected bool
}

// StepForm is the form of one step that can be recorded now (or a correction).
type StepForm struct {
	Kind           string
	Label          string
	FormNo         string
	Citation       string
	Action         string
	Open           bool
	Token          string
	Version        string
	IsCorrection   bool
	Fields         map[string]bool
	Required       map[string]bool
	Values         map[string]string
	Errors         map[string]string
	Error          string
	DateLabel      string
	DocLabel       string
	IssuerLabel    string
	Helpers        []MemberOption
	Sponsors       [2][]MemberOption
	Routes         []Option
	Relations      [2][]Option
	IneligibleNote string
	Roll           string // where a cell vote's eligible number comes from
	YesNeeded      string
}

// MemberForm adds or edits a member.
type MemberForm struct {
	Title         string
	Action        string
	Back          string
	IsNew         bool
	Values        map[string]string
	Errors        map[string]string
	Error         string
	Notice        string
	Cells         []Option
	Genders       []Option
	Edu           []Option
	Vocab         map[string]VocabChoice
	DatesEditable bool // a member entered directly: the dates are theirs to correct
	AskDistinct   bool // the identity matches a candidate: confirm another person
	Status        string
	Activity      string
	ProbationEnd  string
	CandidateHref string
	Events        []string
	EventForm     *MemberEventForm
}

// MemberEventForm records a change of a member's status (staff).
type MemberEventForm struct {
	Action string
	Kinds  []Option
	Values map[string]string
	Errors map[string]string
}

// TargetsView is the targets page of one year.
type TargetsView struct {
	Year     int
	Years    []Option
	Rows     []TargetRow
	Total    TargetRow
	Forecast bool // the current year: the open files are weighed
	RolledUp bool // one row per unit under the scope (a province's wards): targets are set in each ward
	CanEdit  bool
	Saved    bool
	Error    string
	XLSX     string
	CSV      string
}

// TargetRow is one cell's target, admissions and forecast.
type TargetRow struct {
	Name       string
	Field      string
	Value      string
	Admitted   int
	Likely     int
	Possible   int
	AtRisk     int
	Class      string
	ClassLabel string
	Error      string
}

// DashboardView is the home page: per-cell progress for the committee, or
// what is due for a cell.
type DashboardView struct {
	Title       string
	Year        int
	Cells       []DashCell
	Chart       Chart
	Stages      []string
	Totals      DashCell
	Due         []CandidateListRow
	IsCell      bool
	CellHref    string
	Today       string
	CellTarget  *TargetRow // a cell's own target and forecast
	LastVisit   string
	Changes     []Link // what others recorded since the last visit
	MoreChanges int
	MoreCapped  bool // more changes than counted
}

// DashCell is one cell's row of the dashboard.
type DashCell struct {
	Name        string
	Href        string
	Target      string
	Admitted    int
	Percent     string
	ByStage     []int
	Overdue     int
	DueSoon     int
	OverdueHref string
	Forecast    string // the forecast's verdict in words
	Class       string
}

// Chart is a server-rendered horizontal bar chart of admissions against targets.
type Chart struct {
	Width, Height int
	Bars          []ChartBar
	Summary       string
	Note          string // which units are drawn, when not all
}

// ChartBar is one cell's bars.
type ChartBar struct {
	Label              string
	Y                  int
	TargetW, AdmittedW int
	TextX              int
	Text               string
}

// HolidaysView is the holiday calendar of one year.
type HolidaysView struct {
	Year   int
	Years  []Option
	Rows   []HolidayRow
	Day    string
	Name   string
	Errors map[string]string
	Saved  string
}

// HolidayRow is one day off.
type HolidayRow struct {
	Day       string
	Weekday   string
	Name      string
	Generated bool
}

// RuleSetsView lists the rule sets and their parameters.
type RuleSetsView struct {
	Sets    []RuleSetView
	NewHref string // set when the user may add a rule set
}

// RuleSetForm adds a rule set; Fields list the parameters (Value is the field name).
type RuleSetForm struct {
	Values    map[string]string
	Errors    map[string]string
	Error     string
	Fields    []Option
	Previewed bool
	Impacts   []RuleSetImpact
}

// RuleSetImpact is an open file a new rule set would change.
type RuleSetImpact struct {
	Href, Name, Cell, Changes string
}

// RuleSetView is one rule set.
type RuleSetView struct {
	Code     string
	From     string
	Citation string
	InForce  bool
	Params   []Pair
}

// PasswordView is the change-password form.
type PasswordView struct {
	Notice string
	Errors map[string]string
}

// MoveForm moves a candidate to another cell.
type MoveForm struct {
	Action string
	Cells  []Option
	Reason string
	Errors map[string]string
	Open   bool
}

// CorrectionView is the page that corrects one recorded step.
type CorrectionView struct {
	Name    string
	Back    string
	Step    string
	Details []string
	Form    StepForm
}

// VocabView is the page of the vocabularies.
type VocabView struct {
	Groups    []VocabGroup
	Unmatched []UnmatchedRow
	CanAdd    bool
	Saved     bool
	Form      VocabForm
}

// VocabGroup is one vocabulary.
type VocabGroup struct {
	Kind    string
	Label   string
	Entries []VocabItem
}

// VocabItem is one entry.
type VocabItem struct {
	Label  string
	Common bool
}

// UnmatchedRow is a stored value outside its vocabulary.
type UnmatchedRow struct {
	Kind, Value         string
	Candidates, Members int
	Href                string
}

// VocabForm adds an entry.
type VocabForm struct {
	Values map[string]string
	Errors map[string]string
	Error  string
	Kinds  []Option
}

// ReportLine is one row of a report table; hrefs open the people counted.
type ReportLine struct {
	Label      string
	Heading    bool
	Indent     int
	Now        string
	NowHref    string
	NowWomen   string
	Prior      string
	PriorHref  string
	PriorWomen string
	Ratio      string
}

// UnitLine is one unit's admissions in the period.
type UnitLine struct {
	Name, Href, N, Women, Minority, Youth string
}

// ReportView is the period report.
type ReportView struct {
	OrgName     string
	Period      string
	LastPeriod  string
	Basis       string
	ByCeremony  bool
	Made        string
	Error       string
	Orgs        []Option
	Periods     []Option
	Rows        []ReportLine
	Ethnicity   []ReportLine
	Religion    []ReportLine
	Stages      []Pair
	Pipeline    []Pair
	UnitHeading string
	Units       []UnitLine
	XLSX, CSV   string
	Print       string
}

// ReportListView lists the people one number counts.
type ReportListView struct {
	Title, OrgName, Period, Basis, Back string
	XLSX, CSV                           string
	Header                              []string
	Rows                                [][]string
}

// Link is a line that opens a page.
type Link struct{ Href, Label string }

// PaperView is an official paper printed from a candidate's file.
type PaperView struct {
	Title, CSS, Icon, PrintJS string
	Back, BackLabel           string
	ToggleHref                string // the same paper with the "MẬT" mark toggled
	Others                    []Link // the paper for another sponsor or vote
	Secret                    bool
	Form                      string // "6-KNĐ" (tests and the browser find the paper by it)
	FormCode                  string // "Mẫu 6-KNĐ", top right
	Parent, Org               string // the issuing organization's heading, upper case; "" on a person's paper
	Number                    []PaperPart
	PlaceDate                 []PaperPart
	Heading, Subheading       string
	InfoNote                  string // a "phiếu thông tin" says what it is
	Body                      []PaperBlock
	Signs                     []PaperSign
	Recipients                []string // "Nơi nhận"; nil on a person's paper
	PrintedBy                 string
}

// PaperPart is a run of a paper's text: fixed wording, a fact filled from
// the file, or a dotted blank to fill by hand (Text is then its width in dots).
type PaperPart struct {
	Text  string
	Fill  bool
	Blank bool
}

// PaperBlock is a paragraph ("p"), a labelled fact ("row"), a sub-heading
// ("h") or ruled lines to write on ("lines").
type PaperBlock struct {
	Kind   string
	Label  string
	Parts  []PaperPart
	Lines  int
	TestID string
}

// PaperSign is a signature block: "T/M CHI BỘ" / "BÍ THƯ" / the name.
type PaperSign struct{ For, Title, Name string }

// blankOf is the dotted run of a blank part.
func blankOf(p PaperPart) string {
	if p.Text != "" {
		return p.Text
	}
	return "…………………"
}

// ImportView is the import page.
type ImportView struct {
	Token   string
	Error   string
	Done    string
	Preview *ImportPreview
}

// ImportPreview is what an upload would do.
type ImportPreview struct {
	ID                   int64
	File                 string
	Create, Update, Same int
	ProblemCount         int
	Problems             []ImportProblemRow
	Changes              []ImportChangeRow
	ErrorsHref           string
	CanApply, Applied    bool
}

// ImportProblemRow is one problem of an upload, where it is.
type ImportProblemRow struct{ Sheet, Line, Column, Message string }

// ImportChangeRow is one row an import creates or updates.
type ImportChangeRow struct{ Sheet, Line, Name, Action, Before, After string }

// BulkView is the result of one step recorded for many candidates.
type BulkView struct {
	Step              string
	Error             string
	Back              string
	Recorded, Refused []BulkRow
}

// BulkRow is one person of a bulk step.
type BulkRow struct{ Name, Href, Why string }

// BulkFormView is the form that records one step for the chosen candidates.
type BulkFormView struct {
	Token   string
	Kinds   []Option
	People  []BulkPerson
	Missing int // chosen, but not found in scope
}

// BulkPerson is one chosen candidate, with their own document number.
type BulkPerson struct {
	ID         int64
	Name, Cell string
}

// MemberSearch is the search that adds members of other cells to a file's pickers.
type MemberSearch struct{ Action, Query string }
