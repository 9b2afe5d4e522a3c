package kick_test

import (
	"context"
	"fmt"
	"log"
)

func ExamplePublicKeyService_Get() {
	client, done := newExampleClient()
	defer done()

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
