package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"

	"ketnap/internal/admission"
)

// Limits of an import file.
const (
	maxImportBytes = 10 << 20 // the default; KETNAP_IMPORT_MAX_MB changes it
	maxImportRows  = 50000
	helpSheet      = "Hướng dẫn"
)

// Encodings a CSV may come in.
const (
	encUTF8   = "utf-8"
	encCP1258 = "cp1258"
	encTCVN3  = "tcvn3"
)

// readImport reads an uploaded workbook (XLSX) or sheet (CSV) into the
// import's tables. Problems of the file's form (a hidden sheet, merged
// cells, a formula, an unknown column) are reported with where they are;
// an error is a file that cannot be read at all, in Vietnamese.
func readImport(name string, data []byte, encoding string) (admission.ImportFile, []admission.ImportProblem, error) {
	sum := sha256.Sum256(data)
	f := admission.ImportFile{Name: name, SHA256: hex.EncodeToString(sum[:])}
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return f, nil, errors.New("Tệp trống: không có dòng dữ liệu nào.")
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return f, nil, errors.New("Đây là tệp Excel 97-2003 (.xls): mở bằng Excel, chọn Lưu thành (Save As) “Sổ làm việc Excel (.xlsx)” rồi tải lên tệp mới.")
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return readXLSX(f, data)
	}
	return readCSV(f, data, encoding)
}

func readXLSX(f admission.ImportFile, data []byte) (admission.ImportFile, []admission.ImportProblem, error) {
	// a zip bomb stops at the limits instead of filling the memory
	x, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 200 << 20, UnzipXMLSizeLimit: 64 << 20})
	if err != nil {
		return f, nil, errors.New("Không đọc được tệp: đây không phải bảng tính Excel (.xlsx) hợp lệ, hoặc tệp đã hỏng, hoặc có mật khẩu.")
	}
	defer x.Close()
	var problems []admission.ImportProblem
	rows := 0
	for _, name := range x.GetSheetList() {
		if name == helpSheet {
			continue
		}
		if visible, _ := x.GetSheetVisible(name); !visible {
			problems = append(problems, admission.ImportProblem{Sheet: name, Message: "Trang tính này đang ẩn: hiện trang (Unhide) để kiểm tra nội dung, hoặc xóa nó, rồi tải lên lại."})
			continue
		}
		sheet, known := admission.SheetByName(name)
		if !known {
			problems = append(problems, admission.ImportProblem{Sheet: name, Message: "Trang tính này không có trong mẫu (Tổ chức, Đảng viên, Quần chúng, Quá trình): đổi tên theo mẫu hoặc xóa đi."})
			continue
		}
		if merged, _ := x.GetMergeCells(name); len(merged) > 0 {
			problems = append(problems, admission.ImportProblem{Sheet: name, Message: fmt.Sprintf("Có ô gộp (%s): bỏ gộp ô (Unmerge) rồi tải lên lại — mỗi ô một giá trị.", merged[0].GetStartAxis()+":"+merged[0].GetEndAxis())})
			continue
		}
		it, err := x.Rows(name)
		if err != nil {
			return f, nil, errors.New("Không đọc được trang tính “" + name + "”.")
		}
		var grid [][]string
		for it.Next() {
			rows++
			if rows > maxImportRows {
				it.Close()
				return f, nil, fmt.Errorf("Tệp có hơn %d dòng: chia thành nhiều tệp nhỏ hơn.", maxImportRows)
			}
			cells, err := it.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				it.Close()
				return f, nil, errors.New("Không đọc được trang tính “" + name + "”.")
			}
			grid = append(grid, cells)
		}
		it.Close()
		// a formula's value depends on other cells: the sheet is read as values
		for r, cells := range grid {
			for c, v := range cells {
				if v == "" {
					continue
				}
				axis, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if formula, _ := x.GetCellFormula(name, axis); formula != "" {
					problems = append(problems, admission.ImportProblem{Sheet: name, Line: r + 1, Message: fmt.Sprintf("Ô %s có công thức: sao chép rồi dán giá trị (Paste Values) thay cho công thức.", axis)})
				}
			}
		}
		t, ps := tableOf(sheet, grid)
		problems = append(problems, ps...)
		f.Tables = append(f.Tables, t)
	}
	if len(f.Tables) == 0 && len(problems) == 0 {
		return f, nil, errors.New("Tệp không có trang tính nào theo mẫu (Tổ chức, Đảng viên, Quần chúng, Quá trình).")
	}
	return f, problems, nil
}

func readCSV(f admission.ImportFile, data []byte, encoding string) (admission.ImportFile, []admission.ImportProblem, error) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	switch encoding {
	case encTCVN3:
		return f, nil, errors.New("Chưa đọc được bảng mã TCVN3 (ABC): mở tệp bằng Excel rồi lưu thành .xlsx, hoặc chuyển mã sang Unicode bằng Unikey (Công cụ chuyển mã), rồi tải lên lại.")
	case encCP1258:
		out, err := charmap.Windows1258.NewDecoder().Bytes(data)
		if err != nil {
			return f, nil, errors.New("Không đọc được tệp theo bảng mã Windows-1258.")
		}
		data = out
	default:
		if !utf8.Valid(data) {
			return f, nil, errors.New("Tệp CSV không phải Unicode (UTF-8): chọn bảng mã “Windows-1258” nếu tệp được lưu từ Excel cũ, hoặc lưu lại tệp thành “CSV UTF-8”.")
		}
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord, r.LazyQuotes = -1, true
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';' // Excel writes ";" where "," is the decimal mark
	}
	var grid [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return f, nil, errors.New("Không đọc được tệp CSV: kiểm tra dấu ngoặc kép và dấu phân cách.")
		}
		grid = append(grid, rec)
		if len(grid) > maxImportRows {
			return f, nil, fmt.Errorf("Tệp có hơn %d dòng: chia thành nhiều tệp nhỏ hơn.", maxImportRows)
		}
	}
	// a CSV is one sheet: the one whose headings it carries
	best, score := admission.ImportSheet{}, 0
	if len(grid) > 0 {
		for _, sh := range admission.ImportSheets {
			n := 0
			for _, h := range grid[0] {
				if _, ok := columnOf(sh, h); ok {
					n++
				}
			}
			if n > score {
				best, score = sh, n
			}
		}
	}
	if score == 0 {
		return f, nil, errors.New("Dòng đầu của tệp CSV không có tiêu đề cột nào của mẫu: tải mẫu về và giữ nguyên dòng tiêu đề.")
	}
	t, ps := tableOf(best, grid)
	f.Tables = append(f.Tables, t)
	return f, ps, nil
}

// columnOf finds the column a heading names, ignoring case and diacritics.
func columnOf(sh admission.ImportSheet, heading string) (admission.ImportColumn, bool) {
	k := admission.SearchKey(heading)
	for _, c := range sh.Columns {
		if admission.SearchKey(c.Header) == k {
			return c, true
		}
	}
	return admission.ImportColumn{}, false
}

// tableOf reads a sheet's grid: the first non-empty row is the headings,
// each later non-empty row a record; every value is trimmed and in NFC.
func tableOf(sh admission.ImportSheet, grid [][]string) (admission.ImportTable, []admission.ImportProblem) {
	t := admission.ImportTable{Sheet: sh.Name}
	var problems []admission.ImportProblem
	head := -1
	for i, row := range grid {
		if strings.TrimSpace(strings.Join(row, "")) != "" {
			head = i
			break
		}
	}
	if head < 0 {
		return t, []admission.ImportProblem{{Sheet: sh.Name, Message: "Trang tính trống: không có dòng tiêu đề."}}
	}
	keys := make([]string, len(grid[head]))
	have := map[string]bool{}
	for i, h := range grid[head] {
		if strings.TrimSpace(h) == "" {
			continue
		}
		c, ok := columnOf(sh, h)
		if !ok {
			problems = append(problems, admission.ImportProblem{Sheet: sh.Name, Line: head + 1, Column: h, Message: "Cột này không có trong mẫu: đổi tên theo mẫu hoặc xóa cột."})
			continue
		}
		keys[i], have[c.Key] = c.Key, true
	}
	for _, c := range sh.Columns {
		if c.Required && !have[c.Key] {
			problems = append(problems, admission.ImportProblem{Sheet: sh.Name, Line: head + 1, Column: c.Header, Message: "Thiếu cột bắt buộc “" + c.Header + "”."})
		}
	}
	for i := head + 1; i < len(grid); i++ {
		row := admission.ImportRow{Line: i + 1, Cells: map[string]string{}}
		empty := true
		for j, v := range grid[i] {
			if j < len(keys) && keys[j] != "" {
				v = strings.TrimSpace(norm.NFC.String(v))
				row.Cells[keys[j]] = v
				empty = empty && v == ""
			}
		}
		if !empty {
			t.Rows = append(t.Rows, row)
		}
	}
	if len(t.Rows) == 0 {
		problems = append(problems, admission.ImportProblem{Sheet: sh.Name, Message: "Trang tính không có dòng dữ liệu nào dưới dòng tiêu đề."})
	}
	return t, problems
}

// templateBook is the import template: each sheet's headings and an example
// row, and a sheet of instructions.
func templateBook() (*excelize.File, error) {
	x := excelize.NewFile()
	bold, _ := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"#E8EEF7"}, Pattern: 1}})
	text, _ := x.NewStyle(&excelize.Style{NumFmt: 49}) // "@": dates and codes stay as typed
	if err := x.SetSheetName("Sheet1", helpSheet); err != nil {
		return nil, err
	}
	help := [][]any{{"Mẫu nhập dữ liệu ketnap"}, {"Mỗi trang tính là một loại dữ liệu; giữ nguyên tên trang và dòng tiêu đề. Dòng ví dụ (dòng 2) xóa đi trước khi nhập."},
		{"Ngày viết dd/mm/yyyy, ví dụ 03/07/2023. Không dùng công thức, không gộp ô, không ẩn trang."},
		{"Tải lên: ketnap kiểm tra mọi dòng theo đúng quy định như khi ghi trên trang, cho xem trước; chỉ khi bấm “Nhập” mới ghi, và ghi tất cả hoặc không ghi gì."},
		{"Nhập lại cùng một bảng không tạo trùng: mỗi người được nhận ra theo cột Mã."}, {}}
	for _, sh := range admission.ImportSheets {
		help = append(help, []any{"Trang “" + sh.Name + "”", sh.Help})
		for _, c := range sh.Columns {
			req := ""
			if c.Required {
				req = "bắt buộc"
			}
			help = append(help, []any{"", c.Header, req, c.Help})
		}
		help = append(help, []any{})
	}
	for i, row := range help {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow(helpSheet, cell, &row); err != nil {
			return nil, err
		}
	}
	_ = x.SetColWidth(helpSheet, "A", "A", 22)
	_ = x.SetColWidth(helpSheet, "B", "B", 30)
	_ = x.SetColWidth(helpSheet, "D", "D", 60)
	for _, sh := range admission.ImportSheets {
		if _, err := x.NewSheet(sh.Name); err != nil {
			return nil, err
		}
		head, example := make([]any, len(sh.Columns)), make([]any, len(sh.Columns))
		for i, c := range sh.Columns {
			head[i], example[i] = c.Header, c.Example
		}
		if err := x.SetSheetRow(sh.Name, "A1", &head); err != nil {
			return nil, err
		}
		if err := x.SetSheetRow(sh.Name, "A2", &example); err != nil {
			return nil, err
		}
		last, _ := excelize.ColumnNumberToName(len(sh.Columns))
		_ = x.SetColStyle(sh.Name, "A:"+last, text)
		_ = x.SetCellStyle(sh.Name, "A1", last+"1", bold)
		_ = x.SetColWidth(sh.Name, "A", last, 18)
		_ = x.SetPanes(sh.Name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	}
	return x, nil
}
