package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/doctor"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// envWebhookURL is the app's webhook URL, which Kick's API does not tell.
const envWebhookURL = "KICK_WEBHOOK_URL"

// doctorRun is one run of 'kick doctor': its flags.
type doctorRun struct {
	a             *app
	out           *output
	broadcaster   int64
	events        []string
	webhookURL    string
	listen        string
	listenTimeout time.Duration
	probeTimeout  time.Duration
	fix           bool
	keys          keyChoice
}

// doctorOutput is what -o json prints: the report, and with --fix what was done and the report
// after.
type doctorOutput struct {
	*doctor.Report
	Fixed []kick.SyncResult `json:"fixed,omitempty"`
	After *doctor.Report    `json:"after,omitempty"`
}

func (a *app) doctorCommand() *cobra.Command {
	r := &doctorRun{a: a}
	c := &cobra.Command{
		Use:   "doctor",
		Short: "Find out why webhooks do not arrive, and how to fix it",
		Long: `Diagnose why Kick's webhook deliveries do not reach the app, and say how to fix each problem:
the tokens (active, of the right kind and app, with events:subscribe; the stored refresh token's
age), the channel's subscriptions (missing, duplicated, of another version, made with a user token
for another channel), whether Kick accepts subscriptions (its reason when the app's webhooks are
switched off), the webhook URL (https, a public address, no redirect, an answer in time, and
forged deliveries refused with 4xx), Kick's public key against the one verified with, the local
clock against Kick's, and Cloudflare blocking this client.

Each check prints its verdict (ok, warn or fail), what it saw, and the fix. The exit status is 1
when a check fails.

The channel is --broadcaster, else the stored user token's user; the events are --event (repeat
it, or "all"), else those the channel is subscribed to. The webhook URL, set in the app's
settings on kick.com, is --webhook-url or ` + envWebhookURL + `; against 'kick mock serve', the mock's.

--fix does what is safe to do automatically, after printing it: Events.Sync creates the missing
subscriptions and deletes the duplicates. Then the checks run again.

--listen ADDR proves the whole path: it receives deliveries on ADDR (the address your public URL
forwards to; against a mock, the mock's webhook URL points there while it runs), subscribes the
user's channel to chat.message.sent if needed, sends a chat message there (with chat:write; else
it waits for any event), and reports whether the signed delivery arrived and verified, and when.

Token: the stored user token and the app token, as every command; the check is of both.`,
		Example: `  kick doctor --event chat.message.sent --webhook-url https://bot.example.com/kick/webhook
  kick doctor --fix --event all
  kick doctor --listen :8080 --webhook-url https://my-tunnel.example.com/kick/webhook
  kick doctor -o json --jq '.checks[] | select(.verdict != "ok")'`,
		Args: argsNone,
	}
	r.out = a.addOutput(c)
	fs := c.Flags()
	fs.Var(idValue{&r.broadcaster}, "broadcaster", "`user id` of the channel (default: the stored user token's own)")
	_ = c.RegisterFlagCompletionFunc("broadcaster", a.completeUserIDs)
	fs.StringSliceVar(&r.events, "event", nil, "an event `type` the app wants, repeatable or comma-separated; all for every one (default: those subscribed)")
	_ = c.RegisterFlagCompletionFunc("event", completeEventTypes(true))
	fs.StringVar(&r.webhookURL, "webhook-url", "", "the app's webhook `URL`, as set on kick.com; env "+envWebhookURL)
	fs.StringVar(&r.listen, "listen", "", "receive deliveries on `address` (such as :8080) and prove one arrives")
	fs.DurationVar(&r.listenTimeout, "listen-timeout", doctor.DefaultListenTimeout, "how long --listen waits for the delivery")
	fs.DurationVar(&r.probeTimeout, "timeout", doctor.DefaultProbeTimeout, "how long the webhook URL may take to answer a probe")
	fs.BoolVar(&r.fix, "fix", false, "create the missing subscriptions and delete the duplicates (Events.Sync), then check again")
	r.keys.register(c)
	c.RunE = func(c *cobra.Command, _ []string) error { return r.run(c.Context()) }
	return c
}

func (r *doctorRun) run(ctx context.Context) error {
	a := r.a
	p, cleanup, err := r.params(ctx)
	if err != nil {
		return err
	}
	defer cleanup()
	report, err := doctor.Run(ctx, p)
	if err != nil {
		return err
	}
	result := doctorOutput{Report: report}
	if !r.out.json() {
		if err := a.printReport(report); err != nil {
			return err
		}
	}
	final := report
	if r.fix {
		after, fixed, err := r.repair(ctx, p, report)
		if err != nil {
			return err
		}
		if after != nil {
			result.Fixed, result.After, final = fixed, after, after
			if !r.out.json() {
				if err := a.printReport(after); err != nil {
					return err
				}
			}
		}
	}
	if r.out.json() {
		if err := a.printJSON(ctx, r.out, result); err != nil {
			return err
		}
	}
	if final.Failed() {
		return &silentError{exitError}
	}
	return nil
}

// params builds the doctor's Params from the flags and the CLI's credentials; cleanup puts back
// what they changed (the mock's webhook URL) and closes the listener.
func (r *doctorRun) params(ctx context.Context) (doctor.Params, func(), error) {
	a := r.a
	none := func() {}
	var p doctor.Params
	if r.listenTimeout <= 0 || r.probeTimeout <= 0 {
		return p, none, usagef("--listen-timeout and --timeout must be positive")
	}
	types, err := parseEventTypes(r.events)
	if err != nil {
		return p, none, err
	}
	for _, t := range types {
		p.Events = append(p.Events, kick.SubscribeEvent{Type: t, Version: 1})
	}
	p.WebhookURL = r.webhookURL
	if p.WebhookURL == "" {
		p.WebhookURL = a.getenv(envWebhookURL)
	}
	kc, src, err := a.client(ctx)
	switch {
	case errors.Is(err, errNoCredentials):
		// The checks say what is missing.
		if kc, err = kick.NewClient(a.clientOptions()...); err != nil {
			return p, none, err
		}
	case err != nil:
		return p, none, err
	}
	p.Client, p.BroadcasterUserID = kc, r.broadcaster
	if src.user != nil {
		if l, err := a.currentLogin(ctx); err == nil {
			p.Store, p.StoreKey = l.store.Tokens(), l.Key()
		}
	}
	mock := a.isMock(ctx)
	p.Local = mock
	if !r.keys.set() && mock {
		r.keys.dev = true
	}
	key, _, _, err := r.keys.key()
	if err != nil {
		return p, none, err
	}
	p.Keys = webhook.StaticKey(key)
	p.ProbeTimeout, p.ListenTimeout = r.probeTimeout, r.listenTimeout
	if mock && p.WebhookURL == "" {
		if st, err := a.mockStatus(ctx); err == nil {
			p.WebhookURL = st.WebhookURL
		}
	}
	if r.listen == "" {
		return p, none, nil
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", r.listen)
	if err != nil {
		return p, none, fmt.Errorf("--listen: %w", err)
	}
	p.Listener = ln
	cleanup := func() { _ = ln.Close() }
	if mock {
		self := "http://" + ln.Addr().String() + "/kick/webhook"
		prev, err := a.setMockWebhook(ctx, self)
		if err != nil {
			cleanup()
			return p, none, fmt.Errorf("pointing the mock's webhook URL at --listen: %w", err)
		}
		p.WebhookURL = self
		cleanup = func() {
			_ = ln.Close()
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Second)
			defer cancel()
			if _, err := a.setMockWebhook(rctx, prev); err != nil {
				fmt.Fprintf(a.stderr, "note: could not put the mock's webhook URL back to %s: %v\n", orDash(prev), err)
			}
		}
	}
	fmt.Fprintf(a.stderr, "kick doctor: receiving deliveries on %s, for up to %s\n", ln.Addr(), r.listenTimeout)
	return p, cleanup, nil
}

// repair makes the subscriptions right with Events.Sync when that is what the report calls for,
// printing the plan first, and runs the checks again. It returns a nil report when there was
// nothing it could do.
func (r *doctorRun) repair(ctx context.Context, p doctor.Params, report *doctor.Report) (*doctor.Report, []kick.SyncResult, error) {
	a := r.a
	note := func(format string, args ...any) {
		if !r.out.json() {
			fmt.Fprintf(a.stdout, format+"\n", args...)
		}
	}
	missing, _ := report.Check(doctor.CheckSubscriptions)
	dups, _ := report.Check(doctor.CheckDuplicates)
	if missing.Verdict != doctor.Fail && dups.Verdict != doctor.Warn {
		note("\n--fix: nothing to fix automatically.")
		return nil, nil, nil
	}
	if report.BroadcasterUserID == 0 || len(report.Events) == 0 {
		note("\n--fix: name the events the app wants with --event TYPE, so that they can be subscribed to.")
		return nil, nil, nil
	}
	sp := kick.EventSyncParams{BroadcasterUserID: report.BroadcasterUserID, Events: report.Events, DryRun: true}
	plan, err := p.Client.Events.Sync(ctx, sp)
	if err != nil {
		return nil, nil, err
	}
	note("\n--fix: Events.Sync of channel %d will:", sp.BroadcasterUserID)
	for _, s := range plan {
		switch s.Action {
		case kick.SyncCreated:
			note("  subscribe to %s v%d", s.Type, s.Version)
		case kick.SyncDeduplicated:
			note("  delete %s of %s v%d: %s", plural(len(s.Duplicates), "duplicate"), s.Type, s.Version, strings.Join(s.Duplicates, ", "))
		}
	}
	sp.DryRun = false
	fixed, err := p.Client.Events.Sync(ctx, sp)
	if _, partial := errors.AsType[*kick.SyncError](err); err != nil && !partial {
		return nil, nil, err
	}
	for _, s := range fixed {
		if s.Err != nil {
			note("  %s v%d: %v", s.Type, s.Version, s.Err)
		}
	}
	note("--fix: done; checking again.\n")
	if p.Listener != nil {
		// Run closed it; the public URL forwards to the same address.
		if p.Listener, err = (&net.ListenConfig{}).Listen(ctx, "tcp", p.Listener.Addr().String()); err != nil {
			return nil, nil, fmt.Errorf("--listen again: %w", err)
		}
		defer func() { _ = p.Listener.Close() }()
	}
	after, err := doctor.Run(ctx, p)
	return after, fixed, err
}

// verdictMark is how a verdict prints.
var verdictMark = map[doctor.Verdict]string{doctor.OK: "ok", doctor.Warn: "warn", doctor.Fail: "FAIL"}

// printReport prints the report: on a terminal one block a check, wrapped to its width, and a
// summary; piped, one tab-separated line a check (verdict, id, seen, fix).
func (a *app) printReport(report *doctor.Report) error {
	term := a.terminalOf(a.stdout)
	if !term.tty {
		t := newTable("VERDICT", "CHECK", "SEEN", "FIX")
		for _, c := range report.Checks {
			t.row(string(c.Verdict), string(c.ID), c.Seen, c.Fix)
		}
		return a.printTable(t)
	}
	const idWidth = 18
	indent := strings.Repeat(" ", 5+idWidth)
	var b strings.Builder
	counts := map[doctor.Verdict]int{}
	for _, c := range report.Checks {
		counts[c.Verdict]++
		lines := wrap(c.Seen, term.width-len(indent))
		if c.Fix != "" {
			lines = append(lines, wrap("Fix: "+c.Fix, term.width-len(indent))...)
		}
		fmt.Fprintf(&b, "%-4s %-*s %s\n", verdictMark[c.Verdict], idWidth-1, c.ID, lines[0])
		for _, l := range lines[1:] {
			b.WriteString(indent + l + "\n")
		}
	}
	fmt.Fprintf(&b, "\n%s: %d ok, %d warn, %d failed.\n", plural(len(report.Checks), "check"), counts[doctor.OK], counts[doctor.Warn], counts[doctor.Fail])
	_, err := io.WriteString(a.stdout, b.String())
	return err
}

// wrap breaks s into lines of at most width runes, at spaces; a longer word has a line of its own.
func wrap(s string, width int) []string {
	width = max(width, 20)
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		switch {
		case line == "":
			line = w
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	return append(lines, line)
}
