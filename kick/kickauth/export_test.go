package kickauth

import (
	"os"

	"golang.org/x/oauth2"
)

// SetWriteHook replaces how s writes a temporary token file (default: f.Write).
func SetWriteHook(s *FileStore, write func(f *os.File, b []byte) error) { s.write = write }

// SetBeforeRenameHook runs hook after a temporary token file is complete, before the rename.
func SetBeforeRenameHook(s *FileStore, hook func(tmp string) error) { s.beforeRename = hook }

// CrossProcessLocks tells whether FileStore's locks hold across processes on this system.
const CrossProcessLocks = crossProcessLocks

// NewFileRecord returns the record FileStore writes for tok, to test its redaction.
func NewFileRecord(key string, tok *oauth2.Token) any {
	return &fileRecord{Version: fileVersion, Key: key, AccessToken: tok.AccessToken, TokenType: tok.TokenType,
		RefreshToken: tok.RefreshToken, Expiry: tok.Expiry, Scope: tokenScope(tok)}
}
