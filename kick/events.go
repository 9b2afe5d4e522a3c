package kick

// EventsService is being written.
type EventsService service
