package hire

import (
	"context"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/parse"
)

// intent answers free text outside a dialog: a sentence that asks for
// something starts it ("I'm hiring a React developer" starts the job
// dialog with React taken); anything else gets the greeting.
func (t *turn) intent(ctx context.Context, text string) ([]bot.Reply, error) {
	in := parse.ReadIntent(text)
	switch in.Name {
	case parse.IntentHelp:
		return say(bot.HelpText), nil
	case parse.IntentProfile:
		return t.profile(ctx)
	case parse.IntentPost:
		var prefill map[string]string
		if len(in.Skills) > 0 {
			prefill = map[string]string{"skills": parse.ListString(in.Skills)}
		}
		return t.post(ctx, prefill)
	case parse.IntentSearch:
		return t.search(ctx, in.Query)
	case parse.IntentJobs:
		return t.jobs(ctx)
	}
	return t.greet(ctx, in.Name == parse.IntentGreet)
}

// searchAsk asks what to search for.
const searchAsk = "Whom should I look for? Tell me, e.g. “find me a Go developer”, or use filters: /search go postgres rate<60 tz:Europe/Berlin available"

// greet says what hirebot does, with a button for each main action. A
// sentence it did not understand gets the same, said as such.
func (t *turn) greet(ctx context.Context, greeted bool) ([]bot.Reply, error) {
	text := "Hi! I'm hirebot: I find freelancers for small jobs, and small jobs for freelancers."
	if !greeted {
		text = "I'm not sure what you mean."
	}
	text += " Tell me what you need, e.g. “build my profile”, “I'm hiring a React developer” or “find me a Go developer”, or press a button. Say /help for everything."
	profile := bot.Button{Label: "Build my profile", Value: "/profile", Style: "primary"}
	_, err := t.b.store.Profile(ctx, t.acct.ID)
	switch {
	case err == nil:
		profile = bot.Button{Label: "My profile", Value: "/profile"}
	case bot.ErrorCode(err) != bot.ENOTFOUND:
		return nil, err
	}
	return []bot.Reply{{Text: text, Buttons: []bot.Button{
		profile,
		{Label: "Post a job", Value: "/post"},
		{Label: "Find freelancers", Value: "/search"},
		{Label: "Jobs for me", Value: "/jobs"},
		{Label: "Help", Value: "/help"},
	}}}, nil
}

// post starts the job dialog (a form where the platform has forms, the
// gig dialog in a community with a board), with prefill already taken.
func (t *turn) post(ctx context.Context, prefill map[string]string) ([]bot.Reply, error) {
	replies, done, err := t.postCommand(ctx, prefill) // board_post.go
	if !done {
		if t.ev.Forms {
			f := JobForm()
			for i := range f.Fields {
				f.Fields[i].Value = prefill[f.Fields[i].ID]
			}
			return []bot.Reply{{Form: f}}, nil
		}
		replies, err = t.start(ctx, JobFlow, newRef(), prefill, "")
	}
	if err != nil || prefill["skills"] == "" {
		return replies, err
	}
	// Say what was taken, before the first question.
	n := len(replies)
	if n == 0 {
		return replies, nil
	}
	noted := bot.Reply{To: replies[n-1].To, Text: "Noted: the job needs " + prefill["skills"] + ". You can change that before it is posted."}
	return append(replies[:n-1:n-1], noted, replies[n-1]), nil
}
