package main

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/kick-sdk/kick-go/kick"
)

// Environment variables read by the global flags.
const (
	envBaseURL          = "KICK_BASE_URL"
	envOAuthURL         = "KICK_OAUTH_URL"
	envClientID         = "KICK_CLIENT_ID"
	envClientSecret     = "KICK_CLIENT_SECRET"      //nolint:gosec // the name of a variable, not a secret
	envClientSecretFile = "KICK_CLIENT_SECRET_FILE" //nolint:gosec // the name of a variable, not a secret
	envTokenDir         = "KICK_TOKEN_DIR"          //nolint:gosec // the name of a variable, not a secret
	envAccount          = "KICK_ACCOUNT"
)

// defaultAccount names the stored user token of a login without a user to name it after, and of
// tokens stored before accounts were named after their users.
const defaultAccount = "default"

// globals are the flags every command accepts. A flag given on the command line wins over its
// environment variable, which wins over the default.
type globals struct {
	baseURL      setting
	oauthURL     setting
	clientID     setting
	clientSecret setting // --client-secret (deprecated), or the secret read from clientSecretFile
	secretFile   setting // --client-secret-file
	tokenDir     setting
	account      setting
	app          bool
}

// setting is a string flag that remembers whether the command line set it.
type setting struct {
	value string
	set   bool
}

// settingValue is the pflag.Value of a setting. secret hides the value from the help's default.
type settingValue struct {
	s      *setting
	secret bool
}

func (v settingValue) String() string {
	if v.s == nil || v.secret {
		return ""
	}
	return v.s.value
}

func (v settingValue) Set(s string) error {
	v.s.value, v.s.set = s, true
	return nil
}

func (settingValue) Type() string { return "string" }

// register adds the global flags to fs, the root command's persistent flags.
func (g *globals) register(fs *pflag.FlagSet) {
	fs.Var(settingValue{s: &g.baseURL}, "base-url",
		"Kick API base `URL`, env "+envBaseURL+" (default "+kick.DefaultAPIBaseURL+")")
	fs.Var(settingValue{s: &g.oauthURL}, "oauth-url",
		"Kick OAuth server base `URL`, env "+envOAuthURL+" (default "+kick.DefaultOAuthBaseURL+")")
	fs.Var(settingValue{s: &g.clientID}, "client-id", "the app's client `ID`, env "+envClientID)
	fs.Var(settingValue{s: &g.secretFile}, "client-secret-file",
		"read the app's client secret from `file`, - for stdin; env "+envClientSecretFile+", or the secret itself in "+envClientSecret)
	fs.Var(settingValue{s: &g.clientSecret, secret: true}, "client-secret",
		"deprecated: the app's client `secret`, which other users see in the process list; use --client-secret-file or "+envClientSecret)
	fs.Var(settingValue{s: &g.tokenDir}, "token-dir",
		"`directory` of stored user tokens, env "+envTokenDir+" (default ~/.config/kick-go/tokens or the OS equivalent)")
	fs.Var(settingValue{s: &g.account}, "account",
		"`name` of the logged-in account to use, env "+envAccount+" (default: the host's active account, see 'kick auth switch')")
	fs.BoolVar(&g.app, "app", false, "use the app access token (client credentials) instead of the stored user token")
	_ = fs.MarkHidden("client-secret") // still accepted, with a warning
}

// resolve fills the settings the command line left unset from the environment and the defaults,
// and checks the URLs. The client secret is readSecret's.
func (g *globals) resolve(getenv func(string) string) error {
	fill := func(s *setting, env, def string) {
		if s.set {
			return
		}
		if v := getenv(env); v != "" {
			s.value = v
		} else {
			s.value = def
		}
	}
	fill(&g.baseURL, envBaseURL, kick.DefaultAPIBaseURL)
	fill(&g.oauthURL, envOAuthURL, kick.DefaultOAuthBaseURL)
	fill(&g.clientID, envClientID, "")
	fill(&g.tokenDir, envTokenDir, "")
	fill(&g.account, envAccount, "")
	for _, u := range []struct{ flag, value string }{{"--base-url", g.baseURL.value}, {"--oauth-url", g.oauthURL.value}} {
		if err := checkBaseURL(u.value); err != nil {
			return fmt.Errorf("invalid %s %q: %w", u.flag, u.value, err)
		}
	}
	if g.account.set && g.account.value == "" {
		return fmt.Errorf("--account must not be empty")
	}
	return nil
}

// readSecret sets the client secret from, in this order: --client-secret-file, --client-secret
// (deprecated, with a warning: /proc/PID/cmdline shows it to every user of the machine),
// KICK_CLIENT_SECRET_FILE, KICK_CLIENT_SECRET. A file's content is trimmed of its final line
// break; "-" reads stdin to its end, which no other flag can then read. warn gets the warning.
func (g *globals) readSecret(getenv func(string) string, stdin *io.Reader, warn io.Writer) error {
	switch {
	case g.secretFile.set && g.clientSecret.set:
		return usagef("--client-secret-file and --client-secret cannot both be given")
	case g.clientSecret.set:
		fmt.Fprintf(warn, "warning: --client-secret is deprecated: other users of this machine can read it in the process list; use %s, %s or --client-secret-file\n",
			envClientSecret, envClientSecretFile)
		return nil
	case !g.secretFile.set:
		g.secretFile.value = getenv(envClientSecretFile)
	}
	if g.secretFile.value == "" {
		g.clientSecret.value = getenv(envClientSecret)
		return nil
	}
	var b []byte
	var err error
	if g.secretFile.value == "-" {
		b, err = io.ReadAll(io.LimitReader(*stdin, maxSecretFile+1))
		*stdin = takenStdin{}
	} else {
		b, err = readLimited(g.secretFile.value, maxSecretFile+1)
	}
	if err != nil {
		return fmt.Errorf("reading the client secret: %w", err)
	}
	secret := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	switch {
	case len(b) > maxSecretFile:
		return fmt.Errorf("reading the client secret from %s: over %d bytes", g.secretFile.value, maxSecretFile)
	case strings.TrimSpace(secret) == "":
		return fmt.Errorf("reading the client secret from %s: it is empty", g.secretFile.value)
	}
	g.clientSecret.value = secret
	return nil
}

// maxSecretFile bounds what --client-secret-file reads; Kick's secrets are 64 characters.
const maxSecretFile = 4 << 10

// readLimited reads at most n bytes of the file name.
func readLimited(name string, n int64) ([]byte, error) {
	f, err := os.Open(name) //nolint:gosec // a file the user named
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	return io.ReadAll(io.LimitReader(f, n))
}

// takenStdin stands for stdin once --client-secret-file - has read it.
type takenStdin struct{}

func (takenStdin) Read([]byte) (int, error) {
	return 0, usagef("stdin was read for --client-secret-file -; no other flag can read it")
}

func checkBaseURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("want an http or https URL")
	}
	if u.Host == "" {
		return fmt.Errorf("no host")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("want a base URL without query or fragment")
	}
	return nil
}
