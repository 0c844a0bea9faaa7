package wallet

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gridnode/gridnode/pkg/secret"
)

// readPrivate reads a secret file with pkg/secret's checks.
func readPrivate(what, path string) ([]byte, error) { return secret.ReadFile(what, path) }

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
