package doctor

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// receiver serves Params.Listener with a webhook.Handler that verifies deliveries as the
// program's verifier does, and records what arrives.
type receiver struct {
	srv    *http.Server
	addr   string
	notify chan struct{} // receives a value after each arrival

	mu      sync.Mutex
	probes  map[string]bool // message ids of the run's forged deliveries
	got     []arrival       // verified deliveries
	refused []error         // requests refused, the run's probes left out
}

// arrival is a verified delivery and when it arrived.
type arrival struct {
	at time.Time
	d  *webhook.Delivery
}

func startReceiver(l net.Listener, v *webhook.Verifier) *receiver {
	rx := &receiver{addr: l.Addr().String(), notify: make(chan struct{}, 1), probes: map[string]bool{}}
	h, err := webhook.NewHandler(webhook.WithVerifier(v), webhook.WithPassthrough(rx.arrived), webhook.WithErrorHook(rx.rejected),
		webhook.WithStore(webhook.NewMemoryStore(1000)))
	if err != nil {
		panic("doctor: " + err.Error()) // the options are valid: cannot happen
	}
	rx.srv = &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       30 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
	go func() { _ = rx.srv.Serve(l) }()
	return rx
}

// stop shuts the server down, closing the listener.
func (rx *receiver) stop(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = rx.srv.Shutdown(ctx)
}

// expectProbe notes the message id of a forged delivery of the run, which is not reported.
func (rx *receiver) expectProbe(id string) {
	rx.mu.Lock()
	defer rx.mu.Unlock()
	rx.probes[id] = true
}

func (rx *receiver) arrived(_ context.Context, d *webhook.Delivery) error {
	rx.mu.Lock()
	rx.got = append(rx.got, arrival{at: time.Now(), d: d})
	rx.mu.Unlock()
	select {
	case rx.notify <- struct{}{}:
	default:
	}
	return nil
}

func (rx *receiver) rejected(r *http.Request, _ *webhook.Delivery, err error) {
	rx.mu.Lock()
	defer rx.mu.Unlock()
	if rx.probes[r.Header.Get(webhook.HeaderMessageID)] {
		return
	}
	rx.refused = append(rx.refused, err)
}

// wait waits up to timeout for a verified delivery that match accepts, and returns it.
func (rx *receiver) wait(ctx context.Context, timeout time.Duration, match func(*webhook.Delivery) bool) (arrival, bool) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	for {
		rx.mu.Lock()
		i := slices.IndexFunc(rx.got, func(a arrival) bool { return match(a.d) })
		var a arrival
		if i >= 0 {
			a = rx.got[i]
		}
		rx.mu.Unlock()
		if i >= 0 {
			return a, true
		}
		select {
		case <-rx.notify:
		case <-t.C:
			return arrival{}, false
		case <-ctx.Done():
			return arrival{}, false
		}
	}
}

// refusals returns the refused requests.
func (rx *receiver) refusals() []error {
	rx.mu.Lock()
	defer rx.mu.Unlock()
	return slices.Clone(rx.refused)
}

// delivery proves the whole path with Params.Listener: it has Kick send a chat.message.sent
// event to the user's channel, by sending a chat message there, and waits for its delivery.
func (d *run) delivery(ctx context.Context) {
	if d.rx == nil {
		return
	}
	if why := d.cannotSend(); why != "" {
		d.passive(ctx, why)
		return
	}
	created, err := d.proofSubscription(ctx)
	if err != nil {
		d.add(CheckDelivery, Fail, fmt.Sprintf("Subscribing channel %d to chat.message.sent, for the proof, failed: %v.", d.ownID, err),
			"Fix what the other checks report (tokens, scopes, webhooks switched off), then run again.", err)
		return
	}
	defer func() {
		if len(created) > 0 {
			uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			d.track(d.p.Client.Events.Unsubscribe(uctx, created, kick.WithTokenKind(d.subKind)))
		}
	}()
	var nonce [6]byte
	_, _ = rand.Read(nonce[:])
	tag := "kick doctor " + hex.EncodeToString(nonce[:])
	sent := time.Now()
	_, err = d.p.Client.Chat.Send(ctx, kick.ChatSendParams{Type: kick.ChatMessageUser, BroadcasterUserID: d.ownID,
		Content: tag + ": testing this app's webhook deliveries"})
	d.track(err)
	if err != nil {
		d.add(CheckDelivery, Fail, fmt.Sprintf("Sending the test chat message to channel %d failed: %v.", d.ownID, err),
			"Fix what the error says (a ban, a chat restriction, a missing chat:write), or cause an event yourself while kick doctor --listen waits.", err)
		return
	}
	got, ok := d.rx.wait(ctx, d.p.ListenTimeout, func(dl *webhook.Delivery) bool {
		return dl.Type == kick.EventChatMessageSent && bytes.Contains(dl.Body, []byte(tag))
	})
	if !ok {
		d.noDelivery(fmt.Sprintf("Kick did not deliver the test chat message's chat.message.sent to %s within %s", d.rx.addr, d.p.ListenTimeout))
		return
	}
	d.add(CheckDelivery, OK, fmt.Sprintf("The test chat message's chat.message.sent delivery arrived at %s %s after it was sent, and its signature verified.", d.rx.addr, since(got.at.Sub(sent))), "", nil)
}

// cannotSend says why the proof cannot send a chat message; "" when it can.
func (d *run) cannotSend() string {
	switch {
	case !d.hasUser:
		return "there is no user token to send a chat message with"
	case d.ownID == 0:
		return "the user token's user is unknown"
	case !slices.Contains(d.userScopes, kick.ScopeChatWrite):
		return "the user token lacks chat:write"
	case d.subKind == "":
		return "no token can subscribe"
	}
	return ""
}

// proofSubscription makes sure the user's channel is subscribed to chat.message.sent, and returns
// the ids of the subscriptions it made.
func (d *run) proofSubscription(ctx context.Context) ([]string, error) {
	opt := kick.WithTokenKind(d.subKind)
	listed := d.listed
	if !d.listedOK || d.broadcaster != d.ownID {
		all, err := d.p.Client.Events.List(ctx, kick.EventListParams{BroadcasterUserID: d.ownID}, opt)
		d.track(err)
		if err != nil {
			return nil, err
		}
		listed = all
	}
	for _, s := range listed {
		if s.BroadcasterUserID == d.ownID && s.Type == kick.EventChatMessageSent && s.Version == 1 {
			return nil, nil
		}
	}
	results, err := d.p.Client.Events.Subscribe(ctx, kick.EventSubscribeParams{BroadcasterUserID: d.ownID,
		Events: []kick.SubscribeEvent{{Type: kick.EventChatMessageSent, Version: 1}}}, opt)
	d.track(err)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, r := range results {
		ids = append(ids, r.SubscriptionID)
	}
	return ids, nil
}

// passive waits for any delivery, when the proof cannot make Kick send one.
func (d *run) passive(ctx context.Context, why string) {
	got, ok := d.rx.wait(ctx, d.p.ListenTimeout, func(*webhook.Delivery) bool { return true })
	if !ok {
		d.noDelivery(fmt.Sprintf("No delivery arrived at %s within %s, and the run could not make Kick send one: %s", d.rx.addr, d.p.ListenTimeout, why))
		return
	}
	d.add(CheckDelivery, OK, fmt.Sprintf("A %s delivery arrived at %s and its signature verified (the run could not make Kick send one: %s).", got.d.Type, d.rx.addr, why), "", nil)
}

// noDelivery fails the proof, with what the refused requests tell.
func (d *run) noDelivery(seen string) {
	refused := d.rx.refusals()
	if len(refused) == 0 {
		d.add(CheckDelivery, Fail, seen+"; no request arrived there.",
			"Make the app's webhook URL (kick.com, Settings, Developer) lead to the listening address: the tunnel or proxy must run and forward there; see what the other checks report.", nil)
		return
	}
	err := refused[len(refused)-1]
	fix := "Make the receiver verify Kick's deliveries as they arrive: the raw body, Kick's key, a synchronized clock."
	switch {
	case errors.Is(err, webhook.ErrSignatureMismatch):
		fix = "Trust the key Kick signs with: verify with webhook.NewFetchingKeySource(client.PublicKey.PEM)."
	case errors.Is(err, webhook.ErrTooOld), errors.Is(err, webhook.ErrTooNew):
		fix = "Synchronize this machine's clock (with NTP: timedatectl set-ntp true)."
	}
	d.add(CheckDelivery, Fail, fmt.Sprintf("%s; %s arrived there but did not verify, the last: %v.", seen, plural(len(refused), "request"), err), fix, err)
}
