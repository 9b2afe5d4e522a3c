package kick

import (
	"context"
	"fmt"
	"net/http"

	"github.com/kick-sdk/kick-go/gen"
)

// UsersService gets Kick users. Kick docs: Users.
type UsersService service

// User is a Kick user.
type User struct {
	// UserID is the user's id.
	UserID int64
	// Name is the username.
	Name string
	// Email is only filled for the token's own user, with a user token and ScopeUserRead.
	Email string
	// ProfilePicture is the URL of the user's picture.
	ProfilePicture string
}

// userFromGen converts the generated type. Users.Get decodes into userJSON instead (fetchJSON);
// TestDirectDecoding holds the two paths to the same result.
func userFromGen(u gen.User) User {
	return User{UserID: u.UserID, Name: u.Name, Email: deref(u.Email), ProfilePicture: u.ProfilePicture}
}

// maxUsersPerCall is the batch size for getUsers: Kick documents no maximum; third-party clients
// use 50 and the spec sets it.
const maxUsersPerCall = 50

var (
	epGetUsers = endpoint{id: "getUsers", auth: authEither, requiresData: true}
	epGetMe    = endpoint{id: "getUsers", auth: authUser, requiresData: true}
)

// Get returns the users with the given ids, in the order of ids; unknown ids are left out. Any
// number of ids is accepted: they are de-duplicated and fetched 50 per request. No ids gives an
// empty slice and no request.
//
// Token: a user token with ScopeUserRead, or an app token. Operation getUsers.
func (s *UsersService) Get(ctx context.Context, ids []int64, opts ...RequestOption) ([]User, error) {
	if err := checkIDs(epGetUsers.id, "ids", ids); err != nil {
		return nil, err
	}
	ids = unique(ids)
	users := make([]User, 0, len(ids))
	for _, batch := range chunks(ids, maxUsersPerCall) {
		got, err := s.get(ctx, epGetUsers, batch, opts)
		if err != nil {
			return nil, err
		}
		users = append(users, got...)
	}
	return orderBy(users, ids, func(u User) int64 { return u.UserID }), nil
}

// Me returns the user who owns the user token; Email is filled with ScopeUserRead.
//
// Token: a user token with ScopeUserRead. Operation getUsers without ids.
func (s *UsersService) Me(ctx context.Context, opts ...RequestOption) (*User, error) {
	users, err := s.get(ctx, epGetMe, nil, opts)
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, fmt.Errorf("kick: %s: no user for the token: %w", epGetMe.id, ErrUnexpectedResponse)
	}
	return &users[0], nil
}

func (s *UsersService) get(ctx context.Context, ep endpoint, ids []int64, opts []RequestOption) ([]User, error) {
	var env struct {
		Data []userJSON `json:"data"`
	}
	err := fetchJSON(ctx, s.client, ep, opts, func(ctx context.Context, edit ...gen.RequestEditorFn) (*http.Response, error) {
		return s.client.api.GetUsers(ctx, &gen.GetUsersParams{ID: ids}, edit...)
	}, &env)
	if err != nil {
		return nil, err
	}
	users := make([]User, len(env.Data))
	for i, u := range env.Data {
		users[i] = User(u)
	}
	return users, nil
}

// userJSON is gen.User decoded straight into User's fields: a User with the spec's JSON names.
// An absent or null email is "", as deref makes it on the generated path. TestDirectDecoding
// checks that it has the generated type's JSON fields and decodes the fixture alike.
type userJSON struct {
	UserID         int64  `json:"user_id"`
	Name           string `json:"name"`
	Email          string `json:"email"`
	ProfilePicture string `json:"profile_picture"`
}

// convertAll converts a list from gen types; an empty or absent list becomes an empty slice.
func convertAll[G, T any](in []G, conv func(G) T) []T {
	out := make([]T, len(in))
	for i, v := range in {
		out[i] = conv(v)
	}
	return out
}
