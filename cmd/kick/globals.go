package main

import (
	"flag"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/kick-sdk/kick-go/kick"
)

// Environment variables read by the global flags.
const (
	envBaseURL      = "KICK_BASE_URL"
	envOAuthURL     = "KICK_OAUTH_URL"
	envClientID     = "KICK_CLIENT_ID"
	envClientSecret = "KICK_CLIENT_SECRET" //nolint:gosec // the name of a variable, not a secret
	envTokenDir     = "KICK_TOKEN_DIR"     //nolint:gosec // the name of a variable, not a secret
	envAccount      = "KICK_ACCOUNT"
)

// defaultAccount names the stored user token used without --account.
const defaultAccount = "default"

// globals are the flags every command accepts. A flag given on the command line wins over its
// environment variable, which wins over the default.
type globals struct {
	baseURL      setting
	oauthURL     setting
	clientID     setting
	clientSecret setting
	tokenDir     setting
	account      setting
	app          bool
}

// setting is a string flag that remembers whether the command line set it.
type setting struct {
	value string
	set   bool
}

// globalValue marks the flag.Values of global flags, which the help lists apart.
type globalValue interface {
	flag.Value
	global()
}

// settingValue is the flag.Value of a setting. Registering it in several flag sets keeps one value,
// so a global flag may come before the subcommand or among its arguments. secret hides the value
// from the help's default.
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

func (settingValue) global() {}

type boolValue struct{ p *bool }

func (v boolValue) String() string {
	if v.p == nil {
		return "false"
	}
	return strconv.FormatBool(*v.p)
}

func (v boolValue) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("not a boolean: %q", s)
	}
	*v.p = b
	return nil
}

func (boolValue) IsBoolFlag() bool { return true }
func (boolValue) global()          {}

func (g *globals) register(fs *flag.FlagSet) {
	fs.Var(settingValue{s: &g.baseURL}, "base-url",
		"Kick API base `URL`, env "+envBaseURL+" (default "+kick.DefaultBaseURL+")")
	fs.Var(settingValue{s: &g.oauthURL}, "oauth-url",
		"Kick OAuth server base `URL`, env "+envOAuthURL+" (default "+kick.DefaultOAuthBaseURL+")")
	fs.Var(settingValue{s: &g.clientID}, "client-id", "the app's client `ID`, env "+envClientID)
	fs.Var(settingValue{s: &g.clientSecret, secret: true}, "client-secret",
		"the app's client `secret`, env "+envClientSecret)
	fs.Var(settingValue{s: &g.tokenDir}, "token-dir",
		"`directory` of stored user tokens, env "+envTokenDir+" (default ~/.config/kick-go/tokens or the OS equivalent)")
	fs.Var(settingValue{s: &g.account}, "account",
		"`name` of the stored user token to use, env "+envAccount+" (default \""+defaultAccount+"\")")
	fs.Var(boolValue{&g.app}, "app", "use the app access token (client credentials) instead of the stored user token")
}

// resolve fills the settings the command line left unset from the environment and the defaults,
// and checks the URLs.
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
	fill(&g.baseURL, envBaseURL, kick.DefaultBaseURL)
	fill(&g.oauthURL, envOAuthURL, kick.DefaultOAuthBaseURL)
	fill(&g.clientID, envClientID, "")
	fill(&g.clientSecret, envClientSecret, "")
	fill(&g.tokenDir, envTokenDir, "")
	fill(&g.account, envAccount, defaultAccount)
	for _, u := range []struct{ flag, value string }{{"--base-url", g.baseURL.value}, {"--oauth-url", g.oauthURL.value}} {
		if err := checkBaseURL(u.value); err != nil {
			return fmt.Errorf("invalid %s %q: %w", u.flag, u.value, err)
		}
	}
	if g.account.value == "" {
		return fmt.Errorf("--account must not be empty")
	}
	return nil
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

// joinURL appends path (which starts with "/") to base.
func joinURL(base, path string) string {
	return strings.TrimRight(base, "/") + path
}
