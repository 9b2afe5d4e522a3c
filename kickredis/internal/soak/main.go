// Command soak runs kick-go's Redis pieces under faults for a set time and checks that nothing is
// lost or doubled: `make soak` (SOAK=10m by default, SOAK=1h for longer; `make soak-short` is the
// CI variant).
//
// It starts a real redis-server (no persistence) behind a latency proxy; kicktest, whose chat
// deliveries go to an agent that plays Kick's delivery system (it sends each delivery, sends some
// twice, and retries each copy not answered 2xx with backoff until its retry horizon); three
// webhook replicas (processes of this program) with a webhook.Handler on a kickredis.WebhookStore,
// behind a round-robin balancer; and four token workers (processes too) sharing one user's token
// through kickauth.UserTokenSource on a kickredis.TokenStore, refreshed against kicktest's OAuth
// server (with a short token lifetime, so that refreshes are frequent). Meanwhile a chaos loop
// pauses Redis (SIGSTOP), slows it (the proxy), kills it and restarts it empty, kills replicas
// (SIGKILL) and restarts them, and makes the token endpoint answer 429, 500 or slowly.
//
// At the end it prints what happened and fails on any delivery lost or processed twice that the
// system promises to prevent, on any refresh lost, and on any token in the store overwritten by
// an older one. The definitions are in report.go.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
)

func main() {
	role := flag.String("role", "coordinator", "coordinator, replica or worker (the last two are started by the coordinator)")
	var cfg coordinatorConfig
	flag.DurationVar(&cfg.Duration, "duration", 0, "how long deliveries are sent and chaos runs (default $SOAK, else 10m)")
	flag.Float64Var(&cfg.Rate, "rate", 20, "deliveries per second")
	flag.Float64Var(&cfg.DuplicateShare, "duplicates", 0.2, "share of deliveries sent twice")
	flag.BoolVar(&cfg.Verbose, "v", false, "log every chaos step and worker error")
	flag.Parse()
	var err error
	switch *role {
	case "coordinator":
		err = coordinate(cfg)
	case "replica":
		var rc replicaConfig
		if err = readConfig(&rc); err == nil {
			err = runReplica(rc)
		}
	case "worker":
		var wc workerConfig
		if err = readConfig(&wc); err == nil {
			err = runWorker(wc)
		}
	default:
		err = fmt.Errorf("unknown role %q", *role)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
}

// readConfig reads a child's configuration, one JSON line on stdin (the client secret goes to
// workers neither in their command line nor in their environment), and exits the process when
// stdin ends: the coordinator closes it to stop a child, and it ends if the coordinator dies, so
// that no child outlives it.
func readConfig(v any) error {
	in := bufio.NewReader(os.Stdin)
	line, err := in.ReadBytes('\n')
	if err != nil {
		return fmt.Errorf("reading the configuration: %w", err)
	}
	go func() {
		_, _ = io.Copy(io.Discard, in)
		os.Exit(0)
	}()
	return json.Unmarshal(line, v)
}

// The soak's randomness, of load and faults, never of a secret: math/rand/v2.

func randN[T ~int | ~int64](n T) T { return rand.N(n) } //nolint:gosec // see above

func randFloat() float64 { return rand.Float64() } //nolint:gosec // see above

func randShuffle(n int, swap func(i, j int)) { rand.Shuffle(n, swap) } //nolint:gosec // see above
