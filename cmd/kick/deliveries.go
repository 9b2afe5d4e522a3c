package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kick-sdk/kick-go/kick"
)

// envEventDir names the directory of saved deliveries.
const envEventDir = "KICK_EVENT_DIR"

// A saved delivery is three files in the deliveries directory, named after its message id:
// ID.headers ("Name: value" lines, as curl -H @FILE reads them), ID.body (the body byte for
// byte) and ID.json (what the CLI knows of it: savedDelivery). 'kick event listen' saves what it
// receives and 'kick event trigger' what it sends; 'kick event verify ID' and 'kick event
// retrigger ID' read them.

// savedDelivery is the record of a saved delivery.
type savedDelivery struct {
	MessageID      string         `json:"message_id"`
	SubscriptionID string         `json:"subscription_id,omitempty"`
	Type           kick.EventType `json:"type"`
	Version        int            `json:"version,omitempty"`
	Timestamp      string         `json:"timestamp"`
	// Source is "listen" for a delivery kick event listen received, "trigger" for one kick
	// event trigger sent.
	Source string `json:"source"`
	// At is when it was received or sent.
	At time.Time `json:"at"`
	// URL is where it was sent (trigger) or forwarded (listen).
	URL string `json:"url,omitempty"`
	// ReceivedOn is the URL listen received it on: where it went when it was not forwarded.
	ReceivedOn string `json:"received_on,omitempty"`
	// Key is what signed it: "dev" for kicktest's development key, "kick" for Kick's (as
	// verified), or the name of a key file.
	Key string `json:"key,omitempty"`
	// Verified says whether listen verified its signature (and Error why not).
	Verified bool   `json:"verified,omitempty"`
	Error    string `json:"error,omitempty"`
	// Status is the answer of the receiver (trigger) or of the forward URL (listen).
	Status string `json:"status,omitempty"`
}

// deliveryStore is the directory of saved deliveries.
type deliveryStore struct{ dir string }

// deliveries is the store of --dir, KICK_EVENT_DIR, or kick-go/deliveries in the user's cache
// directory.
func (a *app) deliveries(dir string) (*deliveryStore, error) {
	if dir == "" {
		dir = a.getenv(envEventDir)
	}
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("the deliveries directory: %w (give --dir)", err)
		}
		dir = filepath.Join(base, "kick-go", "deliveries")
	}
	return &deliveryStore{dir: dir}, nil
}

// dirFlag registers --dir, the directory of saved deliveries.
func dirFlag(c *cobra.Command, p *string) {
	c.Flags().StringVar(p, "dir", "", "`directory` of saved deliveries, env "+envEventDir+" (default kick-go/deliveries in the user's cache directory)")
	_ = c.MarkFlagDirname("dir")
}

// fileID is a message id as a file name: the characters of a ULID or UUID, else a hash-free
// stand-in, so that a sender's header cannot name a path.
func fileID(messageID string) string {
	ok := messageID != "" && len(messageID) <= 64 && strings.Trim(messageID,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == ""
	if ok {
		return messageID
	}
	return "unnamed-" + time.Now().UTC().Format("20060102T150405.000000000")
}

// save writes a delivery's three files; it returns the id it is saved under.
func (s *deliveryStore) save(rec savedDelivery, header http.Header, body []byte) (string, error) {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return "", err
	}
	id := fileID(rec.MessageID)
	var h bytes.Buffer
	names := make([]string, 0, len(header))
	for name := range header {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range header[name] {
			fmt.Fprintf(&h, "%s: %s\n", name, strings.NewReplacer("\r", "", "\n", " ").Replace(v))
		}
	}
	meta, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return "", err
	}
	for _, f := range []struct {
		ext  string
		data []byte
	}{{".body", body}, {".headers", h.Bytes()}, {".json", append(meta, '\n')}} {
		if err := os.WriteFile(filepath.Join(s.dir, id+f.ext), f.data, 0o600); err != nil {
			return "", err
		}
	}
	return id, nil
}

// errNoDelivery is the error of an id no saved delivery has.
var errNoDelivery = errors.New("no saved delivery")

// find resolves an id, or a unique prefix of one, to a saved delivery's id.
func (s *deliveryStore) find(id string) (string, error) {
	if id == "" || strings.ContainsAny(id, `/\`) || id == "." || id == ".." {
		return "", usagef("invalid delivery id %q", id)
	}
	if _, err := os.Stat(filepath.Join(s.dir, id+".json")); err == nil {
		return id, nil
	}
	ids, err := s.ids()
	if err != nil {
		return "", err
	}
	var match []string
	for _, have := range ids {
		if strings.HasPrefix(strings.ToUpper(have), strings.ToUpper(id)) {
			match = append(match, have)
		}
	}
	switch len(match) {
	case 0:
		return "", fmt.Errorf("%w %q in %s (see 'kick event deliveries')", errNoDelivery, id, s.dir)
	case 1:
		return match[0], nil
	}
	return "", fmt.Errorf("delivery id %q is ambiguous: %s", id, strings.Join(match, ", "))
}

// ids lists the saved deliveries' ids, oldest first (ULIDs sort by time).
func (s *deliveryStore) ids() ([]string, error) {
	entries, err := os.ReadDir(s.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, e := range entries {
		if id, ok := strings.CutSuffix(e.Name(), ".json"); ok && !e.IsDir() {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// savedByID finds (by id or a unique prefix) and reads a saved delivery of the directory dir.
func (a *app) savedByID(dir, id string) (string, *savedDelivery, http.Header, []byte, error) {
	store, err := a.deliveries(dir)
	if err != nil {
		return "", nil, nil, nil, err
	}
	if id, err = store.find(id); err != nil {
		return "", nil, nil, nil, err
	}
	rec, h, body, err := store.load(id)
	return id, rec, h, body, err
}

// load reads a saved delivery.
func (s *deliveryStore) load(id string) (*savedDelivery, http.Header, []byte, error) {
	read := func(ext string) ([]byte, error) {
		return readLimited(filepath.Join(s.dir, id+ext), maxSavedBody+1)
	}
	meta, err := read(".json")
	if err != nil {
		return nil, nil, nil, err
	}
	var rec savedDelivery
	if err := json.Unmarshal(meta, &rec); err != nil {
		return nil, nil, nil, fmt.Errorf("%s.json: %w", id, err)
	}
	rawHeaders, err := read(".headers")
	if err != nil {
		return nil, nil, nil, err
	}
	h, err := parseHeaders(rawHeaders)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s.headers: %w", id, err)
	}
	body, err := read(".body")
	if err != nil {
		return nil, nil, nil, err
	}
	if len(body) > maxSavedBody {
		return nil, nil, nil, fmt.Errorf("%s.body: over %d bytes", id, maxSavedBody)
	}
	return &rec, h, body, nil
}

// maxSavedBody bounds the bodies listen accepts and the saved files the CLI reads.
const maxSavedBody = 1 << 20

// headerLines is a header as "Name: value" lines.
func headerLines(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for name, v := range h {
		out[textproto.CanonicalMIMEHeaderKey(name)] = strings.Join(v, ", ")
	}
	return out
}
