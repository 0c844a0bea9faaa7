package consul

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/hashicorp/consul/api"
)

// The few calls of the Consul API this package makes, as narrow interfaces:
// *api.Agent, *api.Health, *api.KV and *api.Session satisfy them, and they
// are what the package's tests run against.
type (
	agentAPI interface {
		ServiceRegisterOpts(*api.AgentServiceRegistration, api.ServiceRegisterOpts) error
		ServiceDeregisterOpts(id string, q *api.QueryOptions) error
		Service(id string, q *api.QueryOptions) (*api.AgentService, *api.QueryMeta, error)
	}
	healthAPI interface {
		Service(service, tag string, passingOnly bool, q *api.QueryOptions) ([]*api.ServiceEntry, *api.QueryMeta, error)
	}
	kvAPI interface {
		Get(key string, q *api.QueryOptions) (*api.KVPair, *api.QueryMeta, error)
		List(prefix string, q *api.QueryOptions) (api.KVPairs, *api.QueryMeta, error)
		Put(p *api.KVPair, q *api.WriteOptions) (*api.WriteMeta, error)
		CAS(p *api.KVPair, q *api.WriteOptions) (bool, *api.WriteMeta, error)
		Delete(key string, q *api.WriteOptions) (*api.WriteMeta, error)
		DeleteCAS(p *api.KVPair, q *api.WriteOptions) (bool, *api.WriteMeta, error)
		Acquire(p *api.KVPair, q *api.WriteOptions) (bool, *api.WriteMeta, error)
		Release(p *api.KVPair, q *api.WriteOptions) (bool, *api.WriteMeta, error)
		Txn(ops api.KVTxnOps, q *api.QueryOptions) (bool, *api.KVTxnResponse, *api.QueryMeta, error)
	}
	sessionAPI interface {
		Create(se *api.SessionEntry, q *api.WriteOptions) (string, *api.WriteMeta, error)
		Renew(id string, q *api.WriteOptions) (*api.SessionEntry, *api.WriteMeta, error)
		Destroy(id string, q *api.WriteOptions) (*api.WriteMeta, error)
	}
)

// Timing shared by the package.
const (
	// DefaultWaitTime is how long a blocking query waits for a change.
	DefaultWaitTime = 30 * time.Second
	// MaxWaitTime bounds WatchOptions.WaitTime; Consul adds up to 1/16 of
	// jitter, and ClientTimeout must stay above the sum.
	MaxWaitTime = 60 * time.Second
	// ClientTimeout is the HTTP client's timeout for any request to the
	// agent, blocking queries included.
	ClientTimeout = 90 * time.Second
	// callTimeout bounds a single non-blocking request.
	callTimeout = 10 * time.Second
	// stopTimeout bounds the cleanup calls made after ctx is cancelled
	// (deregistration, lock release, session destroy).
	stopTimeout = 5 * time.Second
	// minQueryGap keeps a watch loop from spinning when its index keeps
	// changing: at most one blocking query per gap.
	minQueryGap = 50 * time.Millisecond
)

func queryOpts(ctx context.Context, q api.QueryOptions) *api.QueryOptions {
	return q.WithContext(ctx)
}

func writeOpts(ctx context.Context) *api.WriteOptions {
	return (&api.WriteOptions{}).WithContext(ctx)
}

// isNotFound reports a 404 from the agent (a missing service, for one).
func isNotFound(err error) bool {
	var se api.StatusError
	return errors.As(err, &se) && se.Code == http.StatusNotFound
}

// nextIndex applies Consul's rules for blocking-query indexes to the index
// a response returned: an index that went backwards (a restarted dev agent,
// a restored snapshot) starts over from 0, which makes the next query return
// at once; an index below 1 becomes 1 so that the next query blocks instead
// of spinning.
func nextIndex(prev, got uint64) uint64 {
	if got < prev {
		return 0
	}
	if got < 1 {
		return 1
	}
	return got
}
