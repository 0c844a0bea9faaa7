package edge

import (
	"io"
	"os"
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
// stderr. One write per request was a tenth of the proxy's CPU; buffered,
// a line reaches stderr within a second (and at shutdown), never split.
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
	ws := &zapcore.BufferedWriteSyncer{WS: zapcore.AddSync(out), Size: accessLogBuffer, FlushInterval: accessLogFlush}
	l := zap.New(zapcore.NewCore(enc, ws, zap.InfoLevel)).Named(log.Name()).With(zap.String("role", "via"))
	return accessLog{log: l, stop: func() { _ = ws.Stop() }}
}
