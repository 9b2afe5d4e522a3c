package kicktest_test

import (
	"errors"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

// The fake plays the inferred Ads API: a channel starts breaks once enrolled, three an hour, each
// id once; the status counts what is left.
func TestAds(t *testing.T) {
	t.Parallel()
	s := kicktest.New(t)
	c := client(t, s, kicktest.Streamer.UserID)
	p := kick.AdBreakStartParams{Duration: 30 * time.Second}
	if _, err := c.Ads.StartBreak(ctx(t), p); !errors.Is(err, kick.ErrBadRequest) {
		t.Errorf("a break before enrolling: %v", err)
	}
	if st, err := c.Ads.Status(ctx(t)); err != nil || st.OptedIn || st.RemainingAdBreaks != 3 {
		t.Errorf("status before enrolling: %+v %v", st, err)
	}
	if err := c.Ads.Enroll(ctx(t)); err != nil {
		t.Fatal(err)
	}
	for want := 2; want >= 0; want-- {
		b, err := c.Ads.StartBreak(ctx(t), p)
		if err != nil || b.RemainingAdBreaks != want {
			t.Fatalf("a break: %+v %v, want %d left", b, err, want)
		}
	}
	if _, err := c.Ads.StartBreak(ctx(t), p); !errors.Is(err, kick.ErrBadRequest) {
		t.Errorf("a fourth break in the hour: %v", err)
	}
	st, err := c.Ads.Status(ctx(t))
	if err != nil || !st.OptedIn || st.RemainingAdBreaks != 0 || len(st.AdBreaks) != 3 || st.AdBreaks[0]["break_duration_seconds"] != float64(30) {
		t.Errorf("status: %+v %v", st, err)
	}
	// Another channel has its own state.
	other := client(t, s, kicktest.Viewer.UserID)
	if st, err := other.Ads.Status(ctx(t)); err != nil || st.OptedIn || len(st.AdBreaks) != 0 {
		t.Errorf("another channel: %+v %v", st, err)
	}
	noViolations(t, s)
}
