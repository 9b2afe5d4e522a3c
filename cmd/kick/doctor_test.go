package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/doctor"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

// doctorJSON decodes the -o json output of kick doctor.
type doctorJSON struct {
	Checks            []doctor.Check    `json:"checks"`
	BroadcasterUserID int64             `json:"broadcaster_user_id"`
	Events            []json.RawMessage `json:"events"`
	Fixed             []json.RawMessage `json:"fixed"`
	After             *struct {
		Checks []doctor.Check `json:"checks"`
	} `json:"after"`
}

func decodeDoctor(t *testing.T, r result) doctorJSON {
	t.Helper()
	var out doctorJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("kick doctor -o json: %v\n%s", err, r)
	}
	return out
}

// checkOf returns the check id of checks.
func checkOf(t *testing.T, checks []doctor.Check, id doctor.CheckID) doctor.Check {
	t.Helper()
	for _, c := range checks {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no %s check in %+v", id, checks)
	return doctor.Check{}
}

// loggedInMock starts kick mock serve with the webhook URL, logs in as the streamer, and returns
// the environment of both.
func loggedInMock(t *testing.T, webhookURL string) []string {
	t.Helper()
	env := cliEnv(t)
	info, _ := mockServe(t, env, "--webhook-url", webhookURL)
	env = info.environ(env)
	wantCode(t, runCLI(t, env, "auth", "login"), 0)
	return env
}

// TestDoctorHealthy: the README's loop, healthy, proven with --listen: every check ok, exit 0,
// and the mock's webhook URL put back.
func TestDoctorHealthy(t *testing.T) {
	t.Parallel()
	hook, _ := devWebhookServer(t)
	env := loggedInMock(t, hook.URL+"/kick/webhook")
	wantCode(t, runCLI(t, env, "events", "sync", "chat.message.sent"), 0)

	r := runCLI(t, env, "doctor", "--event", "chat.message.sent", "--listen", "127.0.0.1:0", "--listen-timeout", "50s", "--timeout", "30s", "-o", "json")
	wantCode(t, r, 0)
	out := decodeDoctor(t, r)
	var ids []doctor.CheckID
	for _, c := range out.Checks {
		ids = append(ids, c.ID)
		// How fast a loaded machine answers is not the point here.
		slow := c.ID == doctor.CheckWebhookAnswer && c.Verdict == doctor.Warn && strings.Contains(c.Seen, " after ")
		if c.Verdict != doctor.OK && !slow {
			t.Errorf("not ok: %s", c)
		}
	}
	wantIDs := []doctor.CheckID{
		doctor.CheckAPI, doctor.CheckClock, doctor.CheckPublicKey, doctor.CheckRefreshToken, doctor.CheckAppToken,
		doctor.CheckUserToken, doctor.CheckScopes, doctor.CheckChannel, doctor.CheckSubscriptions, doctor.CheckDuplicates,
		doctor.CheckVersions, doctor.CheckWebhooksEnabled, doctor.CheckWebhookURL, doctor.CheckWebhookAddress,
		doctor.CheckWebhookAnswer, doctor.CheckWebhookUnsigned, doctor.CheckWebhookForged, doctor.CheckDelivery,
	}
	if !slices.Equal(ids, wantIDs) {
		t.Errorf("checks %v, want %v", ids, wantIDs)
	}
	if c := checkOf(t, out.Checks, doctor.CheckDelivery); !strings.Contains(c.Seen, "its signature verified") {
		t.Errorf("delivery: %s", c)
	}
	if out.BroadcasterUserID != kicktest.Streamer.UserID || len(out.Events) != 1 {
		t.Errorf("channel %d, events %s", out.BroadcasterUserID, out.Events)
	}
	if !strings.Contains(r.stderr, "kick doctor: receiving deliveries on 127.0.0.1:") {
		t.Errorf("stderr: %s", r.stderr)
	}
	if w := runCLI(t, env, "mock", "webhook"); w.stdout != hook.URL+"/kick/webhook\n" {
		t.Errorf("the mock's webhook URL after the run: %s", w)
	}
}

// TestDoctorWebhooksOff: the app's webhooks are off (and so, as on Kick, it has no subscriptions):
// exit 1, Kick's reason and the fix; piped, one tab-separated line a check.
func TestDoctorWebhooksOff(t *testing.T) {
	t.Parallel()
	hook, _ := devWebhookServer(t)
	env := loggedInMock(t, hook.URL+"/kick/webhook")
	wantCode(t, runCLI(t, env, "mock", "webhook", "--off"), 0)

	r := runCLI(t, env, "doctor", "--event", "chat.message.sent")
	wantCode(t, r, exitError)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	var failed []string
	for _, l := range lines {
		f := strings.Split(l, "\t")
		if len(f) != 4 {
			t.Fatalf("line %q has %d fields, want verdict, check, seen, fix", l, len(f))
		}
		if f[0] == string(doctor.Fail) {
			failed = append(failed, f[1])
		}
		if f[1] == string(doctor.CheckWebhooksEnabled) && (!strings.Contains(f[2], `"webhooks are not enabled for app"`) || !strings.HasPrefix(f[3], "Switch on Enable Webhooks")) {
			t.Errorf("webhooks-enabled: %q", l)
		}
	}
	if !slices.Equal(failed, []string{"subscriptions", "webhooks-enabled"}) {
		t.Errorf("failed checks %v\n%s", failed, r)
	}

	// --fix cannot fix that: Kick refuses, the checks still fail.
	r = runCLI(t, env, "doctor", "--event", "chat.message.sent", "--fix", "-o", "json")
	wantCode(t, r, exitError)
	out := decodeDoctor(t, r)
	if out.After == nil || checkOf(t, out.After.Checks, doctor.CheckWebhooksEnabled).Verdict != doctor.Fail {
		t.Errorf("after --fix: %+v", out.After)
	}
}

// TestDoctorFix: duplicates and a missing subscription warn and fail; --fix shows the plan, does
// it, and the checks pass.
func TestDoctorFix(t *testing.T) {
	t.Parallel()
	hook, _ := devWebhookServer(t)
	env := loggedInMock(t, hook.URL+"/kick/webhook")
	for range 2 {
		wantCode(t, runCLI(t, env, "events", "subscribe", "channel.followed"), 0)
	}
	args := []string{"doctor", "--event", "channel.followed,chat.message.sent", "--timeout", "30s"}
	r := runCLI(t, env, append(args, "-o", "json")...)
	wantCode(t, r, exitError)
	out := decodeDoctor(t, r)
	if c := checkOf(t, out.Checks, doctor.CheckDuplicates); c.Verdict != doctor.Warn || !strings.Contains(c.Seen, "channel.followed v1 2 times") {
		t.Errorf("duplicates: %s", c)
	}
	if c := checkOf(t, out.Checks, doctor.CheckSubscriptions); c.Verdict != doctor.Fail || !strings.Contains(c.Seen, "not subscribed to chat.message.sent v1") {
		t.Errorf("subscriptions: %s", c)
	}

	r = runCLIIn(t, append(env, "KICK_FORCE_TTY=120"), "", append(args, "--fix")...)
	wantCode(t, r, 0)
	plan := "--fix: Events.Sync of channel 1001 will:\n  delete 1 duplicate of channel.followed v1: 01"
	if !strings.Contains(r.stdout, plan) || !strings.Contains(r.stdout, "\n  subscribe to chat.message.sent v1\n--fix: done; checking again.") {
		t.Errorf("--fix did not show its plan:\n%s", r)
	}
	if !strings.HasSuffix(r.stdout, ", 0 failed.\n") || strings.Count(r.stdout, "17 checks: ") != 2 {
		t.Errorf("the checks after --fix:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "FAIL subscriptions") || !strings.Contains(r.stdout, "warn duplicates") {
		t.Errorf("the report before --fix is not printed:\n%s", r.stdout)
	}
	subs := runCLI(t, env, "events", "list", "-o", "json")
	wantCode(t, subs, 0)
	var types []kick.EventType
	for _, s := range decodeList[kick.EventSubscription](t, subs).Items {
		types = append(types, s.Type)
	}
	slices.Sort(types)
	if !slices.Equal(types, []kick.EventType{kick.EventChannelFollowed, kick.EventChatMessageSent}) {
		t.Errorf("subscriptions after --fix: %v", types)
	}
}

// TestDoctorWithoutCredentials: the checks say what is missing.
func TestDoctorWithoutCredentials(t *testing.T) {
	t.Parallel()
	srv := kicktest.New(t)
	env := cliEnv(t, "KICK_BASE_URL="+srv.APIBaseURL, "KICK_OAUTH_URL="+srv.OAuthBaseURL)
	r := runCLI(t, env, "doctor", "-o", "json")
	wantCode(t, r, exitError)
	out := decodeDoctor(t, r)
	if c := checkOf(t, out.Checks, doctor.CheckAppToken); c.Verdict != doctor.Fail || !strings.Contains(c.Seen, "neither an app token source nor a user token source") {
		t.Errorf("app-token: %s", c)
	}
}

func TestDoctorUsage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"doctor", "--event", "chat.message"}, `unknown event type "chat.message"`},
		{[]string{"doctor", "--timeout", "0s"}, "must be positive"},
		{[]string{"doctor", "extra"}, `unexpected argument "extra"`},
	} {
		r := runCLI(t, cliEnv(t), tc.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("kick %s: %s\nwant exit %d and %q", strings.Join(tc.args, " "), r, exitUsage, tc.want)
		}
	}
}
