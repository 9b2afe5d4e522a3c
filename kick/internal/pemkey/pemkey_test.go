package pemkey

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"sync"
	"testing"
)

var (
	strong = sync.OnceValue(func() *rsa.PrivateKey { return genKey(2048) })
	weak   = sync.OnceValue(func() *rsa.PrivateKey { return genKey(1024) })
)

func genKey(bits int) *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		panic(err)
	}
	return k
}

func block(typ string, der []byte, headers map[string]string) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Headers: headers, Bytes: der}))
}

func pkix(t testing.TB, pub any) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestParseAccepts(t *testing.T) {
	t.Parallel()
	pub := &strong().PublicKey
	pkixPEM := block("PUBLIC KEY", pkix(t, pub), nil)
	for name, in := range map[string]string{
		"PKIX":                  pkixPEM,
		"PKCS #1":               block("RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(pub), nil),
		"text around the block": "Kick's key:\n" + pkixPEM + "\ntrailing words",
		"Windows line ends":     strings.ReplaceAll(pkixPEM, "\n", "\r\n"),
		"no final line end":     strings.TrimSuffix(pkixPEM, "\n"),
	} {
		got, err := Parse([]byte(in))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !got.Equal(pub) {
			t.Errorf("%s: another key", name)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	t.Parallel()
	pub := &strong().PublicKey
	pkixPEM := block("PUBLIC KEY", pkix(t, pub), nil)
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	privDER, err := x509.MarshalPKCS8PrivateKey(strong())
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(pkixPEM, "\n")
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "no PEM block"},
		{"base64 without armor", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAq", "no PEM block"},
		{"no end line", strings.Join(lines[:len(lines)-2], "\n"), "no PEM block"},
		{"two keys", pkixPEM + block("PUBLIC KEY", pkix(t, &weak().PublicKey), nil), "more than one PEM block"},
		{"a key and a certificate", pkixPEM + block("CERTIFICATE", []byte{0x30, 0x00}, nil), "more than one PEM block"},
		{"headers", block("PUBLIC KEY", pkix(t, pub), map[string]string{"Proc-Type": "4,ENCRYPTED"}), "has headers"},
		{"certificate", block("CERTIFICATE", []byte{0x30, 0x00}, nil), `"CERTIFICATE"`},
		{"private key", block("PRIVATE KEY", privDER, nil), `"PRIVATE KEY"`},
		{"garbage DER", block("PUBLIC KEY", []byte("not DER at all"), nil), "asn1"},
		{"garbage PKCS #1", block("RSA PUBLIC KEY", []byte("not DER at all"), nil), "asn1"},
		{"ECDSA key", block("PUBLIC KEY", pkix(t, &ec.PublicKey), nil), "*ecdsa.PublicKey, not an RSA key"},
		{"1024-bit key", block("PUBLIC KEY", pkix(t, &weak().PublicKey), nil), "1024-bit RSA key, want at least 2048"},
		{"1024-bit PKCS #1", block("RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(&weak().PublicKey), nil), "1024-bit"},
		{"too large", strings.Repeat(" ", MaxBytes) + pkixPEM, "larger than 65536 bytes"},
	}
	for _, tt := range tests {
		got, err := Parse([]byte(tt.in))
		if err == nil || got != nil {
			t.Errorf("%s: Parse = %v, %v; want an error", tt.name, got, err)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %q, want it to contain %q", tt.name, err, tt.want)
		}
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	for name, k := range map[string]*rsa.PublicKey{"nil": nil, "no modulus": {E: 65537}, "1024 bits": &weak().PublicKey} {
		if Check(k) == nil {
			t.Errorf("%s: Check accepted it", name)
		}
	}
	if err := Check(&strong().PublicKey); err != nil {
		t.Errorf("2048 bits: %v", err)
	}
}

// FuzzParse feeds Parse arbitrary documents: it must not panic, must accept only RSA keys of at
// least MinBits bits, and its errors must not quote the input.
func FuzzParse(f *testing.F) {
	pub := &strong().PublicKey
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(block("PUBLIC KEY", der, nil)))
	f.Add([]byte(block("RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(pub), nil)))
	f.Add([]byte(block("PUBLIC KEY", der, nil) + block("PUBLIC KEY", der, nil)))
	f.Add([]byte("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := Parse(data)
		switch {
		case err == nil && (k == nil || k.N.BitLen() < MinBits):
			t.Fatalf("accepted %v", k)
		case err != nil && k != nil:
			t.Fatalf("a key and an error: %v", err)
		case err != nil && len(data) >= 16 && bytes.Contains([]byte(err.Error()), data):
			t.Fatalf("the error quotes the input: %v", err)
		}
	})
}
