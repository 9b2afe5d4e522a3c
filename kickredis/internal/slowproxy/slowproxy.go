// Package slowproxy is a TCP proxy for tests that makes a server slow: every chunk of bytes a
// client sends reaches the server the proxy's latency later, in order, while the answers come
// back at once. Put it between go-redis and a real redis-server, and each command takes the
// latency longer (a pipeline of commands sent together, once). The latency can change at any
// time; it applies to the bytes read from then on.
package slowproxy

import (
	"context"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Proxy forwards connections from Addr to a target address.
type Proxy struct {
	// Addr is the host:port clients connect to.
	Addr string

	target  string
	ln      net.Listener
	latency atomic.Int64 // a time.Duration

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup
}

// Start listens on a free loopback port and forwards to target.
func Start(target string) (*Proxy, error) {
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{Addr: ln.Addr().String(), target: target, ln: ln, conns: map[net.Conn]struct{}{}}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// SetLatency sets how long each chunk a client sends from now on waits before it is forwarded.
func (p *Proxy) SetLatency(d time.Duration) { p.latency.Store(int64(d)) }

// Latency returns the current latency.
func (p *Proxy) Latency() time.Duration { return time.Duration(p.latency.Load()) }

// CloseConns closes every open connection, as a network failure would; new ones are accepted.
func (p *Proxy) CloseConns() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		_ = c.Close()
	}
}

// Close stops listening, closes every connection and waits for the proxy's goroutines.
func (p *Proxy) Close() error {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	err := p.ln.Close()
	p.CloseConns()
	p.wg.Wait()
	return err
}

func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *Proxy) untrack(c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.conns, c)
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Add(1)
		go p.serve(client)
	}
}

// chunk is bytes read from the client, due at the server at due.
type chunk struct {
	b   []byte
	due time.Time
}

func (p *Proxy) serve(client net.Conn) {
	defer p.wg.Done()
	server, err := (&net.Dialer{Timeout: 5 * time.Second}).DialContext(context.Background(), "tcp", p.target)
	if err != nil {
		_ = client.Close()
		return
	}
	if !p.track(client) || !p.track(server) {
		_ = client.Close()
		_ = server.Close()
		return
	}
	defer p.untrack(client)
	defer p.untrack(server)
	closeBoth := func() { _ = client.Close(); _ = server.Close() }

	queue := make(chan chunk, 4096)
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { // client → queue
		defer wg.Done()
		defer close(queue)
		for {
			b := make([]byte, 32<<10)
			n, err := client.Read(b)
			if n > 0 {
				queue <- chunk{b[:n], time.Now().Add(p.Latency())}
			}
			if err != nil {
				return
			}
		}
	}()
	go func() { // queue → server, each chunk when due
		defer wg.Done()
		defer closeBoth()
		for c := range queue {
			if wait := time.Until(c.due); wait > 0 {
				time.Sleep(wait)
			}
			if _, err := server.Write(c.b); err != nil {
				return
			}
		}
	}()
	go func() { // server → client, at once
		defer wg.Done()
		defer closeBoth()
		_, _ = io.Copy(client, server)
	}()
	wg.Wait()
}
