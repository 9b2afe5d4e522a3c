package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The binary under test stores nothing in the user's directories: what it saves by default
// (deliveries in the user cache directory, tokens in the user configuration directory) lands in
// the test's temporary HOME, and KICK_EVENT_DIR and KICK_TOKEN_DIR point into temporary
// directories too.
func TestCLIEnvKeepsTheBinaryInTempDirs(t *testing.T) {
	t.Parallel()
	env := cliEnv(t)
	vars := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v // the last one counts, as for exec
	}
	tmp := os.TempDir()
	for _, k := range []string{"HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "KICK_TOKEN_DIR", "KICK_EVENT_DIR"} {
		if v := vars[k]; !strings.HasPrefix(v, tmp) {
			t.Errorf("%s=%q, want a directory under %s", k, v, tmp)
		}
	}
	if i := slices.IndexFunc(env, func(kv string) bool { return strings.HasPrefix(kv, "XDG_RUNTIME_DIR=") }); i >= 0 {
		t.Errorf("the caller's %s reaches the binary", env[i])
	}

	// With KICK_EVENT_DIR empty, a delivery is saved in the default place: under the test's HOME.
	srv, _ := devWebhookServer(t)
	r := runCLI(t, append(env, "KICK_EVENT_DIR="), "event", "trigger", "chat.message.sent", "--to", srv.URL+"/kick/webhook")
	wantCode(t, r, 0)
	saved, err := filepath.Glob(filepath.Join(vars["XDG_CACHE_HOME"], "kick-go", "deliveries", "*"))
	if err != nil || len(saved) == 0 {
		t.Errorf("no delivery saved under the test's XDG_CACHE_HOME (%v)\n%s", err, r)
	}
}
