package admission

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Day returns the calendar date y-m-d as a time at UTC midnight, the one form
// of a date used throughout ketnap.
func Day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DateOf returns the calendar date of t in its own location.
func DateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return Day(y, m, d)
}

// AddMonths adds n calendar months to d, clamping to the last day of the
// month (31/1 + 1 month = 28/2 or 29/2).
func AddMonths(d time.Time, n int) time.Time {
	y, m, day := d.Date()
	total := int(m) - 1 + n
	ny := y + total/12
	nm := total % 12
	if nm < 0 {
		nm += 12
		ny--
	}
	last := Day(ny, time.Month(nm+2), 0).Day()
	if day > last {
		day = last
	}
	return Day(ny, time.Month(nm+1), day)
}

// FullMonths returns the number of whole months from from to to: the largest
// n with AddMonths(from, n) not after to (age counted in full months).
func FullMonths(from, to time.Time) int {
	fy, fm, _ := from.Date()
	ty, tm, _ := to.Date()
	n := (ty-fy)*12 + int(tm-fm)
	for n > 0 && AddMonths(from, n).After(to) {
		n--
	}
	return n
}

// FormatDate writes d as dd/mm/yyyy; the zero date is empty.
func FormatDate(d time.Time) string {
	if d.IsZero() {
		return ""
	}
	return d.Format("02/01/2006")
}

// ParseDate reads a day as people type it on a phone or a PC: dd/mm/yyyy
// with "/", "." or "-" between the parts (d/m/yyyy accepted), eight digits
// ddmmyyyy, or yyyy-mm-dd. A two-digit year is refused with its own message
// (is 05 1905 or 2005?), and so is an impossible date.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	bad := func() (time.Time, error) {
		return time.Time{}, fmt.Errorf("ngày %q không hợp lệ (viết theo dạng ngày/tháng/năm, ví dụ 05/09/2025)", s)
	}
	var d, m, y string
	switch {
	case len(s) == 8 && strings.Trim(s, "0123456789") == "":
		d, m, y = s[:2], s[2:4], s[4:]
	case len(s) == 10 && s[4] == '-' && s[7] == '-':
		y, m, d = s[:4], s[5:7], s[8:]
	default:
		parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '.' || r == '-' })
		if len(parts) != 3 || len(s) > 12 {
			return bad()
		}
		d, m, y = parts[0], parts[1], parts[2]
		if len(y) == 2 && strings.Trim(y+d+m, "0123456789") == "" {
			return time.Time{}, fmt.Errorf("ngày %q có năm hai chữ số: viết đủ bốn chữ số của năm (ví dụ %s/%s/19%s hoặc %s/%s/20%s)", s, d, m, y, d, m, y)
		}
	}
	dn, err1 := strconv.Atoi(d)
	mn, err2 := strconv.Atoi(m)
	yn, err3 := strconv.Atoi(y)
	if err1 != nil || err2 != nil || err3 != nil || len(y) != 4 || len(d) > 2 || len(m) > 2 ||
		yn < 1900 || yn > 2200 || mn < 1 || mn > 12 || dn < 1 || dn > Day(yn, time.Month(mn)+1, 0).Day() {
		return bad()
	}
	return Day(yn, time.Month(mn), dn), nil
}
