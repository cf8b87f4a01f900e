package parse

import (
	"strings"
	"testing"
	"time"
)

func TestZoneData(t *testing.T) {
	z := zoneData()
	if z.err != nil {
		t.Fatal(z.err)
	}
	seen := map[string]bool{}
	check := func(zone string) {
		if seen[zone] {
			return
		}
		seen[zone] = true
		if _, err := time.LoadLocation(zone); err != nil {
			t.Errorf("zone %q does not load: %v", zone, err)
		}
	}
	for _, zone := range z.iana {
		check(zone)
	}
	for _, zone := range z.places {
		check(zone)
	}
	for _, zones := range z.multi {
		for _, zone := range zones {
			check(zone)
		}
	}
	for _, zone := range zoneAbbreviations {
		check(zone)
	}
	for _, zone := range fractionalOffsets {
		check(zone)
	}
	if len(z.iana) < 400 || len(z.places) < 500 {
		t.Errorf("only %d zone names and %d places", len(z.iana), len(z.places))
	}
}

func TestParseTimezone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Berlin", "Europe/Berlin"}, {"berlin", "Europe/Berlin"}, {"UTC+2", "Etc/GMT-2"},
		{"GMT-5", "Etc/GMT+5"}, {"UTC+5:30", "Asia/Kolkata"}, {"utc +0530", "Asia/Kolkata"},
		{"UTC+5:45", "Asia/Kathmandu"}, {"UTC+9:30", "Australia/Darwin"}, {"UTC+3:30", "Asia/Tehran"},
		{"UTC-3:30", "America/St_Johns"}, {"UTC+4:30", "Asia/Kabul"}, {"UTC+6:30", "Asia/Yangon"},
		{"+14", "Etc/GMT-14"}, {"UTC-12", "Etc/GMT+12"}, {"UTC+0", "UTC"},
		{"Europe/London", "Europe/London"}, {"europe/london", "Europe/London"},
		{"America/New York", "America/New_York"}, {"New York", "America/New_York"},
		{"NYC", "America/New_York"}, {"San Francisco", "America/Los_Angeles"},
		{"SF", "America/Los_Angeles"}, {"Seattle", "America/Los_Angeles"}, {"Boston", "America/New_York"},
		{"Washington", "America/New_York"}, {"Bangalore", "Asia/Kolkata"}, {"Bengaluru", "Asia/Kolkata"},
		{"Mumbai", "Asia/Kolkata"}, {"Delhi", "Asia/Kolkata"}, {"Beijing", "Asia/Shanghai"},
		{"Munich", "Europe/Berlin"}, {"Barcelona", "Europe/Madrid"}, {"Milan", "Europe/Rome"},
		{"UTC", "UTC"}, {"GMT", "UTC"}, {"CET", "Europe/Paris"}, {"EST", "America/New_York"},
		{"PST", "America/Los_Angeles"}, {"Pacific time", "America/Los_Angeles"},
		{"Germany", "Europe/Berlin"}, {"Japan", "Asia/Tokyo"}, {"India", "Asia/Kolkata"},
		{"Berlin, Germany", "Europe/Berlin"}, {"CET (Berlin)", "Europe/Berlin"},
		{"Asia/Calcutta", "Asia/Kolkata"}, {"US/Eastern", "America/New_York"}, {"Kiev", "Europe/Kyiv"},
		{"Sao Paulo", "America/Sao_Paulo"}, {"São Paulo", "America/Sao_Paulo"}, {"Etc/GMT-2", "Etc/GMT-2"},
		{"Berlin time", "Europe/Berlin"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTimezone(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("ParseTimezone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			if again, err := TimezoneAnswer(got, Env{}); err != nil || again != got {
				t.Errorf("round trip of %q = %q, %v", got, again, err)
			}
		})
	}
}

func TestParseTimezoneErrors(t *testing.T) {
	tests := []struct{ name, in, msg string }{
		{"empty", "", "Which time zone"}, {"garbage", "qqqqqqqq", "don't know"},
		{"offset too big", "UTC+15", "don't know"}, {"bad minutes", "UTC+5:75", "don't know"},
		{"odd fraction", "UTC+1:15", "don't know"}, {"too long", strings.Repeat("Berlin ", 50), "longer"},
		{"binary", "\x00\xff", "Which time zone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseTimezone(tt.in)
			if ie := wantInputError(t, err); !strings.Contains(ie.Msg, tt.msg) {
				t.Errorf("message %q does not mention %q", ie.Msg, tt.msg)
			}
		})
	}
}

func TestParseTimezoneSuggests(t *testing.T) {
	tests := []struct{ in, label, zone string }{
		{"Berln", "Berlin", "Europe/Berlin"},
		{"Amsterdm", "Amsterdam", "Europe/Amsterdam"},
		{"Bangalor", "Bangalore", "Asia/Kolkata"},
		{"United States", "New York", "America/New_York"},
		{"Australia", "Sydney", "Australia/Sydney"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseTimezone(tt.in)
			ie := wantInputError(t, err)
			if len(ie.Suggest) == 0 || ie.Suggest[0] != (Choice{Label: tt.label, Value: tt.zone}) {
				t.Fatalf("suggestions = %+v, want first %s (%s)", ie.Suggest, tt.label, tt.zone)
			}
			for _, c := range ie.Suggest {
				if got, err := TimezoneAnswer(c.Value, Env{}); err != nil || got != c.Value {
					t.Errorf("suggestion %q is not a canonical answer: %q, %v", c.Value, got, err)
				}
			}
		})
	}
}

func TestParseTimezoneInSentences(t *testing.T) {
	for in, want := range map[string]string{
		"I'm in Lisbon":             "Europe/Lisbon",
		"based in Lisbon, Portugal": "Europe/Lisbon",
		"Lisbon time":               "Europe/Lisbon",
		"Jeddah":                    "Asia/Riyadh",
		"Surabaya":                  "Asia/Jakarta",
		"Kingston":                  "America/Jamaica", // the most populous Kingston
		"I live in Quezon City":     "Asia/Manila",
	} {
		got, err := ParseTimezone(in)
		if err != nil || got != want {
			t.Errorf("ParseTimezone(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
