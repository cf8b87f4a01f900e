// Package bot is hirebot's domain: accounts and identities, profiles, jobs,
// invites, engagements, reviews, boards and pools; the platform-neutral
// Event, Reply and Recipient; the command table (Command, Commands); error
// codes; and the small interfaces that platforms (Adapter and its abilities)
// and stores (Store, Deduper, Locker, Limiter, the inbox and the outbox)
// implement.
//
// It imports only the standard library and package parse: no SDK, no Redis,
// no SQL, no dialog engine. Every package may import it, and adapters import
// nothing else of hirebot. The turn and its command handlers are package
// hire; matching and search are package match; the dialog engine is package
// conversation.
//
// # Where a reply goes
//
// hire.Bot.Handle returns the replies for the event's own platform, each with To
// filled in (an empty To becomes the event's Chat), and delivers the ones
// for other platforms itself through the registered adapters. Every
// adapter honours To and Private by this one rule:
//
//   - A reply that answers the event (Event.Answers: To is the event's
//     Chat or the same chat, or the actor when the event came from their
//     private chat) is delivered in the event's own answer path: the
//     interaction response, its deferred edit and its follow-ups
//     (Discord); the response_url, or the thread the message was in
//     (Slack); the same chat (Telegram, the terminal). It is never turned
//     into a separate post in a shared channel.
//   - Any other reply is a new message through Adapter.Send: to To.ChatID,
//     or when that is empty to the private chat with To.UserID, opened if
//     needed.
//   - Private means only the person who acted may see the reply. In a
//     private chat that is any message. In a shared chat it is an
//     ephemeral message where the platform has one in that place (Slack
//     ephemeral messages, Discord ephemeral interaction responses); where
//     it has none (a Discord @mention outside an interaction, a Telegram
//     group) the reply goes to the person's private chat, and if the
//     platform refuses that, the shared chat gets at most a short note
//     without the reply's content. A Private reply is never a public post.
//   - A Form is opened as a modal when the event allows it (Event.Forms
//     and the answer is in time); otherwise the adapter shows a button
//     that opens it, or the dialog asks one field at a time.
//
// To post a new message into the event's own chat, for everyone, use a
// Poster: a reply addressed to that chat is an answer.
package bot

import (
	"time"

	"github.com/hirebot/hirebot/parse"
)

// Platforms.
const (
	Console  = "console"
	Slack    = "slack"
	Discord  = "discord"
	Telegram = "telegram"
	Web      = "web"
)

// PlatformInfo is what the domain knows of a platform by its ID: the name
// people read, and whether its people belong to workspaces (a Slack team,
// a Discord server, a Telegram group) that a /privacy scope can name. The
// rest of what a platform can do is its adapter's abilities.
type PlatformInfo struct {
	ID         string
	Name       string // "Slack", "the terminal": reads after "on"
	Workspaces bool
}

// Platforms lists every platform hirebot speaks on, in the order they are
// listed to people. A new platform is one line here and an adapter.
var Platforms = []PlatformInfo{
	{ID: Slack, Name: "Slack", Workspaces: true},
	{ID: Discord, Name: "Discord", Workspaces: true},
	{ID: Telegram, Name: "Telegram", Workspaces: true},
	{ID: Console, Name: "the terminal"},
	{ID: Web, Name: "the web chat"},
}

// PlatformByID returns what the domain knows of the platform id.
func PlatformByID(id string) (PlatformInfo, bool) {
	for _, p := range Platforms {
		if p.ID == id {
			return p, true
		}
	}
	return PlatformInfo{}, false
}

// PlatformName is the name people read for the platform id ("Slack", "the
// terminal"); the ID itself for one the domain does not know.
func PlatformName(id string) string {
	if p, ok := PlatformByID(id); ok {
		return p.Name
	}
	return id
}

// Identity is one person on one platform. Workspace is the Slack team or the
// Discord guild where that matters ("" on Telegram and the console).
type Identity struct {
	Platform  string `json:"platform"`
	Workspace string `json:"workspace,omitempty"`
	UserID    string `json:"user_id"`
}

func (i Identity) String() string {
	if i.Workspace != "" {
		return i.Platform + ":" + i.Workspace + ":" + i.UserID
	}
	return i.Platform + ":" + i.UserID
}

// Account is a person, with one or more identities.
type Account struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Identities []Identity `json:"identities"`
	CreatedAt  time.Time  `json:"created_at"`
}

// Profile statuses.
const (
	ProfileDraft     = "draft"
	ProfilePublished = "published"
	ProfilePaused    = "paused"
)

// Work types.
const (
	WorkGig      = "gig"
	WorkPartTime = "part-time"
	WorkFullTime = "full-time"
)

// Availability is how much a freelancer can work and from when.
type Availability struct {
	HoursPerWeek  int       `json:"hours_per_week"`
	AvailableFrom time.Time `json:"available_from"`
}

// Profile is what a freelancer publishes.
type Profile struct {
	AccountID       int64          `json:"account_id"`
	Name            string         `json:"name"`
	Headline        string         `json:"headline"`
	Skills          []string       `json:"skills"` // canonical names
	YearsExperience int            `json:"years_experience"`
	Rate            parse.Rate     `json:"rate"`
	Availability    Availability   `json:"availability"`
	Timezone        string         `json:"timezone"` // IANA name
	WorkTypes       []string       `json:"work_types"`
	Location        parse.Location `json:"location"`
	Portfolio       []string       `json:"portfolio"`
	Bio             string         `json:"bio"`
	Status          string         `json:"status"`
	UpdatedAt       time.Time      `json:"updated_at"`
}

// Job statuses.
const (
	JobOpen    = "open"
	JobFilled  = "filled"
	JobClosed  = "closed"
	JobExpired = "expired"
)

// Job is a micro job an employer posts.
type Job struct {
	ID int64 `json:"id"`
	// Key makes creation idempotent: creating a job whose Key exists returns
	// the existing job.
	Key          string         `json:"key"`
	OwnerID      int64          `json:"owner_id"`
	Title        string         `json:"title"`
	Description  string         `json:"description"`
	Deliverables string         `json:"deliverables"`
	Skills       []string       `json:"skills"` // required
	NiceSkills   []string       `json:"nice_skills,omitempty"`
	Budget       parse.Budget   `json:"budget"`
	Deadline     time.Time      `json:"deadline"`
	Location     parse.Location `json:"location"`
	Timezone     string         `json:"timezone,omitempty"` // IANA; "" means any
	Status       string         `json:"status"`
	CreatedAt    time.Time      `json:"created_at"`
}
