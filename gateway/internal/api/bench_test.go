package api_test

import (
	"context"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/gateway/internal/api"
	"github.com/gridnode/gridnode/gateway/internal/auth"
	"github.com/gridnode/gridnode/gateway/internal/orders"
)

type staticReader struct{ o orders.Order }

func (s staticReader) ReadOrder(context.Context, *big.Int) (orders.Order, error) { return s.o, nil }

type nopApp struct{}

func (nopApp) ServeApp(w http.ResponseWriter, _ *http.Request, _ orders.Order, _ string) {
	w.WriteHeader(http.StatusNoContent)
}

// BenchmarkAppRequestCheck is what the gateway adds to every app request
// before proxying: request id, forwarded headers, the session (cookie or
// bearer) verified, the order checked (cached), the credentials stripped
// and deadlines lifted. The app here answers at once.
func BenchmarkAppRequestCheck(b *testing.B) {
	provider := common.Address{0xaa}
	chain := orders.Chain{ID: big.NewInt(1337), Market: common.Address{0x01}}
	o := orders.Order{ChainID: chain.ID, Market: chain.Market, ID: big.NewInt(42), Buyer: common.Address{0xbb}, Provider: provider,
		Status: orders.StatusOpen, Start: time.Now().Add(-time.Minute), End: time.Now().Add(time.Hour)}
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
