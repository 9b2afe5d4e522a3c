package kick

import (
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"syscall"
	"testing"
)

// TestFirstRepeat checks firstRepeat against the naive search, on both of its paths (up to 128
// keys and beyond) and with a table filled to its load limit.
func TestFirstRepeat(t *testing.T) {
	t.Parallel()
	naive := func(keys []string) (int, int) {
		for i := range keys {
			for j := range i {
				if keys[i] == keys[j] {
					return i, j
				}
			}
		}
		return -1, -1
	}
	for _, n := range []int{0, 1, 2, 25, 100, 128, 129, 300} {
		keys := make([]string, n)
		for i := range keys {
			keys[i] = "01KBQVW2KVQNX4Y6RN80" + strconv.Itoa(i)
		}
		cases := [][]string{keys}
		if n > 1 {
			for _, at := range [][2]int{{n - 1, 0}, {1, 0}, {n - 1, n - 2}, {n / 2, n / 3}} {
				c := append([]string(nil), keys...)
				c[at[0]] = c[at[1]]
				cases = append(cases, c)
			}
		}
		for _, c := range cases {
			gi, gj := firstRepeat(len(c), func(i int) string { return c[i] })
			wi, wj := naive(c)
			if gi != wi || gj != wj {
				t.Errorf("%d keys: firstRepeat = %d, %d; want %d, %d", n, gi, gj, wi, wj)
			}
		}
	}
}

// TestNeverConnected: only a connection that was never made lets a POST be sent again.
func TestNeverConnected(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, true},
		{&url.Error{Op: "Post", URL: "https://api.kick.com/public/v1/chat", Err: &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host"}}}, true},
		{fmt.Errorf("wrapped: %w", &net.OpError{Op: "proxyconnect", Net: "tcp", Err: io.EOF}), true},
		{&net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}, false},
		{&net.OpError{Op: "write", Net: "tcp", Err: syscall.EPIPE}, false},
		{io.ErrUnexpectedEOF, false},
		{nil, false},
	} {
		if got := neverConnected(tt.err); got != tt.want {
			t.Errorf("neverConnected(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
