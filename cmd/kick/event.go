package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/webhook"
	"github.com/kick-sdk/kick-go/kick/webhook/webhooktest"
)

func eventCommand() *command {
	return &command{
		name:  "event",
		short: "Send signed sample webhook deliveries, verify captured ones",
		long: `Test webhook receivers: send a signed sample delivery of an event type to a URL (trigger), and
check the signature of a captured delivery (verify). To manage the app's subscriptions on Kick,
see 'kick events'.`,
		subs: []*command{triggerCommand(), verifyCommand()},
	}
}

func triggerCommand() *command {
	var (
		to, keyFile, payload, subscriptionID string
		version                              int
		broadcaster                          int64
	)
	return &command{
		name:  "trigger",
		args:  "TYPE",
		short: "Send a signed sample delivery of an event type to a URL",
		long: `Send a webhook delivery of event TYPE to --to, as Kick would: a POST with a realistic sample
payload and the six Kick-Event-* headers, signed with RSASSA-PKCS1-v1_5 and SHA-256 over
message id, timestamp and body. It prints the answer's status; one other than 2xx makes the exit
status 1.

The delivery is signed with kicktest's development key (the key of 'kick mock serve'; verify with
its public key, 'kick event verify --dev-key') unless --key gives a PEM RSA private key. Kick's own
key is of course not available: a receiver that trusts only Kick's public key refuses these
deliveries, as it should.

The sample's broadcaster is --broadcaster (by default kicktest's streamer, user 1001); its other
users are kicktest's seed users. --payload sends a file's bytes instead, for any TYPE.

Types:
` + sampleTypeList(),
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&to, "to", "", "`URL` of the webhook receiver (required)")
			fs.Var(idValue{&broadcaster}, "broadcaster", "`user id` of the sample's broadcaster")
			fs.StringVar(&keyFile, "key", "", "sign with the RSA private key in this PEM `file` (PKCS #8 or PKCS #1)")
			fs.StringVar(&payload, "payload", "", "send this `file` as the body instead of a sample; - reads stdin")
			fs.IntVar(&version, "version", 1, "`version` sent in the Kick-Event-Version header")
			fs.StringVar(&subscriptionID, "subscription-id", "", "subscription `id` sent in the Kick-Event-Subscription-Id header (default: a new ULID)")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if err := exactArgs(args, "TYPE"); err != nil {
				return err
			}
			typ := kick.EventType(args[0])
			if payload == "" && !slices.Contains(sampleTypes(), typ) {
				return usagef("no sample of event type %q (use --payload); want one of: %s", typ, sampleTypeNames())
			}
			if to == "" {
				return usagef("missing --to URL")
			}
			if u, err := url.Parse(to); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return usagef("invalid --to %q: want an http or https URL", to)
			}
			signer := devSigner()
			if keyFile != "" {
				s, err := signerFromFile(keyFile)
				if err != nil {
					return err
				}
				signer = s
			}
			var body []byte
			var err error
			if payload != "" {
				body, err = readInput(a.stdin, payload)
			} else {
				body, err = samplePayload(typ, broadcaster, time.Now())
			}
			if err != nil {
				return err
			}
			d := webhooktest.NewDelivery(typ, body)
			if typ != webhook.EventDropsClaim {
				d.Version = version
				if subscriptionID != "" {
					d.SubscriptionID = subscriptionID
				}
			}
			resp, err := signer.Post(ctx, a.http, to, d)
			if err != nil {
				return err
			}
			defer func() { _ = resp.Body.Close() }()
			answer, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
			what := string(typ)
			if d.Version != 0 {
				what += " v" + strconv.Itoa(d.Version)
			}
			fmt.Fprintf(a.stdout, "%s %s (%s, message id %s)\n", resp.Status, to, what, d.MessageID)
			if resp.StatusCode < 200 || resp.StatusCode > 299 {
				if len(bytes.TrimSpace(answer)) > 0 {
					fmt.Fprintf(a.stderr, "%s\n", bytes.TrimSpace(answer))
				}
				return fmt.Errorf("the receiver answered %s", resp.Status)
			}
			return nil
		},
	}
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
	data, err := os.ReadFile(name) //nolint:gosec // a file the user named on the command line
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("--key %s: no PEM block", name)
	}
	var key any
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("--key %s: a %q PEM block, want \"PRIVATE KEY\" or \"RSA PRIVATE KEY\"", name, block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("--key %s: %w", name, err)
	}
	rk, ok := key.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("--key %s: not an RSA key", name)
	}
	return webhooktest.NewSignerFromKey(rk), nil
}

func verifyCommand() *command {
	var (
		format, headersFile, bodyFile, publicKeyFile, at string
		kickKey, devKey, noTimeCheck                     bool
	)
	return &command{
		name:  "verify",
		short: "Verify the signature of a captured delivery",
		long: `Verify a captured webhook delivery as webhook.Verifier does: the headers, the signature over message
id, timestamp and body, and the timestamp's age (five minutes either way). Print the event's type,
ids, time and a summary of its payload; an invalid delivery makes the exit status 1, with the
reason.

--headers is a file of "Name: value" lines, as HTTP writes them (a first request line such as
"POST /webhook HTTP/1.1" is skipped, and so is everything after an empty line), or a JSON object
of names to a value or a list of values. --body is the body exactly as received: a body that was
decoded and encoded again does not verify. Either may be - for stdin.

The key is Kick's published public key, unless --dev-key (kicktest's development key, for
deliveries of 'kick mock serve' and 'kick event trigger') or --public-key gives another.

A capture older than five minutes fails the time check: --at checks it against another time,
--no-time-check against the delivery's own timestamp.`,
		flags: func(fs *flag.FlagSet) {
			outputFlag(fs, &format)
			fs.StringVar(&headersFile, "headers", "", "`file` of the delivery's headers (required)")
			fs.StringVar(&bodyFile, "body", "", "`file` of the delivery's raw body (required)")
			fs.StringVar(&publicKeyFile, "public-key", "", "verify with the PEM public key in this `file`")
			fs.BoolVar(&kickKey, "kick-key", false, "verify with Kick's published public key (the default)")
			fs.BoolVar(&devKey, "dev-key", false, "verify with kicktest's development key")
			fs.StringVar(&at, "at", "", "check the timestamp against this RFC 3339 `time` instead of now")
			fs.BoolVar(&noTimeCheck, "no-time-check", false, "accept the delivery's timestamp however old")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if err := noArgs(args); err != nil {
				return err
			}
			if headersFile == "" || bodyFile == "" {
				return usagef("missing --headers FILE and --body FILE")
			}
			if headersFile == "-" && bodyFile == "-" {
				return usagef("--headers and --body cannot both be stdin")
			}
			keys := 0
			for _, set := range []bool{kickKey, devKey, publicKeyFile != ""} {
				if set {
					keys++
				}
			}
			if keys > 1 {
				return usagef("give one of --kick-key, --dev-key and --public-key")
			}
			if at != "" && noTimeCheck {
				return usagef("give --at or --no-time-check, not both")
			}
			var now time.Time
			if at != "" {
				t, err := time.Parse(time.RFC3339, at)
				if err != nil {
					return usagef("invalid --at %q: want an RFC 3339 time such as 2025-01-14T16:08:06Z", at)
				}
				now = t
			}

			rawHeaders, err := readInput(a.stdin, headersFile)
			if err != nil {
				return err
			}
			h, err := parseHeaders(rawHeaders)
			if err != nil {
				return fmt.Errorf("--headers %s: %w", headersFile, err)
			}
			body, err := readInput(a.stdin, bodyFile)
			if err != nil {
				return err
			}

			keyName, key := "Kick's public key", webhook.DefaultPublicKey()
			switch {
			case devKey:
				keyName = "kicktest's development key"
				if key, err = webhook.ParsePublicKeyPEM([]byte(devPublicKeyPEM())); err != nil {
					return err
				}
			case publicKeyFile != "":
				keyName = publicKeyFile
				data, err := os.ReadFile(publicKeyFile) //nolint:gosec // a file the user named on the command line
				if err != nil {
					return err
				}
				if key, err = webhook.ParsePublicKeyPEM(data); err != nil {
					return fmt.Errorf("--public-key %s: %w", publicKeyFile, err)
				}
			}
			if noTimeCheck {
				ts := h.Get(webhook.HeaderMessageTimestamp)
				if ts == "" {
					ts = h.Get(webhook.HeaderDropsTimestamp)
				}
				now, _ = webhook.ParseTimestamp(ts) // unparseable: Verify says so
			}
			opts := []webhook.VerifierOption{webhook.WithPublicKey(key)}
			if !now.IsZero() {
				opts = append(opts, webhook.WithClock(func() time.Time { return now }))
			}
			v, err := webhook.NewVerifier(opts...)
			if err != nil {
				return err
			}
			d, err := v.Verify(ctx, h, body)
			if err != nil {
				return err
			}
			ev, decodeErr := d.Event()
			if format == formatJSON {
				out := struct {
					Valid          bool           `json:"valid"`
					Key            string         `json:"key"`
					Type           kick.EventType `json:"type"`
					Version        int            `json:"version,omitempty"`
					MessageID      string         `json:"message_id"`
					SubscriptionID string         `json:"subscription_id"`
					Timestamp      time.Time      `json:"timestamp"`
					Event          any            `json:"event"`
					DecodeError    string         `json:"decode_error,omitempty"`
				}{Valid: true, Key: keyName, Type: d.Type, Version: d.Version, MessageID: d.MessageID,
					SubscriptionID: d.SubscriptionID, Timestamp: d.Timestamp, Event: ev}
				if _, unknown := ev.(*webhook.UnknownEvent); unknown || decodeErr != nil {
					out.Event = rawOrString(d.Body)
				}
				if decodeErr != nil {
					out.DecodeError = decodeErr.Error()
				}
				if err := writeJSON(a.stdout, out); err != nil {
					return err
				}
			} else {
				typ := string(d.Type)
				if d.Version != 0 {
					typ += " (version " + strconv.Itoa(d.Version) + ")"
				}
				summary := ""
				if decodeErr == nil {
					summary = summarize(ev)
				}
				if err := fields(a.stdout,
					"Signature", "valid ("+keyName+")",
					"Type", typ,
					"Message ID", d.MessageID,
					"Subscription ID", orDash(d.SubscriptionID),
					"Timestamp", d.Timestamp.Format(time.RFC3339Nano),
					"Summary", orDash(summary)); err != nil {
					return err
				}
			}
			if decodeErr != nil {
				return fmt.Errorf("the signature is valid, but the payload does not decode: %w", decodeErr)
			}
			return nil
		},
	}
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
	return ""
}
