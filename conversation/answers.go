package conversation

import "github.com/hirebot/hirebot/parse"

// The answer parsers and values of package parse, under the names they had
// when they lived here, for code written against conversation before parse
// was carved out of it (the corpus measurement is such code).
//
// Deprecated: use package parse.
type (
	Rate   = parse.Rate
	Budget = parse.Budget
)

// Deprecated: use package parse.
var (
	AsInputError      = parse.AsInputError
	FormatDate        = parse.FormatDate
	HoursString       = parse.HoursString
	ParseBudget       = parse.ParseBudget
	ParseDate         = parse.ParseDate
	ParseDeadline     = parse.ParseDeadline
	ParseHoursPerWeek = parse.ParseHoursPerWeek
	ParseRate         = parse.ParseRate
	ParseSkills       = parse.ParseSkills
	ParseTimezone     = parse.ParseTimezone
	ParseYears        = parse.ParseYears
	ReadBudget        = parse.ReadBudget
	ReadDate          = parse.ReadDate
	ReadRate          = parse.ReadRate
	Skills            = parse.Skills
	SplitList         = parse.SplitList
)
