package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/openapi"
)

// The committed registry is what the spec gives (make check-generate checks the same in CI).
func TestCommittedRegistryIsCurrent(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	reg, err := generateRegistry(doc)
	if err != nil {
		t.Fatal(err)
	}
	for path, src := range map[string][]byte{
		"kick/webhook/events_gen.go":   reg.webhook,
		"kick/kicktypes/events_gen.go": reg.kicktypes,
		"kick/events_gen.go":           reg.kick,
	} {
		committed, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(path)))
		if err != nil {
			t.Fatal(err)
		}
		if string(committed) != string(src) {
			t.Errorf("%s is stale: run make generate", path)
		}
	}
}

const spec = `openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /subs:
    post:
      operationId: subscribe
      responses: {'204': {description: ok}}
      callbacks:
        b.thing.done:
          https://x.example/hook:
            post:
              externalDocs: {url: 'https://docs.example/b'}
              summary: B
              requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/BThingDoneEvent'}}}}
              responses: {'200': {description: ok}}
        a.done:
          https://x.example/hook:
            post:
              externalDocs: {url: 'https://docs.example/a'}
              requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/ADoneEvent'}}}}
              responses: {'200': {description: ok}}
        z.claim:
          https://x.example/hook:
            post:
              externalDocs: {url: 'https://docs.example/z'}
              requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/ZClaimEvent'}}}}
              responses: {'200': {description: ok}}
components:
  schemas:
    EventName: {type: string, enum: [b.thing.done, a.done]}
    BThingDoneEvent: {type: object, x-kick-event: b.thing.done, x-kick-event-version: '2', x-kick-identifying: [id], properties: {id: {type: string}}}
    ADoneEvent: {type: object, x-kick-event: a.done, x-kick-event-version: '1', x-kick-identifying: [id], properties: {id: {type: string}}}
    ZClaimEvent: {type: object, x-kick-webhook: z.claim, x-kick-identifying: [id], properties: {id: {type: string}}}
`

// The webhooks are the callbacks: the event types in the order of EventName, then the other
// webhooks; each with its model's name, version and docs link.
func TestHooks(t *testing.T) {
	t.Parallel()
	got, err := hooks(load(t, spec))
	if err != nil {
		t.Fatal(err)
	}
	want := []hook{
		{typ: "b.thing.done", version: 2, subscribed: true, schema: "BThingDoneEvent", docs: "https://docs.example/b", constName: "EventBThingDone", goType: "BThingDone", description: "B"},
		{typ: "a.done", version: 1, subscribed: true, schema: "ADoneEvent", docs: "https://docs.example/a", constName: "EventADone", goType: "ADone"},
		{typ: "z.claim", schema: "ZClaimEvent", docs: "https://docs.example/z", constName: "EventZClaim", goType: "ZClaim"},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(hook{})); diff != "" {
		t.Errorf("hooks (-want +got):\n%s", diff)
	}
	reg, err := generateRegistry(load(t, spec))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`{kicktypes.EventBThingDone, 2}: decodeAs[BThingDone]`, `{EventZClaim, 0}:`,
		`func (h *Handler) OnADone(fn func(ctx context.Context, d *Delivery, e *ADone) error)`,
		`// Kick API docs: https://docs.example/z`, `const EventZClaim kicktypes.EventType = "z.claim"`,
	} {
		if !strings.Contains(string(reg.webhook), want) {
			t.Errorf("the webhook registry lacks %q:\n%s", want, reg.webhook)
		}
	}
	if !strings.Contains(string(reg.kicktypes), "EventBThingDone,\n\tEventADone,\n}") || strings.Contains(string(reg.kicktypes), "ZClaim") {
		t.Errorf("kicktypes:\n%s", reg.kicktypes)
	}
}

// A webhook the registry cannot name is an error.
func TestHooksRefuse(t *testing.T) {
	t.Parallel()
	for name, edit := range map[string][2]string{
		"that EventName does not list": {"enum: [b.thing.done, a.done]", "enum: [b.thing.done]"},
		"no callback":                  {"enum: [b.thing.done, a.done]", "enum: [b.thing.done, a.done, c.gone]"},
		"not named <Name>Event":        {"ADoneEvent", "ADonePayload"},
		"no externalDocs":              {"externalDocs: {url: 'https://docs.example/a'}", "summary: A"},
		"not the payload schema of":    {"x-kick-event: a.done", "x-kick-event: a.other"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := hooks(load(t, strings.ReplaceAll(spec, edit[0], edit[1]))); err == nil || !strings.Contains(err.Error(), name) {
				t.Errorf("err = %v, want one containing %q", err, name)
			}
		})
	}
}
