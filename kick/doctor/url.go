package doctor

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// ProbeIDPrefix starts the message id of every forged delivery Run sends, so that no log reader
// takes one for Kick's (whose ids are ULIDs).
const ProbeIDPrefix = "KICKGODOCTOR-"

// maxProbeAnswer bounds what Run reads of a probe's answer.
const maxProbeAnswer = 4 << 10

// webhookURL checks the webhook URL: its form, its host's addresses, and how it answers two
// forged deliveries.
func (d *run) webhookURL(ctx context.Context) {
	raw := d.p.WebhookURL
	if raw == "" {
		d.add(CheckWebhookURL, Warn, "No webhook URL was given, so it was not checked: Kick's API does not tell the URL set in the app's settings.",
			"Give the app's webhook URL (Params.WebhookURL, kick doctor --webhook-url or KICK_WEBHOOK_URL) to check it.", nil)
		return
	}
	u, ok := d.checkURL(raw)
	if !ok {
		return
	}
	addr, ok := d.checkAddress(ctx, u)
	if !ok {
		return
	}
	d.probe(ctx, u, addr)
}

// checkURL checks the URL's form: absolute, https (unless Local), with a host.
func (d *run) checkURL(raw string) (*url.URL, bool) {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		d.add(CheckWebhookURL, Fail, fmt.Sprintf("The webhook URL does not parse: %v.", err), "Set an absolute https URL as the app's webhook URL.", err)
		return nil, false
	case (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Opaque != "":
		d.add(CheckWebhookURL, Fail, fmt.Sprintf("The webhook URL %q is not an absolute http(s) URL.", redactedURL(u)), "Set an absolute https URL, such as https://bot.example.com/kick/webhook, as the app's webhook URL.", nil)
		return nil, false
	case u.Scheme == "http" && !d.p.Local:
		d.add(CheckWebhookURL, Fail, fmt.Sprintf("The webhook URL %s is plain http; Kick delivers to https URLs only.", redactedURL(u)),
			"Serve the webhook over https with a certificate of a public CA (a reverse proxy, or a tunnel such as cloudflared or ngrok), and set that https URL in the app's settings.", nil)
		return nil, false
	case u.User != nil:
		d.add(CheckWebhookURL, Warn, fmt.Sprintf("The webhook URL %s carries user information, which Kick's deliveries do not use; the probes left it out.", redactedURL(u)),
			"Set the URL without user information, and verify deliveries by their signature.", nil)
	default:
		seen := fmt.Sprintf("The webhook URL %s is an absolute https URL.", redactedURL(u))
		if u.Scheme == "http" {
			seen = fmt.Sprintf("The webhook URL %s is plain http, which a local fake of Kick accepts (Kick needs https).", redactedURL(u))
		}
		d.add(CheckWebhookURL, OK, seen, "", nil)
	}
	return u, true
}

// checkAddress resolves the URL's host (unless it is an address) and checks that every address
// is public, as Kick must reach it. It returns the address the probes connect to.
func (d *run) checkAddress(ctx context.Context, u *url.URL) (netip.Addr, bool) {
	host := strings.TrimSuffix(u.Hostname(), ".")
	fail := func(seen, fix string, err error) (netip.Addr, bool) {
		d.add(CheckWebhookAddress, Fail, seen, fix, err)
		return netip.Addr{}, false
	}
	fixPublic := "Kick must reach the webhook URL from the Internet: expose the receiver with a public https address (a reverse proxy, or a tunnel such as cloudflared or ngrok) and set that URL in the app's settings."
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else {
		lower := strings.ToLower(host)
		switch {
		case !d.p.Local && (lower == "localhost" || strings.HasSuffix(lower, ".localhost")):
			return fail(fmt.Sprintf("The webhook URL's host %s is this machine, which Kick cannot reach.", host), fixPublic, nil)
		case !d.p.Local && !strings.Contains(lower, "."):
			return fail(fmt.Sprintf("The webhook URL's host %s is not a public DNS name (it has no dot).", host), fixPublic, nil)
		}
		lctx, cancel := context.WithTimeout(ctx, d.p.ProbeTimeout)
		found, err := d.p.Resolver.LookupNetIP(lctx, "ip", host)
		cancel()
		if err != nil || len(found) == 0 {
			if err == nil {
				err = errors.New("no address")
			}
			return fail(fmt.Sprintf("The webhook URL's host %s does not resolve: %v.", host, err),
				"Publish a DNS record (A or AAAA) of the host that points at the receiver.", err)
		}
		addrs = found
	}
	var public []netip.Addr
	var special []string
	for _, a := range addrs {
		a = a.Unmap()
		if why := specialUse(a); why != "" {
			special = append(special, fmt.Sprintf("%s (%s)", a, why))
		} else {
			public = append(public, a)
		}
	}
	switch {
	case d.p.Local:
		d.add(CheckWebhookAddress, OK, fmt.Sprintf("The webhook URL's host %s is %s, which a local fake of Kick reaches.", host, addrList(addrs)), "", nil)
		return addrs[0].Unmap(), true
	case len(public) == 0:
		return fail(fmt.Sprintf("The webhook URL's host %s is %s, which Kick cannot reach from the Internet.", host, strings.Join(special, ", ")), fixPublic, nil)
	case len(special) > 0:
		d.add(CheckWebhookAddress, Warn, fmt.Sprintf("The webhook URL's host %s is %s, but also %s, which Kick cannot reach.", host, addrList(public), strings.Join(special, ", ")),
			"Remove the DNS records of the host that point at addresses that are not public.", nil)
	default:
		d.add(CheckWebhookAddress, OK, fmt.Sprintf("The webhook URL's host %s is %s, public.", host, addrList(public)), "", nil)
	}
	return public[0], true
}

// specialUse says why an address is not one Kick can reach on the Internet; "" for a public one.
func specialUse(a netip.Addr) string {
	switch {
	case a.IsLoopback():
		return "loopback"
	case a.IsUnspecified():
		return "unspecified"
	case a.IsPrivate():
		return "private"
	case a.IsLinkLocalUnicast():
		return "link-local"
	case a.IsMulticast():
		return "multicast"
	}
	for _, p := range specialPrefixes {
		if p.prefix.Contains(a) {
			return p.why
		}
	}
	return ""
}

// specialPrefixes are the special-purpose ranges (IANA's registries) that netip.Addr's methods
// do not name.
var specialPrefixes = []struct {
	prefix netip.Prefix
	why    string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "this network"},
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignments"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "local-use NAT64"},
	{netip.MustParsePrefix("100::/64"), "discard-only"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},
	{netip.MustParsePrefix("3fff::/20"), "documentation"},
}

// addrList is the addresses, comma-separated.
func addrList(addrs []netip.Addr) string {
	s := make([]string, len(addrs))
	for i, a := range addrs {
		s[i] = a.Unmap().String()
	}
	return strings.Join(s, ", ")
}

// redactedURL is u without user information, as errors and logs show URLs.
func redactedURL(u *url.URL) string { return kick.RedactURL(u) }

// probeResult is how the receiver answered one forged delivery.
type probeResult struct {
	status   int
	location string
	elapsed  time.Duration
	err      error
}

// probe posts the two forged deliveries to the URL, connecting to addr.
func (d *run) probe(ctx context.Context, u *url.URL, addr netip.Addr) {
	client := d.probeClient(u, addr)
	defer client.CloseIdleConnections()
	target := *u
	target.User = nil
	unsigned := d.post(ctx, client, target.String(), false)
	if !d.answerCheck(unsigned, &target) {
		return
	}
	d.refusal(CheckWebhookUnsigned, unsigned, "without a signature")
	d.refusal(CheckWebhookForged, d.post(ctx, client, target.String(), true), "with a signature of another key than Kick's")
}

// probeClient is the client of the probes: it connects to addr only, trusts RootCAs, follows no
// redirect, keeps no cookie and no connection, uses no proxy, and gives up after ProbeTimeout.
func (d *run) probeClient(u *url.URL, addr netip.Addr) *http.Client {
	dial := d.p.Dial
	if dial == nil {
		dial = (&net.Dialer{Timeout: d.p.ProbeTimeout}).DialContext
	}
	port := u.Port()
	if port == "" {
		port = "443"
		if u.Scheme == "http" {
			port = "80"
		}
	}
	to := net.JoinHostPort(addr.String(), port)
	return &http.Client{
		Transport: &http.Transport{
			DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return dial(ctx, network, to)
			},
			TLSClientConfig:        &tls.Config{ServerName: u.Hostname(), RootCAs: d.p.RootCAs, MinVersion: tls.VersionTLS12},
			TLSHandshakeTimeout:    d.p.ProbeTimeout,
			ResponseHeaderTimeout:  d.p.ProbeTimeout,
			DisableKeepAlives:      true,
			MaxResponseHeaderBytes: 16 << 10,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       d.p.ProbeTimeout,
	}
}

// post sends one forged delivery: without a signature, or with one of random bytes.
func (d *run) post(ctx context.Context, client *http.Client, target string, signed bool) probeResult {
	id := newProbeID()
	body := fmt.Appendf(nil, `{"kick_go_doctor":"a forged delivery that kick doctor sends to check that the receiver refuses it; it does not come from Kick","probe":%q}`, id)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return probeResult{err: err}
	}
	typ := kick.EventChatMessageSent
	if len(d.p.Events) > 0 {
		typ = d.p.Events[0].Type
	}
	h := req.Header
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "kick-go-doctor/"+kick.Version+" (a forged delivery: refuse it)")
	h.Set(webhook.HeaderMessageID, id)
	h.Set(webhook.HeaderSubscriptionID, id)
	h.Set(webhook.HeaderMessageTimestamp, d.now().UTC().Format(time.RFC3339))
	h.Set(webhook.HeaderEventType, string(typ))
	h.Set(webhook.HeaderEventVersion, "1")
	if signed {
		sig := make([]byte, 256) // the length of an RSA-2048 signature, as Kick's
		_, _ = rand.Read(sig)
		h.Set(webhook.HeaderSignature, base64.StdEncoding.EncodeToString(sig))
	}
	if d.rx != nil {
		d.rx.expectProbe(id)
	}
	start := time.Now()
	rsp, err := client.Do(req)
	if err != nil {
		return probeResult{err: err, elapsed: time.Since(start)}
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(rsp.Body, maxProbeAnswer))
	_ = rsp.Body.Close()
	return probeResult{status: rsp.StatusCode, location: rsp.Header.Get("Location"), elapsed: time.Since(start)}
}

// newProbeID is a probe's message id: ProbeIDPrefix and 16 random hex digits.
func newProbeID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return ProbeIDPrefix + hex.EncodeToString(b[:])
}

// answerCheck checks that the URL answered the first probe in time, without a redirect, from a
// handler; it reports whether the refusal checks can go on.
func (d *run) answerCheck(r probeResult, target *url.URL) bool {
	u := redactedURL(target)
	fixFast := "Answer each delivery at once (2xx for Kick's, 4xx for others) and do the work afterwards; a receiver that does not answer in time fails the delivery, and Kick drops the subscriptions of deliveries that fail for a day."
	switch {
	case r.err != nil:
		var tlsErr *tls.CertificateVerificationError
		var netErr net.Error
		// The error quotes the URL: as the other messages, with its secrets redacted.
		seen := fmt.Sprintf("POST %s failed: %s.", u, strings.ReplaceAll(r.err.Error(), target.String(), u))
		fix := "Make sure the receiver runs and is reachable from the Internet at the webhook URL (a firewall, or a tunnel that is down, stops Kick's deliveries)."
		switch {
		case errors.As(r.err, &tlsErr):
			fix = "Serve a certificate for the URL's host from a public CA (such as Let's Encrypt): Kick does not trust self-signed ones."
		case errors.As(r.err, &netErr) && netErr.Timeout():
			seen = fmt.Sprintf("POST %s got no answer within %s.", u, d.p.ProbeTimeout)
			fix = fixFast
		}
		d.add(CheckWebhookAnswer, Fail, seen, fix, r.err)
		return false
	case r.status >= 300 && r.status < 400:
		d.add(CheckWebhookAnswer, Fail, fmt.Sprintf("POST %s answered %d, a redirect to %q: Kick does not follow redirects, so its deliveries fail.", u, r.status, r.location),
			"Set the URL the redirect leads to (the final https URL, with or without the trailing slash as the server wants) as the app's webhook URL.", nil)
		return false
	case r.status == http.StatusNotFound, r.status == http.StatusMethodNotAllowed, r.status == http.StatusNotImplemented:
		d.add(CheckWebhookAnswer, Fail, fmt.Sprintf("POST %s answered %d %s: no handler of POST requests serves that path.", u, r.status, http.StatusText(r.status)),
			"Set the path the webhook handler serves (for POST) as the webhook URL's path, or serve the handler there.", nil)
		return false
	case r.elapsed > d.p.SlowAnswer:
		d.add(CheckWebhookAnswer, Warn, fmt.Sprintf("POST %s answered %d after %s.", u, r.status, since(r.elapsed)), fixFast, nil)
	default:
		d.add(CheckWebhookAnswer, OK, fmt.Sprintf("POST %s answered %d in %s, without a redirect.", u, r.status, since(r.elapsed)), "", nil)
	}
	return true
}

// refusal checks that the receiver refused a forged delivery with a 4xx.
func (d *run) refusal(id CheckID, r probeResult, how string) {
	fixVerify := "Verify each delivery's signature over the raw body before acting on it (webhook.Handler and webhook.Verifier do), and answer 4xx when it does not verify."
	switch {
	case r.err != nil:
		d.add(id, Warn, fmt.Sprintf("A forged delivery %s got no answer: %v.", how, r.err), "Run again: the receiver answered the first probe.", r.err)
	case r.status >= 200 && r.status < 300:
		d.add(id, Fail, fmt.Sprintf("The receiver accepted a forged delivery %s (it answered %d): anyone who knows the URL can send it events.", how, r.status), fixVerify, nil)
	case r.status >= 400 && r.status < 500:
		d.add(id, OK, fmt.Sprintf("The receiver refused a forged delivery %s with %d.", how, r.status), "", nil)
	default:
		d.add(id, Warn, fmt.Sprintf("The receiver answered %d to a forged delivery %s, not a 4xx: it may act on unverified deliveries, and a 5xx asks the sender to retry.", r.status, how), fixVerify, nil)
	}
}
