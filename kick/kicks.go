package kick

// KicksService is being written.
type KicksService service
