// Public key (https://docs.kick.com/apis/public-key): the key of SigningKeyPEM.

package kicktest

import "github.com/kick-sdk/kick-go/kick"

func (s *Server) getPublicKey(c *call) {
	c.data(kick.PublicKey{PEM: s.publicKeyPEM()})
}
