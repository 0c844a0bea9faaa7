// Package secret reads secret files — keystores, passphrases, tokens — only
// after checking that nobody but the running user can read or replace them.
package secret

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
)

// MaxFile bounds what ReadFile reads.
const MaxFile = 64 << 10

// ErrInsecureFile: the file is not a regular file owned by the running user
// with no group or other permission bits.
var ErrInsecureFile = errors.New("insecure file")

// ReadFile reads a secret file after checking, on the opened file, that it
// is a regular file owned by the running user with no group or other
// permission bits. what names the file in errors ("passphrase", "API
// token"). A symlink is followed and its target checked: secret mounts
// (Kubernetes, systemd credentials) are symlinks, and whoever can replace
// the link could replace a plain file as well.
func ReadFile(what, path string) ([]byte, error) {
	if path == "" {
		return nil, fmt.Errorf("%s file: no path given", what)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening %s file: %w", what, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("opening %s file: %w", what, err)
	}
	if err := Check(what, path, fi); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxFile+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s file %s: %w", what, path, err)
	}
	if len(b) > MaxFile {
		clear(b)
		return nil, fmt.Errorf("%s file %s: larger than %d bytes", what, path, MaxFile)
	}
	return b, nil
}

// Check reports whether fi (of path) may hold a secret.
func Check(what, path string, fi os.FileInfo) error {
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s file %s: %w: not a regular file (%s)", what, path, ErrInsecureFile, fi.Mode().Type())
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Geteuid() {
		return fmt.Errorf("%s file %s: %w: owned by uid %d, not by the running user (uid %d): chown %d %s",
			what, path, ErrInsecureFile, st.Uid, os.Geteuid(), os.Geteuid(), path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("%s file %s: %w: mode %04o gives access to group or others; it must be 0600 or stricter: chmod 600 %s",
			what, path, ErrInsecureFile, perm, path)
	}
	return nil
}

// MinTokenLen is the shortest bearer token ReadToken accepts: it keeps
// guessable tokens out.
const MinTokenLen = 32

// ReadToken reads a bearer token file with ReadFile and checks it: one
// line of at least MinTokenLen non-space characters; one trailing newline
// is ignored. what names the file in errors ("API token"). The carrier API
// token is read this way by the carrier, its CLI and via's relay.
func ReadToken(what, path string) (string, error) {
	b, err := ReadFile(what, path)
	if err != nil {
		return "", err
	}
	defer clear(b)
	tok := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	if len(tok) < MinTokenLen || strings.ContainsAny(tok, " \t\r\n") {
		return "", fmt.Errorf("%s file %s: want one line of at least %d non-space characters", what, path, MinTokenLen)
	}
	return tok, nil
}
