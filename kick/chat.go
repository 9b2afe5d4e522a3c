package kick

// ChatService is being written.
type ChatService service
