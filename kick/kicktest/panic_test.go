package kicktest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kick-sdk/kick-go/kick/kicktest"
)

// TestHandlerPanicReleasesTheServer: a handler that panics (here on a loaded state whose
// livestream has no channel) answers 500 and leaves the server usable: the next requests are
// answered, and Close returns.
func TestHandlerPanicReleasesTheServer(t *testing.T) {
	t.Parallel()
	app := kicktest.App{ClientID: "panic-app", ClientSecret: "panic-secret"}
	s, err := kicktest.NewServer(kicktest.WithApp(app), kicktest.WithSpecViolationHandler(func(error) {}))
	if err != nil {
		t.Fatal(err)
	}
	var saved bytes.Buffer
	if err := s.SaveState(&saved); err != nil {
		t.Fatal(err)
	}
	var state map[string]any
	if err := json.Unmarshal(saved.Bytes(), &state); err != nil {
		t.Fatal(err)
	}
	state["livestreams"] = append(state["livestreams"].([]any), map[string]any{
		"broadcaster": 999999, "id": "dangling", "started_at": "2025-01-01T00:00:00Z", "viewers": 1})
	dangling, _ := json.Marshal(state)
	if err := s.LoadState(bytes.NewReader(dangling)); err != nil {
		t.Fatal(err)
	}
	token := s.AppToken().AccessToken
	client := &http.Client{Timeout: 20 * time.Second}
	get := func(path string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, s.APIBaseURL+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer func() { _ = resp.Body.Close() }()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	for range 2 {
		status, body := get("/public/v2/livestreams")
		if status != http.StatusInternalServerError || !strings.Contains(body, "kicktest: the handler of listLivestreams panicked") {
			t.Errorf("the panicking handler: %d %s", status, body)
		}
	}
	if status, body := get("/public/v2/categories"); status != http.StatusOK {
		t.Errorf("another request after the panic: %d %s", status, body)
	}
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(20 * time.Second):
		t.Fatal("Close does not return after a handler panicked")
	}
}
