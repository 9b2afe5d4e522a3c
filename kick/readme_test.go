package kick_test

import (
	"context"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/openapi"
)

// TestReadmeCoverageTable checks that the README's coverage table has a row for every operation of
// the spec, and that every method a row names exists on the client.
func TestReadmeCoverageTable(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	rowRE := regexp.MustCompile("(?m)^\\| [^|]+ \\| `([a-z][a-zA-Z0-9]+)` \\|.*$")
	for _, m := range rowRE.FindAllStringSubmatch(string(readme), -1) {
		rows[m[1]] = m[0]
	}
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	client, err := kick.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	methodRE := regexp.MustCompile("`([A-Z][a-zA-Z]+)\\.([A-Z][a-zA-Z0-9]+)`")
	ops := 0
	for _, path := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(path).Operations() {
			ops++
			row, ok := rows[op.OperationID]
			if !ok {
				t.Errorf("the README's coverage table has no row for %s", op.OperationID)
				continue
			}
			methods := methodRE.FindAllStringSubmatch(row, -1)
			if len(methods) == 0 {
				t.Errorf("row %s names no method", op.OperationID)
			}
			for _, m := range methods {
				svc := reflect.ValueOf(client).Elem().FieldByName(m[1])
				if !svc.IsValid() || !svc.MethodByName(m[2]).IsValid() {
					t.Errorf("row %s names %s.%s, which the client lacks", op.OperationID, m[1], m[2])
				}
			}
			if op.Deprecated && !strings.Contains(row, "deprecated") {
				t.Errorf("row %s does not say the operation is deprecated", op.OperationID)
			}
		}
	}
	if len(rows) != ops {
		t.Errorf("the table has %d operation rows, the spec %d operations", len(rows), ops)
	}
}
