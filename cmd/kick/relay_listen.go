package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/kick-sdk/kick-go/kick/relay"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// listenRelay is 'kick event listen --relay URL': it prints the deliveries a relay streams for
// the token in KICK_RELAY_TOKEN, from where the last run of the same URL and token stopped.
func (a *app) listenRelay(ctx context.Context, out *output, relayURL string) error {
	token := a.getenv(envRelayToken)
	if token == "" {
		return usagef("--relay needs a consumer token in %s ('kick relay token create' makes one)", envRelayToken)
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return fmt.Errorf("the cursor directory: %w", err)
	}
	cursors := relay.NewFileCursors(filepath.Join(base, "kick-go", "relay-cursors"))
	key := relayURL + " " + relay.HashToken(token)[:16]
	l := &listener{a: a, ctx: ctx, out: out}
	a.stopOnTerm = true
	fmt.Fprintf(a.stderr, "Ready: streaming from %s, resuming where the last listen stopped. Ctrl-C stops.\n", relayURL)
	for d, err := range relay.Subscribe(ctx, relayURL, token, relay.Filter{}, relay.WithCursor(cursors, key),
		relay.WithConsumerErrorHook(func(err error) { fmt.Fprintf(a.stderr, "note: %v; reconnecting\n", redactError(err)) })) {
		if gap, ok := errors.AsType[*relay.GapError](err); ok {
			fmt.Fprintf(a.stderr, "warning: %v\n", gap)
			continue
		}
		if err != nil {
			return err
		}
		l.print(relayedDelivery(d), nil)
	}
	return nil
}

// relayedDelivery is a delivery from a relay as listen prints it: valid, since the relay
// verified it.
func relayedDelivery(d *webhook.Delivery) receivedDelivery {
	rec := receivedDelivery{MessageID: d.MessageID, SubscriptionID: d.SubscriptionID, Type: d.Type, Version: d.Version,
		Timestamp: d.Timestamp.Format(time.RFC3339Nano), ReceivedAt: time.Now().UTC(), Valid: true, Event: rawOrString(d.Body)}
	if ev, err := d.Event(); err == nil {
		rec.Summary = summarize(ev)
	} else {
		rec.Error = err.Error()
	}
	return rec
}
