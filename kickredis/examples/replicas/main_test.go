package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kick-sdk/kick-go/kickredis/internal/redisserver"
)

// TestDemo runs the example against a redis-server of its own and checks what it reports.
func TestDemo(t *testing.T) {
	if _, err := redisserver.Lookup(); errors.Is(err, redisserver.ErrNotInstalled) {
		redisserver.SkipOrFail(t, err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), &out, ""); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"webhooks: 100 events, 130 deliveries to 3 receivers; processed ",
		" = 100: each event once\n",
		"tokens: 4 workers, 2 token requests (one refresh, one app token)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the output lacks %q:\n%s", want, out.String())
		}
	}
}
