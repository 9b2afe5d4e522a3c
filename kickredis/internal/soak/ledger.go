package main

import (
	"io"
	"log"
	"net/http"
	"sync"
	"time"
)

// discardLog silences the reverse proxies' logs of replicas that are down.
var discardLog = log.New(io.Discard, "", 0)

// run is one processing of a delivery: the replica's function recorded it at at; it began at
// start, and the claim it runs under landed in Redis at most claimWindow before that.
type run struct {
	replica string
	pid     string
	start   time.Time
	at      time.Time
}

// claimWindow bounds how long before a function starts its claim may have landed in Redis: the
// store's timeout (a Claim returns within it, once its claim landed), with room for scheduling.
const claimWindow = 2 * time.Second

// ledger is the side effect of the replicas' function, and the record of the chaos that can
// explain a delivery processed twice: replicas killed, Redis restarted empty.
type ledger struct {
	mu    sync.Mutex
	runs  map[string][]run
	kills map[string]time.Time // replica pid → when it was killed
	wipes []time.Time          // when Redis was killed (it restarts empty)
}

func newLedger() *ledger {
	return &ledger{runs: map[string][]run{}, kills: map[string]time.Time{}}
}

// ServeHTTP records a run: POST with the message id as the body.
func (l *ledger) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(io.LimitReader(r.Body, 1024))
	if err != nil || len(b) == 0 {
		http.Error(w, "no id", http.StatusBadRequest)
		return
	}
	now := time.Now()
	start, err := time.Parse(time.RFC3339Nano, r.Header.Get("Soak-Start"))
	if err != nil {
		start = now
	}
	l.mu.Lock()
	l.runs[string(b)] = append(l.runs[string(b)], run{replica: r.Header.Get("Soak-Replica"), pid: r.Header.Get("Soak-Pid"), start: start, at: now})
	l.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (l *ledger) killed(pid string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.kills[pid] = time.Now()
}

func (l *ledger) wiped() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.wipes = append(l.wipes, time.Now())
}

// explain tells why a delivery was processed twice, when the chaos explains it:
//   - "kill": the replica of the first run was killed (SIGKILL) after the run and before the
//     second began. Between a function's return and the store's Complete, nothing records that
//     the delivery was processed; a replica killed there leaves a claim that expires, and Kick's
//     retry is processed again. No store can close that window: it is the at-least-once
//     contract of webhooks.
//   - "wipe": Redis was killed, and restarted empty, between the first run's claim (at most
//     claimWindow before its function began) and the second run: the claim, or the completion,
//     was lost with the data. Redis must keep its data for the deduplication to hold across a
//     restart (see kickredis's documentation).
//
// "" means nothing explains it: a failure.
func (l *ledger) explain(runs []run) string {
	first, second := runs[0], runs[1]
	if k, ok := l.kills[first.pid]; ok && k.After(first.at) && k.Before(second.at) {
		return "kill"
	}
	for _, w := range l.wipes {
		if w.After(first.start.Add(-claimWindow)) && w.Before(second.start) {
			return "wipe"
		}
	}
	return ""
}
