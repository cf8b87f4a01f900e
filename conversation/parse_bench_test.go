package conversation

import (
	"strings"
	"testing"
)

// BenchmarkParseSkills measures the worst common case: every item unknown,
// so each one is compared with the whole vocabulary for near misses.
func BenchmarkParseSkills(b *testing.B) {
	in := strings.TrimSuffix(strings.Repeat("underwater basket weaving, ", 30), ", ")
	Skills()
	for b.Loop() {
		ParseSkills(in)
	}
}

func BenchmarkParseTimezoneUnknown(b *testing.B) {
	zoneData()
	for b.Loop() {
		ParseTimezone("Qwertyville")
	}
}

func BenchmarkParseRate(b *testing.B) {
	for b.Loop() {
		ParseRate("1,200 EUR per project")
	}
}
