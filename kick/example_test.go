package kick_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/openapi"
)

// exampleSpec is the spec, loaded once for every example.
var exampleSpec = sync.OnceValues(func() (*openapi3.T, error) { return openapi.Load(context.Background()) })

// newExampleClient starts a local server that answers every operation of the spec with its
// fixture from testdata/responses (an operation whose success response has no body answers 204;
// the cursor-paginated ones answer a second, last page when given a cursor) and returns a client
// with both token kinds talking to it.
func newExampleClient() (*kick.Client, func()) {
	doc, err := exampleSpec()
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			mux.HandleFunc(method+" "+path, exampleHandler(op))
		}
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

// exampleHandler answers op with its fixture: the file named after the operation, of the
// Content-Type of its success response, or 204 when that response has no body.
func exampleHandler(op *openapi3.Operation) http.HandlerFunc {
	var ext, ct string
	for code, r := range op.Responses.Map() {
		if code[0] != '2' || r.Value == nil {
			continue
		}
		switch {
		case r.Value.Content.Get("application/json") != nil:
			ext, ct = ".json", "application/json"
		case r.Value.Content.Get("text/plain") != nil:
			ext, ct = ".txt", "text/plain"
		}
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if ext == "" {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if r.URL.Query().Get("cursor") != "" {
			// The last page of any cursor-paginated list.
			w.Header().Set("Content-Type", "application/json")
			if op.OperationID == "listDropsClaims" {
				fmt.Fprint(w, `{"data":{"claims":[],"cursor":""},"message":"OK"}`)
			} else {
				fmt.Fprint(w, `{"data":[],"message":"OK","pagination":{"next_cursor":""}}`)
			}
			return
		}
		body, err := os.ReadFile(filepath.Join("..", "testdata", "responses", op.OperationID+ext))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", ct)
		_, _ = w.Write(body)
	}
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
	fmt.Println(users[0].Username)
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
		fmt.Println(u.UserID, u.Username)
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
	fmt.Println(me.Username, me.Email)
	// Output: nova_streams nova.streams@example.com
}
