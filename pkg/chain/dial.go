package chain

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/gridnode/gridnode/pkg/service"
)

// DialTimeout bounds Dial: connecting and reading the chain id.
const DialTimeout = 15 * time.Second

// Dial connects to the JSON-RPC endpoint rpc and reads the chain id, both
// within DialTimeout. Errors name the endpoint by RedactURL only.
func Dial(ctx context.Context, rpc string) (*ethclient.Client, *big.Int, error) {
	dctx, cancel := context.WithTimeout(ctx, DialTimeout)
	defer cancel()
	client, err := ethclient.DialContext(dctx, rpc)
	if err != nil {
		return nil, nil, fmt.Errorf("dialing %s: %w", RedactURL(rpc), RedactError(err))
	}
	id, err := client.ChainID(dctx)
	if err != nil {
		client.Close()
		return nil, nil, fmt.Errorf("reading the chain id from %s: %w", RedactURL(rpc), RedactError(err))
	}
	return client, id, nil
}

// RedactURL keeps scheme and host: RPC URLs often carry an API key in the
// path, the query or the user info.
func RedactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Scheme + "://" + u.Host
}

// RedactError drops the URL that net/http puts in its errors (Post "URL":
// …), wherever it is in err's chain: it is the whole RPC URL, API key and
// all. The result unwraps to err.
func RedactError(err error) error {
	var ue *url.Error
	if err == nil || !errors.As(err, &ue) {
		return err
	}
	msg := strings.ReplaceAll(err.Error(), ue.Error(), ue.Op+": "+ue.Err.Error())
	return &redactedError{msg: msg, err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// Retry backoff bounds.
const (
	RetryFirst = time.Second
	RetryMax   = 30 * time.Second
)

// Retry runs f until it returns nil or ctx is done. After each failure it
// calls onFail with the error and the wait before the next run, then waits:
// RetryFirst, doubling up to RetryMax (service.Backoff, never reset).
func Retry(ctx context.Context, f func(context.Context) error, onFail func(err error, wait time.Duration)) {
	b := service.Backoff{First: RetryFirst, Max: RetryMax}
	for {
		err := f(ctx)
		if err == nil || ctx.Err() != nil {
			return
		}
		wait := b.Next()
		onFail(err, wait)
		if !service.Sleep(ctx, wait) {
			return
		}
	}
}
