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

// hintFor suggests what to do about an error: the first rule of hintRules that has a hint for it.
func (a *app) hintFor(err error) string {
	for _, rule := range hintRules {
		if hint := rule(a, err); hint != "" {
			return hint
		}
	}
	return ""
}

// hintRules choose a hint by what the error is (its type, a sentinel it matches, Kick's
// message), in order; a rule that does not recognize the error returns "". A typed error of the
// kick package maps to its hint with a rule here.
var hintRules = []func(a *app, err error) string{
	func(_ *app, err error) string {
		var ve *verifyError
		if errors.As(err, &ve) {
			return ve.hint()
		}
		return ""
	},
	func(_ *app, err error) string {
		var sf *subscribeFailed
		switch {
		case !errors.As(err, &sf) || !webhooksOff.MatchString(sf.err.Error()):
			return ""
		case sf.mock:
			return "the mock has no webhook URL: run 'kick event listen' (it sets one while it runs), or 'kick mock webhook URL', then subscribe again"
		}
		return "set the app's webhook URL and turn webhooks on in its developer settings on kick.com, then subscribe again"
	},
	func(_ *app, err error) string {
		var ae *kick.APIError
		if errors.As(err, &ae) && ae.StatusCode == http.StatusBadRequest && strings.Contains(ae.Message, mixedParameters) {
			return "Kick answers \"mixed parameter types\" for an unknown channel slug as well as for ids mixed with slugs: " +
				"check the slugs ('kick channels get --slug' asks for each one and names those Kick does not know)"
		}
		return ""
	},
	func(_ *app, err error) string {
		var oe *otherAPIError
		switch {
		case errors.As(err, &oe):
			return "" // the error says what to do
		case errors.Is(err, kickauth.ErrReauthorize):
			return "log in again with 'kick auth login'"
		case errors.Is(err, kick.ErrMissingToken):
			return "this needs a user token: log in with 'kick auth login' (and do not pass --app)"
		case errors.Is(err, kick.ErrUnauthorized):
			return "the token was refused: log in again with 'kick auth login', or check the app's credentials"
		}
		return ""
	},
	func(_ *app, err error) string {
		var mse *kick.MissingScopeError
		switch {
		case errors.As(err, &mse):
			return "log in again asking for the scope: kick auth login --scopes " + mse.LoginScopes()
		case errors.Is(err, kick.ErrSubscriptionLimit):
			return "Kick allows 10,000 subscriptions per event type and 1,000 to chat.message.sent for an app it has not verified: " +
				"delete those you no longer need ('kick subscriptions' lists them), or ask developers@kick.com to verify the app"
		}
		return ""
	},
	func(_ *app, err error) string {
		var ae *kick.APIError
		if errors.As(err, &ae) && errors.Is(err, kick.ErrForbidden) {
			return forbiddenHint(ae)
		}
		return ""
	},
	func(a *app, err error) string {
		var ue *url.Error
		switch {
		case !errors.Is(err, syscall.ECONNREFUSED):
			return ""
		case errors.As(err, &ue):
			return a.refusedHint(ue.URL)
		}
		return a.refusedHint("")
	},
}

// forbiddenHint is the hint of Kick's 403 answer, by what its message gives as the reason: a
// missing scope (or no reason at all, when that is the likeliest), the wrong kind of token,
// Kick's edge blocking the request. A reason that is not about the token (a banned sender, a user
// who is not a moderator) gets none: the message says it.
func forbiddenHint(ae *kick.APIError) string {
	msg := strings.ToLower(strings.TrimSpace(ae.Message))
	switch {
	case strings.Contains(msg, "blocked by security policy") || ae.OAuthError != "" && strings.Contains(strings.ToLower(ae.OAuthError), "blocked"):
		return "Kick's edge (Cloudflare) blocked the request, as it sometimes does: try again in a while"
	case strings.Contains(msg, "needs a user access token"):
		return "this needs a user token: log in with 'kick auth login' (and do not pass --app)"
	case strings.Contains(msg, "needs an app access token"):
		return "this needs the app token: pass --app"
	case strings.Contains(msg, "scope"), msg == "", msg == "forbidden", msg == "unauthorized", msg == "access denied", msg == "this action is unauthorized.":
		if scopes := operationScopes(ae.Operation); len(scopes) > 0 {
			return fmt.Sprintf("the token may lack the scope %s: log in again with it among 'kick auth login --scopes ...' (all asks for every scope)",
				strings.Join(scopes, " or "))
		}
		return "the token may lack a scope: log in again with 'kick auth login --scopes ...'"
	}
	return ""
}

// operationScopes are the scopes the spec's operation opID asks of a user token.
func operationScopes(opID string) []string {
	doc, err := specDoc()
	if err != nil || opID == "" {
		return nil
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.OperationID != opID || op.Security == nil {
				continue
			}
			var scopes []string
			for _, req := range *op.Security {
				for _, sc := range req[userTokenScheme] {
					if !slices.Contains(scopes, sc) {
						scopes = append(scopes, sc)
					}
				}
			}
			return scopes
		}
	}
	return nil
}

// refusedHint is the hint of a refused connection to target.
func (a *app) refusedHint(target string) string {
	setting, base := envBaseURL+" (--base-url)", a.g.baseURL.value
	if u, err := url.Parse(target); err == nil && u.Host != "" && a.host() == strings.ToLower(u.Host) &&
		kickauth.OAuthHost(a.g.baseURL.value) != strings.ToLower(u.Host) {
		setting, base = envOAuthURL+" (--oauth-url)", a.g.oauthURL.value
	}
	return fmt.Sprintf("nothing answers at %s: check %s, or start the local fake with 'kick mock serve' and export what it prints", base, setting)
}
