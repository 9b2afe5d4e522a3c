package kick_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"math/big"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// kickPublishedKey is the webhook key printed in Kick's docs (events/webhook-security.md).
const kickPublishedKey = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAq/+l1WnlRrGSolDMA+A8
6rAhMbQGmQ2SapVcGM3zq8ANXjnhDWocMqfWcTd95btDydITa10kDvHzw9WQOqp2
MZI7ZyrfzJuz5nhTPCiJwTwnEtWft7nV14BYRDHvlfqPUaZ+1KR4OCaO/wWIk/rQ
L/TjY0M70gse8rlBkbo2a8rKhu69RQTRsoaf4DVhDPEeSeI5jVrRDGAMGL3cGuyY
6CLKGdjVEM78g3JfYOvDU/RvfqD7L89TZ3iN94jrmWdGz34JNlEI5hqK8dd7C5EF
BEbZ5jgB8s8ReQV8H+MkuffjdAj3ajDDX3DOJMIut1lBrUVD1AaSrGCKHooWoL2e
twIDAQAB
-----END PUBLIC KEY-----`

// kickPublishedModulus is the modulus of kickPublishedKey, as printed by
// `openssl rsa -pubin -noout -modulus`.
const kickPublishedModulus = "ABFFA5D569E546B192A250CC03E03CEAB02131B406990D926A955C18CDF3ABC00D5E39E10D6A1C32A7D671377DE5BB43C9D2136B5D240EF1F3C3D5903AAA7631923B672ADFCC9BB3E678533C2889C13C2712D59FB7B9D5D780584431EF95FA8F51A67ED4A47838268EFF058893FAD02FF4E363433BD20B1EF2B94191BA366BCACA86EEBD4504D1B2869FE035610CF11E49E2398D5AD10C600C18BDDC1AEC98E822CA19D8D510CEFC83725F60EBC353F46F7EA0FB2FCF5367788DF788EB996746CF7E09365108E61A8AF1D77B0B91050446D9E63801F2CF1179057C1FE324B9F7E37408F76A30C35F70CE24C22EB75941AD4543D40692AC608A1E8A16A0BD9EB7"

func TestPublicKeyGet(t *testing.T) {
	t.Parallel()
	// The client has both kinds of token, and sends neither.
	c, srv := setup(t)
	srv.handle(t, "/public/v1/public-key", want{method: "GET", path: "/public/v1/public-key", token: ""}, fixture(t, "getPublicKey"))
	got, err := c.PublicKey.Get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&kick.PublicKey{PEM: kickPublishedKey}, got); diff != "" {
		t.Errorf("key (-want +got):\n%s", diff)
	}
}

func TestPublicKeyGetWithoutTokens(t *testing.T) {
	t.Parallel()
	c, srv := setupWith(t, false, false)
	srv.handle(t, "/public/v1/public-key", want{method: "GET", path: "/public/v1/public-key"}, fixture(t, "getPublicKey"))
	// Choosing a token kind does not make the call send one.
	if _, err := c.PublicKey.Get(context.Background(), kick.WithTokenKind(kick.TokenKindApp)); err != nil {
		t.Fatal(err)
	}
}

// PEM is Get's key as a string, with Get's errors: the shape of a webhook.FetchFunc.
func TestPublicKeyPEM(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/public-key", want{method: "GET", path: "/public/v1/public-key"}, fixture(t, "getPublicKey"))
	var fetch webhook.FetchFunc = c.PublicKey.PEM
	got, err := fetch(context.Background())
	if err != nil || got != kickPublishedKey {
		t.Errorf("PEM = %q, %v; want Kick's published key", got, err)
	}

	empty, srv := setup(t)
	srv.handle(t, "/public/v1/public-key", want{method: "GET", path: "/public/v1/public-key"}, []byte(`{"data":{"public_key":" "},"message":"OK"}`))
	if got, err := empty.PublicKey.PEM(context.Background()); !errors.Is(err, kick.ErrUnexpectedResponse) || got != "" {
		t.Errorf("PEM = %q, %v; want ErrUnexpectedResponse", got, err)
	}
}

func TestPublicKeyGetEmpty(t *testing.T) {
	t.Parallel()
	c, srv := setup(t)
	srv.handle(t, "/public/v1/public-key", want{method: "GET", path: "/public/v1/public-key"}, []byte(`{"data":{"public_key":""},"message":"OK"}`))
	got, err := c.PublicKey.Get(context.Background())
	if !errors.Is(err, kick.ErrUnexpectedResponse) || got != nil {
		t.Errorf("Get = %v, %v; want ErrUnexpectedResponse", got, err)
	}
}

func TestPublicKeyGetServerError(t *testing.T) {
	t.Parallel()
	c, srv := setup(t, kick.WithRetryPolicy(kick.RetryPolicy{}))
	srv.mux.HandleFunc("/public/v1/public-key", func(w http.ResponseWriter, r *http.Request) {
		respond(w, http.StatusInternalServerError, []byte(`{"data":null,"message":"Internal server error"}`))
	})
	_, err := c.PublicKey.Get(context.Background())
	var ae *kick.APIError
	if !errors.As(err, &ae) || !errors.Is(err, kick.ErrServer) || ae.Operation != "getPublicKey" || ae.Message != "Internal server error" {
		t.Errorf("err = %v, want an ErrServer *APIError", err)
	}
}

func TestPublicKeyRSA(t *testing.T) {
	t.Parallel()
	k := &kick.PublicKey{PEM: kickPublishedKey}
	got, err := k.RSA()
	if err != nil {
		t.Fatal(err)
	}
	modulus, ok := new(big.Int).SetString(kickPublishedModulus, 16)
	if !ok {
		t.Fatal("bad modulus literal")
	}
	if got.N.Cmp(modulus) != 0 || got.E != 65537 {
		t.Errorf("key = N %X, E %d; want N %s, E 65537", got.N, got.E, kickPublishedModulus)
	}
	if got.Size() != 256 {
		t.Errorf("key size = %d bytes, want 256 (RSA-2048)", got.Size())
	}
}

func TestPublicKeyRSAInvalid(t *testing.T) {
	t.Parallel()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, err := x509.MarshalPKIXPublicKey(&ecKey.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	edPub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	edDER, err := x509.MarshalPKIXPublicKey(edPub)
	if err != nil {
		t.Fatal(err)
	}
	weakDER, err := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	block := func(typ string, der []byte) string {
		return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
	}
	body := strings.Split(kickPublishedKey, "\n")
	tests := []struct {
		name string
		pem  string
		want string // part of the error
	}{
		{"empty", "", "no PEM block"},
		{"not PEM", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAq", "no PEM block"},
		{"PEM without end line", strings.Join(body[:len(body)-1], "\n"), "no PEM block"},
		{"1024-bit PKCS#1 block", block("RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(&rsaKey.PublicKey)), "1024-bit RSA key, want at least 2048"},
		{"1024-bit PKIX block", block("PUBLIC KEY", weakDER), "1024-bit RSA key, want at least 2048"},
		{"two keys", kickPublishedKey + "\n" + block("PUBLIC KEY", weakDER), "more than one PEM block"},
		{"certificate block", block("CERTIFICATE", []byte{0x30, 0x00}), `"CERTIFICATE"`},
		{"garbage DER", block("PUBLIC KEY", []byte("not DER at all")), "kick: public key: "},
		{"ECDSA key", block("PUBLIC KEY", ecDER), "*ecdsa.PublicKey, not an RSA key"},
		{"Ed25519 key", block("PUBLIC KEY", edDER), "ed25519.PublicKey, not an RSA key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			k := &kick.PublicKey{PEM: tt.pem}
			got, err := k.RSA()
			if err == nil || got != nil {
				t.Fatalf("RSA() = %v, %v; want an error", got, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %q, want it to contain %q", err, tt.want)
			}
		})
	}
	// The same rules as webhook.ParsePublicKeyPEM: a document one accepts, the other accepts, and
	// a key of 2048 bits or more parses from a PKCS #1 block too.
	strong := kicktest.Signer().PublicKey()
	for _, doc := range []string{
		kickPublishedKey,
		block("RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(strong)),
		"text before\n" + kicktest.PublicKeyPEM() + "\ntext after",
		block("PUBLIC KEY", weakDER),
		kickPublishedKey + "\n" + kicktest.PublicKeyPEM(),
	} {
		_, kerr := (&kick.PublicKey{PEM: doc}).RSA()
		_, werr := webhook.ParsePublicKeyPEM([]byte(doc))
		if (kerr == nil) != (werr == nil) {
			t.Errorf("RSA() = %v but webhook.ParsePublicKeyPEM = %v for\n%s", kerr, werr, doc)
		}
	}
	got, err := (&kick.PublicKey{PEM: block("RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(strong))}).RSA()
	if err != nil || !got.Equal(strong) {
		t.Errorf("RSA() of a PKCS #1 block = %v, %v", got, err)
	}
}

// The methods of the PublicKey service in the operations table.
var _ = addOperations(
	operation{"PublicKey.Get", "getPublicKey", func(ctx context.Context, c *kick.Client) (any, error) {
		return c.PublicKey.Get(ctx)
	}},
)
