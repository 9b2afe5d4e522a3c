package kick

// LivestreamsService is being written.
type LivestreamsService service
