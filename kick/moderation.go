package kick

// ModerationService is being written.
type ModerationService service
