package kickauth

import "time"

// SetFailureClock makes src's backoff after failed fetches (*UserSource or *AppSource) read now
// instead of time.Now.
func SetFailureClock(src any, now func() time.Time) {
	var c *cache
	switch s := src.(type) {
	case *UserSource:
		c = &s.c
	case *AppSource:
		c = &s.c
	default:
		panic("SetFailureClock: not a token source")
	}
	c.mu.Lock()
	c.clock = now
	c.mu.Unlock()
}
