package admission

import (
	"context"
	"strconv"
)

// What leaves ketnap on paper or in a file.
const (
	ExportXLSX  = "xlsx"
	ExportCSV   = "csv"
	ExportPrint = "print"
)

// RecordExport writes the audit event of a download or a print: who took
// which report or list out of ketnap, in which format, with which filters.
// Party member files are confidential (24-QĐ/TW 6.2.4): what leaves is
// known.
func (s *Service) RecordExport(ctx context.Context, a Actor, orgID int64, format, what string, filters map[string]string) error {
	if format != ExportXLSX && format != ExportCSV && format != ExportPrint {
		return invalidField("format", "Định dạng tải về không hợp lệ.")
	}
	action := "report.export"
	if format == ExportPrint {
		action = "report.print"
	}
	// a personal file's print or download is recorded against the file, so
	// the file's history says who printed it
	entity, entityID := "report", int64(0)
	if id, err := strconv.ParseInt(filters["quan-chung"], 10, 64); err == nil && id > 0 {
		entity, entityID = "candidate", id
	}
	return s.DB.InTx(ctx, func(st Store) error {
		return st.InsertAudit(ctx, s.audit(ctx, a, orgID, action, entity, entityID, nil,
			map[string]any{"what": what, "format": format, "filters": filters}))
	})
}
