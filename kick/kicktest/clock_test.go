package kicktest_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick/kicktest"
)

// envNowChild names the variable that makes TestEnvNow the child process it runs, and holds the
// instant the child expects.
const envNowChild = "KICKTEST_TEST_ENVNOW_CHILD"

// EnvNow stops the default clock at its instant, in a process of its own (it is read once): Now,
// and a Server without WithClock, read that instant however long the test runs; a value that is
// not an RFC 3339 time fails NewServer with an error naming the variable, and Now panics.
func TestEnvNow(t *testing.T) {
	if want, ok := os.LookupEnv(envNowChild); ok {
		envNowInChild(t, want)
		return
	}
	t.Parallel()
	for _, tt := range []struct{ value, want string }{
		{"2026-12-07T00:30:00Z", "ok"},
		{"2028-02-29T23:59:59.5+01:00", "ok"},
		{"Monday", "bad"},
	} {
		cmd := exec.CommandContext(ctx(t), os.Args[0], "-test.run=^TestEnvNow$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), kicktest.EnvNow+"="+tt.value, envNowChild+"="+tt.want)
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestEnvNow") {
			t.Errorf("%s=%s: %v\n%s", kicktest.EnvNow, tt.value, err, out)
		}
	}
}

func envNowInChild(t *testing.T, want string) {
	value := os.Getenv(kicktest.EnvNow)
	if want == "bad" {
		if _, err := kicktest.NewServer(); err == nil || !strings.Contains(err.Error(), kicktest.EnvNow+`="`+value+`"`) {
			t.Errorf("NewServer with %s=%q: %v, want an error naming it", kicktest.EnvNow, value, err)
		}
		defer func() {
			if recover() == nil {
				t.Errorf("Now with %s=%q did not panic", kicktest.EnvNow, value)
			}
		}()
		kicktest.Now()
		return
	}
	instant, err := time.Parse(time.RFC3339Nano, value)
	if err != nil {
		t.Fatal(err)
	}
	s := kicktest.New(t)
	time.Sleep(10 * time.Millisecond) // the clock stands still
	if got := kicktest.Now(); !got.Equal(instant) {
		t.Errorf("Now() = %v, want %v", got, instant)
	}
	if got := s.Now(); !got.Equal(instant) {
		t.Errorf("Server.Now() = %v, want %v", got, instant)
	}
	// The server's data is on that clock: a message sent now was created at the instant.
	s.SendChat(kicktest.Viewer.UserID, kicktest.Streamer.UserID, "hello")
	if msgs := s.Messages(kicktest.Streamer.UserID); len(msgs) != 1 || !msgs[0].CreatedAt.Equal(instant) {
		t.Errorf("a message sent now: %+v, want it created at %v", msgs, instant)
	}
	if got := kicktest.New(t, kicktest.WithClock(time.Now)).Now(); time.Until(got).Abs() > time.Minute {
		t.Errorf("WithClock(time.Now) reads %v: EnvNow overrode it", got)
	}
}
