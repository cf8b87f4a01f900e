package parse

import (
	"strings"
	"testing"
	"time"
)

// parseNow is a Wednesday afternoon in Berlin; its date is 2026-03-04.
var parseNow = time.Date(2026, 3, 4, 15, 30, 0, 0, time.FixedZone("CET", 3600))

func TestParseDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"immediately", "2026-03-04"},
		{"now", "2026-03-04"},
		{"ASAP", "2026-03-04"},
		{"today", "2026-03-04"},
		{"right away", "2026-03-04"},
		{"tomorrow", "2026-03-05"},
		{"next Monday", "2026-03-09"},
		{"Monday", "2026-03-09"},
		{"wednesday", "2026-03-11"}, // today is Wednesday: the next one
		{"from next Monday", "2026-03-09"},
		{"starting March 3", "2027-03-03"}, // passed this year
		{"March 4", "2026-03-04"},
		{"March 5", "2026-03-05"},
		{"3 March", "2027-03-03"},
		{"Mar 3rd", "2027-03-03"},
		{"mar. 10th", "2026-03-10"},
		{"the 10th of March", "2026-03-10"},
		{"2026-12-01", "2026-12-01"},
		{"2026/12/01", "2026-12-01"},
		{"Dec 1, 2026", "2026-12-01"},
		{"1 December 2026", "2026-12-01"},
		{"in 2 weeks", "2026-03-18"},
		{"in 10 days", "2026-03-14"},
		{"in a month", "2026-04-04"},
		{"in two weeks", "2026-03-18"},
		{"next week", "2026-03-09"},
		{"next month", "2026-04-01"},
		{"on 25/3", "2026-03-25"}, // only one reading is a date
		{"3/25/2026", "2026-03-25"},
		{"25.03.2026", "2026-03-25"},
		{"Feb 29", "2028-02-29"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in, parseNow)
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tt.in, err)
			}
			if FormatDate(got) != tt.want || got.Location() != time.UTC || got.Hour() != 0 {
				t.Errorf("ParseDate(%q) = %v, want %s at midnight UTC", tt.in, got, tt.want)
			}
			canon, err := DateAnswer(FormatDate(got), Env{Now: parseNow})
			if err != nil || canon != tt.want {
				t.Errorf("round trip: DateAnswer(%q) = %q, %v", tt.want, canon, err)
			}
		})
	}
}

func TestParseDateErrors(t *testing.T) {
	tests := []struct{ name, in, msg string }{
		{"empty", "", "didn't get a date"},
		{"garbage", "whenever", "couldn't read"},
		{"past explicit", "2025-12-01", "already passed"},
		{"yesterday's date", "2026-03-03", "already passed"},
		{"too far", "2030-01-01", "years away"},
		{"too far relative", "in 30 months", "years away"},
		{"no such day", "February 30", "doesn't have a day 30"},
		{"bad month", "2026-13-01", "isn't a date"},
		{"zero days", "in 0 days", "after today"},
		{"huge count", "in 99999 days", "too far ahead"},
		{"too long", strings.Repeat("monday ", 100), "longer"},
		{"binary", "\x00\xff\x10", "didn't get a date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseDate(tt.in, parseNow)
			ie := wantInputError(t, err)
			if !strings.Contains(ie.Msg, tt.msg) {
				t.Errorf("message %q does not mention %q", ie.Msg, tt.msg)
			}
		})
	}
}

func TestParseDateAmbiguous(t *testing.T) {
	_, err := ParseDate("5/6", parseNow)
	ie := wantInputError(t, err)
	if len(ie.Suggest) != 2 || ie.Suggest[0].Value != "2026-06-05" || ie.Suggest[1].Value != "2026-05-06" {
		t.Errorf("suggestions = %+v, want 5 June and 6 May 2026", ie.Suggest)
	}
	// One reading has passed: the other is the answer.
	got, err := ParseDate("2/4/2026", parseNow)
	if err != nil || FormatDate(got) != "2026-04-02" {
		t.Errorf("ParseDate(2/4/2026) = %v, %v; want 2026-04-02 (February 4 has passed)", got, err)
	}
}

func TestParseDeadline(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2 weeks", "2026-03-18"},
		{"10 days", "2026-03-14"},
		{"a month", "2026-04-04"},
		{"3 months", "2026-06-04"},
		{"within a week", "2026-03-11"},
		{"a couple of weeks", "2026-03-18"},
		{"by Friday", "2026-03-06"},
		{"end of month", "2026-03-31"},
		{"end of next week", "2026-03-13"},
		{"end of the week", "2026-03-06"},
		{"end of next month", "2026-04-30"},
		{"tomorrow", "2026-03-05"},
		{"March 20", "2026-03-20"},
		{"2026-12-01", "2026-12-01"},
		{"in 2 weeks", "2026-03-18"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDeadline(tt.in, parseNow)
			if err != nil {
				t.Fatalf("ParseDeadline(%q): %v", tt.in, err)
			}
			if FormatDate(got) != tt.want {
				t.Errorf("ParseDeadline(%q) = %s, want %s", tt.in, FormatDate(got), tt.want)
			}
			canon, err := DeadlineAnswer(tt.want, Env{Now: parseNow})
			if err != nil || canon != tt.want {
				t.Errorf("round trip: DeadlineAnswer(%q) = %q, %v", tt.want, canon, err)
			}
		})
	}
	for _, in := range []string{"today", "asap", "now", "2026-03-04", "2026-03-01", "", "soonish"} {
		if _, err := ParseDeadline(in, parseNow); err == nil {
			t.Errorf("ParseDeadline(%q) accepted", in)
		} else {
			wantInputError(t, err)
		}
	}
}

func TestReadDate(t *testing.T) {
	got, err := ReadDate("2026-12-01")
	if err != nil || !got.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("ReadDate = %v, %v", got, err)
	}
	if _, err := ReadDate("next monday"); err == nil {
		t.Error("ReadDate read a non-canonical date")
	}
}

// Dates as people say them; parseNow is Wednesday 2026-03-04.
func TestParseDateAsPeopleSayIt(t *testing.T) {
	tests := []struct{ in, want string }{
		{"in April", "2026-04-01"},
		{"June 2026", "2026-06-01"},
		{"January", "2027-01-01"},
		{"march", "2026-03-04"}, // this month: from today
		{"first of may", "2026-05-01"},
		{"the twenty-first of June", "2026-06-21"},
		{"Friday, March 20", "2026-03-20"},
		{"Sat 21st", "2026-03-21"},
		{"next year", "2027-01-01"},
		{"end of month", "2026-03-31"},
		{"EOM", "2026-03-31"},
		{"after 10 days", "2026-03-14"},
		{"in three weeks", "2026-03-25"},
		{"a fortnight from now", "2026-03-18"},
		{"next thursday", "2026-03-12"},
		{"thursday of this week", "2026-03-05"},
		{"friday next week", "2026-03-13"},
		{"mid April", "2026-04-15"},
		{"on the 20th", "2026-03-20"},
		{"the 2nd", "2026-04-02"},
		{"beginning of next month", "2026-04-01"},
		{"5/20/27", "2027-05-20"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in, parseNow)
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tt.in, err)
			}
			if FormatDate(got) != tt.want {
				t.Errorf("ParseDate(%q) = %s, want %s", tt.in, FormatDate(got), tt.want)
			}
		})
	}
	for _, in := range []string{"the 45th", "Friday, March 21", "24", "someday", "in 0 days"} {
		if got, err := ParseDate(in, parseNow); err == nil {
			t.Errorf("ParseDate(%q) = %s, want a question", in, FormatDate(got))
		}
	}
}
