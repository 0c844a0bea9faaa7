package secret

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadToken(t *testing.T) {
	good := strings.Repeat("t", MinTokenLen)
	for _, tc := range []struct {
		name    string
		content string
		mode    os.FileMode
		want    string
		err     string
	}{
		{"one line", good, 0o600, good, ""},
		{"trailing newline", good + "\n", 0o600, good, ""},
		{"trailing crlf", good + "\r\n", 0o400, good, ""},
		{"too short", good[1:], 0o600, "", "want one line of at least 32 non-space characters"},
		{"two lines", good + "\n" + good, 0o600, "", "want one line"},
		{"inner space", good + " x", 0o600, "", "want one line"},
		{"readable by others", good, 0o644, "", "insecure file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "token")
			if err := os.WriteFile(path, []byte(tc.content), tc.mode); err != nil {
				t.Fatal(err)
			}
			got, err := ReadToken("API token", path)
			if tc.err == "" {
				if err != nil || got != tc.want {
					t.Fatalf("ReadToken = %q, %v; want %q", got, err, tc.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), "API token file") {
				t.Fatalf("ReadToken = %q, %v; want an error saying %q", got, err, tc.err)
			}
			if tc.mode&0o077 != 0 && !errors.Is(err, ErrInsecureFile) {
				t.Fatalf("error %v is not ErrInsecureFile", err)
			}
		})
	}
}
