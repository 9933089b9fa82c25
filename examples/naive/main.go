// A tiny HTTP service: just enough Go for its Dockerfile to be worth profiling.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"

	"github.com/google/uuid"
)

func greeting(name string) string {
	if name == "" {
		name = "world"
	}
	return fmt.Sprintf("hello, %s\n", name)
}

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		// Each response carries an id, so a request can be found in the logs.
		w.Header().Set("X-Request-Id", uuid.NewString())
		fmt.Fprint(w, greeting(r.URL.Query().Get("name")))
	})
	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = ":8080"
	}
	log.Printf("listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, nil))
}
