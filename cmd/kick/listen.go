package main

import (
	"bytes"
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/webhook"
)

// defaultListenPort is the port of 'kick event listen', next to the mock's.
const defaultListenPort = 8979

func (a *app) listenCommand() *cobra.Command {
	var (
		port       int
		path       string
		forwardTo  string
		dir        string
		noRegister bool
		noSave     bool
		keys       keyChoice
		relayURL   string
	)
	c := &cobra.Command{
		Use:   "listen",
		Short: "Receive webhook deliveries locally: verify, print, save and forward them",
		Long: `Receive webhook deliveries on http://127.0.0.1:--port--path, as 'stripe listen' does: each one
is verified (its signature, headers and timestamp), printed, saved for 'kick event verify ID'
and 'kick event retrigger ID', and, with --forward-to, sent on to your handler with its headers
and body untouched, so that the handler verifies it as it would Kick's. The sender gets the
handler's answer (502 when the handler cannot be reached); without --forward-to, 200 for a
valid delivery and 400 for an invalid one.

When --base-url is a 'kick mock serve', listen points the mock's webhook URL at itself while it
runs (unless --no-register) and puts the old one back when it stops; the deliveries of the
mock's subscriptions ('kick subscriptions create') and of 'kick event trigger' then come here. They
are signed with the development key, which listen then verifies with; otherwise with Kick's
key. --dev-key, --kick-key and --public-key choose.

To receive Kick's own deliveries, expose the port with a tunnel and set the tunnel's URL as the
app's webhook URL in its developer settings.

Each delivery is one line: its time, type, message id, whether it verified, what the handler
answered and a summary; with -o json one JSON object a line. Ctrl-C stops it (exit status 130),
and so does SIGTERM (exit status 0).`,
		Example: "  kick event listen --forward-to http://localhost:3000/kick/webhook\n  kick event listen -o json --jq .type",
		Args:    argsNone,
	}
	out := a.addOutput(c)
	fs := c.Flags()
	fs.IntVarP(&port, "port", "p", defaultListenPort, "`port` to listen on, on 127.0.0.1; 0 picks a free one")
	fs.StringVar(&path, "path", "/kick/webhook", "URL `path` of the webhook URL")
	fs.StringVarP(&forwardTo, "forward-to", "f", "", "send each delivery on to this `URL`, your handler's")
	fs.BoolVar(&noRegister, "no-register", false, "leave the mock's webhook URL alone")
	fs.BoolVar(&noSave, "no-save", false, "do not save the deliveries")
	keys.register(c)
	dirFlag(c, &dir)
	fs.StringVar(&relayURL, "relay", "", "stream from a relay's events `URL` ('kick relay serve') instead, with the token in "+envRelayToken)
	c.RunE = func(c *cobra.Command, _ []string) error {
		ctx := c.Context()
		if relayURL != "" {
			return a.listenRelay(ctx, out, relayURL)
		}
		if port < 0 || port > 65535 {
			return usagef("invalid --port %d: want 0 to 65535", port)
		}
		if !strings.HasPrefix(path, "/") {
			return usagef("invalid --path %q: want a path starting with /", path)
		}
		if forwardTo != "" {
			if u, err := url.Parse(forwardTo); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return usagef("invalid --forward-to %q: want an http or https URL", forwardTo)
			}
		}
		store, err := a.deliveries(dir)
		if err != nil {
			return err
		}
		mock := !noRegister && a.isMock(ctx)
		if !keys.set() && a.isMock(ctx) {
			keys.dev = true
		}
		key, keyName, keyShort, err := keys.key()
		if err != nil {
			return err
		}
		ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", loopback(port))
		if err != nil {
			return fmt.Errorf("listening: %w", err)
		}
		self := "http://" + ln.Addr().String() + path
		l := &listener{a: a, ctx: ctx, out: out, key: key, keyShort: keyShort, forwardTo: forwardTo, store: store, save: !noSave, self: self}
		srv := &http.Server{Handler: l, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second}
		go func() { _ = srv.Serve(ln) }()
		defer func() {
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			_ = srv.Shutdown(sctx)
		}()
		a.stopOnTerm = true
		registered := false
		if mock {
			prev, err := a.setMockWebhook(ctx, self)
			if err != nil {
				return fmt.Errorf("pointing the mock's webhook URL here (--no-register leaves it): %w", err)
			}
			registered = true
			defer func() {
				rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Second)
				defer cancel()
				// Only if the URL is ours still: another listen started since has it now.
				if _, err := a.swapMockWebhook(rctx, prev, &self); err != nil && !errors.Is(err, errWebhookMoved) {
					fmt.Fprintf(a.stderr, "note: could not put the mock's webhook URL back to %s: %v\n", orDash(prev), err)
				}
			}()
		}
		fmt.Fprintf(a.stderr, "Ready: listening on %s, verifying with %s", self, keyName)
		if registered {
			fmt.Fprint(a.stderr, "; the mock's webhook URL points here")
		}
		if forwardTo != "" {
			fmt.Fprintf(a.stderr, "; forwarding to %s", forwardTo)
		}
		fmt.Fprintln(a.stderr, ". Ctrl-C stops.")
		if !noSave {
			fmt.Fprintf(a.stderr, "Deliveries are saved in %s ('kick event verify ID', 'kick event retrigger ID').\n", store.dir)
		}
		<-ctx.Done()
		return nil
	}
	return c
}

// listener is the handler of 'kick event listen'.
type listener struct {
	a         *app
	ctx       context.Context
	out       *output
	key       *rsa.PublicKey
	keyShort  string
	forwardTo string
	store     *deliveryStore
	save      bool
	self      string // the URL listen receives on

	mu sync.Mutex // serializes the lines printed
}

// received is one delivery as listen prints it with -o json.
type receivedDelivery struct {
	MessageID      string         `json:"message_id"`
	SubscriptionID string         `json:"subscription_id,omitempty"`
	Type           kick.EventType `json:"type"`
	Version        int            `json:"version,omitempty"`
	Timestamp      string         `json:"timestamp"`
	ReceivedAt     time.Time      `json:"received_at"`
	Valid          bool           `json:"valid"`
	Error          string         `json:"error,omitempty"`
	Forwarded      string         `json:"forwarded,omitempty"`
	Status         string         `json:"status,omitempty"`
	SavedAs        string         `json:"saved_as,omitempty"`
	Summary        string         `json:"summary,omitempty"`
	Event          any            `json:"event"`
}

func (l *listener) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "webhook deliveries are POSTed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxSavedBody+1))
	if err != nil {
		http.Error(w, "reading the body: "+err.Error(), http.StatusBadRequest)
		return
	}
	if len(body) > maxSavedBody {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	h := r.Header.Clone()
	rec := receivedDelivery{MessageID: h.Get(webhook.HeaderMessageID), SubscriptionID: h.Get(webhook.HeaderSubscriptionID),
		Type: kick.EventType(h.Get(webhook.HeaderEventType)), Version: headerVersion(h),
		Timestamp: h.Get(webhook.HeaderMessageTimestamp) + h.Get(webhook.HeaderDropsTimestamp), ReceivedAt: time.Now().UTC(),
		Event: rawOrString(body)}
	if h.Get(webhook.HeaderDropsTimestamp) != "" && rec.Type == "" {
		rec.Type = webhook.EventDropsClaim
	}
	d, verr := verifyDelivery(r.Context(), l.key, time.Time{}, h, body)
	if verr == nil {
		rec.Valid = true
		if ev, err := d.Event(); err == nil {
			rec.Summary = summarize(ev)
		} else {
			rec.Error = err.Error()
		}
	} else {
		rec.Error = verr.Error()
	}

	status := http.StatusOK
	if !rec.Valid {
		status = http.StatusBadRequest
	}
	var answer []byte
	if l.forwardTo != "" {
		rec.Forwarded = l.forwardTo
		fwd := h.Clone()
		for _, hop := range []string{"Connection", "Content-Length", "Accept-Encoding", "Transfer-Encoding"} {
			fwd.Del(hop)
		}
		// The forward ends with the request, or when listen stops: a slow handler must not hold
		// up a Ctrl-C.
		fctx, cancel := context.WithCancel(r.Context())
		stop := context.AfterFunc(l.ctx, cancel) //nolint:contextcheck // the command's context ends the forward too
		resp, err := l.a.postDelivery(fctx, l.forwardTo, fwd, body)
		stop()
		cancel()
		if err != nil {
			rec.Status = "failed: " + redactError(err).Error()
			status, answer = http.StatusBadGateway, []byte("kick event listen: forwarding failed\n")
		} else {
			rec.Status, status, answer = resp.Status, resp.StatusCode, resp.Body
		}
	}
	if l.save {
		saved := savedDelivery{MessageID: rec.MessageID, SubscriptionID: rec.SubscriptionID, Type: rec.Type, Version: rec.Version,
			Timestamp: rec.Timestamp, Source: "listen", At: rec.ReceivedAt, URL: l.forwardTo, ReceivedOn: l.self, Verified: rec.Valid,
			Error: rec.Error, Status: rec.Status}
		if rec.Valid {
			saved.Key = l.keyShort
		}
		if id, err := l.store.save(saved, h, body); err == nil {
			rec.SavedAs = id
		} else {
			fmt.Fprintf(l.a.stderr, "warning: saving the delivery: %v\n", err)
		}
	}
	l.print(rec, verr)
	if answer == nil && !rec.Valid {
		answer = []byte("kick event listen: " + rec.Error + "\n")
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(answer) //nolint:gosec // plain text, not sniffed: the handler's answer passed back to the sender, as a proxy does

}

// print writes one delivery's line.
func (l *listener) print(rec receivedDelivery, verr error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	a := l.a
	if l.out.json() {
		raw, err := marshalJSON(rec)
		if err == nil {
			err = a.printRawJSONLine(l.ctx, l.out, raw)
		}
		if err != nil {
			fmt.Fprintf(a.stderr, "warning: %v\n", err)
		}
		return
	}
	var b bytes.Buffer
	what := string(rec.Type)
	if rec.Version != 0 {
		what += " v" + strconv.Itoa(rec.Version)
	}
	fmt.Fprintf(&b, "%s  %s  %s  ", rec.ReceivedAt.Format(time.TimeOnly), orDash(what), orDash(rec.MessageID))
	if rec.Valid {
		b.WriteString("valid")
	} else {
		b.WriteString("INVALID")
	}
	if rec.Forwarded != "" {
		b.WriteString("  → " + rec.Status)
	}
	if rec.Summary != "" {
		b.WriteString("  " + rec.Summary)
	}
	b.WriteByte('\n')
	_, _ = a.stdout.Write(b.Bytes())
	if verr != nil {
		ve := &verifyError{err: verr, keyName: "this key", dev: l.keyShort == "dev"}
		fmt.Fprintf(a.stderr, "  %v\n", verr)
		if hint := ve.hint(); hint != "" {
			fmt.Fprintf(a.stderr, "  hint: %s\n", hint)
		}
	}
}

// printRawJSONLine writes a JSON document on one line, or through --jq or --template.
func (a *app) printRawJSONLine(ctx context.Context, o *output, raw []byte) error {
	if o.code == nil && o.tmpl == nil {
		_, err := a.stdout.Write(append(raw, '\n'))
		return err
	}
	return a.printRawJSON(ctx, o, raw)
}
