package kick

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kick-sdk/kick-go/gen"
)

type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

var errSent = errors.New("sent")

// TestEndpointsMatchGeneratedClient holds the endpoints tools/kickgen derives from the spec to
// package gen's client, the other code derived from it: every operation of the client has an
// endpoint, and the request the client builds for it has the endpoint's method and path.
func TestEndpointsMatchGeneratedClient(t *testing.T) {
	t.Parallel()
	var sent *http.Request
	client, err := gen.NewClient("https://api.kick.example", gen.WithHTTPClient(doerFunc(func(r *http.Request) (*http.Response, error) {
		sent = r
		return nil, errSent
	})))
	if err != nil {
		t.Fatal(err)
	}
	cv := reflect.ValueOf(client)
	byName := map[string]endpoint{}
	for _, ep := range endpoints {
		byName[strings.ToUpper(ep.id[:1])+ep.id[1:]] = ep
	}
	iface := reflect.TypeFor[gen.ClientInterface]()
	covered := map[string]bool{}
	for i := range iface.NumMethod() {
		method := iface.Method(i).Name
		name := strings.TrimSuffix(strings.TrimSuffix(method, "WithBody"), "WithFormdataBody")
		ep, ok := byName[name]
		if !ok {
			t.Errorf("gen.Client.%s has no endpoint", method)
			continue
		}
		covered[ep.id] = true
		sent = nil
		m := cv.MethodByName(method)
		typ := m.Type()
		args := []reflect.Value{reflect.ValueOf(context.Background())}
		for j := 1; j < typ.NumIn(); j++ {
			if typ.IsVariadic() && j == typ.NumIn()-1 {
				break
			}
			arg := reflect.New(typ.In(j)).Elem()
			if arg.Kind() == reflect.String {
				arg.SetString("x") // a path parameter, or the content type of a WithBody variant
			}
			args = append(args, arg)
		}
		if out := m.Call(args); !errors.Is(out[1].Interface().(error), errSent) {
			t.Errorf("%s: %v", method, out[1].Interface())
			continue
		}
		if _, ok := matchPath(ep.path, sent.URL.EscapedPath()); sent.Method != ep.method || !ok {
			t.Errorf("%s sends %s %s; endpoint %s is %s %s", method, sent.Method, sent.URL.Path, ep.id, ep.method, ep.path)
		}
	}
	for _, ep := range endpoints {
		if !covered[ep.id] {
			t.Errorf("endpoint %s has no method on gen.Client", ep.id)
		}
	}
}

func TestOnlyNarrowsAnEndpoint(t *testing.T) {
	t.Parallel()
	if diff := cmp.Diff(auth{TokenKindUser}, epGetMe.auth); diff != "" {
		t.Errorf("epGetMe (-want +got):\n%s", diff)
	}
	narrowed := epGetUsersLivestreams.only(TokenKindUser)
	if narrowed.id != epGetUsersLivestreams.id || narrowed.path != epGetUsersLivestreams.path || len(epGetUsersLivestreams.auth) != 2 {
		t.Errorf("only changed more than the token kinds: %+v from %+v", narrowed, epGetUsersLivestreams)
	}
	defer func() {
		msg, _ := recover().(string)
		if !strings.Contains(msg, "listDropsClaims does not accept user tokens") {
			t.Errorf("narrowing to a kind the operation does not accept: panic %q", msg)
		}
	}()
	epListDropsClaims.only(TokenKindUser)
}
