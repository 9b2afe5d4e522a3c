package doctor

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// Defaults of Params.
const (
	// DefaultProbeTimeout bounds each probe of the webhook URL. Kick documents no timeout for its
	// deliveries; a receiver that has not answered by then is too slow for any sender.
	DefaultProbeTimeout = 5 * time.Second
	// DefaultSlowAnswer is how long a receiver may take to answer a probe before the answer check
	// warns: a receiver should acknowledge at once and do its work afterwards.
	DefaultSlowAnswer = time.Second
	// DefaultListenTimeout is how long the delivery proof waits for a delivery.
	DefaultListenTimeout = 30 * time.Second
	// RefreshTokenAge is the age of a stored refresh token from which the refresh-token check
	// warns: Kick's refresh tokens have been seen to stop working after 30 to 90 days
	// (KickDevDocs#359, #397).
	RefreshTokenAge = 30 * 24 * time.Hour
	// ClockWarn is the clock skew from which the clock check warns; it fails from the verifier's
	// tolerance on.
	ClockWarn = 30 * time.Second
)

// userTokenLifetime is the lifetime of Kick's user access tokens, to tell when a stored token
// whose ExpiresIn was not kept was issued.
const userTokenLifetime = 2 * time.Hour

// ErrInvalidParams is matched by errors.Is when Run refuses its Params before doing anything.
var ErrInvalidParams = errors.New("doctor: invalid params")

// Resolver resolves the webhook URL's host. *net.Resolver is one (net.DefaultResolver is the
// default); tests give a fake, so that the address checks need no network.
type Resolver interface {
	// LookupNetIP returns the addresses of host; network is "ip".
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Params says what Run diagnoses. Only Client is required; each check that lacks what it needs
// is left out of the report, or says what is missing.
type Params struct {
	// Client is the program's client, with its token sources (kick.WithUserTokenSource,
	// kick.WithAppTokenSource) and base URLs. Run sends every Kick request through it.
	Client *kick.Client
	// BroadcasterUserID is the channel whose events the program wants; 0 means the channel of
	// the user token's user.
	BroadcasterUserID int64
	// Events are the events the program wants, each (Type, Version) once; a Version of 0 means
	// 1. Empty means those the channel is subscribed to now: then a channel without
	// subscriptions fails, and no version is called wrong.
	Events []kick.SubscribeEvent
	// WebhookURL is the URL set in the app's developer settings on kick.com, which Kick's API
	// does not tell. Empty leaves the URL checks out but one, which says so.
	WebhookURL string
	// Local says that Client talks to a fake Kick on this machine (package kicktest, kick mock
	// serve): the webhook URL may then be http and on a loopback or private address.
	Local bool
	// Keys is the key source the program's webhook verifier trusts; nil means Kick's published
	// key (webhook.DefaultPublicKey), what webhook.NewHandler() trusts.
	Keys webhook.KeySource
	// Tolerance is the replay window of the program's webhook verifier (webhook.WithTolerance);
	// 0 means webhook.DefaultTolerance.
	Tolerance time.Duration
	// Store and StoreKey are where the user token is stored (kickauth.UserTokenSource's store
	// and key), for the refresh token's age. The check is left out without a Store.
	Store    kickauth.TokenStore
	StoreKey string
	// Resolver resolves the webhook URL's host; nil means net.DefaultResolver.
	Resolver Resolver
	// Dial connects the probes of the webhook URL to an address the address check accepted
	// (the URL's host is never resolved again); nil means a net.Dialer. Tests dial their own
	// server.
	Dial func(ctx context.Context, network, address string) (net.Conn, error)
	// RootCAs are the certificate authorities the probes trust; nil means the system's.
	RootCAs *x509.CertPool
	// ProbeTimeout bounds each probe of the webhook URL, from connecting to the end of the
	// answer; 0 means DefaultProbeTimeout.
	ProbeTimeout time.Duration
	// SlowAnswer is how long the receiver may take to answer a probe before the answer check
	// warns; 0 means DefaultSlowAnswer.
	SlowAnswer time.Duration
	// Listener, when set, is where the webhook URL's deliveries arrive (the port a tunnel or
	// proxy forwards to): Run serves on it until it returns, closing it then, and proves the
	// whole path (the delivery check): it subscribes the user's channel to chat.message.sent if
	// it is not, sends a chat message there when the user token has chat:write (else it waits
	// for any delivery), and reports whether the signed delivery arrived, verified, and when.
	// It deletes a subscription it made. Run leaves a Listener alone only when it refuses Params.
	Listener net.Listener
	// ListenTimeout bounds the wait for that delivery; 0 means DefaultListenTimeout.
	ListenTimeout time.Duration
	// Now is the local clock; nil means time.Now.
	Now func() time.Time
}

// check refuses Params that Run cannot work with.
func (p *Params) check() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidParams, fmt.Sprintf(format, args...))
	}
	switch {
	case p.Client == nil:
		return bad("Client is nil")
	case p.BroadcasterUserID < 0:
		return bad("BroadcasterUserID %d is not a positive id", p.BroadcasterUserID)
	case p.Tolerance < 0, p.ProbeTimeout < 0, p.SlowAnswer < 0, p.ListenTimeout < 0:
		return bad("Tolerance, ProbeTimeout, SlowAnswer and ListenTimeout must not be negative")
	case p.Store != nil && p.StoreKey == "":
		return bad("Store is set without a StoreKey")
	}
	seen := map[eventKey]bool{}
	for i, e := range p.Events {
		k := keyOf(e.Type, e.Version)
		switch {
		case !slices.Contains(kick.AllEventTypes, e.Type):
			return bad("Events[%d].Type %q is not a Kick event type", i, e.Type)
		case e.Version < 0:
			return bad("Events[%d].Version %d is negative", i, e.Version)
		case seen[k]:
			return bad("Events[%d] repeats %s", i, k)
		}
		seen[k] = true
	}
	return nil
}

// eventKey is an event type at a version.
type eventKey struct {
	t kick.EventType
	v int
}

func keyOf(t kick.EventType, v int) eventKey { return eventKey{t, max(v, 1)} }

func (k eventKey) String() string { return fmt.Sprintf("%s v%d", k.t, k.v) }

// Run diagnoses why Kick's webhook deliveries would not reach the program, or would not be
// accepted, and returns one Check per check that applied (see the Check* constants). A check
// that fails is in the report, not an error: the error is for Params Run refuses
// (ErrInvalidParams), or ctx ending, which returns the checks made so far with ctx's error.
//
// Run reads; it changes nothing at Kick but in two cases, and undoes both: when the channel has
// no subscription at all, it subscribes to a wanted event and deletes the subscription at once, to
// learn whether Kick accepts subscriptions (the webhooks-enabled check); and with a Listener it
// subscribes the user's channel to chat.message.sent if needed, for the proof, and sends a chat
// message there. To make the subscriptions right, run client.Events.Sync.
//
// It probes the webhook URL with two forged deliveries that no one could take for Kick's: the
// message id starts with "KICKGODOCTOR-", the User-Agent and the body say what they are, one has
// no signature and the other a signature of random bytes. They carry no credential, follow no
// redirect, go only to the addresses the address check accepted, and each is bounded by
// ProbeTimeout; at most 4 KiB of each answer is read.
func Run(ctx context.Context, p Params) (*Report, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	d := newRun(p)
	if p.Listener != nil {
		d.rx = startReceiver(p.Listener, d.verifier())
		defer d.rx.stop(ctx)
	}
	steps := []func(context.Context){
		d.refreshTokenAge, d.publicAPI, d.tokens, d.refreshTokenAfter, d.subscriptions, d.webhookURL, d.delivery,
	}
	for _, step := range steps {
		if ctx.Err() != nil {
			break
		}
		step(ctx)
	}
	d.apiCheck()
	sortChecks(d.checks)
	r := &Report{Checks: d.checks}
	if d.listedOK {
		r.BroadcasterUserID = d.broadcaster
		for _, k := range d.wanted {
			r.Events = append(r.Events, kick.SubscribeEvent{Type: k.t, Version: k.v})
		}
	}
	return r, ctx.Err()
}

// run is one Run: its params and what it has learned.
type run struct {
	p   Params
	now func() time.Time
	rx  *receiver

	checks []Check

	answered int   // Kick requests answered (any status but a Cloudflare block)
	blocked  error // a Cloudflare block, if any
	offline  error // the public key request's failure to get an answer, if any

	hasApp, hasUser bool
	userScopes      []kick.Scope
	ownID           int64 // the user token's user; 0 if unknown
	meErr           error // why ownID is unknown
	subKind         kick.TokenKind
	broadcaster     int64
	listed          []kick.EventSubscription // the channel's subscriptions
	listedOK        bool
	wanted          []eventKey // the events the subscriptions are checked against
	channelOK       bool
	refresh         *storedRefresh // the stored refresh token, as refreshTokenAge saw it
}

func newRun(p Params) *run {
	if p.Keys == nil {
		p.Keys = webhook.StaticKey(webhook.DefaultPublicKey())
	}
	if p.Tolerance == 0 {
		p.Tolerance = webhook.DefaultTolerance
	}
	if p.ProbeTimeout == 0 {
		p.ProbeTimeout = DefaultProbeTimeout
	}
	if p.SlowAnswer == 0 {
		p.SlowAnswer = DefaultSlowAnswer
	}
	if p.ListenTimeout == 0 {
		p.ListenTimeout = DefaultListenTimeout
	}
	if p.Resolver == nil {
		p.Resolver = net.DefaultResolver
	}
	now := p.Now
	if now == nil {
		now = time.Now
	}
	return &run{p: p, now: now}
}

// add records a check.
func (d *run) add(id CheckID, v Verdict, seen, fix string, err error) {
	d.checks = append(d.checks, Check{ID: id, Verdict: v, Seen: seen, Fix: fix, Err: err})
}

// replace replaces the check id, or adds it.
func (d *run) replace(c Check) {
	for i := range d.checks {
		if d.checks[i].ID == c.ID {
			d.checks[i] = c
			return
		}
	}
	d.checks = append(d.checks, c)
}

// track notes what a Kick request's error says about the API: answered, or blocked by
// Cloudflare.
func (d *run) track(err error) {
	switch {
	case err == nil:
		d.answered++
	case cloudflareBlock(err):
		if d.blocked == nil {
			d.blocked = err
		}
	default:
		if _, ok := errors.AsType[*kick.APIError](err); ok {
			d.answered++
		}
	}
}

// verifier is the webhook verifier of the program as Params describe it.
func (d *run) verifier() *webhook.Verifier {
	v, err := webhook.NewVerifier(webhook.WithKeySource(d.p.Keys), webhook.WithTolerance(d.p.Tolerance), webhook.WithClock(d.now))
	if err != nil {
		panic("doctor: " + err.Error()) // the options were checked: cannot happen
	}
	return v
}

// since is a duration for people: "3 days", "1h59m58s", "40s", "12ms".
func since(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
	case d >= time.Second:
		return d.Round(time.Second).String()
	}
	if d < time.Millisecond {
		return "under 1ms"
	}
	return d.Round(time.Millisecond).String()
}

// plural is n thing or n things.
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
