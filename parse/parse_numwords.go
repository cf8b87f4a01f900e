package parse

import (
	"math"
	"strconv"
	"strings"
	"unicode"
)

var smallNumbers = map[string]float64{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
	"fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
	"nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
	"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
	"couple": 2, "pair": 2, "few": 3, "several": 3, "dozen": 12,
}

// numberScales multiply the number before them. "m" and "mn" are millions
// only where money is read (see readNumber's money flag).
var numberScales = map[string]float64{
	"k": 1e3, "thousand": 1e3, "thousands": 1e3, "grand": 1e3,
	"lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "lacs": 1e5,
	"million": 1e6, "millions": 1e6, "mio": 1e6, "crore": 1e7, "crores": 1e7, "cr": 1e7,
	"billion": 1e9, "bn": 1e9,
}

// fractionWords are parts of one.
var fractionWords = map[string]float64{"half": 0.5, "halves": 0.5, "quarter": 0.25, "quarters": 0.25, "third": 1.0 / 3, "thirds": 1.0 / 3}

// numberPhrase is one number read from tokens.
type numberPhrase struct {
	value  float64
	end    int  // index after the last token used
	scaled bool // a scale word (k, lakh, thousand) was applied
	digits bool // written with digits
	whole  bool // an integer written with one or two digits and nothing else ("43")
}

// isNumberStart reports whether tokens[i] can begin a number phrase.
func isNumberStart(toks []string, i int) bool {
	_, ok := readNumber(toks, i)
	return ok
}

// readNumber reads the number phrase starting at toks[i].
func readNumber(toks []string, i int) (numberPhrase, bool) {
	if i >= len(toks) {
		return numberPhrase{}, false
	}
	var p numberPhrase
	t := toks[i]
	switch {
	case t[0] >= '0' && t[0] <= '9':
		v, err := strconv.ParseFloat(t, 64)
		if err != nil {
			return p, false
		}
		p = numberPhrase{value: v, end: i + 1, digits: true, whole: len(t) <= 2 && !strings.Contains(t, ".")}
		if s, ok := numberScales[tokAt(toks, p.end)]; ok {
			p.value *= s
			p.end++
			p.scaled, p.whole = true, false
		} else if tokAt(toks, p.end) == "hundred" {
			p.value *= 100
			p.end++
			p.whole = false
		}
		p = addFraction(toks, p)
		return addPoint(toks, p), true
	case t == "a" || t == "an":
		next := tokAt(toks, i+1)
		if _, ok := numberScales[next]; ok && next != "k" && next != "cr" {
			return readWords(toks, i+1, 1)
		}
		if next == "hundred" || next == "couple" || next == "dozen" || next == "pair" || next == "few" {
			return readWords(toks, i+1, 1)
		}
		if next == "half" || next == "quarter" || next == "third" {
			return numberPhrase{value: fractionWords[next], end: i + 2}, true
		}
		return p, false
	case t == "half":
		return numberPhrase{value: 0.5, end: i + 1}, true
	}
	return readWords(toks, i, 0)
}

// readWords reads "fifteen hundred", "two thousand five hundred and ten",
// "twenty five"; lead is a count already read ("a" before "hundred").
func readWords(toks []string, i int, lead float64) (numberPhrase, bool) {
	total, cur := 0.0, lead
	seen := lead > 0
	j := i
	for j < len(toks) {
		t := toks[j]
		if v, ok := smallNumbers[t]; ok {
			switch {
			case t == "couple" || t == "pair" || t == "few" || t == "several":
				if seen && cur != 1 {
					break
				}
				cur = v
				j++
				if tokAt(toks, j) == "of" {
					j++
				}
				seen = true
				continue
			case t == "dozen":
				cur = max(cur, 1) * 12
				j++
				seen = true
				continue
			case !seen, cur == 0 && total > 0, tensOpen(cur) && v >= 1 && v <= 9, hundredsOpen(cur) && v < 100:
				cur += v
				j++
				seen = true
				continue
			}
			break
		}
		if t == "-" && tensOpen(cur) && smallNumbers[tokAt(toks, j+1)] >= 1 && smallNumbers[tokAt(toks, j+1)] <= 9 {
			j++ // "forty-two"
			continue
		}
		if t == "hundred" && seen {
			cur = max(cur, 1) * 100
			j++
			continue
		}
		if s, ok := numberScales[t]; ok && seen && t != "k" && t != "cr" {
			total += max(cur, 1) * s
			cur = 0
			j++
			continue
		}
		if t == "and" && seen && (total > 0 || cur >= 100) {
			if v, ok := smallNumbers[tokAt(toks, j+1)]; ok && v < 100 && v > 0 {
				j++ // "one hundred and ten"
				continue
			}
		}
		break
	}
	if !seen {
		return numberPhrase{}, false
	}
	p := addFraction(toks, numberPhrase{value: total + cur, end: j})
	return addPoint(toks, p), true
}

// addFraction reads "and a half", "and three quarters", "and one quarter"
// after a number.
func addFraction(toks []string, p numberPhrase) numberPhrase {
	if tokAt(toks, p.end) != "and" {
		return p
	}
	j := p.end + 1
	n := 1.0
	switch w := tokAt(toks, j); {
	case w == "a" || w == "an":
		j++
	case smallNumbers[w] > 0 && smallNumbers[w] < 4 && fractionWords[tokAt(toks, j+1)] > 0:
		n = smallNumbers[w]
		j++
	}
	f, ok := fractionWords[tokAt(toks, j)]
	if !ok {
		return p
	}
	p.value += n * f
	p.end = j + 1
	p.whole = false
	return p
}

// addPoint reads the decimals of "one point five" and "1 point 25".
func addPoint(toks []string, p numberPhrase) numberPhrase {
	if tokAt(toks, p.end) != "point" || p.value != math.Trunc(p.value) {
		return p
	}
	j := p.end + 1
	frac, scale := 0.0, 0.1
	for ; j < len(toks); j++ {
		t := toks[j]
		if d, ok := smallNumbers[t]; ok && d <= 9 && t != "couple" && t != "few" && t != "several" && t != "pair" {
			frac += d * scale
			scale /= 10
			continue
		}
		if t[0] >= '0' && t[0] <= '9' && scale == 0.1 && !strings.Contains(t, ".") {
			f, _ := strconv.ParseFloat("0."+t, 64)
			frac = f
			scale = 0
			j++
		}
		break
	}
	if scale == 0.1 {
		return p
	}
	p.value += frac
	p.end = j
	p.whole = false
	return p
}

func tensOpen(cur float64) bool {
	r := int(cur) % 100
	return cur == float64(int(cur)) && r >= 20 && r%10 == 0
}

func hundredsOpen(cur float64) bool {
	return cur >= 100 && cur == float64(int(cur)) && int(cur)%100 == 0
}

func tokAt(toks []string, i int) string {
	if i < 0 || i >= len(toks) {
		return ""
	}
	return toks[i]
}

// tokenize splits text into lower-case tokens: numbers ("1.5"), words
// ("forty", "two" from "forty-two"; "don't" stays one) and single
// punctuation characters. Spaces go.
func tokenize(s string) []string {
	var out []string
	rs := []rune(strings.ToLower(s))
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r >= '0' && r <= '9':
			j := i
			for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
				j++
			}
			if j+1 < len(rs) && rs[j] == '.' && rs[j+1] >= '0' && rs[j+1] <= '9' {
				j++
				for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
					j++
				}
			}
			out = append(out, string(rs[i:j]))
			i = j
		case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r):
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.Is(unicode.Mn, rs[j]) ||
				(rs[j] == '\'' || rs[j] == '’') && j+1 < len(rs) && unicode.IsLetter(rs[j+1])) {
				j++
			}
			out = append(out, strings.ReplaceAll(string(rs[i:j]), "’", "'"))
			i = j
		case unicode.IsSpace(r):
			i++
		default:
			if r == '–' || r == '—' || r == '−' {
				r = '-'
			}
			out = append(out, string(r))
			i++
		}
	}
	return out
}
