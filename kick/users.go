package kick

import (
	"context"
	"fmt"

	"github.com/kick-sdk/kick-go/gen"
)

// UsersService gets Kick users. Kick docs: Users.
type UsersService service

// User is a Kick user. Kick's schema: User.
type User struct {
	// UserID is the user's id.
	UserID int64 `json:"user_id"`
	// Username is the user's name (Kick's "name").
	Username string `json:"name"`
	// Email is only filled for the token's own user, with a user token and ScopeUserRead.
	Email string `json:"email,omitempty"`
	// ProfilePicture is the URL of the user's picture.
	ProfilePicture string `json:"profile_picture"`
}

// userFromGen converts the generated type.
func userFromGen(u gen.User) User {
	return User{UserID: u.UserID, Username: u.Name, Email: deref(u.Email), ProfilePicture: u.ProfilePicture}
}

// epGetMe is getUsers without ids: the user token's own user.
var epGetMe = epGetUsers.only(TokenKindUser)

// Get returns the users with the given ids, in the order of ids; unknown ids are left out. Any
// number of ids is accepted: they are de-duplicated and fetched 50 per request. No ids gives an
// empty slice and no request.
//
// Token: a user token with ScopeUserRead, or an app token. Operation getUsers.
//
// Kick API docs: https://docs.kick.com/apis/users
func (s *UsersService) Get(ctx context.Context, ids []int64, opts ...RequestOption) ([]User, error) {
	if err := checkIDs(epGetUsers.id, "ids", ids); err != nil {
		return nil, err
	}
	ids = unique(ids)
	var users []gen.User
	// The batch size: Kick documents no maximum; third-party clients use 50 and the spec sets it.
	for _, batch := range chunks(ids, limitGetUsersIDMaxItems) {
		got, err := s.get(ctx, epGetUsers, batch, opts)
		if err != nil {
			return nil, err
		}
		users = scratchUsers.appendBatch(users, got)
	}
	out := orderBy(users, ids, func(u gen.User) int64 { return u.UserID }, userFromGen)
	scratchUsers.put(users)
	return out, nil
}

// Me returns the user who owns the user token; Email is filled with ScopeUserRead.
//
// Token: a user token with ScopeUserRead. Operation getUsers without ids.
//
// Kick API docs: https://docs.kick.com/apis/users
func (s *UsersService) Me(ctx context.Context, opts ...RequestOption) (*User, error) {
	users, err := s.get(ctx, epGetMe, nil, opts)
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, fmt.Errorf("kick: %s: no user for the token: %w", epGetMe.id, ErrUnexpectedResponse)
	}
	u := userFromGen(users[0])
	scratchUsers.put(users)
	return &u, nil
}

// get gets the users of ids (all of them in one request), or the token's user without ids, in a
// scratch slice of scratchUsers.
func (s *UsersService) get(ctx context.Context, ep endpoint, ids []int64, opts []RequestOption) ([]gen.User, error) {
	env := gen.UserList{Data: scratchUsers.get()}
	o := outgoing{into: &env}
	o.query.addInts(paramGetUsersID, ids)
	if err := s.client.fetch(ctx, ep, opts, &o); err != nil {
		return nil, err
	}
	return env.Data, nil
}

// convertAll converts a list from gen types; an empty or absent list becomes an empty slice.
func convertAll[G, T any](in []G, conv func(G) T) []T {
	out := make([]T, len(in))
	for i, v := range in {
		out[i] = conv(v)
	}
	return out
}
