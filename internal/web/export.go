package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"ketnap/internal/admission"
)

// An export is a book of tables with the heading of a party document: the
// organization, the title, the period, the filters, who made it and when.
// The same book writes as XLSX (excelize) and as CSV (UTF-8 with a BOM so
// that Excel reads the diacritics).

// cell is one value of a table: a number when Num is set.
type cell struct {
	Text   string
	Num    *float64
	Tenths bool // the number has one decimal (a ratio, an average)
	Bold   bool
	Indent int
}

func text(s string) cell { return cell{Text: s} }

func num(n int) cell { f := float64(n); return cell{Text: strconv.Itoa(n), Num: &f} }

// tenths is n/10 with one decimal, "" when blank.
func tenths(n int, blank bool) cell {
	if blank {
		return cell{}
	}
	f := float64(n) / 10
	return cell{Text: admission.FormatTenths(n), Num: &f, Tenths: true}
}

// sheet is one table of a book.
type sheet struct {
	Name   string // the XLSX sheet's name (≤ 31 characters)
	Title  string // under the book's title, when a book has several tables
	Header []string
	Rows   [][]cell
	Widths []float64
}

// book is what an export writes.
type book struct {
	Org     string // the organization the report is about
	Parent  string // its superior, above it in the heading
	Title   string
	Period  string
	Filters []string
	Made    string // "Lập lúc 09:00 ngày 20/11/2026 — Nguyễn Văn A"
	Sheets  []sheet
}

// headRows are the heading's rows above each table.
func (b book) headRows(s sheet) [][]string {
	rows := [][]string{{strings.ToUpper(b.Org), "ĐẢNG CỘNG SẢN VIỆT NAM"}, {b.Title}}
	if s.Title != "" {
		rows = append(rows, []string{s.Title})
	}
	if b.Period != "" {
		rows = append(rows, []string{"Kỳ báo cáo: " + b.Period})
	}
	for _, f := range b.Filters {
		rows = append(rows, []string{f})
	}
	return append(rows, []string{b.Made}, nil)
}

// writeCSV writes every table, one after the other, with the heading.
func (b book) writeCSV(w io.Writer) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	for i, s := range b.Sheets {
		if i > 0 {
			_ = cw.Write(nil)
		}
		for _, h := range b.headRows(s) {
			if h == nil {
				h = []string{""}
			}
			_ = cw.Write(h)
		}
		_ = cw.Write(s.Header)
		for _, row := range s.Rows {
			rec := make([]string, len(row))
			for j, c := range row {
				rec[j] = strings.Repeat("  ", c.Indent) + c.Text
				if c.Num != nil && c.Tenths {
					rec[j] = strconv.FormatFloat(*c.Num, 'f', 1, 64)
				}
			}
			_ = cw.Write(rec)
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeXLSX writes one sheet per table: the heading, a frozen header row,
// column widths, Times New Roman, numbers as numbers.
func (b book) writeXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	font := func(bold bool, size float64) *excelize.Font {
		return &excelize.Font{Family: "Times New Roman", Size: size, Bold: bold}
	}
	border := []excelize.Border{{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1},
		{Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1}}
	style := func(s *excelize.Style) int {
		id, err := f.NewStyle(s)
		if err != nil {
			panic(err) // the styles are constants
		}
		return id
	}
	oneDecimal := "#,##0.0"
	st := struct{ head, title, plain, header, textCell, boldText, number, numberBold, decimal int }{
		head:       style(&excelize.Style{Font: font(true, 12)}),
		title:      style(&excelize.Style{Font: font(true, 14), Alignment: &excelize.Alignment{Horizontal: "center"}}),
		plain:      style(&excelize.Style{Font: font(false, 12)}),
		header:     style(&excelize.Style{Font: font(true, 12), Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EEEEEE"}}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "center", Horizontal: "center"}}),
		textCell:   style(&excelize.Style{Font: font(false, 12), Border: border, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}),
		boldText:   style(&excelize.Style{Font: font(true, 12), Border: border, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}),
		number:     style(&excelize.Style{Font: font(false, 12), Border: border, NumFmt: 3}),
		numberBold: style(&excelize.Style{Font: font(true, 12), Border: border, NumFmt: 3}),
		decimal:    style(&excelize.Style{Font: font(false, 12), Border: border, CustomNumFmt: &oneDecimal}),
	}
	indents := map[int]int{}
	indented := func(n int, bold bool) int {
		if bold {
			return st.boldText
		}
		if id, ok := indents[n]; ok {
			return id
		}
		indents[n] = style(&excelize.Style{Font: font(false, 12), Border: border, Alignment: &excelize.Alignment{Indent: n * 2, WrapText: true, Vertical: "top"}})
		return indents[n]
	}
	for i, s := range b.Sheets {
		name := s.Name
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		cols := max(len(s.Header), 2)
		last, _ := excelize.ColumnNumberToName(cols)
		r := 1
		for j, h := range b.headRows(s) {
			if h == nil {
				r++
				continue
			}
			_ = f.SetCellValue(name, "A"+strconv.Itoa(r), h[0])
			if j == 0 {
				_ = f.SetCellValue(name, last+strconv.Itoa(r), h[1])
				_ = f.SetCellStyle(name, "A1", last+"1", st.head)
			} else if j == 1 {
				_ = f.MergeCell(name, "A"+strconv.Itoa(r), last+strconv.Itoa(r))
				_ = f.SetCellStyle(name, "A"+strconv.Itoa(r), last+strconv.Itoa(r), st.title)
			} else {
				_ = f.SetCellStyle(name, "A"+strconv.Itoa(r), "A"+strconv.Itoa(r), st.plain)
			}
			r++
		}
		header := r
		for j, h := range s.Header {
			c, _ := excelize.CoordinatesToCellName(j+1, r)
			_ = f.SetCellValue(name, c, h)
			_ = f.SetCellStyle(name, c, c, st.header)
		}
		for _, row := range s.Rows {
			r++
			for j, v := range row {
				c, _ := excelize.CoordinatesToCellName(j+1, r)
				switch {
				case v.Num != nil:
					_ = f.SetCellValue(name, c, *v.Num)
					id := st.number
					if v.Tenths {
						id = st.decimal
					} else if v.Bold {
						id = st.numberBold
					}
					_ = f.SetCellStyle(name, c, c, id)
				default:
					_ = f.SetCellValue(name, c, v.Text)
					_ = f.SetCellStyle(name, c, c, indented(v.Indent, v.Bold))
				}
			}
		}
		for j, wd := range s.Widths {
			c, _ := excelize.ColumnNumberToName(j + 1)
			_ = f.SetColWidth(name, c, c, wd)
		}
		if err := f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: header, TopLeftCell: "A" + strconv.Itoa(header+1), ActivePane: "bottomLeft"}); err != nil {
			return err
		}
	}
	_ = f.SetDocProps(&excelize.DocProperties{Title: b.Title, Creator: "ketnap", Language: "vi-VN"})
	_, err := f.WriteTo(w)
	return err
}

// download writes a book as the format asked ("xlsx" or "csv") under a
// file name made of ASCII words, after its audit event.
func (s *Server) download(w http.ResponseWriter, r *http.Request, b book, format, base string, orgID int64, filters map[string]string) {
	a, _ := s.actor(r)
	if err := s.Svc.RecordExport(r.Context(), a, orgID, format, base, filters); err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	var err error
	ctype := "text/csv; charset=utf-8"
	if format == admission.ExportXLSX {
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		err = b.writeXLSX(&buf)
	} else {
		err = b.writeCSV(&buf)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, base, format))
	w.Header().Set("Cache-Control", "no-store")
	_, _ = buf.WriteTo(w)
}
