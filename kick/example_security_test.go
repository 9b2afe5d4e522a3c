package kick_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
)

func ExampleRedactURL() {
	u, err := url.Parse("https://id.kick.com/oauth/revoke?token=s3cr3t&token_hint_type=refresh_token")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(kick.RedactURL(u))
	// Output: https://id.kick.com/oauth/revoke?token=REDACTED&token_hint_type=refresh_token
}

func ExampleTokenRequestParams_String() {
	r := kick.TokenRequestParams{GrantType: kick.GrantRefreshToken, ClientID: "01JQBHJ5B2NBRBEWT9J3NGXW5F",
		ClientSecret: "client-secret", RefreshToken: "stored-refresh-token"}
	fmt.Printf("%+v\n", r)
	// Output: kick.TokenRequestParams{GrantType:"refresh_token", ClientID:"01JQBHJ5B2NBRBEWT9J3NGXW5F", ClientSecret:REDACTED, Code:"", RedirectURI:"", CodeVerifier:"", RefreshToken:REDACTED}
}

// A redirect to another host is not followed: the token stays with Kick.
func ExampleRedirectError() {
	elsewhere := httptest.NewServer(http.NotFoundHandler())
	defer elsewhere.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer api.Close()
	client, err := kick.NewClient(kick.WithAPIBaseURL(api.URL),
		kick.WithUserTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "user-token"})))
	if err != nil {
		log.Fatal(err)
	}

	_, err = client.Users.Me(context.Background())
	var re *kick.RedirectError
	if errors.As(err, &re) {
		fmt.Println(re.Operation, re.Method, re.StatusCode, re.Reason)
	}
	fmt.Println(errors.Is(err, kick.ErrRedirect))
	// Output:
	// getUsers GET 307 it leads to another scheme, host or port than the request's
	// true
}

// A success body longer than the limit is an error, not a large allocation.
func ExampleWithMaxResponseBytes() {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"data":[{"user_id":1,"name":"a","profile_picture":""}],"message":"OK"}`)
	}))
	defer api.Close()
	client, err := kick.NewClient(kick.WithAPIBaseURL(api.URL), kick.WithMaxResponseBytes(32),
		kick.WithAppTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "app-token"})))
	if err != nil {
		log.Fatal(err)
	}

	_, err = client.Users.Get(context.Background(), []int64{1})
	fmt.Println(errors.Is(err, kick.ErrResponseTooLarge), errors.Is(err, kick.ErrUnexpectedResponse))
	// Output: true true
}
