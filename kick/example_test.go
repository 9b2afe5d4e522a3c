package kick_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
)

// exampleRoutes maps each operation's method and path to the fixture the example server answers
// with; an empty fixture answers 204 No Content.
var exampleRoutes = map[string]string{
	"POST /oauth/token":                                   "requestToken",
	"POST /oauth/revoke":                                  "revokeToken",
	"POST /oauth/token/introspect":                        "introspectToken",
	"GET /public/v2/categories":                           "listCategories",
	"GET /public/v1/categories":                           "searchCategoriesV1",
	"GET /public/v1/categories/{category_id}":             "getCategoryV1",
	"GET /public/v1/users":                                "getUsers",
	"POST /public/v1/token/introspect":                    "introspectTokenV1",
	"GET /public/v1/channels":                             "getChannels",
	"PATCH /public/v1/channels":                           "",
	"GET /public/v1/channels/rewards":                     "listChannelRewards",
	"POST /public/v1/channels/rewards":                    "createChannelReward",
	"PATCH /public/v1/channels/rewards/{id}":              "updateChannelReward",
	"DELETE /public/v1/channels/rewards/{id}":             "",
	"GET /public/v1/channels/rewards/redemptions":         "listRewardRedemptions",
	"POST /public/v1/channels/rewards/redemptions/accept": "acceptRewardRedemptions",
	"POST /public/v1/channels/rewards/redemptions/reject": "rejectRewardRedemptions",
	"POST /public/v1/chat":                                "sendChatMessage",
	"DELETE /public/v1/chat/{message_id}":                 "",
	"POST /public/v1/moderation/bans":                     "banUser",
	"DELETE /public/v1/moderation/bans":                   "unbanUser",
	"GET /public/v2/livestreams":                          "listLivestreams",
	"GET /public/v1/livestreams":                          "getLivestreamsV1",
	"GET /public/v1/livestreams/stats":                    "getLivestreamStats",
	"GET /public/v1/users/livestreams":                    "getUsersLivestreams",
	"GET /public/v1/public-key":                           "getPublicKey",
	"GET /public/v1/kicks/leaderboard":                    "getKicksLeaderboard",
	"GET /public/v1/events/subscriptions":                 "listEventSubscriptions",
	"POST /public/v1/events/subscriptions":                "createEventSubscriptions",
	"DELETE /public/v1/events/subscriptions":              "",
	"GET /public/v1/drops/claims":                         "listDropsClaims",
	"PATCH /public/v1/drops/claims":                       "",
}

// newExampleClient starts a local server that answers every Kick operation with its fixture from
// testdata/responses (the cursor-paginated ones answer a second, last page when given a cursor)
// and returns a client with both token kinds talking to it.
func newExampleClient() (*kick.Client, func()) {
	mux := http.NewServeMux()
	for route, op := range exampleRoutes {
		mux.HandleFunc(route, func(w http.ResponseWriter, r *http.Request) {
			if op == "" {
				w.WriteHeader(http.StatusNoContent)
				return
			}
			if r.URL.Query().Get("cursor") != "" {
				// The last page of any cursor-paginated list.
				w.Header().Set("Content-Type", "application/json")
				if op == "listDropsClaims" {
					fmt.Fprint(w, `{"data":{"claims":[],"cursor":""},"message":"OK"}`)
				} else {
					fmt.Fprint(w, `{"data":[],"message":"OK","pagination":{"next_cursor":""}}`)
				}
				return
			}
			ext, ct := ".json", "application/json"
			if op == "revokeToken" {
				ext, ct = ".txt", "text/plain"
			}
			body, err := os.ReadFile(filepath.Join("..", "testdata", "responses", op+ext))
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", ct)
			_, _ = w.Write(body)
		})
	}
	srv := httptest.NewServer(mux)
	client, err := kick.NewClient(
		kick.WithBaseURL(srv.URL),
		kick.WithOAuthBaseURL(srv.URL),
		kick.WithUserTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "user-token"})),
		kick.WithAppTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "app-token"})),
	)
	if err != nil {
		log.Fatal(err)
	}
	return client, srv.Close
}

func ExampleNewClient() {
	// In production the base URLs are Kick's own; here a local server stands in for Kick.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"data":[{"user_id":1,"name":"streamer","profile_picture":""}],"message":"OK"}`)
	}))
	defer srv.Close()

	client, err := kick.NewClient(
		kick.WithBaseURL(srv.URL),
		// Any oauth2.TokenSource works; an app token acts for the app alone.
		kick.WithAppTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "app-token"})),
	)
	if err != nil {
		log.Fatal(err)
	}
	users, err := client.Users.Get(context.Background(), []int64{1})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(users[0].Name)
	// Output: streamer
}

func ExampleUsersService_Get() {
	client, done := newExampleClient()
	defer done()

	users, err := client.Users.Get(context.Background(), []int64{24871935, 9183746})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range users {
		fmt.Println(u.UserID, u.Name)
	}
	// Output:
	// 24871935 nova_streams
	// 9183746 pixelpanda
}

func ExampleUsersService_Me() {
	client, done := newExampleClient()
	defer done()

	me, err := client.Users.Me(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(me.Name, me.Email)
	// Output: nova_streams nova.streams@example.com
}
