// Kick is the command line of kick-go: raw calls to Kick.com's public API, the common tasks,
// OAuth logins with a stored user token, and webhook testing. 'kick help' describes the commands,
// flags, environment and exit codes.
package main
