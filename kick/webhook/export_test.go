package webhook

import (
	"time"

	"github.com/kick-sdk/kick-go/kick/kicktypes"
)

// SetMemoryStoreClock sets the clock s expires its entries by, for the tests of package
// webhook_test that move the verifier's and the store's clocks together.
func SetMemoryStoreClock(s *MemoryStore, now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// DecodePayload is the JSON decoding of Decode alone, without its checks of required fields and
// of the claim id: what TestDecodeLikeV1 and FuzzDecode hold to encoding/json v1.
func DecodePayload(typ kicktypes.EventType, version int, body []byte) (Event, error) {
	return decoders[eventKey{typ, version}](body)
}

// KnownKeys lists the type and version of every payload Decode knows.
func KnownKeys() (types []kicktypes.EventType, versions []int) {
	for k := range decoders {
		types, versions = append(types, k.typ), append(versions, k.version)
	}
	return types, versions
}

// ParseVersion is how the Verifier reads a Kick-Event-Version header.
var ParseVersion = parseVersion

// LogErrorsAt is LogErrors with the clock its limit on rejected requests counts by.
var LogErrorsAt = logErrors

// SetRenewedClaimTTL sets the claim TTL h uses with a ClaimRenewer, so that a test sees
// renewals without waiting for RenewedClaimTTL.
func SetRenewedClaimTTL(h *Handler, d time.Duration) { h.renewedTTL = d }
