package kick_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
)

func TestDropsListClaims(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/drops/claims", want{
		method: "GET", path: "/public/v1/drops/claims", token: appToken,
		query: q("campaign_id", "01K9PT69ZWCJTPKF0R975KMS8E", "user_id", "9183746", "claim_id", "01KAHCQF18J6SS3VD9WEC0FX71",
			"external_status", "processed", "limit", "1000", "cursor", "01KAHC0000000000000000000"),
	}, fixture(t, "listDropsClaims"))
	got, err := c.Drops.ListClaims(context.Background(), kick.DropsClaimListParams{
		CampaignID:     "01K9PT69ZWCJTPKF0R975KMS8E",
		UserID:         9183746,
		ClaimID:        "01KAHCQF18J6SS3VD9WEC0FX71",
		ExternalStatus: "processed",
		Limit:          1000,
		Cursor:         "01KAHC0000000000000000000",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := kick.Page[kick.DropsClaim]{
		Items: []kick.DropsClaim{
			{
				ClaimID:        "01KAHCQF18J6SS3VD9WEC0FX71",
				UserID:         9183746,
				CampaignID:     "01K9PT69ZWCJTPKF0R975KMS8E",
				RewardID:       "01K9MKT3A1Y20BZB2RS7AFT4PH",
				ExternalID:     "skin_wolf_hoodie",
				ExternalStatus: "processed",
				CreatedAt:      time.Date(2025, 11, 20, 19, 44, 12, 0, time.UTC),
				UpdatedAt:      time.Date(2025, 11, 20, 19, 44, 15, 0, time.UTC),
			},
			{
				ClaimID:        "01KAHHCJ04RCQRR7SEFJXDZA7Q",
				UserID:         51724903,
				CampaignID:     "01K9PT69ZWCJTPKF0R975KMS8E",
				RewardID:       "01K9MKVYM51XG8C89H5R23ZR0H",
				ExternalID:     "sign_kick_neon",
				ExternalStatus: "initiated",
				CreatedAt:      time.Date(2025, 11, 20, 21, 5, 37, 0, time.UTC),
				UpdatedAt:      time.Date(2025, 11, 20, 21, 5, 37, 0, time.UTC),
			},
		},
		NextCursor: "01KAHHCJ04RCQRR7SEFJXDZA7Q",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("page (-want +got):\n%s", diff)
	}
}

// TestDropsListClaimsSparse checks an empty page, and a claim without the optional fields: a
// missing external status reads as "initiated".
func TestDropsListClaimsSparse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want kick.Page[kick.DropsClaim]
	}{
		{name: "null claims", body: `{"data":{"claims":null},"message":"OK"}`, want: kick.Page[kick.DropsClaim]{Items: []kick.DropsClaim{}}},
		{name: "empty claims", body: `{"data":{"claims":[],"cursor":""},"message":"OK"}`, want: kick.Page[kick.DropsClaim]{Items: []kick.DropsClaim{}}},
		{
			name: "no external fields",
			body: `{"data":{"claims":[{"claim_id":"01KAKQ02J0Q11N8H6N1T3SPBV1","user_id":9183746,"campaign_id":"01K9PT69ZWCJTPKF0R975KMS8E","reward_id":"01K9MKT3A1Y20BZB2RS7AFT4PH","created_at":"2025-11-21T08:00:00Z","updated_at":"2025-11-21T08:00:00Z"}]},"message":"OK"}`,
			want: kick.Page[kick.DropsClaim]{Items: []kick.DropsClaim{{
				ClaimID: "01KAKQ02J0Q11N8H6N1T3SPBV1", UserID: 9183746, CampaignID: "01K9PT69ZWCJTPKF0R975KMS8E",
				RewardID: "01K9MKT3A1Y20BZB2RS7AFT4PH", ExternalStatus: "initiated",
				CreatedAt: time.Date(2025, 11, 21, 8, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2025, 11, 21, 8, 0, 0, 0, time.UTC),
			}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setupWith(t, false, true)
			srv.handle(t, "/public/v1/drops/claims", want{method: "GET", path: "/public/v1/drops/claims", token: appToken}, []byte(tt.body))
			got, err := c.Drops.ListClaims(context.Background(), kick.DropsClaimListParams{})
			if err != nil {
				t.Fatal(err)
			}
			if got.Items == nil {
				t.Error("Items is nil, want a non-nil slice")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("page (-want +got):\n%s", diff)
			}
		})
	}
}

// dropsPagedServer serves claims c1..c5 in pages of two, the cursor of a page being its last
// claim id as Kick does, and records the cursors it was asked for.
type dropsPagedServer struct {
	mu      sync.Mutex
	cursors []string
}

func (d *dropsPagedServer) register(t *testing.T, srv *server) {
	srv.mux.HandleFunc("/public/v1/drops/claims", func(w http.ResponseWriter, r *http.Request) {
		query := r.URL.Query()
		if query.Get("limit") != "2" || query.Get("campaign_id") != "camp" {
			t.Errorf("query = %q, want the filters on every page", r.URL.RawQuery)
		}
		cursor := query.Get("cursor")
		d.mu.Lock()
		d.cursors = append(d.cursors, cursor)
		d.mu.Unlock()
		start := 0
		if cursor != "" {
			if _, err := fmt.Sscanf(cursor, "c%d", &start); err != nil {
				t.Errorf("cursor %q: %v", cursor, err)
			}
		}
		var items []string
		last := ""
		for i := start + 1; i <= start+2 && i <= 5; i++ {
			last = fmt.Sprintf("c%d", i)
			items = append(items, fmt.Sprintf(`{"claim_id":%q,"user_id":%d,"campaign_id":"camp","reward_id":"r","external_status":"initiated","created_at":"2025-11-20T19:44:12Z","updated_at":"2025-11-20T19:44:12Z"}`, last, i))
		}
		respond(w, http.StatusOK, []byte(`{"data":{"claims":[`+strings.Join(items, ",")+`],"cursor":"`+last+`"},"message":"OK"}`))
	})
}

func (d *dropsPagedServer) seen() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.cursors...)
}

func TestDropsAllClaims(t *testing.T) {
	t.Parallel()
	c, srv := setupWith(t, false, true)
	d := &dropsPagedServer{}
	d.register(t, srv)
	var ids []string
	for claim, err := range c.Drops.AllClaims(context.Background(), kick.DropsClaimListParams{CampaignID: "camp", Limit: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, claim.ClaimID)
	}
	if diff := cmp.Diff([]string{"c1", "c2", "c3", "c4", "c5"}, ids); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
	// The last page (c5) is followed by one more request, answered with no claims.
	if diff := cmp.Diff([]string{"", "c2", "c4", "c5"}, d.seen()); diff != "" {
		t.Errorf("cursors (-want +got):\n%s", diff)
	}
}

func TestDropsAllClaimsLazyFromCursor(t *testing.T) {
	t.Parallel()
	c, srv := setupWith(t, false, true)
	d := &dropsPagedServer{}
	d.register(t, srv)
	var ids []string
	for claim, err := range c.Drops.AllClaims(context.Background(), kick.DropsClaimListParams{CampaignID: "camp", Limit: 2, Cursor: "c2"}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, claim.ClaimID)
		if len(ids) == 2 {
			break
		}
	}
	if diff := cmp.Diff([]string{"c3", "c4"}, ids); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"c2"}, d.seen()); diff != "" {
		t.Errorf("cursors (-want +got): only the first page should be fetched\n%s", diff)
	}
}

func TestDropsAllClaimsError(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, kick.WithRetryPolicy(kick.RetryPolicy{}))
	srv.mux.HandleFunc("/public/v1/drops/claims", func(w http.ResponseWriter, r *http.Request) {
		respond(w, http.StatusUnauthorized, []byte(`{"data":null,"message":"Unauthorized"}`))
	})
	n := 0
	for _, err := range c.Drops.AllClaims(context.Background(), kick.DropsClaimListParams{}) {
		n++
		if !errors.Is(err, kick.ErrUnauthorized) {
			t.Errorf("err = %v, want ErrUnauthorized", err)
		}
	}
	if n != 1 {
		t.Errorf("yielded %d times, want once", n)
	}
}

func TestDropsListClaimsInvalidInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p     kick.DropsClaimListParams
		field string
	}{
		{kick.DropsClaimListParams{UserID: -1}, "UserID"},
		{kick.DropsClaimListParams{Limit: -1}, "Limit"},
		{kick.DropsClaimListParams{Limit: 1001}, "Limit"},
	}
	for _, tt := range tests {
		c, srv := setup(t)
		_, err := c.Drops.ListClaims(context.Background(), tt.p)
		wantInvalid(t, err, "listDropsClaims", tt.field)
		n := 0
		for _, err := range c.Drops.AllClaims(context.Background(), tt.p) {
			n++
			wantInvalid(t, err, "listDropsClaims", tt.field)
		}
		if n != 1 {
			t.Errorf("AllClaims yielded %d times, want once", n)
		}
		noRequest(t, srv)
	}
}

func TestDropsNeedAppToken(t *testing.T) {
	t.Parallel()
	c, srv := setupWith(t, true, false)
	ctx := context.Background()
	_, err := c.Drops.ListClaims(ctx, kick.DropsClaimListParams{})
	wantMissingToken(t, err, kick.TokenKindApp)
	err = c.Drops.UpdateClaims(ctx, []kick.DropsClaimUpdateParams{{ClaimID: "01KAAFHJ2PNXS48NG8XXPGWKCZ", ExternalStatus: "processed"}})
	wantMissingToken(t, err, kick.TokenKindApp)
	noRequest(t, srv)

	// Choosing the user token is refused even when the client has an app token.
	c, srv = setup(t)
	_, err = c.Drops.ListClaims(ctx, kick.DropsClaimListParams{}, kick.WithTokenKind(kick.TokenKindUser))
	wantMissingToken(t, err, kick.TokenKindApp)
	noRequest(t, srv)
}

func TestDropsUpdateClaims(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/drops/claims", want{
		method: "PATCH", path: "/public/v1/drops/claims", token: appToken,
		body: `{"claims":[{"claim_id":"01KAAFHJ2PNXS48NG8XXPGWKCZ","external_status":"processed"},{"claim_id":"01KAAFHJ2PNXS48NG8XXPGWKCA","external_status":"initiated"}]}`,
	}, nil)
	err := c.Drops.UpdateClaims(context.Background(), []kick.DropsClaimUpdateParams{
		{ClaimID: "01KAAFHJ2PNXS48NG8XXPGWKCZ", ExternalStatus: "processed"},
		{ClaimID: "01KAAFHJ2PNXS48NG8XXPGWKCA", ExternalStatus: "initiated"},
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestDropsUpdateClaimsInvalidInput(t *testing.T) {
	t.Parallel()
	ok := kick.DropsClaimUpdateParams{ClaimID: "01KAAFHJ2PNXS48NG8XXPGWKCZ", ExternalStatus: "processed"}
	many := make([]kick.DropsClaimUpdateParams, 101)
	for i := range many {
		many[i] = kick.DropsClaimUpdateParams{ClaimID: fmt.Sprintf("claim-%d", i), ExternalStatus: "processed"}
	}
	tests := []struct {
		name    string
		updates []kick.DropsClaimUpdateParams
		field   string
	}{
		{"none", nil, "updates"},
		{"101", many, "updates"},
		{"empty claim id", []kick.DropsClaimUpdateParams{ok, {ExternalStatus: "processed"}}, "updates[1].ClaimID"},
		{"empty status", []kick.DropsClaimUpdateParams{{ClaimID: "01KAAFHJ2PNXS48NG8XXPGWKCA"}}, "updates[0].ExternalStatus"},
		{"duplicate claim", []kick.DropsClaimUpdateParams{ok, {ClaimID: "01KAAFHJ2PNXS48NG8XXPGWKCA", ExternalStatus: "x"}, {ClaimID: ok.ClaimID, ExternalStatus: "failed"}}, "updates[2].ClaimID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t)
			err := c.Drops.UpdateClaims(context.Background(), tt.updates)
			wantInvalid(t, err, "updateDropsClaims", tt.field)
			noRequest(t, srv)
		})
	}
	// 100 is allowed.
	c, srv := setup(t)
	srv.handle(t, "/public/v1/drops/claims", want{method: "PATCH", path: "/public/v1/drops/claims", token: appToken, body: dropsUpdateBody(many[:100])}, nil)
	if err := c.Drops.UpdateClaims(context.Background(), many[:100]); err != nil {
		t.Errorf("100 updates: %v", err)
	}
}

// dropsUpdateBody writes the JSON body Kick expects for updates.
func dropsUpdateBody(updates []kick.DropsClaimUpdateParams) string {
	parts := make([]string, len(updates))
	for i, u := range updates {
		parts[i] = fmt.Sprintf(`{"claim_id":%q,"external_status":%q}`, u.ClaimID, u.ExternalStatus)
	}
	return `{"claims":[` + strings.Join(parts, ",") + `]}`
}

// The methods of the Drops service in the operations table.
var _ = addOperations(
	operation{"Drops.ListClaims", "listDropsClaims", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Drops.ListClaims(ctx, kick.DropsClaimListParams{Limit: 2})
	}},
	operation{"Drops.UpdateClaims", "updateDropsClaims", func(ctx context.Context, c *kick.Client) (any, error) {
		return struct{}{}, c.Drops.UpdateClaims(ctx, []kick.DropsClaimUpdateParams{{ClaimID: ulid, ExternalStatus: "processed"}})
	}},
)
