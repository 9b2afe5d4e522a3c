package kicktypes_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/kick-sdk/kick-go/internal/modeljson"
	"github.com/kick-sdk/kick-go/kick/kicktypes"
	"github.com/kick-sdk/kick-go/openapi"
)

var models = map[string]modeljson.Model{
	"CategorySummary": {Sample: kicktypes.CategorySummary{}, Schema: "CategorySummary"},
}

func fill(sample any) any { return modeljson.Fill(reflect.TypeOf(sample), nil).Interface() }

// The shared models marshal with their schema's names and round-trip, like those of kick and
// webhook that alias or embed them.
func TestModelsJSON(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	modeljson.CheckPackage(t, doc, ".", models, nil, fill)
	modeljson.RoundTripModels(t, models, fill)
}

// The event types are the spec's: the enum of EventName, in its order.
func TestEventTypesAreTheSpecs(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	enum := doc.Components.Schemas["EventName"].Value.Enum
	if len(enum) != len(kicktypes.AllEventTypes) {
		t.Fatalf("EventName has %d values, AllEventTypes %d", len(enum), len(kicktypes.AllEventTypes))
	}
	for i, e := range enum {
		if e != string(kicktypes.AllEventTypes[i]) {
			t.Errorf("AllEventTypes[%d] = %s, the spec's EventName %v", i, kicktypes.AllEventTypes[i], e)
		}
	}
	statuses := doc.Components.Schemas["RedemptionStatus"].Value.Enum
	want := []kicktypes.RedemptionStatus{kicktypes.RedemptionPending, kicktypes.RedemptionAccepted, kicktypes.RedemptionRejected}
	if len(statuses) != len(want) {
		t.Fatalf("RedemptionStatus has %d values, want %d", len(statuses), len(want))
	}
	for i, s := range statuses {
		if s != string(want[i]) {
			t.Errorf("RedemptionStatus[%d] = %v, want %s", i, s, want[i])
		}
	}
}
