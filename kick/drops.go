package kick

// DropsService is being written.
type DropsService service
