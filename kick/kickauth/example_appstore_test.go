package kickauth_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"sync/atomic"

	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// Processes that share a store share one app token: the first fetches it, the others adopt it.
// A MemoryStore stands for a store all processes reach, such as kickredis.TokenStore.
func ExampleWithAppTokenStore() {
	var fetches atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fetches.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"access_token":"app-token","token_type":"Bearer","expires_in":5184000}`)
	}))
	defer srv.Close()
	cfg := kickauth.NewConfig("client-id", "client-secret", "")
	cfg.Endpoint = kickauth.EndpointAt(srv.URL)

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
	fmt.Println("fetches:", fetches.Load(), "stored:", tok.AccessToken != "")
	// Output: fetches: 1 stored: true
}
