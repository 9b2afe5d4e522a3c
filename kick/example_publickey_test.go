package kick_test

import (
	"context"
	"fmt"
	"log"

	"github.com/kick-sdk/kick-go/kick/kicktest"
)

func ExamplePublicKeyService_Get() {
	fake := kicktest.MustNewServer() // a fake Kick, for the example; see NewClient for Kick's
	defer fake.Close()
	client := fake.MustClient(kicktest.Streamer.UserID)

	key, err := client.PublicKey.Get(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	pub, err := key.RSA()
	if err != nil {
		log.Fatal(err)
	}
	// Verify webhook signatures with rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest, signature).
	fmt.Println(pub.N.BitLen(), pub.E)
	// Output: 2048 65537
}
