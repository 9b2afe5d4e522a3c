package kickauth_test

import (
	"context"
	"fmt"
	"log"

	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kick/kicktest"
)

// Processes that share a store share one app token: the first fetches it, the others adopt it.
// A MemoryStore stands for a store all processes reach, such as kickredis.TokenStore.
func ExampleWithAppTokenStore() {
	fake := kicktest.MustNewServer() // a fake Kick; against Kick, cfg is kickauth.NewConfig(...)
	defer fake.Close()
	cfg := fake.OAuthConfig("")

	store := kickauth.NewMemoryStore()
	for range 3 { // three processes
		src := kickauth.AppTokenSource(context.Background(), cfg, kickauth.WithAppTokenStore(store, ""))
		if _, err := src.Token(); err != nil {
			log.Fatal(err)
		}
	}
	tok, err := store.Load(context.Background(), kickauth.AppStoreKey(cfg.ClientID))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("fetches:", fake.Requests("requestToken"), "stored:", tok.AccessToken != "")
	// Output: fetches: 1 stored: true
}
