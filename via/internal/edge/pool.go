package edge

import (
	"math/rand/v2"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/h1client"
)

// MetaProtocol is the Consul service meta key in which an upstream states
// how via should speak to it: ProtoHTTP1 (the default, also when the key
// is absent), ProtoH2C or ProtoHTTPS.
const MetaProtocol = "protocol"

// Upstream protocols (values of MetaProtocol).
const (
	// ProtoHTTP1 is plain HTTP/1.1.
	ProtoHTTP1 = "http"
	// ProtoH2C is HTTP/2 over cleartext TCP with prior knowledge;
	// WebSocket upgrades go to the same address in HTTP/1.1.
	ProtoH2C = "h2c"
	// ProtoHTTPS is TLS, HTTP/2 if the upstream offers it in ALPN, else
	// HTTP/1.1.
	ProtoHTTPS = "https"
)

func upstreamProto(meta map[string]string) (string, bool) {
	switch p := strings.ToLower(meta[MetaProtocol]); p {
	case "", ProtoHTTP1, "http/1.1":
		return ProtoHTTP1, true
	case ProtoH2C, ProtoHTTPS:
		return p, true
	default:
		return "", false
	}
}

// upstream is one instance of a routed service. It outlives set changes
// while the instance stays in the set, so in-flight counts, ejections and
// idle connections carry over.
type upstream struct {
	addr     string // host:port
	proto    string // ProtoHTTP1, ProtoH2C or ProtoHTTPS
	inflight atomic.Int64
	// ejectedUntil is unix nanoseconds; read without the lock on every
	// pick.
	ejectedUntil atomic.Int64

	mu        sync.Mutex
	failures  int
	ejections int

	// conns holds the idle HTTP/1.1 connections (ProtoHTTP1, and
	// upgrades on ProtoH2C).
	conns *h1client.Upstream

	// Metric series of this instance, looked up once.
	attemptsOK, attempts5xx, attemptsErr, ejectionsC prometheus.Counter
}

func (u *upstream) ejected(now time.Time) bool { return now.UnixNano() < u.ejectedUntil.Load() }

// success resets the failure streak.
func (u *upstream) success() {
	u.mu.Lock()
	if u.failures != 0 || u.ejections != 0 {
		u.failures = 0
		u.ejections = 0
	}
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
	if u.ejected(now) {
		return false
	}
	d := base << min(u.ejections, 3)
	u.ejections++
	u.failures = 0
	u.ejectedUntil.Store(now.Add(d).UnixNano())
	return true
}

// pool is the set of instances of one route.
type pool struct {
	route string
	ups   []*upstream
	rm    *routeMetrics
}

// pick chooses an instance by power of two choices on in-flight requests,
// among those not ejected and not in tried. If every untried instance is
// ejected it picks among those (a guess beats a certain 503). nil: none.
func (p *pool) pick(tried []*upstream, now time.Time) *upstream {
	n := len(p.ups)
	// Fast path, the common case: a first attempt, two healthy candidates.
	if len(tried) == 0 {
		switch n {
		case 0:
			return nil
		case 1:
			return p.ups[0]
		}
		i := rand.IntN(n)
		j := rand.IntN(n - 1)
		if j >= i {
			j++
		}
		a, b := p.ups[i], p.ups[j]
		if !a.ejected(now) && !b.ejected(now) {
			if b.inflight.Load() < a.inflight.Load() {
				return b
			}
			return a
		}
	}
	cands := make([]*upstream, 0, n)
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

// table keeps the current routes and the upstream objects by key, so that
// a new set reuses the upstreams it still contains.
type table struct {
	mu  sync.Mutex
	cur atomic.Pointer[routes]
	gw  map[string]*upstream // key: provider + " " + addr + " " + proto
	adm map[string]*upstream // key: addr + " " + proto
	m   *metrics
	rms map[string]*routeMetrics
}

func newTable(m *metrics) *table {
	t := &table{gw: map[string]*upstream{}, adm: map[string]*upstream{}, m: m, rms: map[string]*routeMetrics{}}
	t.cur.Store(&routes{gateways: map[string]*pool{}, admin: t.newPool(routeAdmin)})
	return t
}

func instanceAddr(in consul.Instance) string {
	return net.JoinHostPort(in.Address, strconv.Itoa(in.Port))
}

// newPool is an empty pool of route; caller holds mu (or is newTable).
func (t *table) newPool(route string) *pool {
	rm := t.rms[route]
	if rm == nil {
		rm = t.m.route(route)
		t.rms[route] = rm
	}
	return &pool{route: route, rm: rm}
}

func (t *table) newUpstream(route, addr, proto string) *upstream {
	u := &upstream{addr: addr, proto: proto, conns: h1client.NewUpstream(addr)}
	u.attemptsOK = t.m.upstream.WithLabelValues(route, addr, "ok")
	u.attempts5xx = t.m.upstream.WithLabelValues(route, addr, "5xx")
	u.attemptsErr = t.m.upstream.WithLabelValues(route, addr, "error")
	u.ejectionsC = t.m.ejections.WithLabelValues(route, addr)
	return u
}

// retire forgets an upstream that left its route: its idle connections
// and its metric series, unless an upstream kept has the same address
// (only its protocol changed) and so the same series.
func (t *table) retire(route string, u *upstream, kept map[string]*upstream) {
	u.conns.Retire()
	for _, k := range kept {
		if k.addr == u.addr && k.attemptsOK == u.attemptsOK {
			return
		}
	}
	t.m.forget(route, u.addr)
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
		proto, ok := upstreamProto(in.Meta)
		if prov == "" || !ok || in.Meta[consul.MetaOrg] != org || in.Port <= 0 || in.Address == "" {
			continue
		}
		addr := instanceAddr(in)
		key := prov + " " + addr + " " + proto
		if _, dup := keep[key]; dup {
			continue
		}
		route := gatewayRoute(prov)
		u := t.gw[key]
		if u == nil {
			u = t.newUpstream(route, addr, proto)
		}
		keep[key] = u
		if pools[prov] == nil {
			pools[prov] = t.newPool(route)
		}
		pools[prov].ups = append(pools[prov].ups, u)
	}
	for key, u := range t.gw {
		if keep[key] == nil {
			prov, _, _ := strings.Cut(key, " ")
			t.retire(gatewayRoute(prov), u, keep)
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
	p := t.newPool(routeAdmin)
	keep := map[string]*upstream{}
	for _, in := range set {
		proto, ok := upstreamProto(in.Meta)
		if !ok || in.Meta[consul.MetaOrg] != org || in.Port <= 0 || in.Address == "" {
			continue
		}
		addr := instanceAddr(in)
		key := addr + " " + proto
		if keep[key] != nil {
			continue
		}
		u := t.adm[key]
		if u == nil {
			u = t.newUpstream(routeAdmin, addr, proto)
		}
		keep[key] = u
		p.ups = append(p.ups, u)
	}
	for key, u := range t.adm {
		if keep[key] == nil {
			t.retire(routeAdmin, u, keep)
		}
	}
	t.adm = keep
	old := t.cur.Load()
	t.cur.Store(&routes{gateways: old.gateways, admin: p})
}

// sweepIdle closes upstream connections idle since before cutoff.
func (t *table) sweepIdle(cutoff time.Time) {
	t.mu.Lock()
	ups := make([]*upstream, 0, len(t.gw)+len(t.adm))
	for _, u := range t.gw {
		ups = append(ups, u)
	}
	for _, u := range t.adm {
		ups = append(ups, u)
	}
	t.mu.Unlock()
	for _, u := range ups {
		u.conns.CloseIdle(cutoff)
	}
}

const routeAdmin = "admin"

func gatewayRoute(provider string) string { return "gw/" + provider }
