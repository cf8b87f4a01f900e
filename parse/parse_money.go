package parse

import (
	"fmt"
	"math"
	"regexp"
	"strings"
)

// maxAmount is the largest rate or budget hirebot takes as meant. It is
// high because some currencies count in millions (4 crore rupees, a
// budget in dong or rupiah).
const maxAmount = 100_000_000

// unitWords name the unit of a rate or budget. "project" covers fixed prices.
var unitWords = map[string]string{
	"h": PerHour, "hr": PerHour, "hrs": PerHour, "hour": PerHour, "hours": PerHour,
	"hourly": PerHour, "hrly": PerHour, "ph": PerHour,
	"d": PerDay, "day": PerDay, "days": PerDay, "daily": PerDay, "pd": PerDay,
	"project": PerProject, "projects": PerProject, "fixed": PerProject, "flat": PerProject,
	"job": PerProject, "total": PerProject, "gig": PerProject, "whole": PerProject,
}

// moneyFiller are words that may surround an amount without changing it.
var moneyFiller = map[string]bool{
	"per": true, "a": true, "an": true, "the": true, "/": true, "each": true, "for": true,
	"rate": true, "is": true, "my": true, "i": true, "charge": true, "around": true,
	"about": true, "approx": true, "approximately": true, "~": true, "roughly": true,
	"price": true, "fee": true, "budget": true, "of": true, "usually": true, "at": true,
	"pay": true, "paid": true, "amount": true, "exactly": true, "just": true,
	"only": true, "like": true, "it's": true, "its": true, "we": true, "can": true,
	"will": true, "offer": true, "ish": true, ".": true, "'": true, "!": true, ":": true,
	"we're": true, "i'm": true, "paying": true, "per-hour": true, "cost": true,
}

// boundWords open a bound: "under 50" is at most 50, "at least 50" 50 or more.
var boundWords = map[string]string{
	"under": "max", "below": "max", "upto": "max", "max": "max", "maximum": "max",
	"<": "max", "<=": "max", "≤": "max", "within": "max",
	"over": "min", "above": "min", "min": "min", "minimum": "min", ">": "min", ">=": "min", "≥": "min",
	"from": "from", "between": "between", "range": "between",
}

// boundPhrases are several words for one bound, read before the words.
var boundPhrases = []struct{ from, to string }{
	{"no more than", " max "}, {"not more than", " max "}, {"no less than", " min "},
	{"not less than", " min "}, {"no lower than", " min "}, {"no higher than", " max "},
	{"less than", " max "}, {"lower than", " max "}, {"fewer than", " max "}, {"up to", " max "},
	{"at most", " max "}, {"more than", " min "}, {"higher than", " min "},
	{"greater than", " min "}, {"at least", " min "}, {"starting at", " min "},
	{"starting from", " min "},
}

var (
	thousandsComma = regexp.MustCompile(`(\d),(\d{3})\b`)
	decimalComma   = regexp.MustCompile(`(\d),(\d{1,2})\b`)
	// perSlash is "p/h", "p/day": per, not pence.
	perSlash = regexp.MustCompile(`\bp\s*/\s*(h|hr|hrs|hour|d|day)\b`)
	// pointThousands is "2.500": a point before exactly three digits,
	// 2.5 in English and 2,500 in much of Europe.
	pointThousands = regexp.MustCompile(`(^|[^\d.,])([1-9]\d{0,2})\.(\d{3})($|[^\d.,])`)
	// pointsThousands is "12.500.000": two points or more only separate
	// thousands.
	pointsThousands = regexp.MustCompile(`\b\d{1,3}(?:\.\d{3}){2,}\b`)
)

type moneyToken struct {
	kind byte // 'n' number, 'c' currency, 'm' minor unit, 'u' unit, '-' range, 'b' bound, '&' and, 'w' other word
	num  numberPhrase
	text string
	ask  []string // several currencies a word may mean
}

// tokenizeMoney turns "€1,200–1,500 per project" into number, currency,
// range and unit tokens.
func tokenizeMoney(in string) []moneyToken {
	s := strings.ToLower(in)
	s = pointsThousands.ReplaceAllStringFunc(s, func(n string) string { return strings.ReplaceAll(n, ".", "") })
	for i := 0; i < 3; i++ { // 1,200,000 needs more than one pass
		s = thousandsComma.ReplaceAllString(s, "$1$2")
	}
	s = decimalComma.ReplaceAllString(s, "$1.$2")
	s = perSlash.ReplaceAllString(s, "per $1")
	s = replaceSymbols(s)
	for _, p := range boundPhrases {
		s = strings.ReplaceAll(s, p.from, p.to)
	}
	words := tokenize(s)
	var toks []moneyToken
	for i := 0; i < len(words); {
		w := words[i]
		if p, ok := readNumber(words, i); ok && !(w == "a" || w == "an") || ok && isMoneyNoun(tokAt(words, p.end)) {
			toks = append(toks, moneyToken{kind: 'n', num: p})
			i = p.end
			continue
		}
		if (w == "a" || w == "an" || w == "one") && isMoneyNoun(tokAt(words, i+1)) {
			toks = append(toks, moneyToken{kind: 'n', num: numberPhrase{value: 1, end: i + 1}})
			i++
			continue
		}
		if c, n, ok := readCurrency(words, i, toks); ok {
			toks = append(toks, c)
			i += n
			continue
		}
		switch {
		case w == "-" || w == "to" || w == "till" || w == "until" || w == "through" || w == "or":
			toks = append(toks, moneyToken{kind: '-', text: w})
		case w == "and" || w == "&":
			toks = append(toks, moneyToken{kind: '&', text: w})
		case w == "+" && len(toks) > 0 && toks[len(toks)-1].kind != '-':
			toks = append(toks, moneyToken{kind: 'b', text: "plus"})
		case minorUnits[w]:
			toks = append(toks, moneyToken{kind: 'm', text: w})
		case unitWords[w] != "":
			toks = append(toks, moneyToken{kind: 'u', text: unitWords[w]})
		case boundWords[w] != "":
			toks = append(toks, moneyToken{kind: 'b', text: boundWords[w]})
		case moneyFiller[w]:
		default:
			toks = append(toks, moneyToken{kind: 'w', text: w})
		}
		i++
	}
	return toks
}

// money is what an amount answer said, before deciding whether it is a
// rate or a budget.
type money struct {
	amounts  []float64
	negative bool
	currency string
	unit     string
	bound    string   // "max" (under X), "min" (at least X) or ""
	ask      []string // currencies a word shared by several may mean
	split    bool     // two numbers side by side: amounts[0].amounts[1] or a range
}

func readMoney(in string, example string) (money, error) {
	s, ok := clean(in, maxParse)
	if !ok {
		return money{}, Invalid(tooLong)
	}
	if s == "" {
		return money{}, Invalid("I didn't get an amount. Try " + example + ".")
	}
	toks := joinCents(tokenizeMoney(s))
	var m money
	between := false
	var ask []string
	var scaled []bool
	for i, t := range toks {
		switch t.kind {
		case 'n':
			if len(m.amounts) > 0 && !rangeBefore(toks, i) {
				if len(m.amounts) > 1 || !t.num.whole {
					return money{}, Invalid("I couldn't read that as an amount. Try " + example + ".")
				}
				m.split = true
			}
			m.amounts = append(m.amounts, t.num.value)
			scaled = append(scaled, t.num.scaled)
		case '-':
			if len(m.amounts) == 0 && t.text == "-" && i+1 < len(toks) && toks[i+1].kind == 'n' {
				m.negative = true
			} else if len(m.amounts) == 0 && t.text != "-" || len(m.amounts) > 0 && t.text == "or" && !between {
				return money{}, Invalid("I couldn't read that as an amount. Try " + example + ".")
			}
		case '&':
			if !between || len(m.amounts) == 0 {
				return money{}, Invalid("I couldn't read that as an amount. Try " + example + ".")
			}
		case 'c':
			if len(t.ask) > 0 {
				ask = t.ask
				continue
			}
			if m.currency != "" && m.currency != t.text {
				return money{}, Invalid("That has two currencies (" + m.currency + " and " + t.text + "). Please give one.")
			}
			m.currency = t.text
		case 'u':
			if m.unit != "" && m.unit != t.text {
				return money{}, Invalid("Is that per " + m.unit + " or per " + t.text + "? Please give one.")
			}
			m.unit = t.text
		case 'b':
			switch t.text {
			case "between", "from":
				between = true
				if t.text == "from" && !hasRange(toks) {
					m.bound = "min"
				}
			case "plus":
				m.bound = "min"
			default:
				m.bound = t.text
			}
		case 'm':
			return money{}, Invalid("I couldn't read " + quote(t.text) + " in an amount. Try " + example + ".")
		case 'w':
			return money{}, Invalid("I couldn't read " + quote(t.text) + " in an amount. Try " + example + ".")
		}
	}
	if len(m.amounts) == 0 {
		return money{}, Invalid("I didn't find an amount. Try " + example + ".")
	}
	if m.negative {
		return money{}, Invalid("The amount has to be more than zero.")
	}
	// "7-9 lakh", "$2-3k": the scale said once is meant for both ends.
	if len(m.amounts) == 2 && scaled[1] && !scaled[0] {
		if f := toks[lastNumber(toks)].num; f.value > 0 {
			if s := scaleOf(f.value, m.amounts[0]); s > 1 {
				m.amounts[0] *= s
			}
		}
	}
	for i, a := range m.amounts {
		if a > maxAmount {
			return money{}, Invalid(fmt.Sprintf("%s is more than I can take as meant (at most %s). Please check the amount.", FormatAmount(a), FormatAmount(maxAmount)))
		}
		m.amounts[i] = math.Round(a*100) / 100
	}
	if m.currency == "" && len(ask) > 0 {
		m.ask, m.currency = ask, ask[0]
	}
	if m.currency == "" {
		m.currency = "USD"
	}
	return m, nil
}

// rangeBefore reports whether a range word or "and" stands between the
// number at i and the number before it.
func rangeBefore(toks []moneyToken, i int) bool {
	for j := i - 1; j >= 0 && toks[j].kind != 'n'; j-- {
		if toks[j].kind == '-' || toks[j].kind == '&' {
			return true
		}
	}
	return false
}

func hasRange(toks []moneyToken) bool {
	for _, t := range toks {
		if t.kind == '-' || t.kind == '&' {
			return true
		}
	}
	return false
}

func lastNumber(toks []moneyToken) int {
	for i := len(toks) - 1; i >= 0; i-- {
		if toks[i].kind == 'n' {
			return i
		}
	}
	return 0
}

// scaleOf is the scale (1000, 100000, ...) that made hi out of a number of
// the size of lo: 900000 and 7 give 100000 ("7-9 lakh").
func scaleOf(hi, lo float64) float64 {
	for _, s := range []float64{1e9, 1e7, 1e6, 1e5, 1e3} {
		if math.Mod(hi, s) == 0 && lo*s <= hi && lo < 1000 {
			return s
		}
	}
	return 1
}

// joinCents folds the minor part of an amount into it: "20 dollars 43
// cents", "$20 and 43c", "3 GBP and one", "20 rupees 43", "10 cents".
func joinCents(toks []moneyToken) []moneyToken {
	var out []moneyToken
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind == 'n' && tokAtM(toks, i+1).kind == 'm' {
			// "10 cents" on its own: a hundredth of the currency.
			if j := len(out) - 1; j < 0 || !majorBefore(out) {
				t.num.value /= 100
				out = append(out, t)
				i++
				continue
			}
		}
		if t.kind == 'n' && majorBefore(out) {
			minor := t.num.whole || !t.num.digits && t.num.value < 100 && t.num.value == math.Trunc(t.num.value)
			next := tokAtM(toks, i+1)
			andBefore := len(out) > 0 && out[len(out)-1].kind == '&'
			if minor && (next.kind == 'm' || next.kind == 0 || next.kind == 'u' || next.kind == 'b') && (andBefore || !rangeOpen(out)) {
				if andBefore {
					out = out[:len(out)-1]
				}
				n := lastNumber(out)
				out[n].num.value += t.num.value / 100
				if next.kind == 'm' {
					i++
				}
				continue
			}
		}
		out = append(out, t)
	}
	return out
}

// majorBefore: the tokens so far end with a number and a currency ("20
// dollars", "$20", "20 dollars and"), so a small number next is its cents.
func majorBefore(out []moneyToken) bool {
	j := len(out) - 1
	if j >= 0 && out[j].kind == '&' {
		j--
	}
	if j < 1 {
		return false
	}
	a, b := out[j-1], out[j]
	return a.kind == 'n' && b.kind == 'c' && len(b.ask) == 0 || a.kind == 'c' && len(a.ask) == 0 && b.kind == 'n' && b.num.value == math.Trunc(b.num.value)
}

// rangeOpen: a range word came before, so a number next is its other end.
func rangeOpen(out []moneyToken) bool {
	for _, t := range out {
		if t.kind == '-' || t.kind == 'b' && (t.text == "between" || t.text == "from") {
			return true
		}
	}
	return false
}

func tokAtM(toks []moneyToken, i int) moneyToken {
	if i < 0 || i >= len(toks) {
		return moneyToken{}
	}
	return toks[i]
}

// dollarsAndCents is the reading of two numbers side by side as one
// amount ("$20 43" is 20.43), possible when the second is a whole number of
// cents.
func (m money) dollarsAndCents() (float64, bool) {
	if !m.split {
		return 0, false
	}
	c := m.amounts[1]
	if c != math.Trunc(c) || c < 0 || c >= 100 {
		return 0, false
	}
	return math.Round(m.amounts[0]*100+c) / 100, true
}

// eitherReading parses in; when a point in it may separate thousands
// ("2.500 €") and reading it so gives another answer, the answer is an
// *InputError offering both, never one taken silently.
func eitherReading[T fmt.Stringer](in string, parse func(string) (T, error)) (T, error) {
	v, err := parse(in)
	if err != nil || len(in) > 4*maxParse || !pointThousands.MatchString(in) {
		return v, err
	}
	other := in
	for i := 0; i < 3 && pointThousands.MatchString(other); i++ { // "1.500-2.500": matches share a separator
		other = pointThousands.ReplaceAllString(other, "$1$2$3$4")
	}
	alt, aerr := parse(other)
	if aerr != nil || alt.String() == v.String() {
		return v, nil
	}
	var zero T
	return zero, &InputError{Msg: fmt.Sprintf("Do you mean %s or %s?", v, alt),
		Suggest: []Choice{{Label: v.String(), Value: v.String()}, {Label: alt.String(), Value: alt.String()}}}
}

// ParseRate reads a freelancer's rate: "$45/h", "400 EUR a day",
// "£35 hourly", "1,200 EUR per project". Without a currency it is USD (the
// echo shows it). Without a unit the answer is an *InputError offering the
// three complete answers.
func ParseRate(in string) (Rate, error) { return eitherReading(in, parseRate) }

func parseRate(in string) (Rate, error) {
	m, err := readMoney(in, "“45 USD/hour” or “400 EUR per day”")
	if err != nil {
		return Rate{}, err
	}
	if v, ok := m.dollarsAndCents(); ok && m.unit != "" {
		r := Rate{Amount: v, Currency: m.currency, Unit: m.unit}
		if r.Amount <= 0 {
			return Rate{}, Invalid("The rate has to be more than zero.")
		}
		return Rate{}, &InputError{Msg: fmt.Sprintf("Do you mean %s?", r), Suggest: []Choice{{Label: r.String(), Value: r.String()}}}
	}
	if len(m.amounts) > 1 || m.bound == "max" {
		return Rate{}, Invalid("Please give one rate rather than a range, for example 45 USD/hour.")
	}
	r := Rate{Amount: m.amounts[0], Currency: m.currency, Unit: m.unit}
	if len(m.ask) > 0 && r.Unit != "" {
		return Rate{}, &InputError{Msg: "Which currency do you mean?", Suggest: currencyChoices(m.ask, func(code string) string {
			c := r
			c.Currency = code
			return c.String()
		})}
	}
	if r.Amount <= 0 {
		return Rate{}, Invalid("The rate has to be more than zero.")
	}
	if r.Unit == "" {
		var suggest []Choice
		for _, u := range []string{PerHour, PerDay, PerProject} {
			c := r
			c.Unit = u
			suggest = append(suggest, Choice{Label: "per " + u, Value: c.String()})
		}
		return Rate{}, &InputError{Msg: fmt.Sprintf("Is %s %s per hour, per day or per project?", FormatAmount(r.Amount), r.Currency), Suggest: suggest}
	}
	return r, nil
}

// ParseBudget reads a job's budget: one amount or a range, per hour or fixed
// ("$500", "500-800 EUR", "$30-60/h", "up to $50/hour", "$2k"). Without a
// unit it is fixed; without a currency, USD; "up to X" is 0–X.
func ParseBudget(in string) (Budget, error) { return eitherReading(in, parseBudget) }

func parseBudget(in string) (Budget, error) {
	m, err := readMoney(in, "“500 USD fixed” or “30–60 EUR/hour”")
	if err != nil {
		return Budget{}, err
	}
	b := Budget{Currency: m.currency}
	switch m.unit {
	case PerHour:
		b.Unit = BudgetHourly
	case PerDay:
		return Budget{}, Invalid("Budgets are per hour or fixed for the whole job. Please give one of those, like 400 USD fixed.")
	default:
		b.Unit = BudgetFixed
	}
	if v, ok := m.dollarsAndCents(); ok {
		one, two := b, b
		one.Min, one.Max = v, v
		two.Min, two.Max = m.amounts[0], m.amounts[1]
		if one.Max <= 0 {
			return Budget{}, Invalid("The budget has to be more than zero.")
		}
		msg := fmt.Sprintf("Do you mean %s?", one)
		sug := []Choice{{Label: one.String(), Value: one.String()}}
		if two.Min < two.Max {
			msg = fmt.Sprintf("Do you mean %s, or the range %s?", one, two)
			sug = append(sug, Choice{Label: two.String(), Value: two.String()})
		}
		return Budget{}, &InputError{Msg: msg, Suggest: sug}
	}
	switch {
	case len(m.amounts) > 2:
		return Budget{}, Invalid("Please give one amount or a range of two, like 500–800 USD.")
	case m.split && m.amounts[0] < m.amounts[1]:
		// Two numbers side by side, not an amount and its cents: a range
		// is a guess, so it is asked, never taken.
		two := b
		two.Min, two.Max = m.amounts[0], m.amounts[1]
		return Budget{}, &InputError{Msg: fmt.Sprintf("Do you mean the range %s?", two), Suggest: []Choice{{Label: two.String(), Value: two.String()}}}
	case m.split:
		return Budget{}, Invalid("Please give one amount or a range of two, like 500–800 USD.")
	case len(m.amounts) == 2:
		b.Min, b.Max = m.amounts[0], m.amounts[1]
	case m.bound == "max":
		b.Max = m.amounts[0]
	case m.bound == "min":
		// "at least 500": the least is what the job pays; the echo shows it.
		b.Min, b.Max = m.amounts[0], m.amounts[0]
	default:
		b.Min, b.Max = m.amounts[0], m.amounts[0]
	}
	if b.Max <= 0 {
		return Budget{}, Invalid("The budget has to be more than zero.")
	}
	if len(m.ask) > 0 {
		return Budget{}, &InputError{Msg: "Which currency do you mean?", Suggest: currencyChoices(m.ask, func(code string) string {
			c := b
			c.Currency = code
			return c.String()
		})}
	}
	if b.Min > b.Max {
		return Budget{}, Invalid(fmt.Sprintf("The range goes down (%s to %s). Please put the smaller amount first.", FormatAmount(b.Min), FormatAmount(b.Max)))
	}
	return b, nil
}

// RateAnswer is the Parser of a rate step: "45 USD/hour".
func RateAnswer(in string, _ Env) (string, error) {
	r, err := ParseRate(in)
	if err != nil {
		return "", err
	}
	return r.String(), nil
}

// BudgetAnswer is the Parser of a budget step: "30–60 USD/hour", "500 EUR fixed".
func BudgetAnswer(in string, _ Env) (string, error) {
	b, err := ParseBudget(in)
	if err != nil {
		return "", err
	}
	return b.String(), nil
}

// ReadRate turns a stored rate answer back into a Rate.
func ReadRate(s string) (Rate, error) { return ParseRate(s) }

// ReadBudget turns a stored budget answer back into a Budget.
func ReadBudget(s string) (Budget, error) { return ParseBudget(s) }
