package webhook

import "time"

// SetMemoryStoreClock sets the clock s expires its entries by, for the tests of package
// webhook_test that move the verifier's and the store's clocks together.
func SetMemoryStoreClock(s *MemoryStore, now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// ParseVersion is how the Verifier reads a Kick-Event-Version header.
var ParseVersion = parseVersion

// LogErrorsAt is LogErrors with the clock its limit on rejected requests counts by.
var LogErrorsAt = logErrors
