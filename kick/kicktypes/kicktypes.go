// Package kicktypes is the vocabulary that package kick and package webhook share: the webhook
// event types, the redemption statuses and the category as other objects embed it.
//
// It is a leaf: it imports nothing but the standard library, so that a program that only receives
// webhooks (package webhook) does not link the REST client, its generated code and x/oauth2.
// Package kick re-exports every name here (kick.EventType is kicktypes.EventType, an alias), so a
// program that imports kick never needs this package.
package kicktypes

// EventType is the type of a webhook event, as subscribed to and as sent in the Kick-Event-Type
// header. The types are the spec's (events_gen.go).
type EventType string

// RedemptionStatus is the status of a reward redemption.
type RedemptionStatus string

// The redemption statuses.
const (
	RedemptionPending  RedemptionStatus = "pending"
	RedemptionAccepted RedemptionStatus = "accepted"
	RedemptionRejected RedemptionStatus = "rejected"
)

// CategorySummary is a stream category as channels, livestreams and webhook events embed it, and
// as the deprecated v1 category search returns it: without tags. Kick's schema: CategorySummary.
type CategorySummary struct {
	// ID is the category's id.
	ID int64 `json:"id"`
	// Name is the category's name, such as "Just Chatting".
	Name string `json:"name"`
	// Thumbnail is the URL of the category's image.
	Thumbnail string `json:"thumbnail"`
}
