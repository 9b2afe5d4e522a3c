package kick

// SetUnmarshal makes c decode the answers of its service methods with f instead of
// tolerant.Unmarshal, for the tests of package kick_test that hold the decoder to encoding/json v1.
func SetUnmarshal(c *Client, f func(b []byte, v any) error) { c.unmarshal = f }
