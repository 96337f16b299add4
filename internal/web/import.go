package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"ketnap/internal/admission"
	"ketnap/templates"
)

// How many changes and problems a preview lists on the page (all are in
// the downloadable sheet of errors).
const (
	previewChanges  = 300
	previewProblems = 500
)

// importPage is the import: the template, the upload form, and with
// ?tep=N the preview of an upload (?tep=N&loi=xlsx: its sheet of errors).
func (s *Server) importPage(w http.ResponseWriter, r *http.Request) {
	v := templates.ImportView{Token: newToken()}
	id, _ := strconv.ParseInt(r.URL.Query().Get("tep"), 10, 64)
	if id != 0 {
		a, _ := s.actor(r)
		u, err := s.Svc.UploadOf(r.Context(), a, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		f, problems, res, err := s.judgeUpload(r, u)
		if err != nil {
			v.Error = err.Error()
			s.render(w, r, http.StatusUnprocessableEntity, templates.ImportPage(s.page(r, "Nhập dữ liệu", "import"), v))
			return
		}
		if r.URL.Query().Get("loi") == "xlsx" {
			s.errorSheet(w, r, u, f, append(problems, res.Problems...))
			return
		}
		v.Preview = previewOf(u, problems, res)
		if n := r.URL.Query().Get("da-nhap"); n != "" {
			v.Done = "Đã nhập xong tệp “" + u.Name + "”: " + n + "."
			v.Preview = nil
		}
	}
	s.render(w, r, http.StatusOK, templates.ImportPage(s.page(r, "Nhập dữ liệu", "import"), v))
}

// judgeUpload reads a kept upload and runs its import without writing.
func (s *Server) judgeUpload(r *http.Request, u admission.Upload) (admission.ImportFile, []admission.ImportProblem, admission.ImportResult, error) {
	a, _ := s.actor(r)
	f, problems, err := readImport(u.Name, u.Data, u.Encoding)
	if err != nil {
		return f, nil, admission.ImportResult{}, err
	}
	res, err := s.Svc.Import(r.Context(), a, f, u.ID, false)
	return f, problems, res, err
}

// previewOf shows what an upload would do.
func previewOf(u admission.Upload, problems []admission.ImportProblem, res admission.ImportResult) *templates.ImportPreview {
	p := &templates.ImportPreview{ID: u.ID, File: u.Name, Applied: u.Applied, ErrorsHref: fmt.Sprintf("/nhap-du-lieu?tep=%d&loi=xlsx", u.ID)}
	p.Create, p.Update, p.Same = res.Counts()
	all := append(append([]admission.ImportProblem{}, problems...), res.Problems...)
	p.ProblemCount = len(all)
	for i, pr := range all {
		if i == previewProblems {
			break
		}
		line := ""
		if pr.Line > 0 {
			line = strconv.Itoa(pr.Line)
		}
		p.Problems = append(p.Problems, templates.ImportProblemRow{Sheet: pr.Sheet, Line: line, Column: pr.Column, Message: pr.Message})
	}
	for _, c := range res.Changes {
		if c.Action == "same" || len(p.Changes) == previewChanges {
			continue
		}
		p.Changes = append(p.Changes, templates.ImportChangeRow{Sheet: c.Sheet, Line: strconv.Itoa(c.Line), Name: c.Name,
			Action: map[string]string{"create": "Tạo mới", "update": "Cập nhật"}[c.Action], Before: c.Before, After: c.After})
	}
	p.CanApply = len(all) == 0 && p.Create+p.Update > 0 && !u.Applied
	return p
}

// upload keeps an uploaded file and shows its preview.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	a, _ := s.actor(r)
	fail := func(status int, msg string) {
		s.render(w, r, status, templates.ImportPage(s.page(r, "Nhập dữ liệu", "import"), templates.ImportView{Token: newToken(), Error: msg}))
	}
	limit := s.importLimit()
	r.Body = http.MaxBytesReader(w, r.Body, limit+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fail(http.StatusRequestEntityTooLarge, fmt.Sprintf("Tệp lớn hơn %d MB: chia thành nhiều tệp nhỏ hơn.", limit>>20))
			return
		}
		fail(http.StatusUnprocessableEntity, "Chọn một tệp Excel (.xlsx) hoặc CSV để tải lên.")
		return
	}
	defer r.MultipartForm.RemoveAll()
	file, head, err := r.FormFile("tep")
	if err != nil {
		fail(http.StatusUnprocessableEntity, "Chọn một tệp Excel (.xlsx) hoặc CSV để tải lên.")
		return
	}
	defer file.Close()
	if head.Size > limit {
		fail(http.StatusRequestEntityTooLarge, fmt.Sprintf("Tệp lớn hơn %d MB: chia thành nhiều tệp nhỏ hơn.", limit>>20))
		return
	}
	data, err := io.ReadAll(io.LimitReader(file, limit+1))
	if err != nil || int64(len(data)) > limit {
		fail(http.StatusRequestEntityTooLarge, fmt.Sprintf("Tệp lớn hơn %d MB: chia thành nhiều tệp nhỏ hơn.", limit>>20))
		return
	}
	enc := r.FormValue("bang-ma")
	if enc != encCP1258 && enc != encTCVN3 {
		enc = encUTF8
	}
	// a file that cannot be read at all is said so at once, and not kept
	f, _, err := readImport(head.Filename, data, enc)
	if err != nil {
		fail(http.StatusUnprocessableEntity, err.Error())
		return
	}
	id, err := s.Svc.StageUpload(r.Context(), a, admission.Upload{Name: head.Filename, SHA256: f.SHA256, Encoding: enc, Data: data})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/nhap-du-lieu?tep=%d", id), http.StatusSeeOther)
}

// applyImport applies a previewed upload: all of it in one transaction, or nothing.
func (s *Server) applyImport(w http.ResponseWriter, r *http.Request) {
	a, _ := s.actor(r)
	id, _ := strconv.ParseInt(r.PostFormValue("tep"), 10, 64)
	if id == 0 {
		s.render(w, r, http.StatusUnprocessableEntity, templates.ImportPage(s.page(r, "Nhập dữ liệu", "import"), templates.ImportView{Token: newToken(), Error: "Không có tệp nào để nhập: tải tệp lên trước."}))
		return
	}
	u, err := s.Svc.UploadOf(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, problems, err := readImport(u.Name, u.Data, u.Encoding)
	if err != nil || len(problems) > 0 {
		http.Redirect(w, r, fmt.Sprintf("/nhap-du-lieu?tep=%d", id), http.StatusSeeOther)
		return
	}
	res, err := s.Svc.Import(r.Context(), a, f, u.ID, true)
	if admission.Submitted(err) || u.Applied {
		http.Redirect(w, r, fmt.Sprintf("/nhap-du-lieu?tep=%d&da-nhap=%s", id, "tệp này đã được nhập trước đó"), http.StatusSeeOther)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !res.Applied {
		// something changed since the preview: show what is wrong now
		http.Redirect(w, r, fmt.Sprintf("/nhap-du-lieu?tep=%d", id), http.StatusSeeOther)
		return
	}
	c, up, same := res.Counts()
	http.Redirect(w, r, fmt.Sprintf("/nhap-du-lieu?tep=%d&da-nhap=%s", id, fmt.Sprintf("%d dòng tạo mới, %d dòng cập nhật, %d dòng không đổi", c, up, same)), http.StatusSeeOther)
}

// importTemplate downloads the template workbook.
func (s *Server) importTemplate(w http.ResponseWriter, r *http.Request) {
	x, err := templateBook()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeBook(w, r, s, x, "mau-nhap-du-lieu-ketnap.xlsx")
}

func writeBook(w http.ResponseWriter, r *http.Request, s *Server, x *excelize.File, name string) {
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, _ = w.Write(buf.Bytes())
}

// errorSheet downloads the uploaded rows again, each with its problems in
// an added column "Lỗi", so they can be corrected in Excel.
func (s *Server) errorSheet(w http.ResponseWriter, r *http.Request, u admission.Upload, f admission.ImportFile, problems []admission.ImportProblem) {
	byRow := map[string]map[int][]string{}
	for _, p := range problems {
		if byRow[p.Sheet] == nil {
			byRow[p.Sheet] = map[int][]string{}
		}
		msg := p.Message
		if p.Column != "" {
			msg = p.Column + ": " + msg
		}
		byRow[p.Sheet][p.Line] = append(byRow[p.Sheet][p.Line], msg)
	}
	x, err := tablesBook(f.Tables, byRow)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, _ := s.actor(r)
	if err := s.Svc.RecordExport(r.Context(), a, a.ScopeOrgID, admission.ExportXLSX, "loi-nhap-du-lieu", map[string]string{"tep": itoa(u.ID)}); err != nil {
		s.fail(w, r, err)
		return
	}
	writeBook(w, r, s, x, "loi-"+admission.Slug(u.Name)+".xlsx")
}

// tablesBook writes tables in the import's layout; with errors, each row
// gets its problems in an added column "Lỗi".
func tablesBook(tables []admission.ImportTable, errors map[string]map[int][]string) (*excelize.File, error) {
	x := excelize.NewFile()
	text, _ := x.NewStyle(&excelize.Style{NumFmt: 49})
	for i, t := range tables {
		sh, _ := admission.SheetByName(t.Sheet)
		if i == 0 {
			if err := x.SetSheetName("Sheet1", t.Sheet); err != nil {
				return nil, err
			}
		} else if _, err := x.NewSheet(t.Sheet); err != nil {
			return nil, err
		}
		head := []any{}
		for _, c := range sh.Columns {
			head = append(head, c.Header)
		}
		if errors != nil {
			head = append(head, "Lỗi")
		}
		last, _ := excelize.ColumnNumberToName(len(head))
		_ = x.SetColStyle(t.Sheet, "A:"+last, text)
		if err := x.SetSheetRow(t.Sheet, "A1", &head); err != nil {
			return nil, err
		}
		for j, row := range t.Rows {
			vals := []any{}
			for _, c := range sh.Columns {
				vals = append(vals, row.Cells[c.Key])
			}
			if errors != nil {
				vals = append(vals, strings.Join(errors[t.Sheet][row.Line], "\n"))
			}
			cell, _ := excelize.CoordinatesToCellName(1, j+2)
			if err := x.SetSheetRow(t.Sheet, cell, &vals); err != nil {
				return nil, err
			}
		}
		_ = x.SetColWidth(t.Sheet, "A", last, 18)
	}
	return x, nil
}

// importExport downloads the scope's records in the import's layout.
func (s *Server) importExport(w http.ResponseWriter, r *http.Request) {
	a, _ := s.actor(r)
	ctx := r.Context()
	root, err := s.DB.Organization(ctx, a.ScopeOrgID, a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tree, err := s.DB.OrgList(ctx, a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	orgs := make([]admission.Organization, 0, len(tree))
	for _, o := range tree {
		orgs = append(orgs, o.Organization)
	}
	members, cands, keys, err := s.DB.ScopeData(ctx, a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ids := make([]int64, len(cands))
	for i, c := range cands {
		ids[i] = c.ID
	}
	steps, err := s.DB.StepsOf(ctx, ids)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	x, err := tablesBook(admission.ExportTables(root, orgs, members, cands, keys, steps), nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Svc.RecordExport(ctx, a, root.ID, admission.ExportXLSX, "du-lieu-theo-mau-nhap", nil); err != nil {
		s.fail(w, r, err)
		return
	}
	writeBook(w, r, s, x, "du-lieu-"+admission.Slug(root.Name)+"-"+s.today().Format("2006-01-02")+".xlsx")
}

// importLimit is the largest file an import takes.
func (s *Server) importLimit() int64 {
	if s.ImportMaxBytes > 0 {
		return s.ImportMaxBytes
	}
	return maxImportBytes
}
