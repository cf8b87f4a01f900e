package parse

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Rate units of a freelancer's rate.
const (
	PerHour    = "hour"
	PerDay     = "day"
	PerProject = "project"
)

// Budget units of a job.
const (
	BudgetHourly = "hour"
	BudgetFixed  = "fixed"
)

// Rate is what a freelancer charges.
type Rate struct {
	Amount   float64 `json:"amount"`
	Currency string  `json:"currency"` // ISO 4217
	Unit     string  `json:"unit"`     // hour, day or project
}

// String is the canonical form, e.g. "45 USD/hour"; ParseRate reads it back.
func (r Rate) String() string {
	if r.Currency == "" {
		return ""
	}
	return FormatAmount(r.Amount) + " " + r.Currency + "/" + r.Unit
}

// Budget is what an employer offers for a job: a single amount (Min == Max)
// or a range, fixed for the whole job or per hour.
type Budget struct {
	Min      float64 `json:"min"`
	Max      float64 `json:"max"`
	Currency string  `json:"currency"`
	Unit     string  `json:"unit"` // hour or fixed
}

// String is the canonical form, e.g. "30–60 USD/hour" or "500 EUR fixed";
// ParseBudget reads it back.
func (b Budget) String() string {
	if b.Currency == "" {
		return ""
	}
	amount := FormatAmount(b.Min)
	if b.Max != b.Min {
		amount += "–" + FormatAmount(b.Max)
	}
	if b.Unit == BudgetHourly {
		return amount + " " + b.Currency + "/hour"
	}
	return amount + " " + b.Currency + " fixed"
}

// Location is where work happens: remote, or on site in a city.
type Location struct {
	Remote bool   `json:"remote"`
	City   string `json:"city,omitempty"`
}

// String is the canonical form: "remote", "remote or on-site in Berlin", or
// "on-site in Berlin"; ParseLocation reads it back.
func (l Location) String() string {
	switch {
	case l.Remote && l.City != "":
		return "remote or on-site in " + l.City
	case l.Remote:
		return "remote"
	case l.City != "":
		return "on-site in " + l.City
	}
	return ""
}

// FormatAmount writes an amount without trailing zeros: 45, 45.5, 1200.
func FormatAmount(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// DateLayout is the canonical form of dates: 2026-12-01.
const DateLayout = "2006-01-02"

// FormatDate writes a date in DateLayout.
func FormatDate(t time.Time) string { return t.Format(DateLayout) }

// HoursString is the canonical form of weekly hours: "20 h/week".
func HoursString(h int) string { return fmt.Sprintf("%d h/week", h) }

// ListString is the canonical form of a list answer (skills, work types).
func ListString(items []string) string { return strings.Join(items, ", ") }

// SplitList reads a canonical list answer back.
func SplitList(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	parts := strings.Split(s, ", ")
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
