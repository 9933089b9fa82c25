// A service whose test fails, so its image build stops at `go test`.
package main

import "fmt"

func add(a, b int) int { return a - b }

func main() { fmt.Println(add(2, 2)) }
