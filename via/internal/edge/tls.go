package edge

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"go.uber.org/zap"
)

// certReloader serves the certificate of a pair of files and reloads it
// on SIGHUP and when either file's modification time or size changes. A
// pair that fails to load is logged and the previous certificate is kept.
type certReloader struct {
	certFile, keyFile string
	log               *zap.Logger
	cert              atomic.Pointer[tls.Certificate]
	stamp             atomic.Value // string: the files' stamp at the last load
	reloads           func(ok bool)
}

func newCertReloader(certFile, keyFile string, log *zap.Logger, reloads func(ok bool)) (*certReloader, error) {
	r := &certReloader{certFile: certFile, keyFile: keyFile, log: log, reloads: reloads}
	if err := r.load(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *certReloader) fileStamp() string {
	s := ""
	for _, p := range []string{r.certFile, r.keyFile} {
		fi, err := os.Stat(p)
		if err != nil {
			return "error"
		}
		s += fmt.Sprintf("%d/%d;", fi.ModTime().UnixNano(), fi.Size())
	}
	return s
}

func (r *certReloader) load() error {
	stamp := r.fileStamp()
	c, err := tls.LoadX509KeyPair(r.certFile, r.keyFile)
	if err != nil {
		return fmt.Errorf("loading tls certificate %s: %w", r.certFile, err)
	}
	if c.Leaf == nil && len(c.Certificate) > 0 {
		c.Leaf, _ = x509.ParseCertificate(c.Certificate[0])
	}
	r.cert.Store(&c)
	r.stamp.Store(stamp)
	fields := []zap.Field{zap.String("cert", r.certFile)}
	if c.Leaf != nil {
		fields = append(fields, zap.String("subject", c.Leaf.Subject.String()),
			zap.Time("not_after", c.Leaf.NotAfter), zap.String("serial", c.Leaf.SerialNumber.String()))
	}
	r.log.Info("tls certificate loaded", fields...)
	return nil
}

func (r *certReloader) getCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	return r.cert.Load(), nil
}

// run reloads until ctx is done.
func (r *certReloader) run(ctx context.Context, every time.Duration) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			r.reload("sighup")
		case <-t.C:
			if r.fileStamp() != r.stamp.Load() {
				r.reload("file changed")
			}
		}
	}
}

func (r *certReloader) reload(why string) {
	err := r.load()
	if r.reloads != nil {
		r.reloads(err == nil)
	}
	if err != nil {
		// Keep the stamp of the last attempt out: a half-written pair is
		// retried at the next poll.
		r.log.Warn("tls certificate reload failed; keeping the previous one", zap.String("trigger", why), zap.Error(err))
	}
}
