package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

func (a *app) eventCommand() *cobra.Command {
	return group("event", "Receive, send, verify and replay webhook deliveries locally",
		`Test webhook receivers locally, as 'stripe listen' and 'stripe trigger' do:

  kick event listen       receive deliveries (from 'kick mock serve', or a tunnel from Kick),
                          verify them, print them, save them, and forward them to your handler
  kick event trigger      send a signed sample delivery of an event type
  kick event retrigger    send a saved delivery again, as Kick retries one
  kick event verify       check the signature of a saved or captured delivery
  kick event deliveries   list the saved deliveries

Which events Kick delivers to the app is its subscriptions: see 'kick subscriptions'.`,
		a.listenCommand(), a.triggerCommand(), a.retriggerCommand(), a.verifyCommand(), a.deliveriesCommand())
}

// sentDelivery is a delivery trigger or retrigger sent, as -o json prints it.
type sentDelivery struct {
	MessageID      string            `json:"message_id"`
	SubscriptionID string            `json:"subscription_id,omitempty"`
	Type           kick.EventType    `json:"type"`
	Version        int               `json:"version,omitempty"`
	Timestamp      string            `json:"timestamp"`
	URL            string            `json:"url"`
	Status         string            `json:"status,omitempty"`
	StatusCode     int               `json:"status_code,omitempty"`
	Error          string            `json:"error,omitempty"`
	Headers        map[string]string `json:"headers"`
	Body           any               `json:"body"`
}

// deliveryAnswer is a receiver's answer to a delivery: its status and the start of its body.
type deliveryAnswer struct {
	Status     string
	StatusCode int
	Body       []byte
}

// postDelivery POSTs a delivery's body with its headers to target and returns the answer.
func (a *app) postDelivery(ctx context.Context, target string, h http.Header, body []byte) (*deliveryAnswer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header = h.Clone()
	resp, err := a.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	return &deliveryAnswer{Status: resp.Status, StatusCode: resp.StatusCode, Body: answer}, nil
}

// defaultTarget is where trigger sends without --to: the webhook URL of the mock of --base-url,
// which 'kick event listen' sets.
func (a *app) defaultTarget(ctx context.Context) (string, error) {
	st, err := a.mockStatus(ctx)
	switch {
	case err == nil && st.WebhookURL != "":
		return st.WebhookURL, nil
	case err == nil:
		return "", usagef("missing --to URL: the mock at %s has no webhook URL (start 'kick event listen', or give --to)", a.g.baseURL.value)
	}
	return "", usagef("missing --to URL (or point %s at a 'kick mock serve' whose webhook URL is set, as 'kick event listen' does)", envBaseURL)
}

func (a *app) triggerCommand() *cobra.Command {
	var (
		to, keyFile, payload, subscriptionID, dir, shape string
		broadcaster                                      int64
		count, version                                   int
		noSave                                           bool
	)
	c := &cobra.Command{
		Use:   "trigger TYPE",
		Short: "Send a signed sample delivery of an event type",
		Long: `Send a webhook delivery of event TYPE as Kick would: a POST with a realistic sample payload and
the six Kick-Event-* headers, signed with RSASSA-PKCS1-v1_5 and SHA-256 over message id,
timestamp and body. It prints the answer's status; one other than 2xx makes the exit status 1.

It goes to --to, or without --to to the webhook URL of the 'kick mock serve' of --base-url: where
'kick event listen' is listening while it runs. --count sends that many, each with its own sample
and message id. Each delivery sent is saved (unless --no-save), for 'kick event retrigger ID' and
'kick event verify ID'. With -o json it prints what it sent: an object, or a list with --count.

The delivery is signed with kicktest's development key (the key of 'kick mock serve'; verify with
its public key, 'kick event verify --dev-key') unless --key gives a PEM RSA private key. Kick's own
key is of course not available: a receiver that trusts only Kick's public key refuses these
deliveries, as it should.

The sample's broadcaster is --broadcaster (by default kicktest's streamer, user 1001); its other
users are kicktest's seed users. --payload sends a file's bytes instead, for any TYPE.

--shape sends the sample as Kick sent deliveries at an earlier time, to test a handler against
them: a stored or replayed delivery of early 2025 is still a valid, signed delivery of Kick.
current is what Kick sends now; mid-2025 has no created_at on chat messages and null emotes;
early-2025 is from before 2025-04-07: no identity key on any user, and is_verified null.

Types:
` + sampleTypeList(),
		Example: "  kick event trigger chat.message.sent\n  kick event trigger channel.followed --to http://localhost:3000/webhook --count 5\n" +
			"  kick event trigger livestream.status.updated --shape early-2025",
		Args: argsExact("TYPE"),
	}
	out := a.addOutput(c)
	fs := c.Flags()
	fs.StringVar(&to, "to", "", "`URL` of the webhook receiver (default: the mock's webhook URL)")
	fs.Var(idValue{&broadcaster}, "broadcaster", "`user id` of the sample's broadcaster")
	fs.StringVar(&keyFile, "key", "", "sign with the RSA private key in this PEM `file` (PKCS #8 or PKCS #1)")
	fs.StringVar(&payload, "payload", "", "send this `file` as the body instead of a sample; - reads stdin")
	fs.IntVar(&version, "version", 1, "`version` sent in the Kick-Event-Version header")
	fs.StringVar(&subscriptionID, "subscription-id", "", "subscription `id` sent in the Kick-Event-Subscription-Id header (default: a new ULID)")
	fs.IntVarP(&count, "count", "n", 1, "send `N` deliveries")
	fs.StringVar(&shape, "shape", string(kicktest.PayloadsCurrent), "send the sample in the `shape` of Kick's deliveries of a time: "+shapeNames())
	fs.BoolVar(&noSave, "no-save", false, "do not save the deliveries sent")
	dirFlag(c, &dir)
	_ = c.MarkFlagFilename("key", "pem")
	_ = c.MarkFlagFilename("payload", "json")
	_ = c.RegisterFlagCompletionFunc("broadcaster", a.completeUserIDs)
	_ = c.RegisterFlagCompletionFunc("shape", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return strings.Split(shapeNames(), ", "), cobra.ShellCompDirectiveNoFileComp
	})
	c.ValidArgsFunction = completeEventTypes(false)
	c.RunE = func(c *cobra.Command, args []string) error {
		ctx := c.Context()
		typ := kick.EventType(args[0])
		if payload == "" && !slices.Contains(sampleTypes(), typ) {
			return usagef("no sample of event type %q (use --payload); want one of: %s", typ, sampleTypeNames())
		}
		if count < 1 || count > 1000 {
			return usagef("invalid --count %d: want 1 to 1000", count)
		}
		if !slices.Contains(kicktest.PayloadShapes, kicktest.PayloadShape(shape)) {
			return usagef("invalid --shape %q: want one of %s", shape, shapeNames())
		}
		if payload != "" && c.Flags().Changed("shape") {
			return usagef("--shape reshapes a sample: it does not go with --payload")
		}
		if to != "" {
			if u, err := url.Parse(to); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return usagef("invalid --to %q: want an http or https URL", to)
			}
		}
		signer, keyName := devSigner(), "dev"
		if keyFile != "" {
			s, err := signerFromFile(keyFile)
			if err != nil {
				return err
			}
			signer, keyName = s, keyFile
		}
		var fixed []byte
		if payload != "" {
			b, err := readInput(a.stdin, payload)
			if err != nil {
				return err
			}
			fixed = b
		}
		if to == "" {
			t, err := a.defaultTarget(ctx)
			if err != nil {
				return err
			}
			to = t
		}
		store, err := a.deliveries(dir)
		if err != nil {
			return err
		}
		var sent []sentDelivery
		failed := 0
		for range count {
			body := fixed
			if body == nil {
				if body, err = samplePayload(typ, broadcaster, time.Now()); err != nil {
					return err
				}
				if shape != string(kicktest.PayloadsCurrent) {
					if body, err = kicktest.ReshapePayload(typ, body, kicktest.PayloadShape(shape)); err != nil {
						return err
					}
				}
			}
			d := webhooktest.NewDelivery(typ, body)
			if typ != webhook.EventDropsClaim {
				d.Version = version
				if subscriptionID != "" {
					d.SubscriptionID = subscriptionID
				}
			}
			h := signer.Headers(d)
			s := sentDelivery{MessageID: d.MessageID, SubscriptionID: d.SubscriptionID, Type: typ, Version: d.Version,
				Timestamp: webhooktest.FormatTimestamp(d.Timestamp), URL: to, Headers: headerLines(h), Body: rawOrString(body)}
			resp, err := a.postDelivery(ctx, to, h, body)
			if err != nil {
				if ctx.Err() != nil {
					return err
				}
				s.Error = redactError(err).Error()
				failed++
			} else {
				s.Status, s.StatusCode = resp.Status, resp.StatusCode
				if resp.StatusCode < 200 || resp.StatusCode > 299 {
					failed++
					if t := bytes.TrimSpace(resp.Body); len(t) > 0 && !out.json() {
						fmt.Fprintf(a.stderr, "%s\n", t)
					}
				}
			}
			if !noSave {
				rec := savedDelivery{MessageID: d.MessageID, SubscriptionID: d.SubscriptionID, Type: typ, Version: d.Version,
					Timestamp: s.Timestamp, Source: "trigger", At: time.Now().UTC(), URL: to, Key: keyName, Status: s.Status}
				if _, err := store.save(rec, h, body); err != nil {
					return fmt.Errorf("saving the delivery: %w", err)
				}
			}
			if !out.json() {
				what := string(typ)
				if d.Version != 0 {
					what += " v" + strconv.Itoa(d.Version)
				}
				status := s.Status
				if s.Error != "" {
					status = "failed: " + s.Error
				}
				fmt.Fprintf(a.stdout, "%s %s (%s, message id %s)\n", status, to, what, d.MessageID)
			}
			sent = append(sent, s)
		}
		if out.json() {
			var v any = sent[0]
			if c.Flags().Changed("count") {
				v = list(sent)
			}
			if err := a.printJSON(ctx, out, v); err != nil {
				return err
			}
		}
		if failed > 0 {
			if count == 1 {
				if sent[0].Error != "" {
					return fmt.Errorf("sending to %s: %s", to, sent[0].Error)
				}
				return fmt.Errorf("the receiver answered %s", sent[0].Status)
			}
			return fmt.Errorf("%d of %d deliveries failed", failed, count)
		}
		return nil
	}
	return c
}

func (a *app) retriggerCommand() *cobra.Command {
	var (
		to, keyFile, dir string
		asIs             bool
	)
	c := &cobra.Command{
		Use:   "retrigger ID",
		Short: "Send a saved delivery again, as Kick retries one",
		Long: `Send the saved delivery ID (or a unique prefix of it; see 'kick event deliveries') again, as Kick
retries a delivery: the same message id and body, with a fresh timestamp and signature (by
kicktest's development key, or --key), so that a receiver that deduplicates by message id shows
it does. --as-is sends the saved headers untouched instead: the original signature, valid only
while its timestamp is fresh — a replay, which a receiver should refuse when it is not.

It goes to --to, by default where the delivery went: the URL trigger sent it to, the URL listen
forwarded it to, or else the URL listen received it on (where it goes through listen again).`,
		Example: "  kick event retrigger 01JH3K",
		Args:    argsExact("ID"),
	}
	out := a.addOutput(c)
	c.Flags().StringVar(&to, "to", "", "`URL` of the webhook receiver (default: where it went)")
	c.Flags().StringVar(&keyFile, "key", "", "sign with the RSA private key in this PEM `file`")
	c.Flags().BoolVar(&asIs, "as-is", false, "send the saved headers, the original signature included")
	c.MarkFlagsMutuallyExclusive("as-is", "key")
	dirFlag(c, &dir)
	c.ValidArgsFunction = a.completeDeliveryIDs
	c.RunE = func(c *cobra.Command, args []string) error {
		ctx := c.Context()
		id, rec, h, body, err := a.savedByID(dir, args[0])
		if err != nil {
			return err
		}
		if to == "" {
			to = cmp.Or(rec.URL, rec.ReceivedOn)
		}
		if to == "" {
			return usagef("missing --to URL: the record of delivery %s says nowhere it went", id)
		}
		if !asIs {
			signer := devSigner()
			if keyFile != "" {
				if signer, err = signerFromFile(keyFile); err != nil {
					return err
				}
			}
			d := webhook.Delivery{MessageID: h.Get(webhook.HeaderMessageID), SubscriptionID: h.Get(webhook.HeaderSubscriptionID),
				Type: kick.EventType(h.Get(webhook.HeaderEventType)), Version: headerVersion(h), Timestamp: time.Now().UTC(), Body: body}
			if h.Get(webhook.HeaderDropsTimestamp) != "" {
				d.Type = webhook.EventDropsClaim
			}
			h = signer.Headers(d)
		}
		s := sentDelivery{MessageID: h.Get(webhook.HeaderMessageID), SubscriptionID: h.Get(webhook.HeaderSubscriptionID), Type: rec.Type,
			Version: rec.Version, Timestamp: h.Get(webhook.HeaderMessageTimestamp) + h.Get(webhook.HeaderDropsTimestamp), URL: to,
			Headers: headerLines(h), Body: rawOrString(body)}
		resp, err := a.postDelivery(ctx, to, h, body)
		if err != nil {
			return fmt.Errorf("sending to %s: %w", to, redactError(err))
		}
		s.Status, s.StatusCode = resp.Status, resp.StatusCode
		err = a.print(ctx, out, s, func() error {
			fmt.Fprintf(a.stdout, "%s %s (%s again, message id %s)\n", resp.Status, to, rec.Type, s.MessageID)
			return nil
		})
		if err != nil {
			return err
		}
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			if t := bytes.TrimSpace(resp.Body); len(t) > 0 && !out.json() {
				fmt.Fprintf(a.stderr, "%s\n", t)
			}
			return fmt.Errorf("the receiver answered %s", resp.Status)
		}
		return nil
	}
	return c
}

func (a *app) deliveriesCommand() *cobra.Command {
	var dir string
	c := &cobra.Command{
		Use:   "deliveries",
		Short: "List the saved deliveries",
		Long:  `List the deliveries 'kick event listen' received and 'kick event trigger' sent, oldest first.`,
		Args:  argsNone,
	}
	out := a.addOutput(c)
	dirFlag(c, &dir)
	c.RunE = func(c *cobra.Command, _ []string) error {
		store, err := a.deliveries(dir)
		if err != nil {
			return err
		}
		ids, err := store.ids()
		if err != nil {
			return err
		}
		var recs []savedDelivery
		for _, id := range ids {
			rec, _, _, err := store.load(id)
			if err != nil {
				fmt.Fprintf(a.stderr, "warning: %s: %v\n", id, err)
				continue
			}
			recs = append(recs, *rec)
		}
		return a.print(c.Context(), out, list(recs), func() error {
			t := newTable("ID", "TYPE", "SOURCE", "AT", "URL", "STATUS").shrink(4)
			for _, r := range recs {
				t.row(fileID(r.MessageID), string(r.Type), r.Source, formatTime(r.At), orDash(r.URL), orDash(r.Status))
			}
			return a.printTable(t)
		})
	}
	return c
}

// shapeNames lists the payload shapes of --shape.
func shapeNames() string {
	names := make([]string, len(kicktest.PayloadShapes))
	for i, s := range kicktest.PayloadShapes {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

func sampleTypeNames() string {
	names := make([]string, 0, len(sampleTypes()))
	for _, t := range sampleTypes() {
		names = append(names, string(t))
	}
	return strings.Join(names, ", ")
}

func sampleTypeList() string {
	var b strings.Builder
	for _, t := range sampleTypes() {
		fmt.Fprintf(&b, "  %s\n", t)
	}
	return strings.TrimRight(b.String(), "\n")
}

// signerFromFile reads an RSA private key in PEM, PKCS #8 or PKCS #1.
func signerFromFile(name string) (*webhooktest.Signer, error) {
	data, err := readLimited(name, 64<<10)
	if err != nil {
		return nil, err
	}
	s, err := webhooktest.ParseSigner(data)
	if err != nil {
		return nil, fmt.Errorf("--key %s: %s", name, strings.TrimPrefix(err.Error(), "webhooktest: "))
	}
	return s, nil
}

// keyChoice is the public key flags of verify and listen.
type keyChoice struct {
	kick, dev bool
	file      string
}

func (k *keyChoice) register(c *cobra.Command) {
	c.Flags().StringVar(&k.file, "public-key", "", "verify with the PEM public key in this `file`")
	c.Flags().BoolVar(&k.kick, "kick-key", false, "verify with Kick's published public key")
	c.Flags().BoolVar(&k.dev, "dev-key", false, "verify with kicktest's development key (of 'kick mock serve' and 'kick event trigger')")
	c.MarkFlagsMutuallyExclusive("public-key", "kick-key", "dev-key")
	_ = c.MarkFlagFilename("public-key", "pem")
}

// set reports whether a key flag was given.
func (k *keyChoice) set() bool { return k.kick || k.dev || k.file != "" }

// key returns the chosen key, its name for people, and its short name for the saved record.
func (k *keyChoice) key() (*rsa.PublicKey, string, string, error) {
	switch {
	case k.dev:
		key, err := webhook.ParsePublicKeyPEM([]byte(devPublicKeyPEM()))
		return key, "kicktest's development key", "dev", err
	case k.file != "":
		data, err := readLimited(k.file, 64<<10)
		if err != nil {
			return nil, "", "", err
		}
		key, err := webhook.ParsePublicKeyPEM(data)
		if err != nil {
			return nil, "", "", fmt.Errorf("--public-key %s: %w", k.file, err)
		}
		return key, k.file, k.file, nil
	}
	return webhook.DefaultPublicKey(), "Kick's public key", "kick", nil
}

func (a *app) verifyCommand() *cobra.Command {
	var (
		headersFile, bodyFile, at, dir string
		noTimeCheck                    bool
		keys                           keyChoice
	)
	c := &cobra.Command{
		Use:   "verify [ID]",
		Short: "Verify the signature of a saved or captured delivery",
		Long: `Verify a webhook delivery as webhook.Verifier does: the headers, the signature over message id,
timestamp and body, and the timestamp's age (five minutes either way). Print the event's type,
ids, time and a summary of its payload; an invalid delivery makes the exit status 1, with the
reason and what to try.

The delivery is ID, one saved by 'kick event listen' or 'kick event trigger' (or a unique prefix of
its id), or the files --headers and --body. --headers is a file of "Name: value" lines, as HTTP
writes them (a first request line such as "POST /webhook HTTP/1.1" is skipped, and so is
everything after an empty line), or a JSON object of names to a value or a list of values.
--body is the body exactly as received: a body that was decoded and encoded again does not
verify. Either may be - for stdin.

The key is Kick's published public key, unless --dev-key (kicktest's development key, for
deliveries of 'kick mock serve' and 'kick event trigger') or --public-key gives another; a saved
delivery is verified with the key that signed it by default.

A capture older than five minutes fails the time check: --at checks it against another time,
--no-time-check against the delivery's own timestamp. A saved delivery is checked against the
time it was received or sent.`,
		Example: "  kick event verify 01JH3K\n  kick event verify --headers h.txt --body b.json --dev-key --no-time-check",
		Args:    argsMax(1),
	}
	out := a.addOutput(c)
	fs := c.Flags()
	fs.StringVar(&headersFile, "headers", "", "`file` of the delivery's headers")
	fs.StringVar(&bodyFile, "body", "", "`file` of the delivery's raw body")
	fs.StringVar(&at, "at", "", "check the timestamp against this RFC 3339 `time` instead of now")
	fs.BoolVar(&noTimeCheck, "no-time-check", false, "accept the delivery's timestamp however old")
	keys.register(c)
	dirFlag(c, &dir)
	c.MarkFlagsMutuallyExclusive("at", "no-time-check")
	c.MarkFlagsRequiredTogether("headers", "body")
	c.ValidArgsFunction = a.completeDeliveryIDs
	c.RunE = func(c *cobra.Command, args []string) error {
		ctx := c.Context()
		switch {
		case len(args) == 1 && headersFile != "":
			return usagef("give ID or --headers and --body, not both")
		case len(args) == 0 && headersFile == "":
			return usagef("missing ID, or --headers FILE and --body FILE")
		case headersFile == "-" && bodyFile == "-":
			return usagef("--headers and --body cannot both be stdin")
		}
		var now time.Time
		if at != "" {
			t, err := time.Parse(time.RFC3339, at)
			if err != nil {
				return usagef("invalid --at %q: want an RFC 3339 time such as 2025-01-14T16:08:06Z", at)
			}
			now = t
		}
		var (
			h    http.Header
			body []byte
		)
		if len(args) == 1 {
			_, rec, sh, sb, err := a.savedByID(dir, args[0])
			if err != nil {
				return err
			}
			h, body = sh, sb
			if !keys.set() {
				keys.dev = rec.Key == "dev"
				if rec.Key != "dev" && rec.Key != "kick" && rec.Key != "" {
					keys.file = rec.Key
				}
			}
			if at == "" && !noTimeCheck && !rec.At.IsZero() {
				now = rec.At
			}
		} else {
			rawHeaders, err := readInput(a.stdin, headersFile)
			if err != nil {
				return err
			}
			if h, err = parseHeaders(rawHeaders); err != nil {
				return fmt.Errorf("--headers %s: %w", headersFile, err)
			}
			if body, err = readInput(a.stdin, bodyFile); err != nil {
				return err
			}
		}
		key, keyName, _, err := keys.key()
		if err != nil {
			return err
		}
		if noTimeCheck {
			now = deliveryTime(h) // unparseable: Verify says so
		}
		d, err := verifyDelivery(ctx, key, now, h, body)
		if err != nil {
			return &verifyError{err: err, keyName: keyName, dev: keys.dev}
		}
		ev, decodeErr := d.Event()
		err = a.print(ctx, out, verifiedJSON(d, keyName, ev, decodeErr), func() error {
			typ := string(d.Type)
			if d.Version != 0 {
				typ += " (version " + strconv.Itoa(d.Version) + ")"
			}
			summary := ""
			if decodeErr == nil {
				summary = summarize(ev)
			}
			return fields(a.stdout,
				"Signature", "valid ("+keyName+")",
				"Type", typ,
				"Message ID", d.MessageID,
				"Subscription ID", orDash(d.SubscriptionID),
				"Timestamp", d.Timestamp.Format(time.RFC3339Nano),
				"Summary", orDash(summary))
		})
		if err != nil {
			return err
		}
		if decodeErr != nil {
			return fmt.Errorf("the signature is valid, but the payload does not decode: %w", decodeErr)
		}
		return nil
	}
	return c
}

// deliveryTime is the timestamp of a delivery's headers, zero when it has none that parses.
func deliveryTime(h http.Header) time.Time {
	ts := h.Get(webhook.HeaderMessageTimestamp)
	if ts == "" {
		ts = h.Get(webhook.HeaderDropsTimestamp)
	}
	t, _ := webhook.ParseTimestamp(ts)
	return t
}

// verifyDelivery checks a delivery with key, its timestamp against now (the clock when zero).
func verifyDelivery(ctx context.Context, key *rsa.PublicKey, now time.Time, h http.Header, body []byte) (*webhook.Delivery, error) {
	opts := []webhook.VerifierOption{webhook.WithPublicKey(key)}
	if !now.IsZero() {
		opts = append(opts, webhook.WithClock(func() time.Time { return now }))
	}
	v, err := webhook.NewVerifier(opts...)
	if err != nil {
		return nil, err
	}
	return v.Verify(ctx, h, body)
}

// verifyError is a failed verification, with what to try.
type verifyError struct {
	err     error
	keyName string
	dev     bool
}

func (e *verifyError) Error() string {
	return fmt.Sprintf("the delivery does not verify with %s: %v", e.keyName, e.err)
}
func (e *verifyError) Unwrap() error { return e.err }

// hint says what to try after a failed verification.
func (e *verifyError) hint() string {
	switch {
	case errors.Is(e.err, webhook.ErrSignatureMismatch) && !e.dev:
		return "a delivery of 'kick mock serve' or 'kick event trigger' is signed with the development key: try --dev-key; " +
			"one of Kick's verifies only with the body byte for byte as received"
	case errors.Is(e.err, webhook.ErrSignatureMismatch):
		return "a delivery of Kick is signed with Kick's key: drop --dev-key; check too that the body is byte for byte as received"
	case errors.Is(e.err, webhook.ErrTooOld), errors.Is(e.err, webhook.ErrTooNew):
		return "a capture older than five minutes fails the time check: give --at with the time it was received, or --no-time-check"
	case errors.Is(e.err, webhook.ErrMissingHeader), errors.Is(e.err, webhook.ErrInvalidHeader):
		return "--headers needs every Kick-Event-* header of the delivery, one \"Name: value\" a line"
	}
	return ""
}

// verified is a verified delivery, as -o json prints it.
type verified struct {
	Valid          bool           `json:"valid"`
	Key            string         `json:"key"`
	Type           kick.EventType `json:"type"`
	Version        int            `json:"version,omitempty"`
	MessageID      string         `json:"message_id"`
	SubscriptionID string         `json:"subscription_id"`
	Timestamp      time.Time      `json:"timestamp"`
	Event          any            `json:"event"`
	DecodeError    string         `json:"decode_error,omitempty"`
}

func verifiedJSON(d *webhook.Delivery, keyName string, ev webhook.Event, decodeErr error) verified {
	out := verified{Valid: true, Key: keyName, Type: d.Type, Version: d.Version, MessageID: d.MessageID,
		SubscriptionID: d.SubscriptionID, Timestamp: d.Timestamp, Event: ev}
	if _, unknown := ev.(*webhook.UnknownEvent); unknown || decodeErr != nil {
		out.Event = rawOrString(d.Body)
	}
	if decodeErr != nil {
		out.DecodeError = decodeErr.Error()
	}
	return out
}

// rawOrString is body as JSON when it is JSON, else as a string.
func rawOrString(body []byte) any {
	if json.Valid(body) {
		return json.RawMessage(body)
	}
	return string(body)
}

// parseHeaders reads a header file: a JSON object, or "Name: value" lines.
func parseHeaders(data []byte) (http.Header, error) {
	trimmed := bytes.TrimSpace(data)
	if bytes.HasPrefix(trimmed, []byte("{")) {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(trimmed, &m); err != nil {
			return nil, fmt.Errorf("not a JSON object of headers: %w", err)
		}
		h := http.Header{}
		for name, raw := range m {
			var one string
			var many []string
			switch {
			case json.Unmarshal(raw, &one) == nil:
				h.Add(name, one)
			case json.Unmarshal(raw, &many) == nil:
				for _, v := range many {
					h.Add(name, v)
				}
			default:
				return nil, fmt.Errorf("header %q: want a string or a list of strings", name)
			}
		}
		return h, nil
	}
	h := http.Header{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
			if strings.Contains(line, " HTTP/") && !strings.Contains(line, ": ") {
				continue // a request line
			}
		}
		if strings.TrimSpace(line) == "" {
			if len(h) > 0 {
				break // the end of the header block
			}
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(name) == "" || strings.ContainsAny(name, " \t") {
			return nil, fmt.Errorf("line %d: want \"Name: value\"", n)
		}
		h.Add(textproto.CanonicalMIMEHeaderKey(name), strings.TrimSpace(value))
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(h) == 0 {
		return nil, errors.New("no headers")
	}
	return h, nil
}

// summarize describes an event in one line.
func summarize(ev webhook.Event) string {
	switch e := ev.(type) {
	case *webhook.ChatMessageSent:
		return fmt.Sprintf("%s in %s's chat: %q", e.Sender.Username, e.Broadcaster.Username, e.Content)
	case *webhook.ChannelFollowed:
		return fmt.Sprintf("%s followed %s", e.Follower.Username, e.Broadcaster.Username)
	case *webhook.ChannelSubscriptionNew:
		return fmt.Sprintf("%s subscribed to %s (%d month(s))", e.Subscriber.Username, e.Broadcaster.Username, e.Months)
	case *webhook.ChannelSubscriptionRenewal:
		return fmt.Sprintf("%s renewed a subscription to %s (%d months)", e.Subscriber.Username, e.Broadcaster.Username, e.Months)
	case *webhook.ChannelSubscriptionGifts:
		gifter := e.Gifter.Username
		if e.Gifter.IsAnonymous {
			gifter = "an anonymous gifter"
		}
		return fmt.Sprintf("%s gifted %d subscription(s) to %s's viewers", gifter, len(e.Giftees), e.Broadcaster.Username)
	case *webhook.ChannelRewardRedemptionUpdated:
		return fmt.Sprintf("%s's redemption of %q on %s's channel is %s", e.Redeemer.Username, e.Reward.Title,
			e.Broadcaster.Username, e.Status)
	case *webhook.LivestreamStatusUpdated:
		if e.IsLive {
			return fmt.Sprintf("%s went live: %q", e.Broadcaster.Username, e.Title)
		}
		return fmt.Sprintf("%s ended the stream %q", e.Broadcaster.Username, e.Title)
	case *webhook.LivestreamMetadataUpdated:
		return fmt.Sprintf("%s's stream is now %q in %s", e.Broadcaster.Username, e.Metadata.Title, e.Metadata.Category.Name)
	case *webhook.ModerationBanned:
		how := "banned"
		if !e.Metadata.ExpiresAt.IsZero() {
			how = "timed out until " + e.Metadata.ExpiresAt.UTC().Format(time.RFC3339)
		}
		return fmt.Sprintf("%s %s %s in %s's chat", e.Moderator.Username, how, e.BannedUser.Username, e.Broadcaster.Username)
	case *webhook.KicksGifted:
		return fmt.Sprintf("%s gifted %d KICKs (%s) to %s", e.Sender.Username, e.Gift.Amount, e.Gift.Name, e.Broadcaster.Username)
	case *webhook.DropsClaim:
		return fmt.Sprintf("user %d claimed reward %s of campaign %s (claim %s)", e.UserID, e.RewardID, e.CampaignID, e.ClaimID)
	case *webhook.UnknownEvent:
		return fmt.Sprintf("an event this version of kick does not know (%d bytes)", len(e.Raw))
	}
	// An event type without a summary of its own: its type, in its broadcaster's channel.
	if v := reflect.ValueOf(ev); v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Struct {
		if name := v.Elem().FieldByName("Broadcaster"); name.IsValid() && name.Kind() == reflect.Struct {
			if u := name.FieldByName("Username"); u.IsValid() && u.Kind() == reflect.String {
				return fmt.Sprintf("%s in %s's channel", ev.EventType(), u.String())
			}
		}
	}
	return string(ev.EventType())
}

// redactError redacts the URL of the *url.Error of a failed request, as the kick package does.
func redactError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			return &url.Error{Op: ue.Op, URL: kick.RedactURL(u), Err: ue.Err}
		}
		return &url.Error{Op: ue.Op, URL: "(a URL that does not parse)", Err: ue.Err}
	}
	return err
}

// headerVersion is the delivery's Kick-Event-Version, 0 when it has none that parses.
func headerVersion(h http.Header) int {
	v, _ := strconv.Atoi(h.Get(webhook.HeaderEventVersion))
	return v
}
