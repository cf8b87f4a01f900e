package bot

import (
	"math"
	"strconv"
	"strings"
)

// Currencies converts money for matching: units of each currency (ISO 4217
// code) per 1 USD. Matching compares rates and budgets in USD.
type Currencies map[string]float64

// DefaultCurrencies returns a fixed approximation of exchange rates for the
// common currencies. The figures are not live: they only need to be close
// enough to rank freelancers against a budget. Deployments that care pass
// their own table in IndexConfig.Currencies.
func DefaultCurrencies() Currencies {
	return Currencies{
		"USD": 1,
		"EUR": 0.92,
		"GBP": 0.79,
		"CHF": 0.88,
		"CAD": 1.36,
		"AUD": 1.52,
		"NZD": 1.66,
		"JPY": 150,
		"CNY": 7.2,
		"HKD": 7.8,
		"SGD": 1.34,
		"INR": 83,
		"PKR": 280,
		"BDT": 110,
		"IDR": 15700,
		"PHP": 56,
		"VND": 24500,
		"KRW": 1330,
		"SEK": 10.5,
		"NOK": 10.6,
		"DKK": 6.9,
		"PLN": 4,
		"CZK": 23,
		"HUF": 360,
		"RON": 4.6,
		"UAH": 39,
		"TRY": 32,
		"ILS": 3.7,
		"AED": 3.67,
		"ZAR": 18.5,
		"NGN": 1500,
		"KES": 130,
		"EGP": 48,
		"BRL": 5,
		"MXN": 17,
		"ARS": 900,
		"COP": 3900,
		"CLP": 930,
	}
}

// ToUSD converts amount in cur to USD. ok is false when the currency is not
// in the table; "" counts as USD.
func (c Currencies) ToUSD(amount float64, cur string) (usd float64, ok bool) {
	cur = strings.ToUpper(strings.TrimSpace(cur))
	if cur == "" || cur == "USD" {
		return amount, true
	}
	per, ok := c[cur]
	if !ok || per <= 0 {
		return 0, false
	}
	return amount / per, true
}

// FromUSD converts a USD amount into cur; ok is false for an unknown currency.
func (c Currencies) FromUSD(usd float64, cur string) (amount float64, ok bool) {
	cur = strings.ToUpper(strings.TrimSpace(cur))
	if cur == "" || cur == "USD" {
		return usd, true
	}
	per, ok := c[cur]
	if !ok || per <= 0 {
		return 0, false
	}
	return usd * per, true
}

// currencySymbols are the prefixes people write and that replies show.
var currencySymbols = map[string]string{
	"USD": "$",
	"EUR": "€",
	"GBP": "£",
	"JPY": "¥",
	"INR": "₹",
}

// formatMoney writes an amount for a reason: "$45", "€1200", "30 CHF".
// Amounts are rounded to cents so that what is shown is what was compared.
func FormatMoney(amount float64, cur string) string {
	s := formatCents(amount)
	if sym, ok := currencySymbols[cur]; ok {
		return sym + s
	}
	if cur == "" {
		return "$" + s
	}
	return s + " " + cur
}

// formatMoneyRange writes "$30–60", "30–60 CHF" or "$45" when lo == hi.
func FormatMoneyRange(lo, hi float64, cur string) string {
	if formatCents(lo) == formatCents(hi) {
		return FormatMoney(hi, cur)
	}
	if sym, ok := currencySymbols[cur]; ok || cur == "" {
		if !ok {
			sym = "$"
		}
		return sym + formatCents(lo) + "–" + formatCents(hi)
	}
	return formatCents(lo) + "–" + formatCents(hi) + " " + cur
}

func formatCents(v float64) string {
	if !(v > -1e12 && v < 1e12) {
		v = math.Copysign(1e12, v) // beyond any real amount; keeps int64 from overflowing
	}
	cents := int64(v*100 + 0.5)
	if v < 0 {
		cents = int64(v*100 - 0.5)
	}
	whole := cents / 100
	frac := cents % 100
	if frac < 0 {
		frac = -frac
	}
	s := itoa(whole)
	if frac != 0 {
		if frac%10 == 0 {
			s += "." + itoa(frac/10)
		} else if frac < 10 {
			s += ".0" + itoa(frac)
		} else {
			s += "." + itoa(frac)
		}
	}
	return s
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
