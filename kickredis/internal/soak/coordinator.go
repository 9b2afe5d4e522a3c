package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/kickredis"
	"github.com/kick-sdk/kick-go/kickredis/internal/redisserver"
	"github.com/kick-sdk/kick-go/kickredis/internal/slowproxy"
)

type coordinatorConfig struct {
	Duration       time.Duration
	Rate           float64
	DuplicateShare float64
	Verbose        bool
}

const (
	nReplicas = 3
	nWorkers  = 4
	prefix    = "soak:"
)

type coordinator struct {
	cfg      coordinatorConfig
	dir      string // children's logs
	redis    *redisserver.Server
	proxy    *slowproxy.Proxy
	kick     *kicktest.Server
	ledger   *ledger
	replicas []*child
	workers  []*child
}

// scale is what the soak's length implies: a short soak (CI) has short faults close together.
type scale struct {
	chaos    chaosScale
	retry    retryPolicy
	lifetime time.Duration // of the user tokens
}

func scaleFor(d time.Duration) scale {
	if d <= 2*time.Minute {
		return scale{chaosScale{gapMin: time.Second, gapMax: 2 * time.Second, holdMin: time.Second, holdMax: 3 * time.Second},
			retryPolicy{first: 250 * time.Millisecond, max: 2 * time.Second, horizon: 40 * time.Second}, 6 * time.Second}
	}
	return scale{chaosScale{gapMin: 5 * time.Second, gapMax: 20 * time.Second, holdMin: 2 * time.Second, holdMax: 10 * time.Second},
		retryPolicy{first: 500 * time.Millisecond, max: 8 * time.Second, horizon: 90 * time.Second}, 10 * time.Second}
}

func coordinate(cfg coordinatorConfig) error {
	if cfg.Duration == 0 {
		cfg.Duration = 10 * time.Minute
		if v := os.Getenv("SOAK"); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil {
				return fmt.Errorf("SOAK=%q: %w", v, err)
			}
			cfg.Duration = d
		}
	}
	sc := scaleFor(cfg.Duration)
	redis.SetLogger(quietLogger{})
	dir, err := os.MkdirTemp("", "kick-soak-*")
	if err != nil {
		return err
	}
	c := &coordinator{cfg: cfg, dir: dir, ledger: newLedger()}
	if c.redis, err = redisserver.Start(); err != nil {
		return err
	}
	defer func() { _ = c.redis.Close() }()
	if c.proxy, err = slowproxy.Start(c.redis.Addr); err != nil {
		return err
	}
	defer func() { _ = c.proxy.Close() }()

	mux := http.NewServeMux()
	base, stopHTTP, err := serve(mux)
	if err != nil {
		return err
	}
	defer stopHTTP()
	c.kick = kicktest.MustNewServer(kicktest.WithWebhookURL(base + "/agent"))
	defer c.kick.Close()

	// The replicas, behind the balancer.
	var urls []string
	for i := range nReplicas {
		port, err := freePort()
		if err != nil {
			return err
		}
		listen := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		urls = append(urls, "http://"+listen)
		c.replicas = append(c.replicas, &child{role: "replica", name: fmt.Sprintf("replica-%d", i), dir: dir,
			config: replicaConfig{Index: i, Listen: listen, Redis: c.proxy.Addr, Prefix: prefix, LedgerURL: base + "/ledger"}})
	}
	balancerURL, stopBalancer, err := serve(newBalancer(urls))
	if err != nil {
		return err
	}
	defer stopBalancer()
	ag := newAgent(balancerURL+"/kick/webhook", cfg.DuplicateShare, sc.retry)
	mux.Handle("/agent", ag)
	mux.Handle("/ledger", c.ledger)

	// The token: kicktest's, seeded expired, so that the first worker refreshes it.
	oc := c.kick.OAuthConfig("http://localhost:8976/callback")
	key := kickauth.StoreKey(oc.ClientID, "streamer")
	tl := newTokenLedger(c.kick.OAuthBaseURL, sc.lifetime)
	mux.Handle("/oauth/", tl)
	seed := c.kick.UserToken(kicktest.Streamer.UserID)
	seed.Expiry = time.Now().Add(-time.Second)
	tl.seed(seed.AccessToken, seed.RefreshToken)
	direct := redis.NewClient(&redis.Options{Addr: c.redis.Addr})
	defer func() { _ = direct.Close() }()
	store, err := kickredis.NewTokenStore(direct, kickredis.WithPrefix(prefix))
	if err != nil {
		return err
	}
	if err := store.Save(context.Background(), key, seed); err != nil {
		return err
	}
	reports := newWorkerReports(cfg.Verbose)
	mux.Handle("/worker", reports)
	for i := range nWorkers {
		c.workers = append(c.workers, &child{role: "worker", name: fmt.Sprintf("worker-%d", i), dir: dir,
			config: workerConfig{Index: i, Redis: c.proxy.Addr, Prefix: prefix, Key: key, ClientID: oc.ClientID,
				ClientSecret: oc.ClientSecret, OAuthBaseURL: base, ReportURL: base + "/worker"}})
	}
	for _, ch := range append(append([]*child(nil), c.replicas...), c.workers...) {
		if err := ch.start(); err != nil {
			return err
		}
	}
	defer c.stopChildren()

	app := c.kick.MustClient(kicktest.Streamer.UserID)
	if _, err := app.Events.SubscribeTo(context.Background(), kicktest.Streamer.UserID, kick.EventChatMessageSent); err != nil {
		return err
	}
	fmt.Printf("soak: %v; %d webhook replicas on redis-server behind a round-robin balancer, %d token workers; %.0f deliveries/s, %.0f%% sent twice; logs in %s\n",
		cfg.Duration, nReplicas, nWorkers, cfg.Rate, 100*cfg.DuplicateShare, dir)

	watchCtx, stopWatch := context.WithCancel(context.Background())
	defer stopWatch()
	w := &storeWatcher{l: tl, rdb: direct, key: prefix + "token:{" + key + "}"}
	watched := make(chan struct{})
	go func() { defer close(watched); w.run(watchCtx) }()

	chaosCtx, stopChaos := context.WithTimeout(context.Background(), cfg.Duration)
	defer stopChaos()
	chaosLog, err := os.Create(filepath.Join(dir, "chaos.log")) //nolint:gosec // in the soak's own temporary directory
	if err != nil {
		return err
	}
	defer func() { _ = chaosLog.Close() }()
	ch := &chaos{c: c, scale: sc.chaos, verbose: cfg.Verbose, log: chaosLog, counts: map[string]int{}}
	chaosDone := make(chan struct{})
	go func() { defer close(chaosDone); ch.run(chaosCtx) }()

	start := time.Now()
	tick := time.NewTicker(time.Duration(float64(time.Second) / cfg.Rate))
	for n := 0; time.Since(start) < cfg.Duration; n++ {
		<-tick.C
		c.kick.SendChat(kicktest.Viewer.UserID, kicktest.Streamer.UserID, "soak "+strconv.Itoa(n))
	}
	tick.Stop()
	<-chaosDone // everything is healthy again
	fmt.Printf("soak: sending stopped after %v; chaos: %s\n", time.Since(start).Round(time.Second), ch.summary())

	// Let Kick's retries and the token workers settle, then stop.
	flushCtx, cancel := context.WithTimeout(context.Background(), time.Minute)
	err = c.kick.Flush(flushCtx)
	cancel()
	if err != nil {
		return err
	}
	settled := time.Now().Add(2 * sc.lifetime)
	ag.wait()
	time.Sleep(time.Until(settled))
	c.stopChildren()
	stopWatch()
	<-watched

	r := c.report(ag, tl, w, reports, store, key, oc.ClientID, oc.ClientSecret)
	fmt.Print(r.String())
	if r.failed() {
		return errors.New("FAIL")
	}
	fmt.Println("soak: PASS")
	_ = os.RemoveAll(dir)
	return nil
}

// serve serves h on a free loopback port and returns its base URL.
func serve(h http.Handler) (string, func(), error) {
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: discardLog}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}

func freePort() (int, error) {
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer func() { _ = ln.Close() }()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func (c *coordinator) stopChildren() {
	var wg sync.WaitGroup
	for _, ch := range append(append([]*child(nil), c.replicas...), c.workers...) {
		wg.Go(ch.stop)
	}
	wg.Wait()
}

// child is a replica or worker process: this program with -role.
type child struct {
	role, name, dir string
	config          any

	mu    sync.Mutex
	cmd   *exec.Cmd
	stdin io.WriteCloser
}

// start starts the process, gives it its configuration and waits until it says "ready".
func (c *child) start() error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	logFile, err := os.OpenFile(filepath.Join(c.dir, c.name+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer func() { _ = logFile.Close() }()
	cmd := exec.CommandContext(context.Background(), self, "-role", c.role) //nolint:gosec // this program itself
	cmd.Stderr = logFile
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	b, _ := json.Marshal(c.config)
	if _, err := stdin.Write(append(b, '\n')); err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return err
	}
	ready := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() && sc.Text() == "ready" {
			ready <- nil
		} else {
			ready <- fmt.Errorf("%s did not start; see %s", c.name, logFile.Name())
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case err := <-ready:
		if err != nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			return err
		}
	case <-time.After(time.Minute):
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return fmt.Errorf("%s did not start within a minute", c.name)
	}
	c.mu.Lock()
	c.cmd, c.stdin = cmd, stdin
	c.mu.Unlock()
	return nil
}

func (c *child) pid() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cmd == nil {
		return ""
	}
	return strconv.Itoa(c.cmd.Process.Pid)
}

// kill kills the process with SIGKILL, by its pid, as kill -9 does.
func (c *child) kill() {
	c.mu.Lock()
	cmd := c.cmd
	c.cmd = nil
	c.mu.Unlock()
	if cmd != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
}

// stop closes the process's stdin, which ends it, and kills it if it has not ended in 5 s.
func (c *child) stop() {
	c.mu.Lock()
	cmd, stdin := c.cmd, c.stdin
	c.cmd = nil
	c.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = stdin.Close()
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}
