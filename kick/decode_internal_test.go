package kick

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/gen"
)

// jsonFields maps the JSON names of struct type t's fields to their types, pointers removed: an
// optional field is a pointer in the generated type and a value in the direct one.
func jsonFields(t reflect.Type) map[string]string {
	out := map[string]string{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		out[name] = ft.String()
	}
	return out
}

// TestDirectDecoding checks the types that hot endpoints decode their answers straight into
// (fetchJSON) against the generated types, which come from the spec: the same JSON fields, and
// the fixture decodes to the same Go values on both paths. A change of the spec that regenerates
// gen/ with another field fails here until the direct type follows.
func TestDirectDecoding(t *testing.T) {
	if diff := cmp.Diff(jsonFields(reflect.TypeFor[gen.User]()), jsonFields(reflect.TypeFor[User]())); diff != "" {
		t.Errorf("User's fields differ from gen.User's (-gen +direct):\n%s", diff)
	}

	body, err := os.ReadFile(filepath.Join("..", "testdata", "responses", "getUsers.json"))
	if err != nil {
		t.Fatal(err)
	}
	// Absent and null emails, which the generated path turns into "".
	body = []byte(strings.Replace(string(body), `"data": [`, `"data": [
		{"user_id": 1, "name": "absent", "profile_picture": "https://files.kick.com/1.webp"},
		{"user_id": 2, "name": "null", "email": null, "profile_picture": "https://files.kick.com/2.webp"},`, 1))
	var viaGen gen.UserList
	if err := json.Unmarshal(body, &viaGen); err != nil {
		t.Fatal(err)
	}
	want := convertAll(viaGen.Data, userFromGen)
	var direct struct {
		Data []User `json:"data"`
	}
	if err := json.Unmarshal(body, &direct); err != nil {
		t.Fatal(err)
	}
	got := direct.Data
	if len(want) < 4 {
		t.Fatalf("fixture has %d users", len(want))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("direct decoding differs from the generated path (-gen +direct):\n%s", diff)
	}
}
