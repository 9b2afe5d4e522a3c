package kick

// RewardsService is being written.
type RewardsService service
