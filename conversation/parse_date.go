package conversation

import (
	"fmt"
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
	"straightaway": true, "anytime": true, "any time": true,
}

var (
	datePrefix = regexp.MustCompile(`^(?:(?:starting|start|beginning|begin|from|on|as of|by|before|no later than|until|till|due|within|in|the)\b\s*)+`)
	isoDate    = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$`)
	numDate    = regexp.MustCompile(`^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}))?$`)
	monthDay   = regexp.MustCompile(`^([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?(?:,? (\d{4}))?$`)
	dayMonth   = regexp.MustCompile(`^(\d{1,2})(?:st|nd|rd|th)?(?: of)? ([a-z]+)\.?(?:,? (\d{4}))?$`)
	duration   = regexp.MustCompile(`^(\d{1,5}|[a-z]+(?: [a-z]+){0,2}) (day|week|month|year)s?(?: from (?:now|today))?$`)
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
	s = strings.TrimSpace(datePrefix.ReplaceAllString(s, ""))
	t, explicit, err := readDate(s, t0)
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
	day := strings.TrimPrefix(strings.TrimPrefix(s, "next "), "this ")
	if wd, ok := weekdayNames[strings.TrimSuffix(day, ".")]; ok {
		return nextWeekday(t0, wd), false, nil
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
	if m := duration.FindStringSubmatch(s); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil {
			var ok bool
			if n, ok = wordNumber(strings.TrimSuffix(strings.TrimPrefix(m[1], "a "), " of")); !ok {
				return time.Time{}, false, Invalid("I couldn't read " + quote(m[1]) + " as a number.")
			}
		}
		if n <= 0 {
			return time.Time{}, false, Invalid("Please give a time after today.")
		}
		if n > 1000 {
			return time.Time{}, false, Invalid("That is too far ahead. Please pick a nearer date.")
		}
		switch m[2] {
		case "day":
			return t0.AddDate(0, 0, n), false, nil
		case "week":
			return t0.AddDate(0, 0, 7*n), false, nil
		case "month":
			return t0.AddDate(0, n, 0), false, nil
		default:
			return t0.AddDate(n, 0, 0), false, nil
		}
	}
	return time.Time{}, false, Invalid("I couldn't read that as a date. Try “next Monday”, “March 3”, “in 2 weeks” or “2026-12-01”.")
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
