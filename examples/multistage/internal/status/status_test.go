package status

import "testing"

func TestPathIsAbsolute(t *testing.T) {
	if Path[0] != '/' {
		t.Fatalf("Path %q must start with /", Path)
	}
}
