package parse

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// wantInputError fails the test unless err is an *InputError, and returns it.
func wantInputError(t *testing.T, err error) *InputError {
	t.Helper()
	ie, ok := AsInputError(err)
	if !ok {
		t.Fatalf("err = %v (%T), want *InputError", err, err)
	}
	if ie.Msg == "" {
		t.Fatal("InputError without a message")
	}
	return ie
}

func TestParseRate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"$45/h", "45 USD/hour"},
		{"45 USD per hour", "45 USD/hour"},
		{"€60/hr", "60 EUR/hour"},
		{"400 a day", "400 USD/day"},
		{"£35 hourly", "35 GBP/hour"},
		{"50 bucks an hour", "50 USD/hour"},
		{"1,200 EUR per project", "1200 EUR/project"},
		{"45k per project", "45000 USD/project"},
		{"45 usd/hr", "45 USD/hour"},
		{"CHF 100 per day", "100 CHF/day"},
		{"100 dollars/day", "100 USD/day"},
		{"₹1500/hour", "1500 INR/hour"},
		{"45usd/h", "45 USD/hour"},
		{"45.50 € / hour", "45.5 EUR/hour"},
		{"45,50 €/h", "45.5 EUR/hour"},
		{"300/d", "300 USD/day"},
		{"500 daily", "500 USD/day"},
		{"2000 fixed", "2000 USD/project"},
		{"1500 flat", "1500 USD/project"},
		{"My rate is about $45 per hour", "45 USD/hour"},
		{"A$80/hr", "80 AUD/hour"},
		{"R$ 90 por hour", ""}, // "por" is not English: rephrase
		{"1.5k/day", "1500 USD/day"},
		{"45.5555/h", "45.56 USD/hour"},
		{"45.555/h", ""},              // 45.555 or 45,555: asked
		{"USD 45 p/h", "45 USD/hour"}, // per hour, not pence
		{"1,000,000 per project", "1000000 USD/project"},
		{"45 USD/hour", "45 USD/hour"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := ParseRate(tt.in)
			if tt.want == "" {
				wantInputError(t, err)
				return
			}
			if err != nil {
				t.Fatalf("ParseRate(%q): %v", tt.in, err)
			}
			if r.String() != tt.want {
				t.Errorf("ParseRate(%q) = %q, want %q", tt.in, r.String(), tt.want)
			}
			back, err := ParseRate(r.String())
			if err != nil || back != r {
				t.Errorf("round trip of %q = %+v, %v", r.String(), back, err)
			}
		})
	}
}

// A point before three digits separates thousands in much of Europe:
// both readings are offered, neither taken.
func TestThousandsPointIsAsked(t *testing.T) {
	for in, want := range map[string][]string{
		"2.500 €":       {"2.5 EUR fixed", "2500 EUR fixed"},
		"1.500-2.500 €": {"1.5–2.5 EUR fixed", "1500–2500 EUR fixed"},
		"€1.200/day":    {"1.2 EUR/day", "1200 EUR/day"},
	} {
		var err error
		if strings.HasSuffix(in, "/day") {
			_, err = ParseRate(in)
		} else {
			_, err = ParseBudget(in)
		}
		ie := wantInputError(t, err)
		var got []string
		for _, c := range ie.Suggest {
			got = append(got, c.Value)
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%q offers %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"2.50 €": "2.5 EUR fixed", "0.500 €": "0.5 EUR fixed", "2,500 €": "2500 EUR fixed",
		"12.500.000 €": "12500000 EUR fixed"} {
		if b, err := ParseBudget(in); err != nil || b.String() != want {
			t.Errorf("ParseBudget(%q) = %v, %v, want %s", in, b, err, want)
		}
	}
}

func TestParseRateErrors(t *testing.T) {
	tests := []struct{ name, in, msg string }{
		{"empty", "", "amount"},
		{"spaces", "   ", "amount"},
		{"zero", "0/h", "more than zero"},
		{"negative", "-45/h", "more than zero"},
		{"negative after currency", "$-45/h", "more than zero"},
		{"absurd", "200,000,000/h", "at most"},
		{"absurd k", "500000k per project", "at most"},
		{"garbage", "lots of money", "couldn't read"},
		{"no number", "USD per hour", "amount"},
		{"two currencies", "45 USD/EUR per hour", "two currencies"},
		{"two units", "45 per hour per day", "per hour or per day"},
		{"range", "40-50/h", "one rate"},
		{"too long", strings.Repeat("45 ", 200), "longer"},
		{"binary", "\x00\xff\xfe45\x01/h\x02", ""},
		{"percent", "45%", "couldn't read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseRate(tt.in)
			if tt.name == "binary" {
				// Control bytes are dropped: what is left is a fine rate.
				if err != nil || r.String() != "45 USD/hour" {
					t.Errorf("ParseRate(binary) = %q, %v", r.String(), err)
				}
				return
			}
			ie := wantInputError(t, err)
			if !strings.Contains(ie.Msg, tt.msg) {
				t.Errorf("message %q does not mention %q", ie.Msg, tt.msg)
			}
		})
	}
}

func TestParseRateMissingUnit(t *testing.T) {
	_, err := ParseRate("€45")
	ie := wantInputError(t, err)
	want := []Choice{
		{Label: "per hour", Value: "45 EUR/hour"},
		{Label: "per day", Value: "45 EUR/day"},
		{Label: "per project", Value: "45 EUR/project"},
	}
	if diff := cmp.Diff(want, ie.Suggest); diff != "" {
		t.Errorf("suggestions (-want +got):\n%s", diff)
	}
	for _, c := range ie.Suggest {
		if got, err := RateAnswer(c.Value, Env{}); err != nil || got != c.Value {
			t.Errorf("suggestion %q is not a canonical answer: %q, %v", c.Value, got, err)
		}
	}
}

func TestParseBudget(t *testing.T) {
	tests := []struct{ in, want string }{
		{"$500", "500 USD fixed"},
		{"500-800 EUR", "500–800 EUR fixed"},
		{"€500 to €800 fixed", "500–800 EUR fixed"},
		{"$30-60/h", "30–60 USD/hour"},
		{"30–60 USD/hour", "30–60 USD/hour"},
		{"up to $50/hour", "0–50 USD/hour"},
		{"$2k", "2000 USD fixed"},
		{"2,000 GBP fixed", "2000 GBP fixed"},
		{"between 500 and 800 euros", "500–800 EUR fixed"},
		{"max 1000", "0–1000 USD fixed"},
		{"500 per project", "500 USD fixed"},
		{"0–50 USD/hour", "0–50 USD/hour"},
		{"500 EUR fixed", "500 EUR fixed"},
		{"1.5k-3k", "1500–3000 USD fixed"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			b, err := ParseBudget(tt.in)
			if err != nil {
				t.Fatalf("ParseBudget(%q): %v", tt.in, err)
			}
			if b.String() != tt.want {
				t.Errorf("ParseBudget(%q) = %q, want %q", tt.in, b.String(), tt.want)
			}
			back, err := ReadBudget(b.String())
			if err != nil || back != b {
				t.Errorf("round trip of %q = %+v, %v", b.String(), back, err)
			}
		})
	}
}

func TestParseBudgetErrors(t *testing.T) {
	tests := []struct{ name, in, msg string }{
		{"empty", "", "amount"},
		{"zero", "0", "more than zero"},
		{"up to zero", "up to 0", "more than zero"},
		{"negative", "-500", "more than zero"},
		{"descending", "800-500", "smaller amount first"},
		{"per day", "400 a day", "per hour or fixed"},
		{"three amounts", "1-2-3", "range of two"},
		{"absurd", "$500,000,000", "at most"},
		{"garbage", "whatever you think", "couldn't read"},
		{"too long", strings.Repeat("5", 1000), "longer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseBudget(tt.in)
			ie := wantInputError(t, err)
			if !strings.Contains(ie.Msg, tt.msg) {
				t.Errorf("message %q does not mention %q", ie.Msg, tt.msg)
			}
		})
	}
}

func TestParseBudgetAsPeopleSayIt(t *testing.T) {
	tests := []struct{ in, want string }{
		{"fifteen hundred dollars", "1500 USD fixed"},
		{"two thousand five hundred euros", "2500 EUR fixed"},
		{"a couple hundred bucks", "200 USD fixed"},
		{"3 lakh rupees", "300000 INR fixed"},
		{"2 crore INR", "20000000 INR fixed"},
		{"between 2 and 3k", "2000–3000 USD fixed"},
		{"no more than 900 zloty", "0–900 PLN fixed"},
		{"under 40 CHF an hour", "0–40 CHF/hour"},
		{"at least 700 Swiss francs", "700 CHF fixed"},
		{"1.250,50 EUR", ""}, // thousands dots are not read; asked again
		{"99,5 EUR", "99.5 EUR fixed"},
		{"RM 300", "300 MYR fixed"},
		{"300 ringgit", "300 MYR fixed"},
		{"250 kuwaiti dinars", "250 KWD fixed"},
		{"twelve dollars and fifty cents", "12.5 USD fixed"},
		{"R$ 800", "800 BRL fixed"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			b, err := ParseBudget(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("ParseBudget(%q) = %q, want a question", tt.in, b)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseBudget(%q): %v", tt.in, err)
			}
			if b.String() != tt.want {
				t.Errorf("ParseBudget(%q) = %q, want %q", tt.in, b.String(), tt.want)
			}
		})
	}
}

func TestParseBudgetAsksWhenAmbiguous(t *testing.T) {
	_, err := ParseBudget("20 43")
	ie := wantInputError(t, err)
	want := []Choice{{Label: "20.43 USD fixed", Value: "20.43 USD fixed"}, {Label: "20–43 USD fixed", Value: "20–43 USD fixed"}}
	if diff := cmp.Diff(want, ie.Suggest); diff != "" {
		t.Errorf("suggestions (-want +got):\n%s", diff)
	}
	_, err = ParseBudget("100 dinars")
	ie = wantInputError(t, err)
	if len(ie.Suggest) < 5 || !strings.Contains(ie.Suggest[0].Label, "Dinar") {
		t.Errorf("dinars: want a choice of dinar currencies, got %+v", ie.Suggest)
	}
	for _, c := range ie.Suggest {
		if _, err := ReadBudget(c.Value); err != nil {
			t.Errorf("suggestion %q does not read back: %v", c.Value, err)
		}
	}
}
