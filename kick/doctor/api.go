package doctor

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// fixCloudflare is the fix of a request Kick's Cloudflare edge blocked.
const fixCloudflare = "Kick's Cloudflare edge blocks this client: send an ordinary User-Agent (kick.WithUserAgent), call from another network or address, and retry later (KickDevDocs#216, #281)."

// cloudflareBlock reports whether err is Kick's Cloudflare edge refusing a request: a 403 with
// its HTML challenge page or its JSON {"error":"Request blocked by security policy."}, rather
// than Kick's own 403 (a missing scope), which carries Kick's envelope.
func cloudflareBlock(err error) bool {
	e, ok := errors.AsType[*kick.APIError](err)
	if !ok || e.StatusCode != http.StatusForbidden {
		return false
	}
	text := strings.ToLower(e.Message + " " + e.OAuthError + " " + e.OAuthErrorDescription)
	return strings.Contains(text, "cloudflare") || strings.Contains(text, "blocked by security policy") ||
		strings.Contains(strings.ToLower(e.Header.Get("Content-Type")), "html")
}

// requestFix is the fix of a failed request: fixCloudflare for a Cloudflare block, else fix.
func requestFix(err error, fix string) string {
	if cloudflareBlock(err) {
		return fixCloudflare
	}
	return fix
}

// publicAPI gets Kick's public key, which needs no token: it tells whether the API answers, the
// skew of the local clock (the answer's Date header), and whether the verifier trusts the key
// Kick signs with.
func (d *run) publicAPI(ctx context.Context) {
	var rsp kick.Response
	before := d.now()
	key, err := d.p.Client.PublicKey.Get(ctx, kick.WithResponse(&rsp))
	after := d.now()
	d.track(err)
	if _, answered := errors.AsType[*kick.APIError](err); err != nil && !answered {
		d.offline = err
	}
	d.clock(rsp.Header, before, after)
	d.publicKey(ctx, key, err)
}

// clock compares the Date header of an answer with the local clock halfway through the request.
func (d *run) clock(h http.Header, before, after time.Time) {
	date, err := http.ParseTime(h.Get("Date"))
	if h == nil || err != nil {
		if d.offline == nil {
			d.add(CheckClock, Warn, "Kick's answer had no Date header to compare the local clock with.", "Run again; if it persists, check the clock against an NTP server.", nil)
		}
		return
	}
	// Date has whole seconds: Kick's time was within the second after it.
	local := before.Add(after.Sub(before) / 2)
	skew := date.Add(500 * time.Millisecond).Sub(local)
	abs := skew.Abs()
	side := "behind"
	if skew < 0 {
		side = "ahead of"
	}
	tol := d.p.Tolerance
	fix := fmt.Sprintf("Synchronize this machine's clock (with NTP: timedatectl set-ntp true): the webhook verifier refuses deliveries whose timestamp is more than %s off its clock.", tol)
	switch {
	case abs >= tol:
		d.add(CheckClock, Fail, fmt.Sprintf("The local clock is %s %s Kick's (its Date header), beyond the verifier's replay window of %s: every delivery is refused as too old or too new.", since(abs), side, tol), fix, nil)
	case abs >= ClockWarn:
		d.add(CheckClock, Warn, fmt.Sprintf("The local clock is %s %s Kick's (its Date header): that much of the verifier's replay window of %s is used up.", since(abs), side, tol), fix, nil)
	default:
		d.add(CheckClock, OK, fmt.Sprintf("The local clock agrees with Kick's Date header (within %s; the replay window is %s).", since(max(abs, time.Second)), tol), "", nil)
	}
}

// publicKey compares the key Kick serves with the one the verifier trusts.
func (d *run) publicKey(ctx context.Context, key *kick.PublicKey, err error) {
	fixFetch := "Verify with a key source that follows Kick's key: webhook.NewFetchingKeySource(client.PublicKey.PEM)."
	if err != nil {
		d.add(CheckPublicKey, Fail, fmt.Sprintf("Getting Kick's public key failed: %v.", err),
			requestFix(err, "Check this machine's access to api.kick.com, then run again."), err)
		return
	}
	served, err := key.RSA()
	if err != nil {
		d.add(CheckPublicKey, Fail, fmt.Sprintf("Kick served a public key that does not parse: %v.", err), "Run again later: Kick's key endpoint answered something unexpected.", err)
		return
	}
	trusted, err := d.p.Keys.Key(ctx)
	if err != nil {
		d.add(CheckPublicKey, Fail, fmt.Sprintf("The verifier's key source failed: %v.", err), fixFetch, err)
		return
	}
	published := ""
	if served.Equal(webhook.DefaultPublicKey()) {
		published = ", the key of Kick's docs"
	}
	if served.Equal(trusted) {
		d.add(CheckPublicKey, OK, fmt.Sprintf("Kick signs with the key the verifier trusts (GET /public/v1/public-key%s).", published), "", nil)
		return
	}
	// A key source that follows rotation fetches the served key when a signature fails.
	if fresh, err := d.p.Keys.Refresh(ctx, trusted); err == nil && fresh != nil && served.Equal(fresh) {
		d.add(CheckPublicKey, OK, "Kick serves another key than the one the verifier started with; its key source fetched the served key, as it does after a rotation.", "", nil)
		return
	}
	d.add(CheckPublicKey, Fail, "Kick signs deliveries with another key than the one the verifier trusts (GET /public/v1/public-key serves a different key): every delivery fails verification.", fixFetch, nil)
}

// apiCheck reports whether Kick's API answered, and whether Cloudflare blocked any request.
func (d *run) apiCheck() {
	switch {
	case d.blocked != nil:
		d.add(CheckAPI, Fail, fmt.Sprintf("Kick's Cloudflare edge refused a request: %v.", d.blocked), fixCloudflare, d.blocked)
	case d.offline != nil && d.answered == 0:
		d.add(CheckAPI, Fail, fmt.Sprintf("Kick's API did not answer: %v.", d.offline),
			"Check this machine's access to api.kick.com (DNS, firewall, proxy), then run again.", d.offline)
	default:
		d.add(CheckAPI, OK, fmt.Sprintf("Kick's API answered %s; Cloudflare blocked none.", plural(d.answered, "request")), "", nil)
	}
}
