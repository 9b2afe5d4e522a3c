package pkce

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	all := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
	for _, v := range []string{all, all[:MinLen], strings.Repeat("a", MaxLen), strings.Repeat("~", MinLen)} {
		if err := Check(v); err != nil {
			t.Errorf("Check(%q) = %v", v, err)
		}
	}
	secret := strings.Repeat("s", 50)
	tests := []struct{ v, want string }{
		{"", "has 0 characters, 43 to 128 required"},
		{strings.Repeat("a", MinLen-1), "has 42 characters"},
		{strings.Repeat("a", MaxLen+1), "has 129 characters"},
		{secret + " ", "at byte 50"},
		{secret + "+", "at byte 50"},
		{"/" + secret, "at byte 0"},
		{secret + "é", "at byte 50"},
		{secret + "=", "at byte 50"},
	}
	for _, tt := range tests {
		err := Check(tt.v)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Check(%q) = %v, want an error containing %q", tt.v, err, tt.want)
			continue
		}
		if len(tt.v) > 0 && strings.Contains(err.Error(), strings.TrimSpace(tt.v)) {
			t.Errorf("Check(%q): the error %q quotes the verifier", tt.v, err)
		}
	}
}
