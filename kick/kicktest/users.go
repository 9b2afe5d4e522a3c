// Users (https://docs.kick.com/apis/users).

package kicktest

import (
	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/internal/xslices"
)

// getUsers returns the users asked for, unknown ids left out, or without ids the token's user.
// The email is only filled for the token's own user.
func (s *Server) getUsers(c *call) {
	ids := ints(c.r.URL.Query()["id"])
	me := c.userID()
	if len(ids) == 0 && me != 0 {
		ids = []int64{me}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []kick.User{}
	for _, id := range xslices.Unique(ids) {
		u := s.st.users[id]
		if u == nil {
			continue
		}
		email := ""
		if id == me {
			email = u.email
		}
		out = append(out, kick.User{UserID: u.id, Username: u.username, Email: email, ProfilePicture: u.profilePicture})
	}
	c.data(out)
}
