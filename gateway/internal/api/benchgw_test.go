//go:build benchgw

package api_test

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	marketbind "github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/contracts/bindings/token"
	"github.com/gridnode/gridnode/contracts/devchain/devinfo"
	"github.com/gridnode/gridnode/contracts/regproof"
	"github.com/gridnode/gridnode/gateway/internal/api"
	"github.com/gridnode/gridnode/gateway/internal/auth"
	"github.com/gridnode/gridnode/gateway/internal/orders"
	"github.com/gridnode/gridnode/gateway/internal/proxy"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/gatewaylogin"
)

// The flags of TestServeForBench (built only with -tags benchgw).
var (
	benchgwInfo     = flag.String("benchgw.devnet-info", "", "TestServeForBench: devnet info file (devnet --out)")
	benchgwConsul   = flag.String("benchgw.consul-addr", "127.0.0.1:8500", "TestServeForBench: Consul agent")
	benchgwListen   = flag.String("benchgw.listen", "", "TestServeForBench: listen address (empty: skip the test)")
	benchgwUpstream = flag.String("benchgw.upstream", "", "TestServeForBench: the app's URL (every order's entrypoint)")
	benchgwTokenOut = flag.String("benchgw.token-out", "", "TestServeForBench: file to write '<order id> <token>' to")
)

// TestServeForBench is not a test: it is the gateway side of
// hack/bench-gateway, which builds this package's test binary and runs it
// with the -benchgw.* flags. It serves the gateway's app path, the
// gateway's own API and proxy code (session check, order check, credential
// stripping, httputil.ReverseProxy with the gateway's transport), on a real
// chain (a running devnet) and a real Consul, with one difference: the
// order's entrypoint is the given upstream URL instead of a Service in a
// cluster, so that nginx can proxy the very same upstream in the same run.
//
//	go test -c -tags benchgw -o benchgw ./gateway/internal/api
//	./benchgw -test.run '^TestServeForBench$' -benchgw.devnet-info devnet.json \
//	  -benchgw.consul-addr 127.0.0.1:8500 -benchgw.listen 127.0.0.1:18620 \
//	  -benchgw.upstream http://127.0.0.1:18610 -benchgw.token-out token
//
// It registers the devnet's provider-a (if needed), has buyer-b place an
// order, logs buyer-b in through the gateway's own login (EIP-712), writes
// "<order id> <session token>" to -benchgw.token-out and serves until
// SIGTERM or SIGINT.
func TestServeForBench(t *testing.T) {
	if *benchgwListen == "" || *benchgwInfo == "" || *benchgwUpstream == "" || *benchgwTokenOut == "" {
		t.Fatal("serves for hack/bench-gateway: needs -benchgw.listen, -benchgw.devnet-info, -benchgw.upstream and -benchgw.token-out")
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400) // as the gateway's main does
	}
	if err := serveForBench(*benchgwInfo, *benchgwConsul, *benchgwListen, *benchgwUpstream, *benchgwTokenOut); err != nil {
		t.Fatal(err)
	}
}

func serveForBench(infoFile, consulAddr, listen, upstream, tokenOut string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log, _ := zap.NewProduction()
	defer func() { _ = log.Sync() }()

	info, err := devinfo.Read(infoFile)
	if err != nil {
		return err
	}
	key := func(name string) (*ecdsa.PrivateKey, error) {
		a, ok := info.Account(name)
		if !ok {
			return nil, fmt.Errorf("no account %s in %s", name, infoFile)
		}
		return a.Key()
	}
	owner, err := key("deployer")
	if err != nil {
		return err
	}
	providerKey, err := key("provider-a")
	if err != nil {
		return err
	}
	buyer, err := key("buyer-b")
	if err != nil {
		return err
	}
	provider := crypto.PubkeyToAddress(providerKey.PublicKey)
	client, err := ethclient.DialContext(ctx, info.RPC.HTTP)
	if err != nil {
		return err
	}
	defer client.Close()
	chainID, err := client.ChainID(ctx)
	if err != nil {
		return err
	}
	id, err := placeOrder(ctx, client, chainID, info, owner, buyer, providerKey)
	if err != nil {
		return err
	}

	chain := orders.Chain{ID: chainID, Market: info.Contracts.Market}
	reader, err := orders.NewMarketReader(client, chain)
	if err != nil {
		return err
	}
	checker := orders.NewChecker(orders.Options{Provider: provider})
	checker.SetSource(reader, chain)
	cc, err := consul.NewClient(consul.Options{Addr: consulAddr})
	if err != nil {
		return err
	}
	store, err := auth.NewConsulStore(cc, "bench", provider)
	if err != nil {
		return err
	}
	a, err := auth.New(auth.Options{Provider: provider, SessionTTL: time.Hour, SessionMaxAge: 24 * time.Hour}, checker, store, nil, log)
	if err != nil {
		return err
	}
	go func() { _ = a.Run(ctx) }()
	for a.Ready(ctx) != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		time.Sleep(50 * time.Millisecond)
	}
	c, err := a.Challenge(ctx, id)
	if err != nil {
		return err
	}
	d := c.Digest()
	sig, err := crypto.Sign(d[:], buyer)
	if err != nil {
		return err
	}
	sig[64] += 27
	sess, err := a.Login(ctx, id, gatewaylogin.LoginRequest{Nonce: c.Nonce, Expires: c.Expires, Signature: [65]byte(sig)})
	if err != nil {
		return err
	}
	if err := os.WriteFile(tokenOut, []byte(id.String()+" "+sess.Token+"\n"), 0o600); err != nil {
		return err
	}

	up, err := url.Parse(upstream)
	if err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	p := proxy.New(proxy.Options{}, staticResolver{up}, reg, log)
	s := api.New(api.Options{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}, checker, a, nil, p, reg, log)
	apiH, appH := s.APIHandler(), s.AppHandler()
	srv := &http.Server{
		Addr: listen,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, api.AppPrefix) {
				appH.ServeHTTP(w, r)
				return
			}
			apiH.ServeHTTP(w, r)
		}),
		// As service.Server: the lifecycle's limits.
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second,
		IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
	}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	fmt.Fprintf(os.Stderr, "benchgw: serving /app/%s/ on %s → %s\n", id, listen, upstream)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// placeOrder registers provider (owner: the deployer) if it is not, and
// has buyer deposit and order an hour of 1 CPU.
func placeOrder(ctx context.Context, client *ethclient.Client, chainID *big.Int, info devinfo.Info, owner, buyer, providerKey *ecdsa.PrivateKey) (*big.Int, error) {
	provider := crypto.PubkeyToAddress(providerKey.PublicKey)
	opts := func(k *ecdsa.PrivateKey) *bind.TransactOpts {
		o, _ := bind.NewKeyedTransactorWithChainID(k, chainID)
		o.Context, o.GasLimit = ctx, 1_000_000
		return o
	}
	reg, err := registry.NewRegistry(info.Contracts.Registry, client)
	if err != nil {
		return nil, err
	}
	mkt, err := marketbind.NewMarket(info.Contracts.Market, client)
	if err != nil {
		return nil, err
	}
	tok, err := token.NewToken(info.Contracts.Token, client)
	if err != nil {
		return nil, err
	}
	if ok, err := reg.IsRegistered(&bind.CallOpts{Context: ctx}, provider); err != nil {
		return nil, err
	} else if !ok {
		nonce, err := reg.NonceOf(&bind.CallOpts{Context: ctx}, provider)
		if err != nil {
			return nil, err
		}
		proof, err := regproof.ProofForKey(providerKey, chainID, info.Contracts.Registry, crypto.PubkeyToAddress(owner.PublicKey),
			nonce, uint64(time.Now().Add(time.Hour).Unix()))
		if err != nil {
			return nil, err
		}
		tx, err := reg.Register(opts(owner), provider, "http://127.0.0.1/gw/"+strings.ToLower(provider.Hex()), "bench",
			registry.RegistryCapacity{CpuMillis: 8000, MemoryBytes: 16 << 30, StorageBytes: 100 << 30},
			registry.RegistryPrices{CpuMilli: big.NewInt(1), MemoryMiB: big.NewInt(0), StorageGiB: big.NewInt(0), Gpu: big.NewInt(0)}, proof)
		if err := waitTx(ctx, client, "register", tx, err); err != nil {
			return nil, err
		}
	}
	amount := new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18))
	tx, err := tok.Approve(opts(buyer), info.Contracts.Market, amount)
	if err := waitTx(ctx, client, "approve", tx, err); err != nil {
		return nil, err
	}
	tx, err = mkt.Deposit(opts(buyer), amount)
	if err := waitTx(ctx, client, "deposit", tx, err); err != nil {
		return nil, err
	}
	tx, err = mkt.CreateOrder(opts(buyer), provider, marketbind.MarketResources{CpuMillis: 1000}, 3600, [32]byte{1}, big.NewInt(1000*3600))
	if err := waitTx(ctx, client, "createOrder", tx, err); err != nil {
		return nil, err
	}
	r, err := client.TransactionReceipt(ctx, tx.Hash())
	if err != nil {
		return nil, err
	}
	for _, l := range r.Logs {
		if ev, err := mkt.ParseOrderCreated(*l); err == nil {
			return ev.Id, nil
		}
	}
	return nil, errors.New("createOrder: no OrderCreated event")
}

func waitTx(ctx context.Context, client *ethclient.Client, what string, tx *types.Transaction, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	for {
		r, err := client.TransactionReceipt(ctx, tx.Hash())
		if err == nil {
			if r.Status != types.ReceiptStatusSuccessful {
				return fmt.Errorf("%s reverted (%s)", what, hexutil.Encode(tx.Hash().Bytes()))
			}
			return nil
		}
		if !errors.Is(err, ethereum.NotFound) {
			return fmt.Errorf("%s: %w", what, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}
