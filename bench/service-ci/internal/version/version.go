// Package version holds the line the CI rebuild benchmark changes before each rebuild.
package version

const Greeting = "reports ok"
