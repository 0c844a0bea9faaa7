package api_test

import (
	"context"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/gateway/internal/api"
	"github.com/gridnode/gridnode/gateway/internal/auth"
	"github.com/gridnode/gridnode/gateway/internal/orders"
	"github.com/gridnode/gridnode/gateway/internal/proxy"
	"github.com/gridnode/gridnode/pkg/market"
)

type staticReader struct{ o market.Order }

func (s staticReader) ReadOrder(context.Context, *big.Int) (market.Order, error) { return s.o, nil }

type nopApp struct{}

func (nopApp) ServeApp(w http.ResponseWriter, _ *http.Request, _ market.Order, _ string) {
	w.WriteHeader(http.StatusNoContent)
}

// BenchmarkAppRequestCheck is what the gateway adds to every app request
// before proxying: request id, forwarded headers, the session (cookie or
// bearer) verified, the order checked (cached), the credentials stripped
// and deadlines lifted. The app here answers at once.
func BenchmarkAppRequestCheck(b *testing.B) {
	provider := common.Address{0xaa}
	chain := orders.Chain{ID: big.NewInt(1337), Market: common.Address{0x01}}
	o := market.Order{ChainID: chain.ID, Market: chain.Market, ID: big.NewInt(42), Buyer: common.Address{0xbb}, Provider: provider,
		Status: market.StatusOpen, Start: time.Now().Add(-time.Minute), End: time.Now().Add(time.Hour)}
	checker := orders.NewChecker(orders.Options{Provider: provider, CacheTTL: time.Hour})
	checker.SetSource(staticReader{o}, chain)
	a, err := auth.New(auth.Options{Provider: provider}, checker, nil, []byte(strings.Repeat("k", 32)), zap.NewNop())
	if err != nil {
		b.Fatal(err)
	}
	tok, _, err := a.Sessions().Issue(o.ID, chain.ID, chain.Market, o.Buyer, time.Now(), time.Now().Add(time.Hour))
	if err != nil {
		b.Fatal(err)
	}
	s := api.New(api.Options{}, checker, a, nil, nopApp{}, nil, zap.NewNop())
	h := s.AppHandler()
	for _, mode := range []string{"bearer", "cookie"} {
		b.Run(mode, func(b *testing.B) {
			req := httptest.NewRequest("GET", "http://gw.local/app/42/index.html", nil)
			req.RemoteAddr = "10.0.0.1:5000"
			req.Header.Set("X-Request-Id", "bench-1")
			if mode == "bearer" {
				req.Header.Set("Authorization", "Bearer "+tok)
			} else {
				req.Header.Set("Cookie", "theme=dark; gridnode_session_42="+tok)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusNoContent {
				b.Fatalf("status %d: %s", w.Code, w.Body)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
			}
		})
	}
}

// BenchmarkAppProxy is one app request end to end on loopback: a
// keep-alive client, the gateway's app path (checks and the reverse proxy)
// and a small upstream, all in this process. It is for profiling the
// gateway's share; hack/bench-gateway measures against nginx.
func BenchmarkAppProxy(b *testing.B) {
	provider := common.Address{0xaa}
	chain := orders.Chain{ID: big.NewInt(1337), Market: common.Address{0x01}}
	o := market.Order{ChainID: chain.ID, Market: chain.Market, ID: big.NewInt(42), Buyer: common.Address{0xbb}, Provider: provider,
		Status: market.StatusOpen, Start: time.Now().Add(-time.Minute), End: time.Now().Add(time.Hour)}
	checker := orders.NewChecker(orders.Options{Provider: provider, CacheTTL: time.Hour})
	checker.SetSource(staticReader{o}, chain)
	a, err := auth.New(auth.Options{Provider: provider}, checker, nil, []byte(strings.Repeat("k", 32)), zap.NewNop())
	if err != nil {
		b.Fatal(err)
	}
	tok, _, _ := a.Sessions().Issue(o.ID, chain.ID, chain.Market, o.Buyer, time.Now(), time.Now().Add(time.Hour))
	body := []byte(strings.Repeat("a", 64))
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = []string{"text/plain"}
		w.Header()["Content-Length"] = []string{"64"}
		_, _ = w.Write(body)
	}))
	b.Cleanup(up.Close)
	u, _ := url.Parse(up.URL)
	p := proxy.New(proxy.Options{}, staticResolver{u}, nil, zap.NewNop())
	s := api.New(api.Options{}, checker, a, nil, p, nil, zap.NewNop())
	gw := httptest.NewServer(s.AppHandler())
	b.Cleanup(gw.Close)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		req, _ := http.NewRequest("GET", gw.URL+"/app/42/x", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		for pb.Next() {
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
}

type staticResolver struct{ u *url.URL }

func (s staticResolver) Entrypoint(context.Context, market.Order) (*url.URL, error) {
	c := *s.u
	return &c, nil
}
