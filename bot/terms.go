package bot

import (
	"strings"

	c "github.com/hirebot/hirebot/parse"
)

// answers is the inverse of termsFromAnswers, to prefill a dialog.
func (t Terms) Answers() map[string]string {
	a := map[string]string{}
	if t.Rate != "" {
		a["rate"] = t.Rate
	}
	if t.Hours > 0 {
		a["hours"] = c.HoursString(t.Hours)
	}
	if !t.Start.IsZero() {
		a["start"] = c.FormatDate(t.Start)
	}
	if t.Note != "" {
		a["note"] = t.Note
	}
	return a
}

// Fields are the lines of the terms on a card, the set ones only.
func (t Terms) Fields() []Field {
	var out []Field
	if t.Rate != "" {
		out = append(out, Field{"Rate", t.Rate})
	}
	if t.Hours > 0 {
		out = append(out, Field{"Hours", c.HoursString(t.Hours)})
	}
	if !t.Start.IsZero() {
		out = append(out, Field{"Start", c.DateEcho(c.FormatDate(t.Start))})
	}
	if t.Note != "" {
		out = append(out, Field{"Note", t.Note})
	}
	return out
}

// Equal reports whether two sets of terms are the same.
func (t Terms) Equal(o Terms) bool {
	return t.Rate == o.Rate && t.Hours == o.Hours && t.Start.Equal(o.Start) && t.Note == o.Note
}

// String is the terms in one line: "50 USD/hour, 20 h/week, from Monday 7
// December 2026"; the note is left out.
func (t Terms) String() string {
	var parts []string
	for _, f := range t.Fields() {
		switch f.Label {
		case "Note":
		case "Start":
			parts = append(parts, "from "+f.Value)
		default:
			parts = append(parts, f.Value)
		}
	}
	return strings.Join(parts, ", ")
}
