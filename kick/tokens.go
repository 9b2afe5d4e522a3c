package kick

// TokensService is being written.
type TokensService service
