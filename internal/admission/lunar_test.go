package admission_test

import (
	"testing"
	"time"

	"ketnap/internal/admission"
)

// Published dates of Tết Nguyên đán and Giỗ Tổ Hùng Vương.
func TestLunarToSolar(t *testing.T) {
	tests := []struct {
		name             string
		day, month, year int
		leap             bool
		want             time.Time
	}{
		{"Tet2024", 1, 1, 2024, false, admission.Day(2024, 2, 10)},
		{"Tet2025", 1, 1, 2025, false, admission.Day(2025, 1, 29)},
		{"Tet2026", 1, 1, 2026, false, admission.Day(2026, 2, 17)},
		{"Tet2027", 1, 1, 2027, false, admission.Day(2027, 2, 6)},
		{"Tet2023", 1, 1, 2023, false, admission.Day(2023, 1, 22)},
		{"GioTo2024", 10, 3, 2024, false, admission.Day(2024, 4, 18)},
		{"GioTo2025", 10, 3, 2025, false, admission.Day(2025, 4, 7)},
		{"GioTo2026", 10, 3, 2026, false, admission.Day(2026, 4, 26)},
		// 2025 has a leap sixth month: 1/6 nhuận = 25/7/2025
		{"LeapMonth2025", 1, 6, 2025, true, admission.Day(2025, 7, 25)},
		{"NoLeapMonth2026", 1, 6, 2026, true, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := admission.LunarToSolar(tt.day, tt.month, tt.year, tt.leap); !got.Equal(tt.want) {
				t.Fatalf("LunarToSolar(%d/%d/%d) = %s, want %s", tt.day, tt.month, tt.year, got.Format("2006-01-02"), tt.want.Format("2006-01-02"))
			}
		})
	}
}
