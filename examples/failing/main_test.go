package main

import "testing"

func TestAdd(t *testing.T) {
	if got := add(2, 2); got != 4 {
		t.Fatalf("add(2, 2) = %d, want 4", got)
	}
}
