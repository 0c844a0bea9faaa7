package devchain

import (
	"errors"
	"fmt"
	"math/big"
	"net"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/eth/catalyst"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/eth/filters"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/gridnode/gridnode/contracts/devchain/devinfo"
)

// ChainID is the devnet's chain id, geth's dev-mode id.
const ChainID = 1337

// gasLimit is the block gas limit, the miner's default ceiling.
const gasLimit = 60_000_000

// AccountBalance is the ether (in wei) each of the MaxAccounts dev accounts
// holds at genesis: 1,000,000 ETH. geth --dev gives its single faucet
// 2^256-9 wei instead; with several senders paying tips to the fee recipient
// that balance could wrap around, so every account gets a large, finite sum.
var AccountBalance = new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(params.Ether))

// rpcModules are the namespaces served over HTTP and WebSocket.
var rpcModules = []string{"eth", "net", "web3"}

// chain is an in-process go-ethereum dev chain, assembled as geth --dev
// does it (cmd/geth/config.go, cmd/utils/flags.go of v1.17.8).
type chain struct {
	stack   *node.Node
	backend *eth.Ethereum
	client  *ethclient.Client // in-process, for the bootstrap
}

// startChain starts the node: JSON-RPC on cfg's addresses, a genesis
// funding every address in funded, blocks sealed by a simulated beacon
// paying fees to feeRecipient.
func startChain(cfg Config, feeRecipient common.Address, funded []common.Address) (*chain, error) {
	// A busy port makes node.Start fail after eth.New, when the eth
	// service can no longer be stopped cleanly; find out first.
	if err := checkFree(cfg.HTTPAddr, cfg.WSAddr); err != nil {
		return nil, err
	}
	nodeCfg := node.Config{
		Name:                 "devnet",
		DataDir:              cfg.DataDir, // "" keeps everything in memory
		IPCPath:              "",          // no IPC endpoint
		UseLightweightKDF:    true,
		P2P:                  p2p.Config{MaxPeers: 0, NoDiscovery: true, NoDial: true, ListenAddr: ""},
		HTTPModules:          rpcModules,
		HTTPVirtualHosts:     []string{"localhost"},
		HTTPTimeouts:         rpc.DefaultHTTPTimeouts,
		WSModules:            rpcModules,
		BatchRequestLimit:    node.DefaultConfig.BatchRequestLimit,
		BatchResponseMaxSize: node.DefaultConfig.BatchResponseMaxSize,
		HTTPBodyLimit:        node.DefaultConfig.HTTPBodyLimit,
	}
	if cfg.AllowNonLoopback {
		nodeCfg.HTTPVirtualHosts = []string{"*"}
	}
	var err error
	if nodeCfg.HTTPHost, nodeCfg.HTTPPort, err = splitAddr(cfg.HTTPAddr); err != nil {
		return nil, err
	}
	if cfg.WSAddr != "" {
		if nodeCfg.WSHost, nodeCfg.WSPort, err = splitAddr(cfg.WSAddr); err != nil {
			return nil, err
		}
	}
	stack, err := node.New(&nodeCfg)
	if err != nil {
		return nil, fmt.Errorf("creating node: %w", err)
	}

	genesis := core.DeveloperGenesisBlock(gasLimit, nil)
	// go-ethereum v1.17.8's dev-chain config also switches on the unreleased
	// Bogota fork from genesis, which applies Amsterdam's EIP-8037/8038 storage
	// repricing without the rest of Amsterdam: storage writes then cost
	// several times what they cost on mainnet and gas estimates come out too
	// low. Run the devnet on mainnet's current rules (Osaka) instead, as the
	// contract tests do.
	rules := *genesis.Config
	rules.BogotaTime, rules.AmsterdamTime = nil, nil
	genesis.Config = &rules
	for _, a := range funded {
		genesis.Alloc[a] = types.Account{Balance: new(big.Int).Set(AccountBalance)}
	}
	ethCfg := ethconfig.Defaults
	ethCfg.Genesis = genesis
	ethCfg.NetworkId = genesis.Config.ChainID.Uint64()
	ethCfg.SyncMode = ethconfig.FullSync
	ethCfg.EnablePreimageRecording = true
	ethCfg.Miner.GasCeil = gasLimit
	ethCfg.Miner.GasPrice = big.NewInt(1) // as geth --dev: any tip is enough
	backend, err := eth.New(stack, &ethCfg)
	if err != nil {
		_ = stack.Close()
		return nil, fmt.Errorf("creating eth service: %w", err)
	}

	// The filter API: eth_getLogs, eth_newFilter, eth_subscribe("logs").
	filterSystem := filters.NewFilterSystem(backend.APIBackend, filters.Config{
		LogCacheSize:  ethCfg.FilterLogCacheSize,
		LogQueryLimit: ethCfg.LogQueryLimit,
		RangeLimit:    ethCfg.RangeLimit,
	})
	stack.RegisterAPIs([]rpc.API{{Namespace: "eth", Service: filters.NewFilterAPI(filterSystem)}})

	// Block production: with a period the beacon seals a block every
	// period; with period 0 the onDemand sealer seals one as soon as the pool
	// holds executable transactions. The beacon's "dev" RPC namespace is not
	// served (rpcModules), so RegisterSimulatedBeaconAPIs is not called; for
	// period 0 it would also start go-ethereum's own on-demand loop.
	beacon, err := catalyst.NewSimulatedBeacon(uint64(cfg.Period/time.Second), feeRecipient, backend)
	if err != nil {
		_ = stack.Close()
		return nil, fmt.Errorf("creating simulated beacon: %w", err)
	}
	stack.RegisterLifecycle(beacon)
	if cfg.Period == 0 {
		stack.RegisterLifecycle(newOnDemand(backend, beacon))
	}

	if err := stack.Start(); err != nil { // Start releases the node on failure
		return nil, fmt.Errorf("starting node: %w", err)
	}
	return &chain{stack: stack, backend: backend, client: ethclient.NewClient(stack.Attach())}, nil
}

// endpoints returns the bound JSON-RPC endpoints.
func (c *chain) endpoints(ws bool) devinfo.RPC {
	r := devinfo.RPC{HTTP: c.stack.HTTPEndpoint()}
	if ws {
		r.WS = c.stack.WSEndpoint()
	}
	return r
}

// status describes the head and the pool, for errors about transactions
// that were not mined.
func (c *chain) status() string { return poolStatus(c.backend) }

// close stops the node: block production, the eth service, the RPC
// listeners, the database.
func (c *chain) close() error {
	c.client.Close()
	if err := c.stack.Close(); err != nil && !errors.Is(err, node.ErrNodeStopped) {
		return fmt.Errorf("stopping node: %w", err)
	}
	return nil
}

func splitAddr(addr string) (string, int, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return "", 0, fmt.Errorf("%s: bad port: %w", addr, err)
	}
	return host, int(p), nil
}

// checkFree reports an address, among those with a fixed port, that cannot
// be listened on.
func checkFree(addrs ...string) error {
	for _, addr := range addrs {
		if _, port, err := net.SplitHostPort(addr); err != nil || port == "0" {
			continue
		}
		l, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("json-rpc address %s is not available: %w", addr, err)
		}
		_ = l.Close()
	}
	return nil
}
