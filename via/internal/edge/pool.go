package edge

import (
	"math/rand/v2"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gridnode/gridnode/pkg/consul"
)

// upstream is one instance of a routed service. It outlives set changes
// while the instance stays in the set, so in-flight counts and ejections
// carry over.
type upstream struct {
	addr     string // host:port
	inflight atomic.Int64

	mu           sync.Mutex
	failures     int
	ejectedUntil time.Time
	ejections    int
}

func (u *upstream) ejected(now time.Time) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	return now.Before(u.ejectedUntil)
}

// success resets the failure streak.
func (u *upstream) success() {
	u.mu.Lock()
	u.failures = 0
	u.ejections = 0
	u.mu.Unlock()
}

// failure counts one failure and reports whether it ejected the instance:
// at once when hard (the connection could not be made), else after after
// consecutive failures. Repeated ejections double the time, up to 8×.
func (u *upstream) failure(hard bool, after int, base time.Duration, now time.Time) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.failures++
	if !hard && u.failures < after {
		return false
	}
	if now.Before(u.ejectedUntil) {
		return false
	}
	d := base << min(u.ejections, 3)
	u.ejections++
	u.failures = 0
	u.ejectedUntil = now.Add(d)
	return true
}

// pool is the set of instances of one route.
type pool struct {
	ups []*upstream
}

// pick chooses an instance by power of two choices on in-flight requests,
// among those not ejected and not in tried. If every untried instance is
// ejected it picks among those (a guess beats a certain 503). nil: none.
func (p *pool) pick(tried []*upstream, now time.Time) *upstream {
	cands := make([]*upstream, 0, len(p.ups))
	var ejected []*upstream
	for _, u := range p.ups {
		if contains(tried, u) {
			continue
		}
		if u.ejected(now) {
			ejected = append(ejected, u)
			continue
		}
		cands = append(cands, u)
	}
	if len(cands) == 0 {
		cands = ejected
	}
	switch len(cands) {
	case 0:
		return nil
	case 1:
		return cands[0]
	}
	i := rand.IntN(len(cands))
	j := rand.IntN(len(cands) - 1)
	if j >= i {
		j++
	}
	a, b := cands[i], cands[j]
	if b.inflight.Load() < a.inflight.Load() {
		return b
	}
	return a
}

func contains(s []*upstream, u *upstream) bool {
	for _, x := range s {
		if x == u {
			return true
		}
	}
	return false
}

// routes is an immutable routing table: gateway pools by provider
// (lowercase) and the admin pool.
type routes struct {
	gateways map[string]*pool
	admin    *pool
}

// table keeps the current routes and the upstream objects by address, so
// that a new set reuses the upstreams it still contains.
type table struct {
	mu   sync.Mutex
	cur  atomic.Pointer[routes]
	gw   map[string]*upstream // key: provider + " " + addr
	adm  map[string]*upstream
	gone func(route, addr string)
}

func newTable(gone func(route, addr string)) *table {
	t := &table{gw: map[string]*upstream{}, adm: map[string]*upstream{}, gone: gone}
	t.cur.Store(&routes{gateways: map[string]*pool{}, admin: &pool{}})
	return t
}

func instanceAddr(in consul.Instance) string {
	return net.JoinHostPort(in.Address, strconv.Itoa(in.Port))
}

// setGateways replaces the gateway pools with the instances of set that
// belong to org and name a provider.
func (t *table) setGateways(org string, set []consul.Instance) {
	t.mu.Lock()
	defer t.mu.Unlock()
	pools := map[string]*pool{}
	keep := map[string]*upstream{}
	for _, in := range set {
		prov := strings.ToLower(in.Meta[consul.MetaProvider])
		if prov == "" || in.Meta[consul.MetaOrg] != org || in.Port <= 0 || in.Address == "" {
			continue
		}
		addr := instanceAddr(in)
		key := prov + " " + addr
		if _, dup := keep[key]; dup {
			continue
		}
		u := t.gw[key]
		if u == nil {
			u = &upstream{addr: addr}
		}
		keep[key] = u
		if pools[prov] == nil {
			pools[prov] = &pool{}
		}
		pools[prov].ups = append(pools[prov].ups, u)
	}
	for key, u := range t.gw {
		if keep[key] == nil && t.gone != nil {
			prov, _, _ := strings.Cut(key, " ")
			t.gone(gatewayRoute(prov), u.addr)
		}
	}
	t.gw = keep
	old := t.cur.Load()
	t.cur.Store(&routes{gateways: pools, admin: old.admin})
}

// setAdmin replaces the admin pool.
func (t *table) setAdmin(org string, set []consul.Instance) {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := &pool{}
	keep := map[string]*upstream{}
	for _, in := range set {
		if in.Meta[consul.MetaOrg] != org || in.Port <= 0 || in.Address == "" {
			continue
		}
		addr := instanceAddr(in)
		if keep[addr] != nil {
			continue
		}
		u := t.adm[addr]
		if u == nil {
			u = &upstream{addr: addr}
		}
		keep[addr] = u
		p.ups = append(p.ups, u)
	}
	for addr := range t.adm {
		if keep[addr] == nil && t.gone != nil {
			t.gone(routeAdmin, addr)
		}
	}
	t.adm = keep
	old := t.cur.Load()
	t.cur.Store(&routes{gateways: old.gateways, admin: p})
}

const routeAdmin = "admin"

func gatewayRoute(provider string) string { return "gw/" + provider }
