// Kick is the command line of kick-go: raw calls to Kick.com's public API, the common tasks and
// OAuth logins with a stored user token. 'kick help' describes the commands, flags, environment
// and exit codes.
package main
