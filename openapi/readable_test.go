package openapi_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/openapi"
)

// Every operation, webhook deliveries included, links to its page of Kick's docs.
func TestEveryOperationLinksToKickDocs(t *testing.T) {
	t.Parallel()
	page := regexp.MustCompile(`^https://docs\.kick\.com/[a-z0-9-]+/[a-z0-9-]+(#[a-z0-9-]+)?$`)
	ops := allOperations(doc(t))
	if len(ops) == 0 {
		t.Fatal("no operations; the walk is broken")
	}
	for name, op := range ops {
		switch {
		case op.ExternalDocs == nil:
			t.Errorf("%s: no externalDocs", name)
		case !page.MatchString(op.ExternalDocs.URL):
			t.Errorf("%s: externalDocs %q is not a page of docs.kick.com", name, op.ExternalDocs.URL)
		case !strings.HasPrefix(op.ExternalDocs.Description, "Kick docs: "):
			t.Errorf("%s: externalDocs description %q", name, op.ExternalDocs.Description)
		}
	}
}

func TestInfoNamesTermsAndLicense(t *testing.T) {
	t.Parallel()
	info := doc(t).Info
	if !strings.HasPrefix(info.TermsOfService, "https://docs.kick.com/") {
		t.Errorf("termsOfService = %q", info.TermsOfService)
	}
	if info.License == nil || !strings.Contains(info.License.Name, "Kick Developer Terms") || info.License.URL == "" {
		t.Errorf("license = %+v", info.License)
	}
}

// Examples are YAML over several lines, not one-line JSON: a diff shows the field that changed.
func TestExamplesSpanLines(t *testing.T) {
	t.Parallel()
	oneLine := regexp.MustCompile(`(?m)^\s*(example|value): [{\[].{40,}$`)
	if m := oneLine.FindAll(openapi.Spec, 5); len(m) > 0 {
		t.Errorf("one-line examples (write them as block YAML):\n%s", m)
	}
}

// Variants of a delivery are named examples of its body; the token form has one per grant.
func TestNamedExamples(t *testing.T) {
	t.Parallel()
	d := doc(t)
	want := map[string][]string{
		"livestream.status.updated":  {"ended", "started"},
		"channel.subscription.gifts": {"anonymous", "gifter"},
		"moderation.banned":          {"permanent", "timeout"},
	}
	got := map[string][]string{}
	for _, op := range allOperations(d) {
		for name, cb := range op.Callbacks {
			for _, item := range cb.Value.Map() {
				mt := item.Post.RequestBody.Value.Content.Get("application/json")
				for ex := range mt.Examples {
					got[name] = append(got[name], ex)
				}
				slices.Sort(got[name])
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("named delivery examples (-want +got):\n%s", diff)
	}
	token := d.Paths.Value("/oauth/token").Post.RequestBody.Value.Content.Get("application/x-www-form-urlencoded")
	grants := map[string]string{}
	for name, ex := range token.Examples {
		v, _ := ex.Value.Value.(map[string]any)
		grants[name], _ = v["grant_type"].(string)
	}
	if diff := cmp.Diff(map[string]string{"authorizationCode": "authorization_code", "clientCredentials": "client_credentials", "refreshToken": "refresh_token"}, grants); diff != "" {
		t.Errorf("requestToken form examples (-want +got):\n%s", diff)
	}
}

// What Kick does without a parameter is the parameter's default.
func TestRedemptionStatusDefault(t *testing.T) {
	t.Parallel()
	p := doc(t).Paths.Value("/public/v1/channels/rewards/redemptions").Get.Parameters.GetByInAndName("query", "status")
	if p.Schema.Value.Default != "pending" {
		t.Errorf("status default = %v, want pending", p.Schema.Value.Default)
	}
	if err := p.Schema.Value.VisitJSON("done"); err == nil {
		t.Error("the status filter accepts an unknown status: a request enum must stay closed")
	}
}

// A " #" in a plain YAML scalar starts a comment and silently cuts the text (it cut "Kick issue
// #238" from a description): such text must be quoted or a block.
func TestNoCommentCutsPlainText(t *testing.T) {
	t.Parallel()
	plain := regexp.MustCompile(`(?m)^\s*(- )?[A-Za-z_-]+: [^'"|>\s#][^#\n]* #`)
	if m := plain.FindAll(openapi.Spec, 5); len(m) > 0 {
		t.Errorf("plain scalars cut by a comment:\n%s", m)
	}
}
