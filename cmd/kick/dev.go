package main

import (
	"slices"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

// The development key and seed users are kicktest's, so that 'kick mock serve', 'kick event
// trigger' and 'kick event verify --dev-key' agree.

// devSigner signs with kicktest's development key.
func devSigner() *webhooktest.Signer { return kicktest.Signer() }

// devPublicKeyPEM is the public key of kicktest's development key.
func devPublicKeyPEM() string { return kicktest.PublicKeyPEM() }

// sampleTypes are the event types 'kick event trigger' has a sample of, Drops claims included.
func sampleTypes() []kick.EventType {
	return append(slices.Clone(kick.AllEventTypes), webhook.EventDropsClaim)
}

// samplePayload returns kicktest's sample payload of typ in the channel of broadcaster (0 for
// kicktest's streamer) at time now.
func samplePayload(typ kick.EventType, broadcaster int64, now time.Time) ([]byte, error) {
	if broadcaster == 0 {
		broadcaster = kicktest.Streamer.UserID
	}
	return kicktest.SamplePayload(typ, broadcaster, now)
}
