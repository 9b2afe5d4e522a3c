package kick_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

// Do sends a request built with NewRequest as the service methods send theirs: here getUsers,
// against a fake Kick. The token, retries and errors are the operation's; Response has the status
// and headers.
func ExampleClient_Do() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID) // user 1001

	req, err := client.NewRequest("GET", "/public/v1/users?id=1001", nil)
	if err != nil {
		log.Fatal(err)
	}
	var out struct {
		Data []struct {
			UserID int64  `json:"user_id"`
			Name   string `json:"name"`
		} `json:"data"`
	}
	rsp, err := client.Do(context.Background(), req, &out)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rsp.StatusCode, rsp.Operation, out.Data[0].UserID, out.Data[0].Name)
	// Output: 200 getUsers 1001 kickgo_streamer
}

// An endpoint Kick added before the SDK knew it is one NewRequest away; it takes the user token
// (else the app token) and the errors of every call.
func ExampleClient_Do_unknownEndpoint() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID) // user 1001

	req, err := client.NewRequest("POST", "/public/v2/polls", map[string]any{"title": "Best map?", "options": []string{"A", "B"}})
	if err != nil {
		log.Fatal(err)
	}
	rsp, err := client.Do(context.Background(), req, nil)
	var ae *kick.APIError
	if errors.As(err, &ae) {
		fmt.Println(rsp.Operation, ae.StatusCode, errors.Is(err, kick.ErrNotFound))
	}
	// Output: POST /public/v2/polls 404 true
}

// BareDo hands back the *http.Response, body unread, for a caller that streams it or wants the
// raw bytes.
func ExampleClient_BareDo() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID) // user 1001

	req, err := client.NewRequest("POST", "/oauth/token/introspect", nil)
	if err != nil {
		log.Fatal(err)
	}
	rsp, err := client.BareDo(context.Background(), req)
	if err != nil {
		log.Fatal(err)
	}
	defer func() { _ = rsp.Body.Close() }()
	fmt.Println(rsp.StatusCode, rsp.Header.Get("Content-Type"))
	// Output: 200 application/json
}

// WithResponse gives any service method the answer's status and headers.
func ExampleWithResponse() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID) // user 1001

	var rsp kick.Response
	if _, err := client.Users.Get(context.Background(), []int64{1001}, kick.WithResponse(&rsp)); err != nil {
		log.Fatal(err)
	}
	fmt.Println(rsp.StatusCode, rsp.Operation, rsp.Attempts)
	// Output: 200 getUsers 1
}
