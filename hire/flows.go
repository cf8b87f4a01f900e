package hire

import (
	"strconv"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/conversation"
	c "github.com/hirebot/hirebot/parse"
)

// Flow names.
const (
	FlowProfile = "profile"
	FlowJob     = "post"
	FlowDelete  = "delete"
)

// ProfileFlow is the dialog that builds a freelancer's profile. Step IDs are
// the field names of /edit and of the export.
var ProfileFlow = &conversation.Flow{
	Name:         FlowProfile,
	Title:        "your profile",
	Intro:        "Let's build your profile — answer the way you'd say it; I take every fact an answer gives. Say back, skip, cancel or help whenever you like.",
	ConfirmLabel: "Publish",
	Steps: []conversation.Step{
		{ID: "name", Label: "Name", Prompt: "What name should employers see? Say what you do and where too, if you like.", Help: "For example: Maria Santos, a product designer in Lisbon.",
			Parse: c.NameAnswer, Also: []string{"headline", "timezone"}},
		{ID: "headline", Label: "Headline", Prompt: "Your headline in one line?", Help: "For example: Backend developer, Go and PostgreSQL.", Parse: c.TextAnswer(5, 120), Extract: c.ExtractHeadline},
		{ID: "skills", Label: "Skills", Prompt: "Which skills do you offer? Separate them with commas.", Help: "For example: golang, k8s, postgres, react.", Parse: c.SkillsAnswer},
		{ID: "years_experience", Label: "Experience (years)", Prompt: "How many years of experience do you have?", Parse: c.YearsAnswer},
		{ID: "rate", Label: "Rate", Prompt: "What is your rate?", Help: "For example: $45/h, €400 a day, 1,200 EUR per project.", Parse: c.RateAnswer},
		{ID: "hours_per_week", Label: "Hours per week", Prompt: "How many hours a week can you work, and from when?", Help: "For example: 20 hours a week, starting next Monday; full time from March.",
			Choices: []c.Choice{{Label: "Full time", Value: "full time"}, {Label: "Part-time", Value: "part-time"}}, Parse: c.HoursAnswer, Extract: c.ExtractHours, Also: []string{"available_from"}},
		{ID: "available_from", Label: "Available from", Prompt: "From when are you available?", Help: "For example: immediately, next Monday, March 3.",
			Choices: []c.Choice{{Label: "Immediately", Value: "immediately"}}, Parse: c.DateAnswer, Extract: c.ExtractDate, Echo: c.DateEcho},
		{ID: "work_types", Label: "Work types", Prompt: "Which kinds of work do you take?", Help: "Gig, part-time, full-time — one or several.",
			Choices: []c.Choice{{Label: "Gigs", Value: "gig"}, {Label: "Any", Value: "any"}}, Parse: c.WorkTypesAnswer,
			Infer: func(a map[string]string) (string, bool) { return c.WorkTypesFromHours(a["hours_per_week"]) }},
		{ID: "location", Label: "Where", Prompt: "Remote, or on site (in which city)?", Help: "For example: remote, on-site in Berlin, remote or London.",
			Choices: []c.Choice{{Label: "Remote", Value: "remote"}}, Parse: c.LocationAnswer},
		{ID: "timezone", Label: "Time zone", Prompt: "Which time zone do you work in?", Help: "A city or an offset: Berlin, New York, UTC+2, Europe/London.", Parse: c.TimezoneAnswer,
			Extract: c.ExtractTimezone, Echo: c.ZoneEcho, Infer: func(a map[string]string) (string, bool) { return c.TimezoneFromLocation(a["location"]) }},
		{ID: "portfolio", Label: "Portfolio", Prompt: "Links to your work (up to 5)?", Help: "For example: github.com/you, https://dribbble.com/you", Optional: true, Parse: c.URLsAnswer},
		{ID: "bio", Label: "Bio", Prompt: "A short bio: what you do best and for whom.", Optional: true, Parse: c.TextAnswer(10, 1000)},
	},
}

// JobFlow is the dialog that posts a micro job. The non-optional steps come
// first so a platform with few form fields (Discord: 5) can show them all.
var JobFlow = &conversation.Flow{
	Name:         FlowJob,
	Title:        "your job",
	Intro:        "Let's describe the job. Say back, skip, cancel or help whenever you like.",
	ConfirmLabel: "Post",
	Steps: []conversation.Step{
		{ID: "title", Label: "Title", Prompt: "Job title?", Help: "For example: Fix the checkout page of a Shopify store.", Parse: c.TextAnswer(5, 100)},
		{ID: "description", Label: "Scope", Prompt: "What is the scope? A few sentences.", Parse: c.TextAnswer(10, 2000)},
		{ID: "skills", Label: "Skills", Prompt: "Which skills are required? Separate them with commas.", Help: "For example: golang, postgres, docker.", Parse: c.SkillsAnswer},
		{ID: "budget", Label: "Budget", Prompt: "What is the budget?", Help: "Fixed or hourly, a range is fine: $500, 400–600 EUR fixed, $30–60/h.", Parse: c.BudgetAnswer},
		{ID: "deadline", Label: "Deadline", Prompt: "By when must it be done?", Help: "A date or a duration: Dec 15, in 2 weeks, end of month.", Parse: c.DeadlineAnswer, Echo: c.DateEcho},
		{ID: "nice_skills", Label: "Nice to have", Prompt: "Any skills that would be nice to have, but are not required?", Help: "For example: redis, terraform.", Optional: true, Parse: c.SkillsAnswer},
		{ID: "deliverables", Label: "Deliverables", Prompt: "What should be delivered?", Help: "For example: a merged pull request and a short write-up.", Optional: true, Parse: c.TextAnswer(3, 1000)},
		{ID: "location", Label: "Where", Prompt: "Remote, or on site (in which city)?", Optional: true,
			Choices: []c.Choice{{Label: "Remote", Value: "remote"}}, Parse: c.LocationAnswer},
		{ID: "timezone", Label: "Time zone", Prompt: "Which time zone should the freelancer overlap with?", Help: "A city or an offset: Berlin, UTC-5.", Optional: true, Parse: c.TimezoneAnswer, Echo: c.ZoneEcho,
			Infer: func(a map[string]string) (string, bool) { return c.TimezoneFromLocation(a["location"]) }},
	},
}

// DeleteFlow asks once before erasing a person.
var DeleteFlow = &conversation.Flow{
	Name:         FlowDelete,
	Title:        "deleting your account",
	ConfirmText:  "This erases your profile, your jobs and everything else I keep about you. It cannot be undone.",
	ConfirmLabel: "Delete everything",
}

// flows are every dialog by name, the one place a flow is registered.
var flows = map[string]*conversation.Flow{
	FlowProfile: ProfileFlow, FlowJob: JobFlow, FlowDelete: DeleteFlow,
	FlowCounter: CounterFlow, FlowInvite: InviteFlow,
}

// editAliases lets /edit take the names people use for grouped fields.
var editAliases = map[string]string{
	"availability": "hours_per_week", "hours": "hours_per_week", "from": "available_from",
	"remote": "location", "city": "location", "years": "years_experience", "experience": "years_experience",
	"tz": "timezone", "time zone": "timezone", "links": "portfolio", "types": "work_types",
}

// profileFromAnswers builds a profile from a completed profile flow.
func profileFromAnswers(accountID int64, a map[string]string) (bot.Profile, error) {
	p := bot.Profile{
		AccountID: accountID,
		Name:      a["name"],
		Headline:  a["headline"],
		Skills:    c.SplitList(a["skills"]),
		Timezone:  a["timezone"],
		WorkTypes: c.SplitList(a["work_types"]),
		Portfolio: c.SplitList(a["portfolio"]),
		Bio:       a["bio"],
	}
	var err error
	if p.YearsExperience, err = strconv.Atoi(a["years_experience"]); err != nil {
		return p, err
	}
	if p.Rate, err = c.ReadRate(a["rate"]); err != nil {
		return p, err
	}
	if p.Availability.HoursPerWeek, err = c.ReadHours(a["hours_per_week"]); err != nil {
		return p, err
	}
	if p.Availability.AvailableFrom, err = c.ReadDate(a["available_from"]); err != nil {
		return p, err
	}
	if p.Location, err = c.ReadLocation(a["location"]); err != nil {
		return p, err
	}
	return p, nil
}

// profileAnswers is the reverse of profileFromAnswers, to edit a profile.
func profileAnswers(p bot.Profile) map[string]string {
	return map[string]string{
		"name":             p.Name,
		"headline":         p.Headline,
		"skills":           c.ListString(p.Skills),
		"years_experience": strconv.Itoa(p.YearsExperience),
		"rate":             p.Rate.String(),
		"hours_per_week":   c.HoursString(p.Availability.HoursPerWeek),
		"available_from":   c.FormatDate(p.Availability.AvailableFrom),
		"timezone":         p.Timezone,
		"work_types":       c.ListString(p.WorkTypes),
		"location":         p.Location.String(),
		"portfolio":        c.ListString(p.Portfolio),
		"bio":              p.Bio,
	}
}

// jobFromAnswers builds a job from a completed job flow.
func jobFromAnswers(ownerID int64, key string, a map[string]string) (bot.Job, error) {
	j := bot.Job{
		Key:          key,
		OwnerID:      ownerID,
		Title:        a["title"],
		Description:  a["description"],
		Deliverables: a["deliverables"],
		Skills:       c.SplitList(a["skills"]),
		NiceSkills:   c.SplitList(a["nice_skills"]),
		Timezone:     a["timezone"],
		Status:       bot.JobOpen,
		Location:     c.Location{Remote: true},
	}
	var err error
	if j.Budget, err = c.ReadBudget(a["budget"]); err != nil {
		return j, err
	}
	if j.Deadline, err = c.ReadDate(a["deadline"]); err != nil {
		return j, err
	}
	if a["location"] != "" {
		if j.Location, err = c.ReadLocation(a["location"]); err != nil {
			return j, err
		}
	}
	return j, nil
}

// JobForm is the job flow as one form, for platforms with modals.
func JobForm() *bot.Form {
	f := &bot.Form{ID: FlowJob, Title: "Post a job", Submit: "Post"}
	for _, st := range JobFlow.Steps {
		f.Fields = append(f.Fields, bot.FormField{
			ID: st.ID, Label: st.Label, Placeholder: st.Help, Optional: st.Optional,
			Multiline: st.ID == "description" || st.ID == "deliverables",
		})
	}
	return f
}

// parseForm runs every field of a submitted form through its step's parser.
// It returns the answers, or the errors by field ID.
func parseForm(f *conversation.Flow, values map[string]string, now time.Time) (map[string]string, map[string]string) {
	answers, errs := map[string]string{}, map[string]string{}
	for _, st := range f.Steps {
		v := values[st.ID]
		if v == "" {
			if st.Optional {
				answers[st.ID] = ""
			} else {
				errs[st.ID] = "Please fill this in."
			}
			continue
		}
		out, err := st.Parse(v, c.Env{Now: now})
		if err != nil {
			msg := "I couldn't understand this."
			if ie, ok := c.AsInputError(err); ok {
				msg = ie.Msg
			}
			errs[st.ID] = msg
			continue
		}
		answers[st.ID] = out
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return answers, nil
}
