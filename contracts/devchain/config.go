package devchain

import (
	"errors"
	"fmt"
	"math/big"
	"net"
	"strconv"
	"time"
)

// MaxAccounts bounds Config.Accounts. The genesis funds all MaxAccounts
// deterministic accounts with ether, so it does not depend on Accounts and a
// data dir can be restarted with a different count.
const MaxAccounts = 100

// Config configures a devnet. Start from Defaults.
type Config struct {
	// HTTPAddr is the loopback host:port of the HTTP JSON-RPC endpoint
	// (modules eth, net, web3). Port 0 picks a free port; Info reports it.
	HTTPAddr string `yaml:"http-addr"`
	// WSAddr is the loopback host:port of the WebSocket JSON-RPC endpoint;
	// empty disables it. It may equal HTTPAddr (one listener serves both).
	WSAddr string `yaml:"ws-addr"`
	// Period is the block interval, a whole number of seconds; 0 seals a
	// block as soon as a transaction arrives.
	Period time.Duration `yaml:"period"`
	// Accounts is the number of deterministic dev accounts listed and
	// minted tokens, 1 to MaxAccounts. Account 0 deploys and owns the
	// contracts.
	Accounts int `yaml:"accounts"`
	// TokenMint is the amount of Token base units minted to each account.
	TokenMint *big.Int `yaml:"-"`
	// OutFile is where the info file (endpoints, contracts, dev keys) is
	// written; empty writes none.
	OutFile string `yaml:"out"`
	// DataDir keeps the chain on disk; empty keeps it in memory.
	DataDir string `yaml:"data-dir"`
	// AllowNonLoopback permits HTTPAddr and WSAddr on non-loopback
	// interfaces. The dev keys are public: anyone who can reach the
	// endpoint can spend the dev accounts' funds.
	AllowNonLoopback bool `yaml:"allow-non-loopback"`
}

// DefaultTokenMint is 1,000,000 tokens of 18 decimals.
var DefaultTokenMint = new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(1e18))

// Defaults returns the default devnet configuration: geth's usual ports on
// 127.0.0.1, a block per transaction, five accounts, an in-memory chain.
func Defaults() Config {
	return Config{
		HTTPAddr:  "127.0.0.1:8545",
		WSAddr:    "127.0.0.1:8546",
		Period:    0,
		Accounts:  5,
		TokenMint: new(big.Int).Set(DefaultTokenMint),
	}
}

// ErrInvalidConfig is wrapped by every error of Validate.
var ErrInvalidConfig = errors.New("devnet")

// Validate reports the first problem with c. Every error wraps
// ErrInvalidConfig.
func (c Config) Validate() error {
	if err := c.validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	return nil
}

func (c Config) validate() error {
	if c.HTTPAddr == "" {
		return fmt.Errorf("http-addr: must not be empty")
	}
	if err := checkAddr(c.HTTPAddr, c.AllowNonLoopback); err != nil {
		return fmt.Errorf("http-addr %q: %w", c.HTTPAddr, err)
	}
	if c.WSAddr != "" {
		if err := checkAddr(c.WSAddr, c.AllowNonLoopback); err != nil {
			return fmt.Errorf("ws-addr %q: %w", c.WSAddr, err)
		}
	}
	if c.Period < 0 {
		return fmt.Errorf("period %s: must not be negative", c.Period)
	}
	if c.Period%time.Second != 0 {
		return fmt.Errorf("period %s: must be a whole number of seconds", c.Period)
	}
	if c.Accounts < 1 || c.Accounts > MaxAccounts {
		return fmt.Errorf("accounts %d: must be between 1 and %d", c.Accounts, MaxAccounts)
	}
	if c.TokenMint == nil || c.TokenMint.Sign() < 0 {
		return fmt.Errorf("token-mint: must be set and not negative")
	}
	if c.TokenMint.BitLen() > 256 {
		return fmt.Errorf("token-mint: does not fit in 256 bits")
	}
	return nil
}

// checkAddr checks that addr is host:port with a numeric port and, unless
// anyHost, a loopback host.
func checkAddr(addr string, anyHost bool) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return fmt.Errorf("port must be a number from 0 to 65535")
	}
	if anyHost || isLoopback(host) {
		return nil
	}
	return fmt.Errorf("host is not loopback: the dev keys are public, so the devnet listens on " +
		"127.0.0.1, ::1 or localhost unless allow-non-loopback is set")
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
