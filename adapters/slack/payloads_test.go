package slack

import (
	"net/url"
	"strings"
)

// Payloads in the shapes of Slack's documentation (Events API, slash
// commands, interactivity), trimmed to the fields that matter.

const urlVerificationJSON = `{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`

// eventCallback wraps an inner event the way the Events API delivers it.
func eventCallback(team, eventID, inner string) string {
	return `{"token":"XXYYZZ","team_id":"` + team + `","api_app_id":"A0PNCHHK2",` +
		`"event":` + inner + `,"type":"event_callback","event_id":"` + eventID + `","event_time":1355517523,` +
		`"authorizations":[{"enterprise_id":null,"team_id":"` + team + `","user_id":"U0BOT","is_bot":true,"is_enterprise_install":false}],` +
		`"event_context":"4-eyJldCI6Im1lc3NhZ2UiLCJ0aWQiOiJUMDYxRUc5UjYiLCJhaWQiOiJBMFBOQ0hISzIiLCJjaWQiOiJEMDI0QkU5MUwifQ"}`
}

const messageIMJSON = `{"type":"message","channel":"D024BE91L","user":"U2147483697","text":"Hello <@U0BOT> hello can you hear me?","ts":"1355517523.000005","event_ts":"1355517523.000005","channel_type":"im"}`

const botMessageIMJSON = `{"type":"message","subtype":"bot_message","channel":"D024BE91L","bot_id":"B0BOT","text":"I am the bot","ts":"1355517523.000006","event_ts":"1355517523.000006","channel_type":"im"}`

const ownMessageIMJSON = `{"type":"message","channel":"D024BE91L","user":"U0BOT","bot_id":"B0BOT","text":"I am the bot","ts":"1355517523.000007","event_ts":"1355517523.000007","channel_type":"im"}`

const editedMessageIMJSON = `{"type":"message","subtype":"message_changed","channel":"D024BE91L","hidden":true,"message":{"type":"message","user":"U2147483697","text":"edited","ts":"1355517523.000005"},"ts":"1355517524.000000","event_ts":"1355517524.000000","channel_type":"im"}`

const channelMessageJSON = `{"type":"message","channel":"C024BE91L","user":"U2147483697","text":"in a channel","ts":"1355517523.000008","event_ts":"1355517523.000008","channel_type":"channel"}`

const appMentionJSON = `{"type":"app_mention","user":"U061F7AUR","text":"<@U0BOT> search go developers","ts":"1515449522.000016","channel":"C0LAN2Q65","event_ts":"1515449522000016"}`

const appMentionInDMJSON = `{"type":"app_mention","user":"U061F7AUR","text":"<@U0BOT> hi","ts":"1515449522.000017","channel":"D0LAN2Q65","event_ts":"1515449522000017"}`

const appHomeOpenedJSON = `{"type":"app_home_opened","user":"U061F7AUR","channel":"D0LAN2Q65","event_ts":"1515449522000016","tab":"home","view":{"id":"VPASKP233","team_id":"T21312902","type":"home","blocks":[],"private_metadata":"","callback_id":"","hash":"1231232323.12321312","clear_on_close":false,"notify_on_close":false,"root_view_id":"VPASKP233","app_id":"A21SDS90","external_id":"","app_installed_team_id":"T21312902","bot_id":"BSDKSAO2"}}`

const appMessagesTabJSON = `{"type":"app_home_opened","user":"U061F7AUR","channel":"D0LAN2Q65","event_ts":"1515449522000018","tab":"messages"}`

// slashCommand is the form Slack posts for "/hire <text>".
func slashCommand(text, responseURL string) url.Values {
	return url.Values{
		"token":           {"gIkuvaNzQIHg97ATvDxqgjtO"},
		"team_id":         {"T0001"},
		"team_domain":     {"example"},
		"enterprise_id":   {"E0001"},
		"enterprise_name": {"Globular Construct Inc"},
		"channel_id":      {"C2147483705"},
		"channel_name":    {"test"},
		"user_id":         {"U2147483697"},
		"user_name":       {"Steve"},
		"command":         {"/hire"},
		"text":            {text},
		"response_url":    {responseURL},
		"trigger_id":      {"13345224609.738474920.8088930838d88f008e0"},
		"api_app_id":      {"A123456"},
	}
}

// blockActions is a button press on a message hirebot posted. blockID ""
// leaves block_id out (what a legacy attachment action looks like).
func blockActions(responseURL, blockID, value, label string) string {
	bid := ""
	if blockID != "" {
		bid = `"block_id":"` + blockID + `",`
	}
	return `{"type":"block_actions","team":{"id":"T9TK3CUKW","domain":"example"},` +
		`"user":{"id":"UA8RXUSPL","username":"jtorrance","name":"jtorrance","team_id":"T9TK3CUKW"},` +
		`"api_app_id":"AABA1ABCD","token":"9s8d9as89d8as9d8as989",` +
		`"container":{"type":"message","message_ts":"1548261231.000200","channel_id":"CBR2V3XEX","is_ephemeral":false},` +
		`"trigger_id":"12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3",` +
		`"channel":{"id":"CBR2V3XEX","name":"review-updates"},` +
		`"message":{"bot_id":"BAH5CA16Z","type":"message","text":"Publish this job?","user":"UAJ2RU415","ts":"1548261231.000200","team":"T9TK3CUKW",` +
		`"blocks":[{"type":"section","block_id":"s1","text":{"type":"mrkdwn","text":"Publish this job?","verbatim":true}},` +
		`{"type":"actions","block_id":"hirebot_actions","elements":[` +
		`{"type":"button","action_id":"b0","text":{"type":"plain_text","text":"Publish","emoji":true},"value":"publish"},` +
		`{"type":"button","action_id":"b1","text":{"type":"plain_text","text":"Edit","emoji":true},"value":"edit"}]}]},` +
		`"response_url":"` + responseURL + `",` +
		`"actions":[{"action_id":"b0",` + bid + `"text":{"type":"plain_text","text":"` + label + `","emoji":true},"value":"` + value + `","type":"button","action_ts":"1548426417.840180"}]}`
}

// viewSubmission is the submission of hirebot's "post" modal.
func viewSubmission(values map[string]string, privateMetadata string) string {
	var vs []string
	for id, v := range values {
		vs = append(vs, `"`+id+`":{"`+id+`":{"type":"plain_text_input","value":"`+v+`"}}`)
	}
	md := strings.ReplaceAll(privateMetadata, `"`, `\"`)
	return `{"type":"view_submission","team":{"id":"T0MJRM1A7","domain":"pandamonium"},` +
		`"user":{"id":"U0MJRG1AL","username":"kaitlyn","name":"kaitlyn","team_id":"T0MJRM1A7"},` +
		`"api_app_id":"A0M3AASB1","token":"Shh_its_a_seekrit","trigger_id":"12466734323.1395872398",` +
		`"view":{"id":"VNHU13V36","type":"modal","title":{"type":"plain_text","text":"Post a job"},` +
		`"submit":{"type":"plain_text","text":"Post"},"blocks":[],"private_metadata":"` + md + `",` +
		`"callback_id":"post","state":{"values":{` + strings.Join(vs, ",") + `}},` +
		`"hash":"156663117.cd33ad1f","response_urls":[]}}`
}
