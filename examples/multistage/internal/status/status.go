// Package status is shared by the server and its health check.
package status

// Path is where the server answers health checks.
const Path = "/healthz"

// OK is the body of a healthy answer.
const OK = "ok"
