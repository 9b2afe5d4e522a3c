package main

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// kickFieldAnnotation annotates a flag with the kick package's names of the input it sets, such
// as "Languages" for --language, so that a *kick.ValidationError names the flag the user typed.
// A command's Annotations map kickFieldAnnotation+":"+field to the name of a positional argument.
const kickFieldAnnotation = "kick-field"

// inputError is a *kick.ValidationError said in the command line's terms.
func inputError(c *cobra.Command, ve *kick.ValidationError) error {
	field, index := ve.Field, -1
	if i := strings.IndexByte(field, '['); i > 0 && strings.HasSuffix(field, "]") {
		if n, err := strconv.Atoi(field[i+1 : len(field)-1]); err == nil {
			field, index = field[:i], n
		}
	}
	var hit *pflag.Flag
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if slices.Contains(f.Annotations[kickFieldAnnotation], field) {
			hit = f
		}
	})
	if hit != nil {
		value := hit.Value.String()
		if sv, ok := hit.Value.(pflag.SliceValue); ok && index >= 0 && index < len(sv.GetSlice()) {
			value = sv.GetSlice()[index]
		}
		return &usageError{path: c.CommandPath(), msg: fmt.Sprintf("invalid %s: %s", describeFlagValue(hit.Name, value), ve.Reason)}
	}
	if arg := c.Annotations[kickFieldAnnotation+":"+field]; arg != "" {
		return &usageError{path: c.CommandPath(), msg: fmt.Sprintf("invalid %s: %s", arg, ve.Reason)}
	}
	return &usageError{path: c.CommandPath(), msg: fmt.Sprintf("invalid %s: %s", ve.Field, ve.Reason)}
}

// report prints err and returns the exit code.
func (a *app) report(err error) int {
	var (
		ue     *usageError
		silent *silentError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		if a.jsonErrors {
			a.printJSONError(errorJSON{Message: ue.msg, Type: "usage", Command: ue.path})
		} else {
			fmt.Fprintf(a.stderr, "%s: %s\nRun '%s --help' for usage.\n", ue.path, ue.msg, ue.path)
		}
		return exitUsage
	case errors.As(err, &silent):
		return silent.code
	default:
		a.printError(err)
		return exitError
	}
}

// errorJSON is an error as JSON mode prints it on stderr: {"error": {...}}.
type errorJSON struct {
	Message   string `json:"message"`
	Type      string `json:"type"` // usage, api, error
	Command   string `json:"command,omitempty"`
	Status    int    `json:"status,omitempty"`
	Operation string `json:"operation,omitempty"`
	Hint      string `json:"hint,omitempty"`
}

func (a *app) printJSONError(e errorJSON) {
	_ = jsonLine(a.stderr, struct {
		Error errorJSON `json:"error"`
	}{e})
}

// printError prints a runtime error, and what to try when there is a hint: "error: ..." and
// "hint: ..." lines, or one JSON line in JSON mode.
func (a *app) printError(err error) {
	hint := a.hintFor(err)
	if a.jsonErrors {
		e := errorJSON{Message: err.Error(), Type: "error", Hint: hint}
		var ae *kick.APIError
		if errors.As(err, &ae) {
			e.Type, e.Status, e.Operation = "api", ae.StatusCode, ae.Operation
		}
		a.printJSONError(e)
		return
	}
	fmt.Fprintf(a.stderr, "error: %s\n", err)
	if hint != "" {
		fmt.Fprintf(a.stderr, "hint: %s\n", hint)
	}
}

// webhooksOff is Kick's reason for a subscription of an app without a webhook URL.
var webhooksOff = regexp.MustCompile(`(?i)webhooks? (are|is) not enabled`)

// hintFor suggests what to do about some errors.
func (a *app) hintFor(err error) string {
	var (
		sf  *subscribeFailed
		ue  *url.Error
		ve  *verifyError
		ae  *kick.APIError
		mse *kick.MissingScopeError
	)
	switch {
	case errors.As(err, &ve):
		return ve.hint()
	case errors.As(err, &sf) && webhooksOff.MatchString(sf.err.Error()):
		if sf.mock {
			return "the mock has no webhook URL: run 'kick event listen' (it sets one while it runs), or 'kick mock webhook URL', then subscribe again"
		}
		return "set the app's webhook URL and turn webhooks on in its developer settings on kick.com, then subscribe again"
	case errors.As(err, &ae) && ae.StatusCode == http.StatusBadRequest && strings.Contains(ae.Message, mixedParameters):
		return "Kick answers \"mixed parameter types\" for an unknown channel slug as well as for ids mixed with slugs: " +
			"check the slugs ('kick channels get --slug' asks for each one and names those Kick does not know)"
	case errors.Is(err, kickauth.ErrReauthorize):
		return "log in again with 'kick auth login'"
	case errors.Is(err, kick.ErrMissingToken):
		return "this needs a user token: log in with 'kick auth login' (and do not pass --app)"
	case errors.Is(err, kick.ErrUnauthorized):
		return "the token was refused: log in again with 'kick auth login', or check the app's credentials"
	case errors.As(err, &mse):
		return "log in again asking for the scope: kick auth login --scopes " + mse.LoginScopes()
	case errors.Is(err, kick.ErrSubscriptionLimit):
		return "Kick allows 10,000 subscriptions per event type and 1,000 to chat.message.sent for an app it has not verified: " +
			"delete those you no longer need ('kick subscriptions' lists them), or ask developers@kick.com to verify the app"
	case errors.Is(err, kick.ErrForbidden):
		return "the token may lack a scope: log in again with 'kick auth login --scopes ...'"
	case errors.Is(err, syscall.ECONNREFUSED) && errors.As(err, &ue):
		return a.refusedHint(ue.URL)
	case errors.Is(err, syscall.ECONNREFUSED):
		return a.refusedHint("")
	}
	return ""
}

// refusedHint is the hint of a refused connection to target.
func (a *app) refusedHint(target string) string {
	setting, base := envBaseURL+" (--base-url)", a.g.baseURL.value
	if u, err := url.Parse(target); err == nil && u.Host != "" && hostOf(a.g.oauthURL.value) == strings.ToLower(u.Host) &&
		hostOf(a.g.baseURL.value) != strings.ToLower(u.Host) {
		setting, base = envOAuthURL+" (--oauth-url)", a.g.oauthURL.value
	}
	return fmt.Sprintf("nothing answers at %s: check %s, or start the local fake with 'kick mock serve' and export what it prints", base, setting)
}
