package kick_test

import (
	"context"

	"github.com/kick-sdk/kick-go/kick"
)

// operation is one method call with valid input that sends exactly one request of the Kick
// operation id. Its result is returned as any, so that a test can check that a call without an
// error returned something.
type operation struct {
	name string // the method
	id   string // the operation id
	call func(ctx context.Context, c *kick.Client) (any, error)
}

// ulid is a valid ULID (reward, redemption, claim and subscription ids).
const ulid = "01KBQVW2KVQNX4Y6RN800Y9K4N"

// operations calls every Kick operation, some of them through several methods; the test file of
// each section adds its own (addOperations). The client needs a user token and an app token.
var operations []operation

// addOperations adds the calls of a service's test file to operations: each test file of a
// section registers its methods, so that a new operation is registered by the test of its
// method. TestOperationsCoverTheSpec fails for an operation of the spec without one.
func addOperations(ops ...operation) bool {
	operations = append(operations, ops...)
	return true
}
