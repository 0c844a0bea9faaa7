package api

import (
	"fmt"
	"strings"

	"github.com/gridnode/gridnode/pkg/secret"
)

// MinTokenLen keeps guessable tokens out.
const MinTokenLen = 32

// ReadToken reads and checks an API token file (mode 0600): one line of at
// least MinTokenLen non-space characters; one trailing newline is ignored.
// The carrier reads it at start, the CLI before each call.
func ReadToken(path string) (string, error) {
	b, err := secret.ReadFile("API token", path)
	if err != nil {
		return "", err
	}
	tok := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	clear(b)
	if len(tok) < MinTokenLen || strings.ContainsAny(tok, " \t\r\n") {
		return "", fmt.Errorf("API token file %s: want one line of at least %d non-space characters", path, MinTokenLen)
	}
	return tok, nil
}
