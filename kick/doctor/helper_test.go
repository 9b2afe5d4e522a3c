package doctor_test

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/doctor"
	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// publicHost is the webhook URL's host in the tests: the fake resolver gives it a public address,
// and the probes dial the test's receiver whatever the address.
const publicHost = "bot.example.com"

// publicAddr is publicHost's address, a public one.
var publicAddr = netip.MustParseAddr("93.184.215.14")

// wanted are the events the tests' program wants.
var wanted = []kick.SubscribeEvent{{Type: kick.EventChatMessageSent}, {Type: kick.EventChannelFollowed}}

// fakeResolver resolves names from a map; other names fail as unknown.
type fakeResolver map[string][]netip.Addr

func (r fakeResolver) LookupNetIP(_ context.Context, network, host string) ([]netip.Addr, error) {
	if network != "ip" {
		return nil, &net.DNSError{Err: "unexpected network " + network, Name: host}
	}
	if addrs, ok := r[host]; ok {
		return addrs, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

// setup is a fake Kick, a client of it with a user token (Streamer's, every scope) and an app
// token, and the Params of a healthy program: the channel subscribed to the wanted events, a
// receiver that verifies deliveries behind https://bot.example.com/kick/webhook, and a token
// store holding a fresh user token.
type setup struct {
	srv      *kicktest.Server
	client   *kick.Client
	receiver *httptest.Server
	// dialed records the addresses the probes dialed.
	dialed chan string
	p      doctor.Params
}

// newSetup builds a healthy setup; handler, if not nil, replaces the receiver's handler.
func newSetup(t *testing.T, handler http.Handler, opts ...kicktest.Option) *setup {
	t.Helper()
	srv := kicktest.New(t, opts...)
	client, err := srv.Client(kicktest.Streamer.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if handler == nil {
		h, err := kicktest.NewHandler(webhook.WithErrorHook(func(*http.Request, *webhook.Delivery, error) {}))
		if err != nil {
			t.Fatal(err)
		}
		mux := http.NewServeMux()
		mux.Handle("POST /kick/webhook", h)
		handler = mux
	}
	rx := httptest.NewUnstartedServer(handler)
	rx.Config.ErrorLog = log.New(io.Discard, "", 0) // the TLS errors of a plain http probe
	rx.StartTLS()
	t.Cleanup(rx.Close)
	// Kick's deliveries go to a plain http copy of the receiver: kicktest trusts no test CA.
	srv.SetWebhookURL(newPlainServer(t, handler) + "/kick/webhook")
	roots := x509.NewCertPool()
	roots.AddCert(rx.Certificate())
	s := &setup{srv: srv, client: client, receiver: rx, dialed: make(chan string, 10)}
	store := kickauth.NewMemoryStore()
	if err := store.Save(context.Background(), "streamer", srv.UserToken(kicktest.Streamer.UserID)); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Events.Sync(context.Background(), kick.EventSyncParams{BroadcasterUserID: kicktest.Streamer.UserID, Events: wanted}); err != nil {
		t.Fatal(err)
	}
	s.p = doctor.Params{
		Client:     client,
		Events:     wanted,
		WebhookURL: "https://" + publicHost + "/kick/webhook",
		Keys:       webhook.StaticKey(kicktest.Signer().PublicKey()),
		Store:      store,
		StoreKey:   "streamer",
		Resolver:   fakeResolver{publicHost: {publicAddr}},
		Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
			select {
			case s.dialed <- address:
			default:
			}
			var d net.Dialer
			return d.DialContext(ctx, network, rx.Listener.Addr().String())
		},
		RootCAs: roots,
		// Generous: a loaded machine must not turn a healthy receiver into a slow one.
		ProbeTimeout: 30 * time.Second,
		SlowAnswer:   30 * time.Second,
	}
	return s
}

// run runs the doctor with p.
func run(t *testing.T, p doctor.Params) *doctor.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r, err := doctor.Run(ctx, p)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return r
}

// want checks that the report holds check id with verdict v, whose Seen and Fix contain the
// given texts (seen first, then fix; "" skips one), and returns it.
func want(t *testing.T, r *doctor.Report, id doctor.CheckID, v doctor.Verdict, seen, fix string) doctor.Check {
	t.Helper()
	c, ok := r.Check(id)
	if !ok {
		t.Fatalf("no %s check in the report:\n%s", id, r)
	}
	if c.Verdict != v || !strings.Contains(c.Seen, seen) || !strings.Contains(c.Fix, fix) {
		t.Errorf("check %s = %s\nwant verdict %s, seen containing %q, fix containing %q", id, c, v, seen, fix)
	}
	if v == doctor.OK && c.Fix != "" {
		t.Errorf("check %s is ok with a fix: %q", id, c.Fix)
	}
	if v != doctor.OK && c.Fix == "" {
		t.Errorf("check %s is %s without a fix", id, v)
	}
	return c
}

// missing checks that the report does not hold the checks ids.
func missing(t *testing.T, r *doctor.Report, ids ...doctor.CheckID) {
	t.Helper()
	for _, id := range ids {
		if c, ok := r.Check(id); ok {
			t.Errorf("the report holds %s, which should not have run", c)
		}
	}
}

// allOK checks that every check of the report is ok, and that the report holds ids, in order.
func allOK(t *testing.T, r *doctor.Report, ids ...doctor.CheckID) {
	t.Helper()
	var got []doctor.CheckID
	for _, c := range r.Checks {
		got = append(got, c.ID)
		if c.Verdict != doctor.OK {
			t.Errorf("not ok: %s", c)
		}
	}
	if diff := cmp.Diff(ids, got); diff != "" {
		t.Errorf("checks (-want +got):\n%s", diff)
	}
}

// newPlainServer serves h over plain http and returns its URL.
func newPlainServer(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

type netipAddr = netip.Addr

func parseAddrs(t *testing.T, ss ...string) []netip.Addr {
	t.Helper()
	out := make([]netip.Addr, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParseAddr(s)
	}
	return out
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

// userOnly is a client of the fake with a user token of userID (with scopes, all by default) and
// no app token.
func userOnly(t *testing.T, srv *kicktest.Server, userID int64, scopes ...kick.Scope) *kick.Client {
	t.Helper()
	c, err := kick.NewClient(kick.WithAPIBaseURL(srv.APIBaseURL), kick.WithOAuthBaseURL(srv.OAuthBaseURL),
		kick.WithUserTokenSource(oauth2.StaticTokenSource(srv.UserToken(userID, scopes...))))
	if err != nil {
		t.Fatal(err)
	}
	return c
}
