package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kick-sdk/kick-go/kick/webhook"
)

// retryPolicy is how the agent retries a copy of a delivery not answered 2xx: after first,
// doubling to at most max, with jitter, until horizon has passed since the copy's first attempt.
// Kick documents no schedule any more ("3 times over a period of time" until 2025-12); this one
// is longer than any fault of the chaos loop, as a delivery system's should be.
type retryPolicy struct {
	first, max, horizon time.Duration
}

// agent plays Kick's delivery system between kicktest and the balancer: kicktest posts each
// delivery to it once, it answers 200 and owns the delivery from then on. It sends every
// delivery, a share of them twice (at once, or up to a second later), and retries each copy
// not answered 2xx until its retry horizon.
type agent struct {
	target   string // the balancer's URL
	client   *http.Client
	dupShare float64
	policy   retryPolicy

	wg     sync.WaitGroup
	closed atomic.Bool

	mu         sync.Mutex
	deliveries map[string]*delivery
	order      []string
	attempts   map[int]int // answers by status (0: no answer)
}

// delivery is one delivery of kicktest's and what became of its copies.
type delivery struct {
	id       string
	received time.Time
	copies   int
	acked    int // copies answered 2xx
	gaveUp   int // copies given up after the retry horizon
	attempts int
}

func newAgent(target string, dupShare float64, policy retryPolicy) *agent {
	return &agent{target: target, dupShare: dupShare, policy: policy,
		client:     &http.Client{Timeout: 15 * time.Second},
		deliveries: map[string]*delivery{}, attempts: map[int]int{}}
}

// ServeHTTP takes a delivery from kicktest.
func (a *agent) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil || a.closed.Load() {
		http.Error(w, "not taken", http.StatusServiceUnavailable)
		return
	}
	h := r.Header.Clone()
	id := h.Get(webhook.HeaderMessageID)
	copies := 1
	if randFloat() < a.dupShare {
		copies = 2
	}
	a.mu.Lock()
	if _, dup := a.deliveries[id]; dup {
		a.mu.Unlock()
		w.WriteHeader(http.StatusOK)
		return
	}
	d := &delivery{id: id, received: time.Now(), copies: copies}
	a.deliveries[id] = d
	a.order = append(a.order, id)
	a.mu.Unlock()
	ctx := context.WithoutCancel(r.Context()) // the delivery outlives kicktest's request
	for c := range copies {
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			if c > 0 && randN(2) == 0 {
				time.Sleep(time.Duration(randN(1000)) * time.Millisecond)
			}
			a.send(ctx, d, h, body)
		}()
	}
	w.WriteHeader(http.StatusOK)
}

// send delivers one copy, retrying until it is answered 2xx or the horizon has passed.
func (a *agent) send(ctx context.Context, d *delivery, h http.Header, body []byte) {
	start := time.Now()
	for backoff := a.policy.first; ; backoff = min(2*backoff, a.policy.max) {
		code := a.attempt(ctx, h, body)
		a.mu.Lock()
		a.attempts[code]++
		d.attempts++
		if code/100 == 2 {
			d.acked++
			a.mu.Unlock()
			return
		}
		a.mu.Unlock()
		if time.Since(start) > a.policy.horizon {
			a.mu.Lock()
			d.gaveUp++
			a.mu.Unlock()
			return
		}
		time.Sleep(backoff/2 + randN(backoff/2+1))
	}
}

func (a *agent) attempt(ctx context.Context, h http.Header, body []byte) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.target, bytes.NewReader(body))
	if err != nil {
		return 0
	}
	req.Header = h.Clone()
	rsp, err := a.client.Do(req)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, rsp.Body)
	_ = rsp.Body.Close()
	return rsp.StatusCode
}

// wait waits until every copy is answered 2xx or given up.
func (a *agent) wait() {
	a.closed.Store(true)
	a.wg.Wait()
}

// balancer sends each request to the next replica in turn, as a round-robin load balancer without
// health checks does: a request to a replica that is down is answered 502.
type balancer struct {
	next     atomic.Uint64
	backends []*httputil.ReverseProxy
}

func newBalancer(urls []string) *balancer {
	b := &balancer{}
	for _, u := range urls {
		target, _ := url.Parse(u)
		p := httputil.NewSingleHostReverseProxy(target)
		p.ErrorLog = discardLog
		p.Transport = &http.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: 30 * time.Second}
		b.backends = append(b.backends, p)
	}
	return b
}

func (b *balancer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.backends[b.next.Add(1)%uint64(len(b.backends))].ServeHTTP(w, r)
}
