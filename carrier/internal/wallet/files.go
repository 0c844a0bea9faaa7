package wallet

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// maxSecretFile bounds what is read from a keystore, passphrase or key file.
const maxSecretFile = 64 << 10

// readPrivate reads a secret file after checking, on the opened file, that
// it is a regular file owned by the running user with no group or other
// permission bits. A symlink is followed and its target checked: secret
// mounts (Kubernetes, systemd credentials) are symlinks, and whoever can
// replace the link could replace a plain file as well.
func readPrivate(what, path string) ([]byte, error) {
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
	if err := checkPrivate(what, path, fi); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(f, maxSecretFile+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s file %s: %w", what, path, err)
	}
	if len(b) > maxSecretFile {
		clear(b)
		return nil, fmt.Errorf("%s file %s: larger than %d bytes", what, path, maxSecretFile)
	}
	return b, nil
}

func checkPrivate(what, path string, fi os.FileInfo) error {
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

// passphrase reads the passphrase from opts.PassphraseFile, or else from the
// environment variable opts names. One trailing newline of a file is
// dropped; an empty passphrase is refused.
func passphrase(opts Options) (string, error) {
	if opts.PassphraseFile != "" {
		b, err := readPrivate("passphrase", opts.PassphraseFile)
		if err != nil {
			return "", err
		}
		s := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
		clear(b)
		if s == "" {
			return "", fmt.Errorf("passphrase file %s: %w: the file is empty", opts.PassphraseFile, ErrNoPassphrase)
		}
		return s, nil
	}
	env := opts.PassphraseEnv
	if env == "" {
		env = DefaultPassphraseEnv
	}
	s := os.Getenv(env)
	if s == "" {
		return "", fmt.Errorf("%w: give a passphrase file or set the environment variable %s", ErrNoPassphrase, env)
	}
	return s, nil
}

// writeNew writes b to path with mode 0600 without ever overwriting: it
// writes and syncs a temporary file in the same directory, then hard-links
// it to path, which fails if path exists, so a reader never sees a partial
// keystore.
func writeNew(path string, b []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("writing keystore: %w", err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp") // mode 0600
	if err != nil {
		return fmt.Errorf("writing keystore: %w", err)
	}
	defer func() {
		_ = f.Close()
		_ = os.Remove(f.Name())
	}()
	if err := f.Chmod(0o600); err != nil {
		return fmt.Errorf("writing keystore: %w", err)
	}
	if _, err := f.Write(b); err != nil {
		return fmt.Errorf("writing keystore: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("writing keystore: %w", err)
	}
	if err := os.Link(f.Name(), path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("keystore %s: %w; refusing to overwrite it", path, ErrExists)
		}
		return fmt.Errorf("writing keystore: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}
