package parse

import (
	"strings"
	"testing"
)

func TestParseHoursPerWeek(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"20 hours a week", 20}, {"20h/week", 20}, {"20 hrs per week", 20}, {"20", 20},
		{"full time", 40}, {"full-time", 40}, {"Fulltime", 40}, {"part time", 20},
		{"part-time", 20}, {"half time", 20}, {"about 25 hours", 25}, {"twenty-five", 25},
		{"20 h/week", 20}, {"1", 1}, {"80", 80}, {"10 hrs/wk", 10}, {"~30h pw", 30},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseHoursPerWeek(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("ParseHoursPerWeek(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
			canon, err := HoursAnswer(tt.in, Env{})
			if err != nil || canon != HoursString(tt.want) {
				t.Errorf("HoursAnswer(%q) = %q, %v", tt.in, canon, err)
			}
			back, err := ReadHours(canon)
			if err != nil || back != tt.want {
				t.Errorf("ReadHours(%q) = %d, %v", canon, back, err)
			}
		})
	}
	errs := []struct{ name, in, msg string }{
		{"empty", "", "How many hours"}, {"zero", "0", "from 1 to 80"}, {"too many", "81", "from 1 to 80"},
		{"negative", "-20", "couldn't read"}, {"per day", "4 hours a day", "per week"},
		{"range", "20-30 hours", "one number"}, {"garbage", "lots", "couldn't read"},
		{"too long", strings.Repeat("20 ", 100), "longer"}, {"binary", "\x00\x01\xff", "How many hours"},
		{"huge", "99999999999999999999999", "from 1 to 80"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseHoursPerWeek(tt.in)
			if ie := wantInputError(t, err); !strings.Contains(ie.Msg, tt.msg) {
				t.Errorf("message %q does not mention %q", ie.Msg, tt.msg)
			}
		})
	}
	for _, bad := range []string{"20", "20 h/wk", " h/week", "x h/week"} {
		if _, err := ReadHours(bad); err == nil {
			t.Errorf("ReadHours(%q) accepted a non-canonical answer", bad)
		}
	}
}

func TestParseYears(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"5", 5}, {"5 years", 5}, {"10+", 10}, {"five", 5}, {"half a year", 0},
		{"less than a year", 0}, {"0", 0}, {"a year", 1}, {"1.5 years", 1}, {"18 months", 1},
		{"6 months", 0}, {"a decade", 10}, {"over 10 years", 10}, {"about 7 yrs", 7},
		{"twenty-one", 21}, {"60", 60}, {"I've been doing this for 12 years", 12},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseYears(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("ParseYears(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
			canon, err := YearsAnswer(tt.in, Env{})
			if err != nil {
				t.Fatal(err)
			}
			if again, err := YearsAnswer(canon, Env{}); err != nil || again != canon {
				t.Errorf("round trip of %q = %q, %v", canon, again, err)
			}
		})
	}
	errs := []struct{ name, in, msg string }{
		{"empty", "", "How many years"}, {"negative", "-3", "couldn't read"}, {"too many", "61", "0 to 60"},
		{"range", "3-5", "one number"}, {"garbage", "loads", "couldn't read"},
		{"too long", strings.Repeat("5 ", 100), "longer"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseYears(tt.in)
			if ie := wantInputError(t, err); !strings.Contains(ie.Msg, tt.msg) {
				t.Errorf("message %q does not mention %q", ie.Msg, tt.msg)
			}
		})
	}
}
