package admission

import (
	"sort"
	"time"
)

// Holiday is a public holiday that does not count as a working day.
type Holiday struct {
	Day  time.Time
	Name string
}

// Calendar answers which days are working days: not Saturday, not Sunday, not a holiday.
type Calendar struct {
	off map[int64]struct{}
}

func dayNumber(d time.Time) int64 { return d.Unix() / 86400 }

// NewCalendar returns a calendar with the given holidays.
func NewCalendar(holidays []time.Time) *Calendar {
	c := &Calendar{off: make(map[int64]struct{}, len(holidays))}
	for _, h := range holidays {
		c.off[dayNumber(DateOf(h))] = struct{}{}
	}
	return c
}

// IsWorkingDay reports whether d is a working day.
func (c *Calendar) IsWorkingDay(d time.Time) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, off := c.off[dayNumber(d)]
	return !off
}

// AddWorkingDays returns the n-th working day after d (d itself not counted):
// "within 30 working days of receiving" ends on AddWorkingDays(received, 30).
func (c *Calendar) AddWorkingDays(d time.Time, n int) time.Time {
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if c.IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// WorkingDaysBetween counts the working days after from up to and including to.
func (c *Calendar) WorkingDaysBetween(from, to time.Time) int {
	n := 0
	for d := from.AddDate(0, 0, 1); !d.After(to); d = d.AddDate(0, 0, 1) {
		if c.IsWorkingDay(d) {
			n++
		}
	}
	return n
}

// DefaultHolidays returns the default public holidays of a year: 1/1; Tết Nguyên đán (the last day of the lunar year and the
// first four days of the new one); Giỗ Tổ Hùng Vương (10/3 lunar); 30/4; 1/5;
// 2/9 and the day before. The government fixes the exact days each year, so
// these are defaults that staff edit.
func DefaultHolidays(year int) []Holiday {
	tet := LunarToSolar(1, 1, year, false)
	hs := []Holiday{
		{Day(year, 1, 1), "Tết Dương lịch"},
		{tet.AddDate(0, 0, -1), "Tết Nguyên đán (30 Tết)"},
		{tet, "Tết Nguyên đán (Mùng 1)"},
		{tet.AddDate(0, 0, 1), "Tết Nguyên đán (Mùng 2)"},
		{tet.AddDate(0, 0, 2), "Tết Nguyên đán (Mùng 3)"},
		{tet.AddDate(0, 0, 3), "Tết Nguyên đán (Mùng 4)"},
		{LunarToSolar(10, 3, year, false), "Giỗ Tổ Hùng Vương (10/3 âm lịch)"},
		{Day(year, 4, 30), "Ngày Giải phóng miền Nam, thống nhất đất nước"},
		{Day(year, 5, 1), "Ngày Quốc tế Lao động"},
		{Day(year, 9, 1), "Quốc khánh (ngày liền kề)"},
		{Day(year, 9, 2), "Quốc khánh"},
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i].Day.Before(hs[j].Day) })
	return hs
}
