package devchain

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/eth/catalyst"
)

// onDemandPoll is how often the on-demand sealer looks at the pool when no
// transaction event has arrived.
const onDemandPoll = 100 * time.Millisecond

// onDemand seals a block whenever the transaction pool holds executable
// transactions: the devnet's block production with period 0.
//
// It replaces the loop go-ethereum's RegisterSimulatedBeaconAPIs starts for
// period 0, which subscribes to the pool from a goroutine of its own (a
// transaction sent before that goroutine runs is never sealed) and which
// seals only on a pool event. In a CI run a devnet's first transaction
// stayed unsealed for 30 s that way. This sealer subscribes before the node
// starts, and it also polls, so a missed or stranded transaction waits at
// most onDemandPoll. It is a node.Lifecycle registered after the beacon, so
// the node stops it before the services it uses.
type onDemand struct {
	backend *eth.Ethereum
	beacon  *catalyst.SimulatedBeacon
	events  chan core.NewTxsEvent
	kick    chan struct{} // one pending "the pool has news"
	unsub   func()
	stop    chan struct{}
	done    chan struct{}
	once    sync.Once
	started atomic.Bool
}

// newOnDemand subscribes to the pool's new executable transactions at once,
// so that none sent after the node starts can be missed.
func newOnDemand(backend *eth.Ethereum, beacon *catalyst.SimulatedBeacon) *onDemand {
	m := &onDemand{
		backend: backend,
		beacon:  beacon,
		events:  make(chan core.NewTxsEvent, 16),
		kick:    make(chan struct{}, 1),
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
	}
	sub := backend.TxPool().SubscribeTransactions(m.events, true)
	m.unsub = sub.Unsubscribe
	return m
}

// Start implements node.Lifecycle.
func (m *onDemand) Start() error {
	m.started.Store(true)
	go m.drain()
	go m.loop()
	return nil
}

// Stop implements node.Lifecycle: it waits for a block being sealed.
func (m *onDemand) Stop() error {
	m.once.Do(func() { close(m.stop) })
	if m.started.Load() {
		<-m.done
	}
	m.unsub()
	return nil
}

// drain turns pool events into kicks. It never blocks on the sealer: the
// pool delivers events synchronously from the reorg that pool.Sync, called
// by the sealer, waits for. So it runs until the sealer is done.
func (m *onDemand) drain() {
	for {
		select {
		case <-m.done:
			return
		case <-m.events:
			select {
			case m.kick <- struct{}{}:
			default:
			}
		}
	}
}

func (m *onDemand) loop() {
	defer close(m.done)
	tick := time.NewTicker(onDemandPoll)
	defer tick.Stop()
	// stuck holds the executable transactions left when the last round
	// ended in a block that took none of them (nil: not stuck).
	var stuck map[common.Hash]bool
	for {
		select {
		case <-m.stop:
			return
		case <-m.kick:
			// A kick can be stale: an event queued while the last round
			// was sealing. Only a change of the executable set is news.
			if stuck != nil && m.sameExecutable(stuck) {
				continue
			}
			stuck = m.sealPending()
		case <-tick.C:
			if stuck == nil {
				stuck = m.sealPending()
			}
		}
	}
}

// executable is the set of the pool's executable transactions.
func (m *onDemand) executable() map[common.Hash]bool {
	pending, _ := m.backend.TxPool().Content()
	set := map[common.Hash]bool{}
	for _, txs := range pending {
		for _, tx := range txs {
			set[tx.Hash()] = true
		}
	}
	return set
}

// sameExecutable reports whether the pool's executable transactions are
// still exactly those of a stuck round.
func (m *onDemand) sameExecutable(stuck map[common.Hash]bool) bool {
	if err := m.backend.TxPool().Sync(); err != nil {
		return true // the pool is shutting down
	}
	now := m.executable()
	if len(now) != len(stuck) {
		return false
	}
	for h := range now {
		if !stuck[h] {
			return false
		}
	}
	return true
}

// sealPending seals blocks until no executable transaction is left. A block
// that takes none of them (a fee cap below the base fee, say) ends the round
// and sealPending returns the executable transactions it left (nil when
// none is left): the poll then leaves the pool alone and only a pool event
// that changes that set tries again. Empty blocks in a loop would run the
// chain's clock ahead (each block is at least a second after its parent),
// and the market bills by block time.
func (m *onDemand) sealPending() (stuck map[common.Hash]bool) {
	pool := m.backend.TxPool()
	for {
		select {
		case <-m.stop:
			return nil
		default:
		}
		// Sync lets the pool finish promoting what was just sent or was
		// unblocked by the previous block.
		if err := pool.Sync(); err != nil {
			return nil // the pool is shutting down
		}
		if executable, _ := pool.Stats(); executable == 0 {
			return nil
		}
		// What the block is offered, taken before it is sealed: a
		// transaction that arrives later is not in it, so its event is news.
		offered := m.executable()
		head := m.beacon.Commit()
		if b := m.backend.BlockChain().GetBlockByHash(head); b == nil || len(b.Transactions()) == 0 {
			if len(offered) > 0 {
				return offered
			}
			return nil
		}
	}
}

// poolStatus describes the chain head and the pool, for errors about
// transactions that were not mined.
func poolStatus(backend *eth.Ethereum) string {
	executable, queued := backend.TxPool().Stats()
	head := backend.BlockChain().CurrentBlock()
	return fmt.Sprintf("head block %d, pool: %d executable, %d queued", head.Number.Uint64(), executable, queued)
}
