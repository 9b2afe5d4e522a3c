package kick_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
)

// uuidV4 matches a version 4 UUID of RFC 9562 (variant 10), in lower case.
var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// StartBreak sends the break's duration in seconds and an id: the caller's, or a fresh random
// version 4 UUID when there is none, different on every call; and returns Kick's answer.
func TestAdsStartBreak(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	var (
		mu  sync.Mutex
		ids []string
	)
	srv.mux.HandleFunc("POST /public/v1/ads/ad-break", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var in struct {
			ID       string `json:"id"`
			Duration int    `json:"break_duration_seconds"`
		}
		if err := json.Unmarshal(body, &in); err != nil || in.Duration != 90 || r.Header.Get("Authorization") != "Bearer "+userToken ||
			r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("request %s %v %v", body, err, r.Header)
		}
		mu.Lock()
		ids = append(ids, in.ID)
		mu.Unlock()
		respond(w, http.StatusAccepted, []byte(`{"data":{"id":"`+in.ID+`","remaining_ad_breaks":2,"new_field":1},"message":"Accepted"}`))
	})
	ctx := context.Background()
	for range 2 {
		got, err := c.Ads.StartBreak(ctx, kick.AdBreakStartParams{Duration: 90 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if !uuidV4.MatchString(got.ID) || got.RemainingAdBreaks != 2 {
			t.Errorf("StartBreak = %+v", got)
		}
	}
	const given = "3B241101-E2BB-4255-8CAF-4136C566A962"
	got, err := c.Ads.StartBreak(ctx, kick.AdBreakStartParams{ID: given, Duration: 90 * time.Second})
	if err != nil || got.ID != given {
		t.Errorf("StartBreak with an id = %+v, %v", got, err)
	}
	if len(ids) != 3 || ids[0] == ids[1] || ids[2] != given {
		t.Errorf("ids sent %v: want two fresh ones, then the caller's", ids)
	}
}

func TestAdsStartBreakInvalidInput(t *testing.T) {
	t.Parallel()
	for name, p := range map[string]kick.AdBreakStartParams{
		"no duration":           {},
		"6 seconds":             {Duration: 6 * time.Second},
		"301 seconds":           {Duration: 301 * time.Second},
		"not whole seconds":     {Duration: 7500 * time.Millisecond},
		"an id that is no UUID": {ID: "break-1", Duration: 30 * time.Second},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			_, err := c.Ads.StartBreak(context.Background(), p)
			field := "Duration"
			if p.ID != "" {
				field = "ID"
			}
			wantInvalid(t, err, "startAdBreak", field)
			noRequest(t, srv)
		})
	}
}

// Status decodes the state, keeping the breaks as the objects Kick sent and ignoring new fields.
func TestAdsStatus(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	const data = `{"opted_in":true,"ads_blocked":false,"remaining_ad_breaks":1,"ad_breaks":[{"id":"b1","len":30}],` +
		`"limits":{"max":3,"period_seconds":3600},"auto_ads_active":true,"next_field":"x"}`
	srv.handle(t, "/public/v1/ads/ad-break-status", want{method: "GET", path: "/public/v1/ads/ad-break-status", token: userToken},
		[]byte(`{"data":`+data+`,"message":"OK"}`))
	got, err := c.Ads.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := &kick.AdBreakStatus{OptedIn: true, RemainingAdBreaks: 1, AdBreaks: []map[string]any{{"id": "b1", "len": float64(30)}},
		Limits: kick.AdBreakLimits{Max: 3, Period: time.Hour}, AutoAdsActive: true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// Enroll sends a POST without a body and reads nothing of the answer, a 204 or a 200.
func TestAdsEnroll(t *testing.T) {
	t.Parallel()
	for _, body := range [][]byte{nil, []byte(`{"data":{},"message":"OK"}`)} {
		c, srv := setup(t)
		srv.handle(t, "/public/v1/ads/enroll", want{method: "POST", path: "/public/v1/ads/enroll", token: userToken}, body)
		if err := c.Ads.Enroll(context.Background()); err != nil {
			t.Errorf("answer %s: %v", body, err)
		}
	}
}

// Every Ads call needs a user token with its scope, which the client checks before sending.
func TestAdsScopes(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, kick.WithUserTokenSource(userTokenWith("ads:read")))
	if err := c.Ads.Enroll(context.Background()); !errorsIsMissingScope(err, kick.ScopeAdsWrite) {
		t.Errorf("Enroll with ads:read: %v", err)
	}
	if _, err := c.Ads.StartBreak(context.Background(), kick.AdBreakStartParams{Duration: 30 * time.Second}); !errorsIsMissingScope(err, kick.ScopeAdsWrite) {
		t.Errorf("StartBreak with ads:read: %v", err)
	}
	noRequest(t, srv)
}

func errorsIsMissingScope(err error, s kick.Scope) bool {
	var mse *kick.MissingScopeError
	return errors.As(err, &mse) && len(mse.Missing) == 1 && mse.Missing[0] == s
}

// The methods of the Ads service in the operations table.
var _ = addOperations(
	operation{"Ads.StartBreak", "startAdBreak", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Ads.StartBreak(ctx, kick.AdBreakStartParams{Duration: 30 * time.Second})
	}},
	operation{"Ads.Status", "getAdBreakStatus", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Ads.Status(ctx)
	}},
	operation{"Ads.Enroll", "enrollAds", func(ctx context.Context, c *kick.Client) (any, error) {
		return struct{}{}, c.Ads.Enroll(ctx)
	}},
)
