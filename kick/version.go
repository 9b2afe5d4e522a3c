package kick

// Version is the version of kick-go, sent in the default User-Agent (kick-go/<Version>).
const Version = "0.1.0-dev"
