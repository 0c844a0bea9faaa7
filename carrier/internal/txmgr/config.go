package txmgr

import (
	"errors"
	"fmt"
	"math/big"
	"time"
)

// Config tunes a Manager. Start from Defaults.
type Config struct {
	// Path is the journal file (bbolt, created with mode 0600). One journal
	// belongs to one account on one chain.
	Path string `yaml:"journal"`
	// Confirmations is N: an intent is confirmed once its block has N
	// blocks including itself on top of the chain. 0 and 1 both confirm
	// as soon as it is mined.
	Confirmations uint64 `yaml:"confirmations"`
	// PollInterval is how often receipts and the head are checked.
	PollInterval time.Duration `yaml:"poll-interval"`
	// BumpAfter is how long a sent transaction may stay unmined before it
	// is replaced with higher fees.
	BumpAfter time.Duration `yaml:"bump-after"`
	// BumpPercent raises tip and fee cap of a replacement; at least 10
	// (go-ethereum's txpool refuses smaller bumps).
	BumpPercent uint64 `yaml:"bump-percent"`
	// RebroadcastInterval is how often an unmined transaction is checked
	// to be known to the node and sent again if it is not.
	RebroadcastInterval time.Duration `yaml:"rebroadcast-interval"`
	// GasMarginPercent and GasMarginFixed make the gas limit of an intent
	// without one: estimate × (100+percent)/100 + fixed. Estimates run on
	// the latest block but the transaction runs in a later one, and some
	// Market calls cost more as time passes.
	GasMarginPercent uint64 `yaml:"gas-margin-percent"`
	GasMarginFixed   uint64 `yaml:"gas-margin-fixed"`
	// MinTipCap is the least priority fee offered (wei); nil: the node's
	// suggestion.
	MinTipCap *big.Int `yaml:"-"`
	// MaxFeeCap bounds the fee cap (wei per gas) of any attempt, bumps
	// included; nil: no bound.
	MaxFeeCap *big.Int `yaml:"-"`
}

// Defaults suits a public chain with 12 s blocks.
func Defaults() Config {
	return Config{
		Confirmations:       3,
		PollInterval:        time.Second,
		BumpAfter:           90 * time.Second,
		BumpPercent:         20,
		RebroadcastInterval: time.Minute,
		GasMarginPercent:    25,
		GasMarginFixed:      20_000,
	}
}

// Validate reports the first problem with c.
func (c Config) Validate() error {
	switch {
	case c.Path == "":
		return errors.New("journal path: must not be empty")
	case c.PollInterval <= 0:
		return fmt.Errorf("poll interval %s: must be positive", c.PollInterval)
	case c.BumpAfter <= 0:
		return fmt.Errorf("bump after %s: must be positive", c.BumpAfter)
	case c.BumpPercent < 10:
		return fmt.Errorf("bump percent %d: must be at least 10", c.BumpPercent)
	case c.RebroadcastInterval <= 0:
		return fmt.Errorf("rebroadcast interval %s: must be positive", c.RebroadcastInterval)
	case c.MinTipCap != nil && c.MinTipCap.Sign() < 0:
		return errors.New("min tip cap: must not be negative")
	case c.MaxFeeCap != nil && c.MaxFeeCap.Sign() <= 0:
		return errors.New("max fee cap: must be positive")
	}
	return nil
}
