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

// Get returns the users with the given ids, in the order of ids; unknown ids are left out. Any
// number of ids is accepted: they are de-duplicated and fetched 50 per request. No ids gives an
// empty slice and no request.
//
// Token: a user token with ScopeUserRead, or an app token. Operation getUsers.
//
// Kick API docs: https://docs.kick.com/apis/users
func (s *UsersService) Get(ctx context.Context, ids []int64, opts ...RequestOption) ([]User, error) {
	if err := checkIDs(gen.GetUsers.ID, "ids", ids); err != nil {
		return nil, err
	}
	ids = unique(ids)
	// The batch size: Kick documents no maximum; third-party clients use 50 and the spec sets it.
	users, err := batched[User](ctx, s.client, ids, gen.LimitGetUsersIDMaxItems, opts, func(batch []int64) gen.Request {
		return gen.GetUsers.Request(batch)
	})
	if err != nil {
		return nil, err
	}
	return orderBy(users, ids, func(u *User) int64 { return u.UserID }), nil
}

// Me returns the user who owns the user token; Email is filled with ScopeUserRead.
//
// Token: a user token with ScopeUserRead. Operation getUsers without ids.
//
// Kick API docs: https://docs.kick.com/apis/users
func (s *UsersService) Me(ctx context.Context, opts ...RequestOption) (*User, error) {
	var env data[[]User]
	if err := s.client.fetch(ctx, gen.GetUsers.Request(nil), withOption(opts, onlyTokens(TokenKindUser)), &env); err != nil {
		return nil, err
	}
	if len(env.Data) == 0 {
		return nil, fmt.Errorf("kick: %s: no user for the token: %w", gen.GetUsers.ID, ErrUnexpectedResponse)
	}
	return &env.Data[0], nil
}
