package admission_test

import (
	"testing"

	"ketnap/internal/admission"
)

func TestNumberWords(t *testing.T) {
	for n, want := range map[int]string{
		0: "không", 1: "một", 5: "năm", 10: "mười", 11: "mười một", 14: "mười bốn", 15: "mười lăm",
		20: "hai mươi", 21: "hai mươi mốt", 24: "hai mươi tư", 25: "hai mươi lăm", 55: "năm mươi lăm",
		100: "một trăm", 101: "một trăm linh một", 105: "một trăm linh năm", 110: "một trăm mười", 115: "một trăm mười lăm",
		121: "một trăm hai mươi mốt", 1000: "một nghìn", 1005: "một nghìn không trăm linh năm", 1500: "một nghìn năm trăm",
		2024: "hai nghìn không trăm hai mươi tư", 1000000: "một triệu", 1200050: "một triệu hai trăm nghìn không trăm năm mươi",
	} {
		if got := admission.NumberWords(n); got != want {
			t.Errorf("NumberWords(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestVoteFiguresAndDates(t *testing.T) {
	for _, c := range []struct {
		yes, of int
		want    string
	}{{12, 15, "12/15 đồng chí, đạt 80%"}, {10, 15, "10/15 đồng chí, đạt 66,7%"}, {14, 14, "14/14 đồng chí, đạt 100%"}, {1, 3, "1/3 đồng chí, đạt 33,3%"}, {0, 9, "0/9 đồng chí, đạt 0%"}} {
		if got := admission.VoteFigures(c.yes, c.of); got != c.want {
			t.Errorf("VoteFigures(%d, %d) = %q, want %q", c.yes, c.of, got, c.want)
		}
	}
	if got := admission.VoteFigures(1, 0); got != "" {
		t.Errorf("no voters: %q", got)
	}
	for d, want := range map[string]string{"03/07/2023": "ngày 03 tháng 7 năm 2023", "28/02/2024": "ngày 28 tháng 02 năm 2024", "10/12/2025": "ngày 10 tháng 12 năm 2025", "01/01/2026": "ngày 01 tháng 01 năm 2026"} {
		day, err := admission.ParseDate(d)
		if err != nil {
			t.Fatal(err)
		}
		if got := admission.DateWords(day); got != want {
			t.Errorf("DateWords(%s) = %q, want %q", d, got, want)
		}
	}
	if got := admission.Counted(12); got != "12 (mười hai)" {
		t.Errorf("Counted(12) = %q", got)
	}
}
