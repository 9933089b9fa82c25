// orders is a small but dependency-heavy Go service: an HTTP API (gin), a gRPC health
// endpoint, Prometheus metrics, cobra/viper configuration and zap/logrus logging. The
// rebuild benchmark builds it with each Dockerfile after a one-line change to internal/api.
package main

import (
	"os"

	"example.com/orders/cmd"
)

func main() {
	if err := cmd.Root().Execute(); err != nil {
		os.Exit(1)
	}
}
