package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kickredis"
)

// workerReports collects what the token workers report.
type workerReports struct {
	verbose bool
	mu      sync.Mutex
	tokens  int            // tokens handed out, each new one per worker once
	errors  map[string]int // errors by kind
}

func newWorkerReports(verbose bool) *workerReports {
	return &workerReports{verbose: verbose, errors: map[string]int{}}
}

func (w *workerReports) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	var ev workerEvent
	if err := json.NewDecoder(http.MaxBytesReader(rw, r.Body, 1<<16)).Decode(&ev); err != nil {
		http.Error(rw, "bad event", http.StatusBadRequest)
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	switch ev.Kind {
	case "token":
		w.tokens++
	case "error":
		kind := ev.Error
		if i := strings.Index(kind, ":"); i > 0 {
			kind = kind[:i]
		}
		w.errors[kind]++
		if w.verbose {
			fmt.Printf("worker %d: %s\n", ev.Worker, ev.Error)
		}
	}
	rw.WriteHeader(http.StatusNoContent)
}

// report is the soak's outcome.
//
// Deliveries (each delivery kicktest made, by its message id):
//   - processed once, twice: how many times a replica's function ran for it (the ledger);
//   - lost: it was never processed although Kick got a 2xx for one of its copies (acked), or
//     Kick gave up on every copy after its retry horizon (given up);
//   - a delivery processed twice is explained when its first run's replica was killed between
//     the run and the second run ("kill"), or Redis was killed and restarted empty between them
//     ("wipe"); see ledger.explain. Any other is unexplained: a failure.
//
// Tokens:
//   - refreshed: refresh grants kicktest answered with a new token;
//   - refreshes lost: refresh tokens kicktest issued, but the last, that no later refresh
//     presented: a rotation whose result did not reach the next refresh;
//   - overwritten by an older one: times the stored token changed to one issued before the one
//     it held (the watcher reads the store every 10 ms);
//   - the stored refresh token must at the end be the last one issued, and work;
//   - a worker told to have the user authorize again (ErrReauthorize) is a failure, unless the
//     store had no token (Redis restarted empty) and the worker's own refresh token was spent by
//     another worker, which holds the newer token and refills the store at its next refresh.
type report struct {
	sent, twice, processedOnce, dupsSent  int
	lostAcked, lostGivenUp                int
	processedButGivenUp                   int
	explained                             map[string]int
	unexplained                           []string
	attempts                              map[int]int
	notTaken                              int
	refreshed, lostRotations, staleGrants int
	grantStatuses                         map[int]int
	regressions                           []string
	storeReads                            int
	finalOK                               bool
	finalWhy                              string
	tokensSeen                            int
	workerErrors                          map[string]int
}

func (c *coordinator) report(ag *agent, tl *tokenLedger, w *storeWatcher, wr *workerReports, store *kickredis.TokenStore,
	key, clientID, clientSecret string) *report {
	r := &report{explained: map[string]int{}}
	ag.mu.Lock()
	c.ledger.mu.Lock()
	r.sent = len(ag.order)
	r.attempts = ag.attempts
	for _, id := range ag.order {
		d := ag.deliveries[id]
		runs := c.ledger.runs[id]
		if d.copies > 1 {
			r.dupsSent++
		}
		switch {
		case len(runs) == 0 && d.acked > 0:
			r.lostAcked++
		case len(runs) == 0:
			r.lostGivenUp++
		case len(runs) == 1:
			r.processedOnce++
		default:
			r.twice++
			if why := c.ledger.explain(runs); why != "" {
				r.explained[why]++
			} else {
				r.unexplained = append(r.unexplained, fmt.Sprintf("%s: runs by replica %s (pid %s) at %s and replica %s (pid %s) at %s",
					id, runs[0].replica, runs[0].pid, runs[0].at.Format("15:04:05.000"), runs[1].replica, runs[1].pid, runs[1].at.Format("15:04:05.000")))
			}
		}
		if len(runs) > 0 && d.acked == 0 {
			r.processedButGivenUp++
		}
	}
	c.ledger.mu.Unlock()
	ag.mu.Unlock()
	for _, d := range c.kick.Deliveries() {
		if d.StatusCode != http.StatusOK {
			r.notTaken++
		}
	}

	tl.mu.Lock()
	r.refreshed, r.staleGrants, r.grantStatuses = tl.issued, tl.stale, tl.statuses
	last := tl.last
	tl.mu.Unlock()
	r.lostRotations = tl.lostRotations()
	w.mu.Lock()
	r.regressions, r.storeReads = w.regressions, w.reads
	w.mu.Unlock()
	wr.mu.Lock()
	r.tokensSeen, r.workerErrors = wr.tokens, wr.errors
	wr.mu.Unlock()

	// The stored refresh token is the last one issued, and works.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	stored, err := store.Load(ctx, key)
	switch {
	case err != nil:
		r.finalWhy = "loading the stored token: " + err.Error()
	case stored.RefreshToken != last:
		r.finalWhy = "the store does not hold the last refresh token issued"
	default:
		oc := kickauth.NewConfig(clientID, clientSecret, "http://localhost:8976/callback")
		oc.Endpoint = kickauth.EndpointAt(c.kick.OAuthBaseURL)
		if _, err := oc.TokenSource(ctx, &oauth2.Token{RefreshToken: stored.RefreshToken}).Token(); err != nil {
			var re *oauth2.RetrieveError
			if errors.As(err, &re) {
				err = fmt.Errorf("%s %s", re.ErrorCode, re.ErrorDescription)
			}
			r.finalWhy = "the stored refresh token does not work: " + err.Error()
		} else {
			r.finalOK = true
		}
	}
	return r
}

func (r *report) failed() bool {
	return r.lostAcked+r.lostGivenUp+len(r.unexplained)+r.lostRotations+len(r.regressions)+r.notTaken+r.workerErrors["reauthorize"] > 0 ||
		!r.finalOK
}

func (r *report) String() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("deliveries sent: %d (%d of them twice); attempts by answer: %s", r.sent, r.dupsSent, statuses(r.attempts))
	p("processed once: %d", r.processedOnce)
	p("processed twice: %d (%d after their replica was killed between the function and its completion; %d after Redis was killed and restarted empty between the two; %d otherwise)",
		r.twice, r.explained["kill"], r.explained["wipe"], len(r.unexplained))
	for i, u := range r.unexplained {
		if i == 10 {
			p("  ... and %d more", len(r.unexplained)-10)
			break
		}
		p("  unexplained: %s", u)
	}
	p("lost: %d (%d answered 2xx to Kick and never processed; %d given up by Kick after its retries and never processed); %d processed although Kick gave up on them",
		r.lostAcked+r.lostGivenUp, r.lostAcked, r.lostGivenUp, r.processedButGivenUp)
	if r.notTaken > 0 {
		p("kicktest deliveries the agent did not take: %d", r.notTaken)
	}
	p("tokens refreshed: %d (refresh grants by answer: %s); refreshes lost: %d; refreshes with a spent refresh token: %d",
		r.refreshed, statuses(r.grantStatuses), r.lostRotations, r.staleGrants)
	p("tokens overwritten by an older one: %d (of %d reads of the store)", len(r.regressions), r.storeReads)
	for i, g := range r.regressions {
		if i == 10 {
			break
		}
		p("  %s", g)
	}
	final := "the stored refresh token is the last issued and works"
	if !r.finalOK {
		final = "FAILED: " + r.finalWhy
	}
	p("final token: %s; workers handed out %d new tokens; worker errors: %s", final, r.tokensSeen, kinds(r.workerErrors))
	return b.String()
}

func statuses(m map[int]int) string {
	var keys []int
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	var parts []string
	for _, k := range keys {
		name := fmt.Sprint(k)
		if k == 0 {
			name = "no answer"
		}
		parts = append(parts, fmt.Sprintf("%s %d", name, m[k]))
	}
	return strings.Join(parts, ", ")
}

func kinds(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	var parts []string
	for k, n := range m {
		parts = append(parts, fmt.Sprintf("%s %d", k, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}
