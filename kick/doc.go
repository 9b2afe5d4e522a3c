// Package kick is the Go client for Kick.com's public API: the package kick-go users import.
//
// It is being built on the OpenAPI document in openapi/kick.yaml and the low-level client generated
// from it in package gen, which this package wraps and never exposes. This version only carries the
// SDK's version; services for every endpoint follow.
package kick

// Version is the version of kick-go, sent in the default User-Agent (kick-go/<Version>).
const Version = "0.1.0-dev"
