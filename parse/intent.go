package parse

import (
	"regexp"
	"strings"
)

// Intents.
const (
	// IntentNone: the sentence asks for nothing ReadIntent knows.
	IntentNone = ""
	// IntentGreet: hello, hi, start.
	IntentGreet = "greet"
	// IntentHelp: help, what can you do.
	IntentHelp = "help"
	// IntentProfile: build or see one's freelancer profile ("profile",
	// "I'm a freelancer").
	IntentProfile = "profile"
	// IntentPost: post a job ("post a job", "I'm hiring a React developer").
	IntentPost = "post"
	// IntentSearch: find freelancers ("find me a Go developer").
	IntentSearch = "search"
	// IntentJobs: find work ("any gigs for me?", "looking for work").
	IntentJobs = "jobs"
)

// Intent is what a sentence asks for, with what it already said.
type Intent struct {
	Name string
	// Skills are the skills a job to post needs, by the vocabulary's names
	// ("a React and Node developer": React, Node.js).
	Skills []string
	// Query is what to search for, in the words typed ("go"), for
	// IntentSearch; empty when the sentence named nobody in particular.
	Query string
}

// maxIntentInput is the longest sentence read for an intent, in
// characters: a request is a short sentence, a longer text is something else.
const maxIntentInput = 200

var (
	intentHelp  = regexp.MustCompile(`^(?:(?:i need |need |please |can you )?help(?: me)?(?: please| pls)?|\?+|what can you do|what do you do|what can i do(?: here)?|how does (?:this|it) work|how do i (?:use|start)(?: this| you)?|commands|menu|options|(?:show (?:me )?)?(?:the |your |all )?commands|what are (?:the|your) commands|what is this|who are you)$`)
	intentGreet = regexp.MustCompile(`^(?:hi|hello|hey|hiya|heya|yo|howdy|hallo|hola|greetings|good (?:morning|afternoon|evening|day)|start|get started|let's (?:start|go|begin)|begin)(?: there| hirebot| bot)?$`)
	// intentLead is what comes before the request and is not it.
	intentLead = regexp.MustCompile(`^(?:(?:hi|hello|hey|hiya|yo|howdy|good (?:morning|afternoon|evening))(?: there| hirebot| bot)?[,!.]* |(?:ok|okay|so|well|um|uh|please|pls|can you|could you|would you|can i|could i|i want to|i wanna|i'd like to|i would like to|i need to|let me|let's|help me|i'm trying to|i am trying to|trying to|how (?:do|can) i) )+`)
	// intentHireMe is a freelancer offering themself, not a hiring.
	intentHireMe = regexp.MustCompile(`\b(?:hire|hiring) me\b`)
	intentPost   = regexp.MustCompile(`\b(?:(?:hire|hiring|recruit|recruiting)\b(?: for)?|post(?:ing)?\b(?: (?:a|an|my|our|new|the))*(?: (?:job|gig|project|task|opening|vacancy|position|role|offer)s?\b)?(?: for)?|(?:^|(?:i|we) )(?:need|want|am looking for someone|are looking for someone) (?:a|an|some|someone|somebody|two|three|a few)\b|(?:i|we) (?:have|got) (?:a|an) (?:job|gig|project|task)\b(?: for)?)`)
	// intentProfile names the profile, or joining as a freelancer.
	intentProfile = regexp.MustCompile(`\b(?:profile|sign (?:me )?up|signup|register|join as (?:a )?freelancer|get listed|list me)\b`)
	intentSearch  = regexp.MustCompile(`\b(?:find|finding|search(?:ing)?(?: for)?|look(?:ing)? for|show me|browse|who knows|anyone (?:who knows|with)|recommend)\b`)
	// intentSelf is a person saying what they do: "I'm a Go developer".
	intentSelf = regexp.MustCompile(`^(?:i'm|im|i am|i work as|i'm working as|i freelance as|i'm currently) (?:a|an) `)
	// intentJobs asks for work outright.
	intentJobs = regexp.MustCompile(`^(?:show (?:me )?|any |open |new |my |see )*(?:jobs|gigs|open jobs)(?: for me)?$`)
)

// Words of an object phrase ("a senior React developer for my startup").
var (
	// intentFiller is never a skill or a search word.
	intentFiller = toSet("a an the me us some someone somebody anyone anybody good great experienced senior junior mid mid-level " +
		"freelance new two three four five few couple of my our your i we you it this that talented skilled solid " +
		"and or & plus / , please pls asap quick quickly urgent urgently really very")
	// intentRole names the person, not what they do ("React developer").
	intentRole = toSet("developer developers dev devs engineer engineers programmer programmers coder coders designer designers " +
		"freelancer freelancers expert experts specialist specialists consultant consultants contractor contractors person people " +
		"guy guys professional professionals pro pros ninja guru wizard architect architects artist artists talent help " +
		"illustrator illustrators") // a person who illustrates, not Adobe Illustrator
	// intentNamed are roles that say what to search for ("find me a
	// designer"); the others say only that it is a person.
	intentNamed = toSet("developer designer engineer programmer coder architect artist illustrator consultant")
	// intentEmployer is a person saying they hire: "I'm a recruiter".
	intentEmployer = toSet("employer recruiter client company startup agency business founder hiring")
	// intentAside ends the description of the person: what follows is the
	// job or its terms ("for my shop", "by Friday"), read for skills only
	// after a word of intentWith.
	intentAside = toSet("for to at from by within under over starting next this until before must should")
	// intentClause ends the description too, but not a list of skills
	// after intentWith: "with experience in WordPress".
	intentClause = toSet("who who's that which in on can")
	// intentWith introduces skills after the description: "who knows
	// Shopify", "with React", "experienced in Go".
	intentWith = toSet("with knows know knowing using skilled experienced familiar fluent proficient")
	// intentWork are the words of a search for work, not for people.
	intentWork = toSet("work job jobs gig gigs project projects client clients freelance-work")
)

func toSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// ReadIntent reads a sentence typed outside a dialog.
func ReadIntent(in string) Intent {
	s, ok := clean(in, maxIntentInput)
	if !ok {
		return Intent{}
	}
	s = strings.ToLower(strings.NewReplacer("’", "'", "‘", "'", "`", "'").Replace(s))
	s = strings.TrimRight(s, " .!…")
	switch {
	case s == "":
		return Intent{}
	case intentHelp.MatchString(strings.TrimRight(s, "?")) || strings.Trim(s, "?") == "":
		return Intent{Name: IntentHelp}
	case intentGreet.MatchString(s):
		return Intent{Name: IntentGreet}
	}
	s = strings.TrimRight(s, "?")
	s = intentLead.ReplaceAllString(s, "")
	offers := intentHireMe.MatchString(s)
	if offers {
		s = intentHireMe.ReplaceAllString(s, "")
	}
	if intentHelp.MatchString(s) {
		return Intent{Name: IntentHelp}
	}
	if loc := intentPost.FindStringIndex(s); loc != nil && !offers {
		return Intent{Name: IntentPost, Skills: objectPhrase(s[loc[1]:]).skills}
	}
	if intentProfile.MatchString(s) || offers {
		return Intent{Name: IntentProfile}
	}
	var self bool
	if intentSelf.MatchString(s) {
		desc := intentSelf.ReplaceAllString(s, "")
		if first, _, _ := strings.Cut(desc, " "); intentEmployer[first] {
			return Intent{Name: IntentPost}
		}
		self = describesWork(desc)
	}
	if loc := intentSearch.FindStringIndex(s); loc != nil {
		p := objectPhrase(s[loc[1]:])
		switch {
		case intentWork[p.head] || anyIn(p.words, intentWork):
			return Intent{Name: IntentJobs}
		case self:
			return Intent{Name: IntentProfile}
		}
		return Intent{Name: IntentSearch, Query: p.query()}
	}
	switch {
	case self:
		return Intent{Name: IntentProfile}
	case intentJobs.MatchString(s):
		return Intent{Name: IntentJobs}
	}
	if p := objectPhrase(strings.ReplaceAll(s, ",", " and ")); len(p.skills) > 0 && p.other == 0 {
		// Nothing but skills and roles: "react developer", "go, postgres".
		return Intent{Name: IntentSearch, Query: p.query()}
	}
	return Intent{}
}

// query is what to search for: the words that describe the person
// ("react native"), the skills said after them ("who knows Figma"), or
// else the role when it names a trade ("designer").
func (p phrase) query() string {
	q := strings.Join(p.words, " ")
	for _, sk := range p.skills {
		if !strings.Contains(normKey(q), normKey(sk)) && !anyLookup(p.words, sk) {
			q = strings.TrimSpace(q + " " + sk)
		}
	}
	if q == "" && intentNamed[p.head] {
		q = p.head
	}
	return q
}

// anyLookup reports whether one of words is the skill named sk.
func anyLookup(words []string, sk string) bool {
	for _, w := range words {
		if s, ok := Skills().Lookup(w); ok && s.Name == sk {
			return true
		}
	}
	return false
}

func anyIn(words []string, set map[string]bool) bool {
	for _, w := range words {
		if set[w] {
			return true
		}
	}
	return false
}

// describesWork reports whether a description of oneself ("freelance Go
// developer in Lisbon") names a trade: a freelancer, a role or a skill.
func describesWork(desc string) bool {
	p := objectPhrase(desc)
	return len(p.skills) > 0 || p.head != "" && p.head != "person" && p.head != "guy" || strings.HasPrefix(desc, "freelance")
}

// phrase is what objectPhrase read.
type phrase struct {
	skills []string // every skill named
	words  []string // the words that describe the person, as typed
	head   string   // the role noun ("developer"), singular
	other  int      // how many words were neither skills, roles nor filler
}

// objectPhrase reads the person a request is about: "a senior React and
// Node developer for my shop who knows Shopify" gives the skills React,
// Node.js and Shopify, the words [react node] that describe the person,
// and the role noun "developer". After the description (a comma, a word of
// intentAside), only skills introduced by a word of intentWith are taken.
func objectPhrase(s string) (p phrase) {
	v := Skills()
	var toks []string
	for _, f := range strings.Fields(s) {
		t := strings.Trim(f, ",.;:!?()\"'“”")
		t = strings.TrimSuffix(strings.TrimSuffix(t, "'s"), "'")
		if t != "" {
			toks = append(toks, t)
		}
		if strings.ContainsAny(f[len(f)-1:], ",.;:!?") {
			toks = append(toks, ",")
		}
	}
	const (
		describing = iota // the person: "a senior React developer"
		aside             // the job or its terms: nothing taken
		taking            // skills after "with", "who knows"
	)
	state := describing
	for i := 0; i < len(toks); {
		if state != aside {
			if sk, n := skillAt(v, toks[i:]); n > 0 {
				p.skills = appendFold(p.skills, sk)
				if state == describing {
					p.words = append(p.words, toks[i:i+n]...)
				}
				i += n
				continue
			}
		}
		switch t := toks[i]; {
		case t == ",":
			if p.head != "" || len(p.words) > 0 {
				state = aside
			}
		case intentWith[t]:
			state = taking
		case intentAside[t], intentClause[t] && state == describing:
			state = aside
			p.other++
		case intentFiller[t]:
		case state != describing:
			p.other++
		case intentRole[t]:
			p.head = t
			if t != "people" && t != "guys" {
				p.head = strings.TrimSuffix(t, "s")
			}
			state = aside // the person is named: "a Go developer"
		default:
			p.other++
			if p.head == "" {
				p.words = append(p.words, t)
			}
		}
		i++
	}
	return p
}

// skillAt finds the longest run of up to three words at the start of toks
// that names a skill, and returns its name and length (0: none). A run
// never starts or ends with a filler word, a role or a comma.
func skillAt(v *Vocabulary, toks []string) (string, int) {
	plain := func(w string) bool {
		return w != "," && !intentFiller[w] && !intentAside[w] && !intentClause[w] && !intentWith[w] && !intentRole[w]
	}
	for k := min(3, len(toks)); k >= 1; k-- {
		run := toks[:k]
		if !plain(run[0]) || !plain(run[k-1]) || k == 3 && run[1] == "," {
			continue
		}
		if sk, ok := v.Lookup(strings.Join(run, " ")); ok {
			return sk.Name, k
		}
	}
	return "", 0
}

func appendFold(list []string, s string) []string {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return list
		}
	}
	return append(list, s)
}
