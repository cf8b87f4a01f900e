package parse

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// maxAhead is how far ahead a start date or deadline may be.
const maxAheadYears = 2

var monthNames = map[string]time.Month{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
	"apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
	"aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
	"october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

var weekdayNames = map[string]time.Weekday{
	"sun": 0, "sunday": 0, "mon": 1, "monday": 1, "tue": 2, "tues": 2, "tuesday": 2,
	"wed": 3, "weds": 3, "wednesday": 3, "thu": 4, "thur": 4, "thurs": 4, "thursday": 4,
	"fri": 5, "friday": 5, "sat": 6, "saturday": 6,
}

// nowWords all mean "today" for a start date.
var nowWords = map[string]bool{
	"now": true, "immediately": true, "asap": true, "today": true, "right away": true,
	"right now": true, "as soon as possible": true, "straight away": true,
	"straightaway": true, "anytime": true, "any time": true, "atm": true, "at the moment": true,
	"at this time": true, "just now": true, "this moment": true, "currently": true, "right now ": true,
}

var (
	datePrefix = regexp.MustCompile(`^(?:(?:starting|start|from|on|as of|by|before|no later than|until|till|due|within|in|the|around|about|approximately|roughly|at|during|sometime|some time|after|i'm free|i am free|free|available|i can start|can start)\b\s*)+`)
	isoDate    = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$`)
	numDate    = regexp.MustCompile(`^(\d{1,2}) ?[/.-] ?(\d{1,2})(?: ?[/.-] ?(\d{4}|\d{2}))?$`)
	monthDay   = regexp.MustCompile(`^([a-z]+)\.? ?(\d{1,2})(?:st|nd|rd|th)?(?:,? '?(\d{4}|\d{2}))?$`)
	dayMonth   = regexp.MustCompile(`^(\d{1,2})(?:st|nd|rd|th)? ?(?:of )?([a-z]+)\.?(?:,? '?(\d{4}|\d{2}))?$`)
	yearMonth  = regexp.MustCompile(`^(\d{4})[-/](\d{1,2})$`)
	monthYear  = regexp.MustCompile(`^(early|mid|middle of|late|beginning of|start of|end of|the end of|next|this)? ?([a-z]+)\.?(?:,? (\d{4}))?( after next)?$`)
	dayOnly    = regexp.MustCompile(`^(\d{1,2})(st|nd|rd|th)?(?: day)?(?: of (this|next) month)?$`)
	weekdayOf  = regexp.MustCompile(`^([a-z]+),? (?:of )?(this|next) week$`)
	weekdayAft = regexp.MustCompile(`^([a-z]+) after next$`)
	periodEdge = regexp.MustCompile(`^(?:(beginning|start|end|middle) of )?(this|next) (week|month|year)$`)
	dayFirst   = regexp.MustCompile(`^([a-z]+)\.?,? (.+)$`)
	dayLast    = regexp.MustCompile(`^(.+?),? ([a-z]+)\.?$`)
	durationRe = regexp.MustCompile(`^(.+?) ?(days?|weeks?|fortnights?|months?|quarters?|years?)(?: and (?:a )?half)?$`)
)

// ordinalWords are the day numbers people spell out.
var ordinalWords = map[string]string{
	"first": "1st", "second": "2nd", "third": "3rd", "fourth": "4th", "fifth": "5th", "sixth": "6th",
	"seventh": "7th", "eighth": "8th", "ninth": "9th", "tenth": "10th", "eleventh": "11th",
	"twelfth": "12th", "thirteenth": "13th", "fourteenth": "14th", "fifteenth": "15th",
	"sixteenth": "16th", "seventeenth": "17th", "eighteenth": "18th", "nineteenth": "19th",
	"twentieth": "20th", "thirtieth": "30th",
}

// dateWords rewrites the words people use for the same thing into one.
var dateWords = strings.NewReplacer(
	"eom", "end of month", "eoy", "end of year", "eow", "end of week",
	"current ", "this ", "coming ", "next ", "upcoming ", "next ", "following ", "next ",
	"the next ", "next ", "next yr", "next year", "tomorrows", "tomorrow",
	" hence", "", " from now", "", " from today", "", " from right now", "", " later", "",
	" the ", " ", "this coming ", "next ", "next next ", "next ", " around ", " ",
)

// today is the date of now at midnight UTC.
func today(now time.Time) time.Time {
	y, m, d := now.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ParseDate reads a start date: "asap", "tomorrow", "next Monday",
// "March 3", "2026-12-01", "in 2 weeks". The result is a date at midnight
// UTC, today or later and at most two years ahead. A date without a year
// that has passed this year means next year.
func ParseDate(in string, now time.Time) (time.Time, error) {
	return parseDate(in, now, false)
}

// ParseDeadline reads a deadline: every date ParseDate accepts that is
// after today, and spans from now ("2 weeks", "a month", "end of next
// week", "by Friday").
func ParseDeadline(in string, now time.Time) (time.Time, error) {
	return parseDate(in, now, true)
}

func parseDate(in string, now time.Time, deadline bool) (time.Time, error) {
	s, ok := clean(in, 60)
	if !ok {
		return time.Time{}, Invalid(tooLong)
	}
	s = strings.ToLower(strings.Trim(s, " .!"))
	if s == "" {
		return time.Time{}, Invalid("I didn't get a date. Try “next Monday”, “March 3” or “2026-12-01”.")
	}
	t0 := today(now)
	if nowWords[s] {
		if deadline {
			return time.Time{}, Invalid("A deadline needs to be after today. Try “in 2 weeks” or “by Friday”.")
		}
		return t0, nil
	}
	s, dayHint := normalizeDate(s)
	if nowWords[s] {
		if deadline {
			return time.Time{}, Invalid("A deadline needs to be after today. Try “in 2 weeks” or “by Friday”.")
		}
		return t0, nil
	}
	t, explicit, err := readDate(s, t0)
	if err != nil {
		if t2, explicit2, ok := readDateWords(s, t0, dayHint); ok {
			t, explicit, err = t2, explicit2, nil
		} else if e := spanError(s); e != nil {
			err = e
		}
	}
	if ie, ok := AsInputError(err); ok && len(ie.Suggest) > 0 {
		// Keep only the suggestions this question accepts; one left is the answer.
		var keep []Choice
		for _, c := range ie.Suggest {
			if d, err := time.Parse(DateLayout, c.Value); err == nil && checkDate(d, t0, deadline, false) == nil {
				keep = append(keep, c)
			}
		}
		switch len(keep) {
		case 0:
			return time.Time{}, Invalid("Neither reading of that date works here. Please write it like 2026-12-01.")
		case 1:
			t, err = time.Parse(DateLayout, keep[0].Value)
		default:
			ie.Suggest = keep
		}
	}
	if err != nil {
		return time.Time{}, err
	}
	if err := checkDate(t, t0, deadline, explicit); err != nil {
		return time.Time{}, err
	}
	return t, nil
}

// checkDate applies the rules every date answer follows.
func checkDate(t, t0 time.Time, deadline, explicit bool) error {
	switch {
	case t.Before(t0):
		if explicit {
			return Invalid(FormatDate(t) + " has already passed. Please give a date from today on.")
		}
		return Invalid("That date has already passed.")
	case deadline && !t.After(t0):
		return Invalid("A deadline needs to be after today. Try “in 2 weeks” or “by Friday”.")
	case t.After(t0.AddDate(maxAheadYears, 0, 0)):
		return Invalid(fmt.Sprintf("%s is more than %d years away. Please pick a nearer date.", FormatDate(t), maxAheadYears))
	}
	return nil
}

// readDate reads the date part of an answer relative to today t0. explicit
// is true for a date written with its year.
func readDate(s string, t0 time.Time) (t time.Time, explicit bool, err error) {
	switch s {
	case "today", "now":
		return t0, false, nil
	case "tomorrow", "tmrw", "tmr":
		return t0.AddDate(0, 0, 1), false, nil
	case "day after tomorrow":
		return t0.AddDate(0, 0, 2), false, nil
	case "next week":
		return nextWeekday(t0, time.Monday), false, nil
	case "next month":
		return time.Date(t0.Year(), t0.Month()+1, 1, 0, 0, 0, 0, time.UTC), false, nil
	case "end of week", "end of the week", "end of this week", "this weekend", "the weekend", "weekend":
		if s == "end of week" || strings.HasPrefix(s, "end") {
			return onOrAfter(t0, time.Friday), false, nil
		}
		return onOrAfter(t0, time.Saturday), false, nil
	case "end of next week", "end of the next week":
		return nextWeekday(t0, time.Monday).AddDate(0, 0, 4), false, nil
	case "end of month", "end of the month", "end of this month", "month end", "month-end":
		return time.Date(t0.Year(), t0.Month()+1, 0, 0, 0, 0, 0, time.UTC), false, nil
	case "end of next month", "end of the next month":
		return time.Date(t0.Year(), t0.Month()+2, 0, 0, 0, 0, 0, time.UTC), false, nil
	case "end of year", "end of the year", "end of this year", "year end":
		return time.Date(t0.Year(), 12, 31, 0, 0, 0, 0, time.UTC), false, nil
	}
	if wd, ok := weekdayNames[strings.TrimSuffix(strings.TrimPrefix(s, "this "), ".")]; ok {
		if strings.HasPrefix(s, "this ") {
			return onOrAfter(t0, wd), false, nil
		}
		return nextWeekday(t0, wd), false, nil
	}
	if wd, ok := weekdayNames[strings.TrimSuffix(strings.TrimPrefix(s, "next "), ".")]; ok {
		// "next Saturday" said on a Tuesday is the Saturday of next week.
		t := nextWeekday(t0, wd)
		if weekStart(t).Equal(weekStart(t0)) {
			t = t.AddDate(0, 0, 7)
		}
		return t, false, nil
	}
	if m := isoDate.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		t, err := makeDate(y, mo, d)
		return t, true, err
	}
	if m := monthDay.FindStringSubmatch(s); m != nil {
		if mo, ok := monthNames[m[1]]; ok {
			return yearDate(t0, m[3], int(mo), m[2])
		}
	}
	if m := dayMonth.FindStringSubmatch(s); m != nil {
		if mo, ok := monthNames[m[2]]; ok {
			return yearDate(t0, m[3], int(mo), m[1])
		}
	}
	if m := numDate.FindStringSubmatch(s); m != nil {
		return numericDate(t0, m)
	}
	return time.Time{}, false, Invalid("I couldn't read that as a date. Try “next Monday”, “March 3”, “in 2 weeks” or “2026-12-01”.")
}

// normalizeDate lower-cases the answer's words into one spelling: "the
// first of march" -> "1st march", "EOM" -> "end of month". dayHint is true
// when the answer started with "the" or "on", so a bare "24" is a day.
func normalizeDate(s string) (string, bool) {
	s = strings.NewReplacer(",", " , ", "twenty-", "twenty ", "thirty-", "thirty ").Replace(s)
	words := strings.Fields(s)
	for i, w := range words {
		o, ok := ordinalWords[w]
		if !ok {
			continue
		}
		words[i] = o
		if tens := map[string]int{"twenty": 20, "thirty": 30}[tokAt(words, i-1)]; tens > 0 && len(o) == 3 {
			words[i-1] = ""
			words[i] = strconv.Itoa(tens+int(o[0]-'0')) + "th"
		}
	}
	s = strings.Join(strings.Fields(strings.Join(words, " ")), " ")
	s = strings.ReplaceAll(s, " ,", ",")
	dayHint := strings.HasPrefix(s, "the ") || strings.HasPrefix(s, "on ")
	s = strings.TrimSpace(datePrefix.ReplaceAllString(s, ""))
	s = strings.TrimSpace(dateWords.Replace(" " + s + " "))
	s = strings.TrimSpace(datePrefix.ReplaceAllString(s, ""))
	return strings.Trim(s, " ,"), dayHint
}

// readDateWords reads what readDate does not: weekdays of a given week,
// weekday plus date, a day of the month alone, months alone or with a year,
// the edges of a week, month or year, and spans ("a fortnight", "three
// months", "a month and a half").
func readDateWords(s string, t0 time.Time, dayHint bool) (time.Time, bool, bool) {
	if m := weekdayOf.FindStringSubmatch(s); m != nil {
		if wd, ok := weekdayNames[m[1]]; ok {
			mon := weekStart(t0)
			if m[2] == "next" {
				mon = mon.AddDate(0, 0, 7)
			}
			return mon.AddDate(0, 0, (int(wd)+6)%7), false, true
		}
	}
	if m := weekdayAft.FindStringSubmatch(s); m != nil {
		if wd, ok := weekdayNames[m[1]]; ok {
			return nextWeekday(t0, wd).AddDate(0, 0, 7), false, true
		}
	}
	if m := periodEdge.FindStringSubmatch(s); m != nil {
		return periodDate(t0, m[1], m[2], m[3]), false, true
	}
	if m := yearMonth.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		if t, err := makeDate(y, mo, 1); err == nil {
			return laterOf(t, t0), true, true
		}
	}
	if len(s) == 4 && s[0] >= '1' && s[0] <= '2' {
		if y, err := strconv.Atoi(s); err == nil && y >= t0.Year() && y <= t0.Year()+maxAheadYears {
			return laterOf(time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), t0), true, true
		}
	}
	if m := monthYear.FindStringSubmatch(s); m != nil {
		if mo, ok := monthNames[m[2]]; ok {
			return monthDate(t0, mo, m[3], m[1], m[4] != "")
		}
	}
	if m := dayOnly.FindStringSubmatch(s); m != nil && (m[2] != "" || dayHint || m[3] != "") {
		d, _ := strconv.Atoi(m[1])
		from := time.Date(t0.Year(), t0.Month(), 1, 0, 0, 0, 0, time.UTC)
		if m[3] == "next" {
			from = from.AddDate(0, 1, 0)
		}
		for i := 0; i < 13; i++ {
			mo := from.AddDate(0, i, 0)
			if t, err := makeDate(mo.Year(), int(mo.Month()), d); err == nil && !t.Before(t0) {
				return t, false, true
			}
		}
	}
	for _, m := range [][]string{dayFirst.FindStringSubmatch(s), reorder(dayLast.FindStringSubmatch(s))} {
		if m == nil {
			continue
		}
		if wd, ok := weekdayNames[m[1]]; ok {
			if t, explicit, ok := weekdayDate(m[2], t0, wd); ok {
				return t, explicit, true
			}
		}
	}
	if t, ok := spanDate(s, t0); ok {
		return t, false, true
	}
	return time.Time{}, false, false
}

// spanError explains a span that cannot be a date ("0 days", "5000 weeks").
func spanError(s string) error {
	m := durationRe.FindStringSubmatch(s)
	if m == nil {
		return nil
	}
	toks := tokenize(m[1])
	p, ok := readNumber(toks, 0)
	switch {
	case !ok || p.end != len(toks):
		return nil
	case p.value <= 0:
		return Invalid("Please give a time after today.")
	case p.value > 1000:
		return Invalid("That is too far ahead. Please pick a nearer date.")
	}
	return nil
}

// reorder puts "Jul 18, Fri" in the order of "Fri, Jul 18".
func reorder(m []string) []string {
	if m == nil {
		return nil
	}
	return []string{m[0], m[2], m[1]}
}

// weekdayDate reads "Feb 18" said with its weekday: the first such date
// from today that falls on that weekday ("Fri, Jul 18" is the next July 18
// that is a Friday; "Thu 15th" the next 15th that is a Thursday).
func weekdayDate(rest string, t0 time.Time, wd time.Weekday) (time.Time, bool, bool) {
	rest = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), "the "))
	if m := monthDay.FindStringSubmatch(rest); m != nil {
		if mo, ok := monthNames[m[1]]; ok && m[3] == "" {
			d, _ := strconv.Atoi(m[2])
			for y := t0.Year(); y <= t0.Year()+maxAheadYears+1; y++ {
				if t, err := makeDate(y, int(mo), d); err == nil && !t.Before(t0) && t.Weekday() == wd {
					return t, false, true
				}
			}
		}
	}
	if m := dayMonth.FindStringSubmatch(rest); m != nil {
		if _, ok := monthNames[m[2]]; ok {
			return weekdayDate(m[2]+" "+m[1], t0, wd)
		}
	}
	if m := dayOnly.FindStringSubmatch(rest); m != nil {
		d, _ := strconv.Atoi(m[1])
		for i := 0; i < 28; i++ {
			mo := time.Date(t0.Year(), t0.Month()+time.Month(i), 1, 0, 0, 0, 0, time.UTC)
			if t, err := makeDate(mo.Year(), int(mo.Month()), d); err == nil && !t.Before(t0) && t.Weekday() == wd {
				return t, false, true
			}
		}
	}
	if t, explicit, err := readDate(rest, t0); err == nil && t.Weekday() == wd {
		return t, explicit, true
	}
	return time.Time{}, false, false
}

// weekStart is the Monday of t's week.
func weekStart(t time.Time) time.Time {
	return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
}

// periodDate: "beginning of next week" is its Monday, "end of this month"
// its last day, "next year" its first day.
func periodDate(t0 time.Time, edge, which, unit string) time.Time {
	var start, end time.Time
	switch unit {
	case "week":
		start = weekStart(t0)
		if which == "next" {
			start = start.AddDate(0, 0, 7)
		}
		end = start.AddDate(0, 0, 4) // the working week ends on Friday
	case "month":
		start = time.Date(t0.Year(), t0.Month(), 1, 0, 0, 0, 0, time.UTC)
		if which == "next" {
			start = start.AddDate(0, 1, 0)
		}
		end = start.AddDate(0, 1, -1)
	default:
		start = time.Date(t0.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		if which == "next" {
			start = start.AddDate(1, 0, 0)
		}
		end = start.AddDate(1, 0, -1)
	}
	switch edge {
	case "end":
		return laterOf(end, t0)
	case "middle":
		return laterOf(start.Add(end.Sub(start)/2).Truncate(24*time.Hour), t0)
	}
	return laterOf(start, t0)
}

// monthDate reads a month with an optional year and part: "March" (its
// first day, or today in the current month), "early/mid/late March",
// "end of April", "October 2014", "March after next".
func monthDate(t0 time.Time, mo time.Month, year, part string, afterNext bool) (time.Time, bool, bool) {
	y := t0.Year()
	explicit := year != ""
	if explicit {
		y, _ = strconv.Atoi(year)
	} else if mo < t0.Month() {
		y++
	}
	if afterNext || part == "next" && mo == t0.Month() {
		y++
	}
	start := time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC)
	switch part {
	case "mid", "middle of":
		start = start.AddDate(0, 0, 14)
	case "late":
		start = start.AddDate(0, 0, 20)
	case "end of", "the end of":
		start = start.AddDate(0, 1, -1)
	}
	return laterOf(start, t0), explicit, true
}

func laterOf(t, t0 time.Time) time.Time {
	if t.Before(t0) && t.Year() == t0.Year() && t.Month() == t0.Month() {
		return t0
	}
	return t
}

// spanDate reads a span from today: "3 days", "a fortnight", "three
// months", "a month and a half", "3 quarters".
func spanDate(s string, t0 time.Time) (time.Time, bool) {
	m := durationRe.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	half := strings.HasSuffix(s, "half")
	toks := tokenize(m[1])
	n := 1.0
	switch {
	case len(toks) == 1 && (toks[0] == "a" || toks[0] == "an"):
	default:
		p, ok := readNumber(toks, 0)
		if !ok || p.end != len(toks) {
			return time.Time{}, false
		}
		n = p.value
	}
	if half {
		n += 0.5
	}
	if n <= 0 || n > 1000 {
		return time.Time{}, false
	}
	days := func(d float64) time.Time { return t0.AddDate(0, 0, int(math.Round(d))) }
	months := func(k float64) time.Time {
		whole := math.Floor(k)
		return t0.AddDate(0, int(whole), int(math.Round((k-whole)*30)))
	}
	switch strings.TrimSuffix(m[2], "s") {
	case "day":
		return days(n), true
	case "week":
		return days(7 * n), true
	case "fortnight":
		return days(14 * n), true
	case "month":
		return months(n), true
	case "quarter":
		return months(3 * n), true
	}
	return months(12 * n), true
}

// nextWeekday is the first day after t0 that falls on wd ("Monday" said on
// a Monday means the Monday a week later).
func nextWeekday(t0 time.Time, wd time.Weekday) time.Time {
	d := (int(wd) - int(t0.Weekday()) + 7) % 7
	if d == 0 {
		d = 7
	}
	return t0.AddDate(0, 0, d)
}

// onOrAfter is t0 itself when it falls on wd, else the next wd.
func onOrAfter(t0 time.Time, wd time.Weekday) time.Time {
	return t0.AddDate(0, 0, (int(wd)-int(t0.Weekday())+7)%7)
}

// makeDate builds a date, refusing the ones the calendar doesn't have
// (time.Date would quietly turn February 30 into March 2).
func makeDate(y, m, d int) (time.Time, error) {
	if y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, Invalid("That isn't a date I know. Try “2026-12-01” or “March 3”.")
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, Invalid(fmt.Sprintf("%s doesn't have a day %d.", time.Month(m), d))
	}
	return t, nil
}

// yearDate builds a date of month mo, day ds, in year ys if given, else in
// the next year in which it is not in the past.
func yearDate(t0 time.Time, ys string, mo int, ds string) (time.Time, bool, error) {
	d, _ := strconv.Atoi(ds)
	if ys != "" {
		y, _ := strconv.Atoi(ys)
		if len(ys) == 2 {
			y += 2000
		}
		t, err := makeDate(y, mo, d)
		return t, true, err
	}
	var err error
	for y := t0.Year(); y <= t0.Year()+8; y++ {
		var t time.Time
		if t, err = makeDate(y, mo, d); err == nil && !t.Before(t0) {
			return t, false, nil
		}
	}
	if err == nil { // cannot happen: some year within eight has the date
		err = Invalid("That date has already passed.")
	}
	return time.Time{}, false, err
}

// numericDate reads "3/12" or "03.12.2026". When both orders make a
// date it asks which was meant, offering both.
func numericDate(t0 time.Time, m []string) (time.Time, bool, error) {
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	dmy, _, err1 := yearDate(t0, m[3], b, strconv.Itoa(a))
	mdy, _, err2 := yearDate(t0, m[3], a, strconv.Itoa(b))
	explicit := m[3] != ""
	switch {
	case err1 != nil && err2 != nil:
		return time.Time{}, false, Invalid("That isn't a date I know. Try “2026-12-01” or “March 3”.")
	case err2 != nil || dmy.Equal(mdy):
		return dmy, explicit, nil
	case err1 != nil:
		return mdy, explicit, nil
	}
	return time.Time{}, false, &InputError{
		Msg: fmt.Sprintf("Is that %s or %s?", longDate(dmy), longDate(mdy)),
		Suggest: []Choice{
			{Label: longDate(dmy), Value: FormatDate(dmy)},
			{Label: longDate(mdy), Value: FormatDate(mdy)},
		},
	}
}

func longDate(t time.Time) string { return t.Format("2 January 2006") }

// DateAnswer is the Parser of a start-date step: "2026-12-01".
func DateAnswer(in string, env Env) (string, error) {
	t, err := ParseDate(in, env.Now)
	if err != nil {
		return "", err
	}
	return FormatDate(t), nil
}

// DeadlineAnswer is the Parser of a deadline step: "2026-12-01".
func DeadlineAnswer(in string, env Env) (string, error) {
	t, err := ParseDeadline(in, env.Now)
	if err != nil {
		return "", err
	}
	return FormatDate(t), nil
}

// ReadDate turns a stored date answer back into a date at midnight UTC.
func ReadDate(s string) (time.Time, error) {
	t, err := time.Parse(DateLayout, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, Invalid("That isn't a date in the form 2026-12-01.")
	}
	return t, nil
}
