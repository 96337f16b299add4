package admission_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"ketnap/internal/admission"
)

// FuzzParseDate: any text gives a valid date or an error, never a panic;
// a date it accepts writes back as itself.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"05/09/2025", "5/9/2025", "10.01.1990", "10-01-1990", "10011990", "2025-09-05", "29/02/2024", "31/02/2025", "1/1/25", "", "//", "99999999", "0/0/0000", "১০/০১/১৯৯০"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := admission.ParseDate(s)
		if err != nil {
			if !utf8.ValidString(err.Error()) {
				t.Fatalf("message not UTF-8: %q", err.Error())
			}
			return
		}
		back, err := admission.ParseDate(admission.FormatDate(d))
		if err != nil || !back.Equal(d) {
			t.Fatalf("%q → %s does not read back (%v)", s, admission.FormatDate(d), err)
		}
		if d.Year() < 1900 || d.Year() > 2200 {
			t.Fatalf("%q accepted as %s", s, d)
		}
	})
}

// FuzzPersonName: a normalized name is NFC, has no invisible marks or
// control characters and no double spaces, and normalizing it again changes nothing.
func FuzzPersonName(f *testing.F) {
	for _, s := range []string{"nguyễn văn bình", "NGUYỄN VĂN BÌNH", "Lò Văn A", "\u200b\u200f", "a\x00b", "  Trần   Thị  ", "ǅ", "ß", "İ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // the input gate refuses it before any name is read
		}
		n := admission.PersonName(s)
		if admission.PersonName(n) != n {
			t.Fatalf("not idempotent: %q → %q → %q", s, n, admission.PersonName(n))
		}
		if strings.Contains(n, "  ") || strings.TrimSpace(n) != n || strings.ContainsAny(n, "\u200b\u200f\x00") {
			t.Fatalf("%q → %q", s, n)
		}
		_ = admission.SearchKey(n)
	})
}
