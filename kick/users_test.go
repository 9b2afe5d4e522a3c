package kick_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
)

var fixtureUsers = []kick.User{
	{
		UserID:         24871935,
		Username:       "nova_streams",
		Email:          "nova.streams@example.com",
		ProfilePicture: "https://files.kick.com/images/user/24871935/profile_image/conversion/7c1f0b9e-2d4a-4f6b-9a3e-5e8d1c2b7f40-fullsize.webp",
	},
	{
		UserID:         9183746,
		Username:       "pixelpanda",
		ProfilePicture: "https://files.kick.com/images/user/9183746/profile_image/conversion/e2b5a7d1-9c3f-4e80-b6a2-1d4f7c9e3a58-fullsize.webp",
	},
}

func TestUsersGet(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/users", want{
		method: "GET", path: "/public/v1/users", query: q("id", "24871935", "id", "9183746"), token: userToken,
	}, fixture(t, "getUsers"))
	got, err := c.Users.Get(context.Background(), []int64{24871935, 9183746})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fixtureUsers, got); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
}

func TestUsersGetTokenKinds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		user, app bool
		opts      []kick.RequestOption
		token     string
	}{
		{name: "user preferred", user: true, app: true, token: userToken},
		{name: "app only", app: true, token: appToken},
		{name: "app chosen", user: true, app: true, opts: []kick.RequestOption{kick.WithTokenKind(kick.TokenKindApp)}, token: appToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := setupWith(t, tt.user, tt.app)
			srv.handle(t, "/public/v1/users", want{method: "GET", path: "/public/v1/users", query: q("id", "1"), token: tt.token}, []byte(`{"data":[],"message":"OK"}`))
			got, err := c.Users.Get(context.Background(), []int64{1}, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if got == nil || len(got) != 0 {
				t.Errorf("users = %#v, want an empty, non-nil slice", got)
			}
		})
	}
}

// TestUsersGetBatches checks that 120 ids become 3 calls of at most 50 and that the users come back
// in input order although the server answers in another.
func TestUsersGetBatches(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	var mu sync.Mutex
	var batches [][]string
	srv.mux.HandleFunc("/public/v1/users", func(w http.ResponseWriter, r *http.Request) {
		ids := r.URL.Query()["id"]
		mu.Lock()
		batches = append(batches, ids)
		mu.Unlock()
		var body []byte
		// Answer in reverse order, leaving out id 7.
		for i := len(ids) - 1; i >= 0; i-- {
			if ids[i] == "7" {
				continue
			}
			if len(body) > 0 {
				body = append(body, ',')
			}
			body = fmt.Appendf(body, `{"user_id":%s,"name":"u%s","profile_picture":""}`, ids[i], ids[i])
		}
		respond(w, http.StatusOK, []byte(`{"data":[`+string(body)+`],"message":"OK"}`))
	})
	var ids []int64
	for i := 120; i >= 1; i-- {
		ids = append(ids, int64(i))
	}
	ids = append(ids, 120) // a repeat is fetched once
	got, err := c.Users.Get(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, b := range batches {
		sizes = append(sizes, len(b))
	}
	if diff := cmp.Diff([]int{50, 50, 20}, sizes); diff != "" {
		t.Errorf("batch sizes (-want +got):\n%s", diff)
	}
	var gotIDs, wantIDs []int64
	for _, u := range got {
		gotIDs = append(gotIDs, u.UserID)
	}
	for i := int64(120); i >= 1; i-- {
		if i != 7 {
			wantIDs = append(wantIDs, i)
		}
	}
	if diff := cmp.Diff(wantIDs, gotIDs); diff != "" {
		t.Errorf("user order (-want +got):\n%s", diff)
	}
	if got[0].Username != "u120" {
		t.Errorf("first user = %+v", got[0])
	}
}

func TestUsersGetInvalidInput(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	_, err := c.Users.Get(context.Background(), []int64{5, 0})
	var ve *kick.ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, kick.ErrInvalidInput) {
		t.Fatalf("err = %v, want a *ValidationError", err)
	}
	if ve.Field != "ids[1]" || ve.Operation != "getUsers" {
		t.Errorf("error = %+v", ve)
	}
	got, err := c.Users.Get(context.Background(), nil)
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("Get(nil) = %#v, %v; want an empty slice", got, err)
	}
	noRequest(t, srv)
}

func TestUsersMe(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/users", want{method: "GET", path: "/public/v1/users", token: userToken}, fixture(t, "getUsers"))
	got, err := c.Users.Me(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&fixtureUsers[0], got); diff != "" {
		t.Errorf("me (-want +got):\n%s", diff)
	}
}

func TestUsersMeNeedsUserToken(t *testing.T) {
	t.Parallel()
	c, srv := setupWith(t, false, true)
	_, err := c.Users.Me(context.Background())
	var mt *kick.MissingTokenError
	if !errors.As(err, &mt) || !errors.Is(err, kick.ErrMissingToken) {
		t.Fatalf("err = %v, want a *MissingTokenError", err)
	}
	if diff := cmp.Diff([]kick.TokenKind{kick.TokenKindUser}, mt.Accepted); diff != "" {
		t.Errorf("accepted (-want +got):\n%s", diff)
	}
	// Choosing the app token explicitly is refused too.
	_, err = c.Users.Me(context.Background(), kick.WithTokenKind(kick.TokenKindApp))
	if !errors.Is(err, kick.ErrMissingToken) {
		t.Errorf("err = %v, want ErrMissingToken", err)
	}
	noRequest(t, srv)
}

// TestErrorStatuses checks that each documented error status becomes an *APIError matching its
// sentinel, with Kick's message.
func TestErrorStatuses(t *testing.T) {
	t.Parallel()
	sentinels := []error{kick.ErrBadRequest, kick.ErrUnauthorized, kick.ErrForbidden, kick.ErrNotFound, kick.ErrRateLimited, kick.ErrServer}
	tests := []struct {
		status int
		want   error
	}{
		{400, kick.ErrBadRequest},
		{401, kick.ErrUnauthorized},
		{403, kick.ErrForbidden},
		{404, kick.ErrNotFound},
		{429, kick.ErrRateLimited},
		{500, kick.ErrServer},
		{503, kick.ErrServer},
		{409, nil},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.status), func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t, kick.WithRetryPolicy(kick.RetryPolicy{}))
			srv.mux.HandleFunc("/public/v1/users", func(w http.ResponseWriter, r *http.Request) {
				respond(w, tt.status, []byte(`{"data":null,"message":"Something `+strconv.Itoa(tt.status)+`"}`))
			})
			_, err := c.Users.Get(context.Background(), []int64{1})
			var ae *kick.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v, want *APIError", err)
			}
			if ae.StatusCode != tt.status || ae.Message != "Something "+strconv.Itoa(tt.status) || ae.Operation != "getUsers" || ae.Method != http.MethodGet {
				t.Errorf("error = %+v", ae)
			}
			for _, s := range sentinels {
				if got := errors.Is(err, s); got != errors.Is(tt.want, s) {
					t.Errorf("errors.Is(err, %v) = %v", s, got)
				}
			}
		})
	}
}

// The methods of the Users service in the operations table.
var _ = addOperations(
	operation{"Users.Get", "getUsers", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Users.Get(ctx, []int64{1})
	}},
	operation{"Users.Me", "getUsers", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.Users.Me(ctx)
	}},
)
