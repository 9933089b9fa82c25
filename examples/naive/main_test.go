package main

import "testing"

func TestGreeting(t *testing.T) {
	if got := greeting(""); got != "hello, world\n" {
		t.Fatalf("greeting(\"\") = %q", got)
	}
	if got := greeting("gopher"); got != "hello, gopher\n" {
		t.Fatalf("greeting(\"gopher\") = %q", got)
	}
}
