package kick

// PublicKeyService is being written.
type PublicKeyService service
