package kicktest

import (
	"fmt"
	"os"
	"sync"
	"time"
)

// EnvNow names the environment variable that stops the default clock at an instant: when it holds
// an RFC 3339 time, such as 2028-02-29T12:00:00Z, Now returns that time, always, and so does the
// clock of every Server made without WithClock. It is how a suite runs as if on another day (make
// test-clock runs the examples and the kicktest-backed tests at the edges of a week, a year and a
// leap day), and how `kick mock serve` shows a given day. A value that is not an RFC 3339 time
// makes NewServer fail and Now panic.
const EnvNow = "KICKTEST_NOW"

// envNow is the instant of EnvNow, read once: zero when the variable is unset or empty.
var envNow = sync.OnceValues(func() (time.Time, error) {
	v := os.Getenv(EnvNow)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("kicktest: %s=%q is not an RFC 3339 time", EnvNow, v)
	}
	return t, nil
})

// Now returns the time on the default clock, the clock of a Server made without WithClock:
// time.Now(), or the instant of EnvNow when it is set. An example or a test that shows a time
// relative to the server's data ("live for 2 hours") takes now from the server (Server.Now), so
// that it reads the same clock as the data.
func Now() time.Time {
	t, err := envNow()
	if err != nil {
		panic(err)
	}
	if t.IsZero() {
		return time.Now()
	}
	return t
}

// Now returns the time on the server's clock: the one of WithClock, or Now.
func (s *Server) Now() time.Time { return s.cfg.now() }
