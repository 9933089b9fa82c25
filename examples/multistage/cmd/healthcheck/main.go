// A health check binary for images without curl or wget.
package main

import (
	"io"
	"net/http"
	"os"

	"example.com/multistage/internal/status"
)

func main() {
	resp, err := http.Get("http://127.0.0.1:8080" + status.Path)
	if err != nil {
		os.Exit(1)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if string(body) != status.OK {
		os.Exit(1)
	}
}
