package conversation

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// maxAmount is the largest rate or budget hirebot takes as meant.
const maxAmount = 1_000_000

// currencySymbols are written before or after an amount. Longer ones first
// so "US$" is not read as "$".
var currencySymbols = []struct{ sym, code string }{
	{"us$", "USD"}, {"au$", "AUD"}, {"a$", "AUD"}, {"ca$", "CAD"}, {"c$", "CAD"},
	{"nz$", "NZD"}, {"hk$", "HKD"}, {"s$", "SGD"}, {"r$", "BRL"}, {"mx$", "MXN"},
	{"$", "USD"}, {"€", "EUR"}, {"£", "GBP"}, {"₹", "INR"}, {"¥", "JPY"}, {"₽", "RUB"},
	{"₩", "KRW"}, {"₺", "TRY"}, {"₪", "ILS"}, {"₱", "PHP"}, {"₦", "NGN"}, {"฿", "THB"},
	{"₫", "VND"}, {"₴", "UAH"}, {"zł", "PLN"}, {"kč", "CZK"},
}

// currencyWords are ISO codes and the words people use for money.
var currencyWords = map[string]string{
	"dollar": "USD", "dollars": "USD", "bucks": "USD", "buck": "USD", "usd": "USD",
	"euro": "EUR", "euros": "EUR", "eur": "EUR",
	"pound": "GBP", "pounds": "GBP", "quid": "GBP", "gbp": "GBP",
	"rupee": "INR", "rupees": "INR", "rs": "INR", "inr": "INR",
	"yen": "JPY", "jpy": "JPY", "franc": "CHF", "francs": "CHF", "chf": "CHF",
	"yuan": "CNY", "rmb": "CNY", "cny": "CNY", "zloty": "PLN", "pln": "PLN",
	"rand": "ZAR", "zar": "ZAR", "naira": "NGN", "ngn": "NGN", "pesos": "MXN",
	"real": "BRL", "reais": "BRL", "brl": "BRL", "hryvnia": "UAH", "uah": "UAH",
	"cad": "CAD", "aud": "AUD", "nzd": "NZD", "sgd": "SGD", "hkd": "HKD",
	"sek": "SEK", "nok": "NOK", "dkk": "DKK", "czk": "CZK", "huf": "HUF",
	"ron": "RON", "bgn": "BGN", "mxn": "MXN", "ars": "ARS", "clp": "CLP",
	"cop": "COP", "pen": "PEN", "kes": "KES", "egp": "EGP", "try": "TRY",
	"ils": "ILS", "aed": "AED", "sar": "SAR", "krw": "KRW", "twd": "TWD",
	"thb": "THB", "php": "PHP", "idr": "IDR", "myr": "MYR", "vnd": "VND",
	"pkr": "PKR", "bdt": "BDT", "rub": "RUB", "ghs": "GHS", "mad": "MAD",
}

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
	"+": true, "pay": true, "paid": true, "amount": true,
}

var (
	thousandsComma = regexp.MustCompile(`(\d),(\d{3})\b`)
	decimalComma   = regexp.MustCompile(`(\d),(\d{1,2})\b`)
	moneySplit     = regexp.MustCompile(`(\d+(?:\.\d+)?|[\p{L}]+|[^\s\p{L}\d])`)
)

type moneyToken struct {
	kind byte // 'n' number, 'c' currency, 'u' unit, '-' range, 'w' other word
	num  float64
	text string
}

// tokenizeMoney turns "€1,200–1,500 per project" into number, currency,
// range and unit tokens. It reports the first word it can't place.
func tokenizeMoney(in string) ([]moneyToken, string) {
	s := strings.ToLower(in)
	for _, d := range []string{"–", "—", "−"} {
		s = strings.ReplaceAll(s, d, "-")
	}
	for i := 0; i < 3; i++ { // 1,200,000 needs more than one pass
		s = thousandsComma.ReplaceAllString(s, "$1$2")
	}
	s = decimalComma.ReplaceAllString(s, "$1.$2")
	for _, c := range currencySymbols {
		s = strings.ReplaceAll(s, c.sym, " "+c.code+" ")
	}
	s = strings.ReplaceAll(s, "up to", " upto ")
	var toks []moneyToken
	for _, w := range moneySplit.FindAllString(s, -1) {
		switch {
		case w[0] >= '0' && w[0] <= '9':
			n, err := strconv.ParseFloat(w, 64)
			if err != nil {
				return nil, w
			}
			toks = append(toks, moneyToken{kind: 'n', num: n, text: w})
		case w == "k" && len(toks) > 0 && toks[len(toks)-1].kind == 'n':
			toks[len(toks)-1].num *= 1000
		case w == "-" || w == "to" || w == "and":
			toks = append(toks, moneyToken{kind: '-', text: w})
		case currencyWords[w] != "":
			toks = append(toks, moneyToken{kind: 'c', text: currencyWords[w]})
		case strings.ToUpper(w) == w && len(w) == 3 && isCode(w):
			toks = append(toks, moneyToken{kind: 'c', text: w})
		case unitWords[w] != "":
			toks = append(toks, moneyToken{kind: 'u', text: unitWords[w]})
		case moneyFiller[w]:
		default:
			toks = append(toks, moneyToken{kind: 'w', text: w})
		}
	}
	return toks, ""
}

// isCode reports a currency code that tokenizeMoney put in for a symbol.
func isCode(w string) bool {
	for _, c := range currencySymbols {
		if c.code == w {
			return true
		}
	}
	return false
}

// money is what an amount answer said, before deciding whether it is a
// rate or a budget.
type money struct {
	amounts  []float64
	negative bool
	currency string
	unit     string
	upTo     bool
	between  bool
}

func readMoney(in string, example string) (money, error) {
	s, ok := clean(in, maxParse)
	if !ok {
		return money{}, Invalid(tooLong)
	}
	if s == "" {
		return money{}, Invalid("I didn't get an amount. Try " + example + ".")
	}
	toks, bad := tokenizeMoney(s)
	if bad != "" {
		return money{}, Invalid("I couldn't read " + quote(bad) + " as a number.")
	}
	var m money
	for i, t := range toks {
		switch t.kind {
		case 'n':
			m.amounts = append(m.amounts, t.num)
		case '-':
			if len(m.amounts) == 0 && t.text == "-" && i+1 < len(toks) && toks[i+1].kind == 'n' {
				m.negative = true
			} else if len(m.amounts) == 0 && t.text != "-" {
				return money{}, Invalid("I couldn't read that as an amount. Try " + example + ".")
			}
		case 'c':
			if m.currency != "" && m.currency != t.text {
				return money{}, Invalid("That has two currencies (" + m.currency + " and " + t.text + "). Please give one.")
			}
			m.currency = t.text
		case 'u':
			if m.unit != "" && m.unit != t.text {
				return money{}, Invalid("Is that per " + m.unit + " or per " + t.text + "? Please give one.")
			}
			m.unit = t.text
		case 'w':
			switch t.text {
			case "upto", "max", "maximum", "under", "below", "most":
				m.upTo = true
			case "between", "from", "range", "min", "minimum", "least":
				m.between = true
			default:
				return money{}, Invalid("I couldn't read " + quote(t.text) + " in an amount. Try " + example + ".")
			}
		}
	}
	if len(m.amounts) == 0 {
		return money{}, Invalid("I didn't find an amount. Try " + example + ".")
	}
	if m.negative {
		return money{}, Invalid("The amount has to be more than zero.")
	}
	for i, a := range m.amounts {
		if a > maxAmount {
			return money{}, Invalid(fmt.Sprintf("%s is more than I can take as meant (at most %s). Please check the amount.", FormatAmount(a), FormatAmount(maxAmount)))
		}
		m.amounts[i] = math.Round(a*100) / 100
	}
	if m.currency == "" {
		m.currency = "USD"
	}
	return m, nil
}

// ParseRate reads a freelancer's rate: "$45/h", "400 EUR a day",
// "£35 hourly", "1,200 EUR per project". Without a currency it is USD (the
// echo shows it). Without a unit the answer is an *InputError offering the
// three complete answers.
func ParseRate(in string) (Rate, error) {
	m, err := readMoney(in, "“45 USD/hour” or “400 EUR per day”")
	if err != nil {
		return Rate{}, err
	}
	if len(m.amounts) > 1 || m.upTo {
		return Rate{}, Invalid("Please give one rate rather than a range, for example 45 USD/hour.")
	}
	r := Rate{Amount: m.amounts[0], Currency: m.currency, Unit: m.unit}
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
func ParseBudget(in string) (Budget, error) {
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
	switch {
	case len(m.amounts) > 2:
		return Budget{}, Invalid("Please give one amount or a range of two, like 500–800 USD.")
	case len(m.amounts) == 2:
		b.Min, b.Max = m.amounts[0], m.amounts[1]
	case m.upTo:
		b.Max = m.amounts[0]
	default:
		b.Min, b.Max = m.amounts[0], m.amounts[0]
	}
	if b.Max <= 0 {
		return Budget{}, Invalid("The budget has to be more than zero.")
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
