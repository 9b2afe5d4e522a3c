package kick

// ChannelsService is being written.
type ChannelsService service
