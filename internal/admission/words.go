package admission

import (
	"fmt"
	"strings"
	"time"
)

var digitWords = [10]string{"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"}

// NumberWords reads a non-negative number in Vietnamese words, as official
// papers write a count after its figure: 12 → "mười hai", 21 → "hai mươi
// mốt", 105 → "một trăm linh năm", 1500 → "một nghìn năm trăm".
func NumberWords(n int) string {
	if n < 0 {
		return "âm " + NumberWords(-n)
	}
	if n < 1000 {
		return hundreds(n, false)
	}
	var groups []string
	units := []string{"", "nghìn", "triệu", "tỷ"}
	for i := 0; n > 0 && i < len(units); i++ {
		g := n % 1000
		n /= 1000
		if g == 0 {
			continue
		}
		w := hundreds(g, n > 0)
		if units[i] != "" {
			w += " " + units[i]
		}
		groups = append([]string{w}, groups...)
	}
	return strings.Join(groups, " ")
}

// hundreds reads 0–999; full says a higher group precedes it, so 5 in
// 1 005 reads "không trăm linh năm".
func hundreds(n int, full bool) string {
	h, t, u := n/100, n/10%10, n%10
	var w []string
	if h > 0 || full {
		w = append(w, digitWords[h], "trăm")
	}
	switch {
	case t == 0 && u == 0:
		if len(w) == 0 {
			return digitWords[0]
		}
		return strings.Join(w, " ")
	case t == 0:
		if len(w) > 0 {
			w = append(w, "linh")
		}
	case t == 1:
		w = append(w, "mười")
	default:
		w = append(w, digitWords[t], "mươi")
	}
	switch {
	case u == 0:
	case u == 1 && t > 1:
		w = append(w, "mốt")
	case u == 4 && t > 1:
		w = append(w, "tư")
	case u == 5 && t > 0:
		w = append(w, "lăm")
	default:
		w = append(w, digitWords[u])
	}
	return strings.Join(w, " ")
}

// Counted writes a count in figures and words: "12 (mười hai)".
func Counted(n int) string { return fmt.Sprintf("%d (%s)", n, NumberWords(n)) }

// Percent writes part of whole as a percentage the way papers do: a whole
// number when exact, else one decimal with a comma ("66,7%").
func Percent(part, whole int) string {
	tenths, ok := RatioTenths(part, whole)
	if !ok || whole < 0 {
		return ""
	}
	if tenths%10 == 0 {
		return fmt.Sprintf("%d%%", tenths/10)
	}
	return FormatTenths(tenths) + "%"
}

// VoteFigures writes a vote the way a resolution states it: "12/15 đồng chí,
// đạt 80%".
func VoteFigures(yes, of int) string {
	if of <= 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d đồng chí, đạt %s", yes, of, Percent(yes, of))
}

// DateWords writes a date as a party document does after its place:
// "ngày 03 tháng 7 năm 2023" — days below 10 and the months January and
// February with a leading zero, so nothing can be written in before them.
func DateWords(d time.Time) string {
	if d.IsZero() {
		return ""
	}
	month := fmt.Sprint(int(d.Month()))
	if d.Month() <= time.February {
		month = "0" + month
	}
	return fmt.Sprintf("ngày %02d tháng %s năm %d", d.Day(), month, d.Year())
}
