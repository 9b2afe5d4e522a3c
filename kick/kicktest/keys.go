package kicktest

import (
	"sync"

	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

// SigningKeyPEM is the private key kicktest signs webhook deliveries with: a fixed RSA-2048 key
// in a PKCS#8 PEM block, so that `kick mock serve`, `kick event trigger` and tests agree on it.
// It is read once, on the first delivery or call of Signer; do not change it.
//
// It is published here, so it is for tests only: never trust it outside a test. Kick signs real
// deliveries with its own key (webhook.KickPublicKeyPEM verifies them).
var SigningKeyPEM = `-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQChmItSo/vbEYQA
YI80AmTgH/wkEjeJQzyaZoY4NYgeYdpjbUCWEscyHt+CEoBKpxq6el0WYCsGcW+F
8o/HPUNDyjevwq6tO/n2BrwpYbjyulaeCF/PQeh4jy/gG/FYQIkD2eGSIRQ8c0ai
PuLiYm3po6nsGupvAU7tXq4v+mrOVLg8T25fmk1GZxThH9Yp14mbHfCuL2RKN5L9
3M93G/dix96CLCKiB5N9nAp6Li9wkqWiyt8WiVXBVGG3fV40XNUrkEWvHkLwGsT0
yekCALFQJPMpN25uAl4hFwVeuRiwZ+/y2WHzc8oSXXtJy9vWWSqB1HiSR4W4tbXk
KyvXnDyBAgMBAAECggEABYa7OwYHIrCIaF/k/dUYII8PdydVVWEihTA85la0Uz+q
8YwGsasuO0FRiPf7gbIRyK9PGCkNR6Dg/L51Gs32Sy7y9RSOFzgOHhMQY8TnB4wG
Usy8BBE/s0HIVBx4hjlcxjAxFeeCMugJUhqe9TmDA0K42K1593ZeveDnSZZBiVFP
5moML7NIHSUc5PNTH5KWLp2ofY3bzsXTQpGSAworOI+gK3CXcuAI0IaCRlVccC91
LQG9ZGaoqDPbQkYC0+DumuDvYqNXM7q0xAO0GfCVxJTbuMtI1LFWeH+pd21LPtc4
jYpfFMMCheTJamluBq3SqeP1G18mvfoWvWskifyIPQKBgQDipAqM9bSuut6LXH4M
XY77c3m61zsrtFS5LbfAG92Ok7ypb1JbO57U9jIYEXiy1ScB+JGo8E1silIHmYDD
rnaV9RJCxwTfZnkwzCoR/jFFSLm55by897Gvc/xlgqWLtMuzkL0yUqLZBgqw4e2Z
GV3k8jMi8pp8ml+RR4rsi9427QKBgQC2h3SzEX4nyoeIguwUy+Nh9NS2xaNWz42U
k/9qJnssnben+TTiN6ptxGZmef+AB0lU2xdxIQCm1tUuf4BgKxAyYm8/Hy97AJNF
5DV8a6UxeKCAjJvyMzgTz1Ouq3lGNPtsaYsNmndqiMLr2Z9U28gW9nHY08KcTrNE
KjBfJie1ZQKBgELmKxsat//PtzspzSc3Qqpklq0ZNSUccNnMbe3uC8M3Rrw42PWH
LsYr+fNyzM707jO9vLlCXYhJeBc4L3MTf3uaQI6nkn+jDujhixWOk9qgsfn2n3Sk
JLXmpb0NCHKppmtVsRM2o00uZF98ARdtDnMzLvcE56caJlWK6a4TRz+tAoGAe9ob
yGmlNXDKWEml0VKrfks3jrE6bOw2gEuP8sIbsCFwfeyuApWM8iBi70P2pzPKgWaM
WHnxTEPXsU5YmGh//AAoxibt+8NfKvx3gm40UAYuuisuocA5W8/BU3MMviOzOlO/
Q8K9Jq+Xu5sV7umWsmYUx/CgS5lnMGiEG/vy07UCgYEArw1j0I34s3XeMjoaf8Uy
s+NqU2eank74x3nunbeCCvcxEs9lI5d62hWjX+PFhlvkv0CmTLHVPaSxTOA9rJeh
owD+VoZnNXyTPdpXjd8rGNW4Uv444mHRSTRN1eFzSQ8LrLEdeC9VUSBmtEWmmPfZ
FRoEyJPerR5FtwXRMnummmM=
-----END PRIVATE KEY-----
`

var signer = sync.OnceValue(func() *webhooktest.Signer {
	s, err := webhooktest.ParseSigner([]byte(SigningKeyPEM))
	if err != nil {
		panic("kicktest: SigningKeyPEM: " + err.Error())
	}
	return s
})

// Signer returns a signer with SigningKeyPEM: the key kicktest signs its deliveries with. Sign
// your own deliveries with it to post them to a handler that trusts kicktest's key.
func Signer() *webhooktest.Signer { return signer() }

// PublicKeyPEM returns the public key of SigningKeyPEM as a PEM "PUBLIC KEY" block: what kicktest
// serves at GET /public/v1/public-key, and what a verifier of its deliveries needs (parse it with
// webhook.ParsePublicKeyPEM, or fetch it with the client's PublicKey.Get).
func PublicKeyPEM() string { return Signer().PublicKeyPEM() }
