// The service: answers health checks and reports its version.
package main

import (
	"fmt"
	"log"
	"net/http"

	"example.com/multistage/internal/status"
)

var version = "dev"

func main() {
	http.HandleFunc(status.Path, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, status.OK)
	})
	http.HandleFunc("/version", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, version)
	})
	log.Fatal(http.ListenAndServe(":8080", nil))
}
