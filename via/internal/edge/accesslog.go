package edge

import (
	"io"
	"os"
	"sync"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Access log buffering: lines are written in blocks of up to
// accessLogBuffer bytes, at least every accessLogFlush.
const (
	accessLogBuffer = 256 << 10
	accessLogFlush  = time.Second
)

// accessLogOut is where a formatted access log is written; tests replace
// it.
var accessLogOut io.Writer = os.Stderr

// accessLog is where the access log goes: the daemon's logger, or with
// Config.AccessLogFormat set, a logger of the same format on a buffered
// stderr (asyncWriter). One write per request was a tenth of the proxy's
// CPU; buffered, a line reaches stderr within a second (and at shutdown),
// never split, and no request waits for the write.
type accessLog struct {
	log  *zap.Logger
	stop func()
}

func newAccessLog(cfg Config, log *zap.Logger, out io.Writer) accessLog {
	if !cfg.AccessLog || !log.Core().Enabled(zap.InfoLevel) {
		return accessLog{stop: func() {}}
	}
	var enc zapcore.Encoder
	switch cfg.AccessLogFormat {
	case "json":
		ec := zap.NewProductionEncoderConfig()
		ec.TimeKey = "ts"
		ec.EncodeTime = zapcore.ISO8601TimeEncoder
		enc = zapcore.NewJSONEncoder(ec)
	case "console":
		enc = zapcore.NewConsoleEncoder(zap.NewDevelopmentEncoderConfig())
	default:
		// The caller of every line is the same function: leave it out.
		return accessLog{log: log.WithOptions(zap.WithCaller(false)), stop: func() {}}
	}
	ws := newAsyncWriter(out, accessLogBuffer, accessLogFlush)
	l := zap.New(zapcore.NewCore(enc, ws, zap.InfoLevel)).Named(log.Name()).With(zap.String("role", "via"))
	return accessLog{log: l, stop: ws.Stop}
}

// asyncWriter collects lines in one buffer while a goroutine writes the
// other: a request's log line costs a copy, never a write. When the
// buffer is full before the goroutine is done with the other, writers
// wait (memory stays at two buffers). Lines go out when a buffer fills
// and at least every interval; Stop writes what is left.
// (zapcore.BufferedWriteSyncer writes under its lock, so the requests
// that log meanwhile wait for the disk: a tail of milliseconds.)
type asyncWriter struct {
	out  io.Writer
	size int

	mu      sync.Mutex
	cur     []byte
	stopped bool

	full chan []byte // to the writer goroutine
	free chan []byte // back from it
	quit chan struct{}
	done chan struct{}
}

func newAsyncWriter(out io.Writer, size int, every time.Duration) *asyncWriter {
	w := &asyncWriter{out: out, size: size, cur: make([]byte, 0, size),
		full: make(chan []byte, 1), free: make(chan []byte, 1), quit: make(chan struct{}), done: make(chan struct{})}
	w.free <- make([]byte, 0, size)
	go w.run(every)
	return w
}

func (w *asyncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped {
		return w.out.Write(p)
	}
	if len(w.cur) > 0 && len(w.cur)+len(p) > w.size {
		w.full <- w.cur
		w.cur = <-w.free
	}
	w.cur = append(w.cur, p...)
	return len(p), nil
}

// Sync is a no-op: lines go out within the interval.
func (w *asyncWriter) Sync() error { return nil }

func (w *asyncWriter) run(every time.Duration) {
	defer close(w.done)
	t := time.NewTicker(every)
	defer t.Stop()
	write := func(b []byte) {
		_, _ = w.out.Write(b)
		w.free <- b[:0]
	}
	for {
		select {
		case b := <-w.full:
			write(b)
		case <-t.C:
			// TryLock: a writer holding the lock may be waiting for this
			// goroutine to give a buffer back.
			if !w.mu.TryLock() {
				continue
			}
			var b []byte
			if len(w.cur) > 0 {
				select {
				case other := <-w.free:
					b, w.cur = w.cur, other
				default:
					// The other buffer waits in full: written next round.
				}
			}
			w.mu.Unlock()
			if b != nil {
				write(b)
			}
		case <-w.quit:
			for {
				select {
				case b := <-w.full:
					write(b)
				default:
					return
				}
			}
		}
	}
}

// Stop writes what is buffered; later lines are written at once.
func (w *asyncWriter) Stop() {
	w.mu.Lock()
	if w.stopped {
		w.mu.Unlock()
		return
	}
	w.stopped = true
	w.mu.Unlock()
	close(w.quit)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.cur) > 0 {
		_, _ = w.out.Write(w.cur)
		w.cur = w.cur[:0]
	}
}
