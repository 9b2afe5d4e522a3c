package main

import (
	"fmt"

	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

// The development key and seed users are kicktest's, so that 'kick mock serve', 'kick event
// trigger' and 'kick event verify --dev-key' agree.

// devSigner signs with kicktest's development key.
func devSigner() *webhooktest.Signer { return kicktest.Signer() }

// devPublicKeyPEM is the public key of kicktest's development key.
func devPublicKeyPEM() string { return kicktest.PublicKeyPEM() }

// devCast is the cast of a sample event in the channel of broadcaster (0 for kicktest's
// streamer): kicktest's seed users, the broadcaster left out of the other roles.
func devCast(broadcaster int64) cast {
	if broadcaster == 0 {
		broadcaster = kicktest.Streamer.ID
	}
	b := person{broadcaster, fmt.Sprintf("user_%d", broadcaster)}
	var others []person
	for _, u := range []kicktest.User{kicktest.Viewer, kicktest.Moderator, kicktest.BotUser, kicktest.Streamer} {
		if u.ID == broadcaster {
			b.name = u.Username
			continue
		}
		others = append(others, person{u.ID, u.Username})
	}
	return cast{broadcaster: b, viewer: others[0], moderator: others[1], other: others[2]}
}
