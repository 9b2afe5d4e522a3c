package kick_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/kick-sdk/kick-go/kick"
)

// Models marshal as Kick's JSON, with Kick's property names.
func ExampleUser_json() {
	b, err := json.Marshal(kick.User{UserID: 1001, Username: "kickgo_streamer", ProfilePicture: "https://files.kick.com/u/1001.webp"})
	if err != nil {
		panic(err)
	}
	fmt.Println(string(b))
	// Output: {"user_id":1001,"name":"kickgo_streamer","profile_picture":"https://files.kick.com/u/1001.webp"}
}

// A token's secrets are redacted wherever it is printed or marshaled; Reveal marshals them, for a
// token store, as Kick's JSON that unmarshals into the same Token.
func ExampleReveal() {
	tok := kick.Token{AccessToken: "at-1", TokenType: "Bearer", ExpiresIn: time.Hour, Scopes: []kick.Scope{kick.ScopeUserRead}}

	redacted, _ := json.Marshal(tok)
	fmt.Println(string(redacted))

	stored, _ := json.Marshal(kick.Reveal(tok))
	fmt.Println(string(stored))

	var back kick.Token
	if err := json.Unmarshal(stored, &back); err != nil {
		panic(err)
	}
	fmt.Println(back.AccessToken.Reveal(), back.ExpiresIn, back)
	// Output:
	// {"access_token":"REDACTED","token_type":"Bearer","expires_in":3600,"scope":"user:read"}
	// {"access_token":"at-1","token_type":"Bearer","expires_in":3600,"scope":"user:read"}
	// at-1 1h0m0s kick.Token{TokenType:"Bearer", AccessToken:REDACTED, RefreshToken:"", ExpiresIn:1h0m0s, Scopes:[user:read]}
}

// An error in a result marshals as Kick's message.
func ExampleSubscriptionResult_json() {
	results := []kick.SubscriptionResult{
		{Type: kick.EventChatMessageSent, Version: 1, SubscriptionID: "01KEWZ2RKYZZFGD154K50Y3F8D"},
		{Type: kick.EventKicksGifted, Version: 1, Err: &kick.SubscriptionError{Type: kick.EventKicksGifted, Version: 1, Message: "webhooks are not enabled for app"}},
	}
	b, _ := json.Marshal(results)
	fmt.Println(string(b))
	// Output: [{"name":"chat.message.sent","version":1,"subscription_id":"01KEWZ2RKYZZFGD154K50Y3F8D"},{"name":"kicks.gifted","version":1,"error":"webhooks are not enabled for app"}]
}
