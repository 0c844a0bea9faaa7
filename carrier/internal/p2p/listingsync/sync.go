package listingsync

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/carrier/internal/directory"
	"github.com/gridnode/gridnode/carrier/internal/p2p/ingest"
	"github.com/gridnode/gridnode/pkg/listing"
)

// ID is the protocol id; its major version is the version of the records
// it carries (listing.Version2).
const ID protocol.ID = "/gridnode/listings-sync/2.0.0"

// Defaults.
const (
	DefaultTimeout       = 30 * time.Second
	DefaultMaxRoundBytes = 64 << 20
	DefaultMaxEntries    = 500_000
	DefaultInterval      = 5 * time.Minute
	DefaultMaxConcurrent = 4
	DefaultMinGap        = time.Second
)

// Options bound and tune the protocol. Zero fields take the defaults.
type Options struct {
	// Timeout is the deadline of a whole round, each side.
	Timeout time.Duration
	// MaxRoundBytes bounds what one side reads in a round.
	MaxRoundBytes int64
	// MaxEntries bounds the digest entries, wants and records read in a
	// round.
	MaxEntries int
	// Interval is how often a round runs with a random connected peer,
	// besides the round on every new connection; negative disables it.
	Interval time.Duration
	// MaxConcurrent bounds the rounds running at once, each role.
	MaxConcurrent int
	// MinGap is the least time between two rounds initiated with one peer.
	MinGap time.Duration
	// OnStored, if set, is called with every record a round stored.
	OnStored func(rec *listing.Record)
	// Registerer receives the protocol's metrics; nil registers none.
	Registerer prometheus.Registerer
}

// Store is what the protocol reads of the directory.
type Store interface {
	Digest() []directory.DigestEntry
	Raw(provider common.Address) ([]byte, bool)
}

// Stats describe one round, from the side that reports it.
type Stats struct {
	Peer      peer.ID
	Initiator bool
	// Sent and Received count records.
	Sent, Received int
	// Accepted counts received records stored; Rejected those that failed
	// verification (duplicates and stale ones included).
	Accepted, Rejected int
	BytesRead          int64
	Duration           time.Duration
}

// Service runs the protocol on a host: it answers rounds and starts one on
// every new connection to a peer that speaks it (the side with the lower
// peer id starts, so that each connection gets one round).
type Service struct {
	h     host.Host
	store Store
	in    *ingest.Ingest
	log   *zap.Logger
	opts  Options
	m     *metrics

	outSem, inSem chan struct{}
	cancel        context.CancelFunc
	wg            sync.WaitGroup
	sub           event.Subscription

	mu       sync.Mutex
	closed   bool
	inflight map[peer.ID]bool
	last     map[peer.ID]time.Time
}

// New registers the protocol's handler on h and starts following new
// connections. Close removes the handler and stops every round.
func New(h host.Host, store Store, in *ingest.Ingest, log *zap.Logger, opts Options) (*Service, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxRoundBytes <= 0 {
		opts.MaxRoundBytes = DefaultMaxRoundBytes
	}
	if opts.MaxEntries <= 0 {
		opts.MaxEntries = DefaultMaxEntries
	}
	if opts.Interval == 0 {
		opts.Interval = DefaultInterval
	}
	if opts.MaxConcurrent <= 0 {
		opts.MaxConcurrent = DefaultMaxConcurrent
	}
	if opts.MinGap == 0 {
		opts.MinGap = DefaultMinGap
	}
	m, err := newMetrics(opts.Registerer)
	if err != nil {
		return nil, err
	}
	// A peer that registers the protocol after identify ran (its node was
	// still starting when the connection came up) announces it by an
	// identify push: follow both events.
	sub, err := h.EventBus().Subscribe([]any{new(event.EvtPeerIdentificationCompleted), new(event.EvtPeerProtocolsUpdated)})
	if err != nil {
		return nil, fmt.Errorf("listings sync: subscribing to identify events: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Service{
		h: h, store: store, in: in, log: log, opts: opts, m: m,
		outSem: make(chan struct{}, opts.MaxConcurrent), inSem: make(chan struct{}, opts.MaxConcurrent),
		cancel: cancel, sub: sub,
		inflight: map[peer.ID]bool{}, last: map[peer.ID]time.Time{},
	}
	h.SetStreamHandler(ID, func(st network.Stream) { s.handle(ctx, st) })
	s.wg.Add(1)
	go s.follow(ctx)
	// Peers identified before the subscription started get their round
	// now: their identify event has gone by.
	for _, p := range h.Network().Peers() {
		if p >= h.ID() {
			continue
		}
		if protos, err := h.Peerstore().SupportsProtocols(p, ID); err == nil && len(protos) > 0 {
			s.spawn(ctx, p)
		}
	}
	if opts.Interval > 0 {
		s.wg.Add(1)
		go s.periodic(ctx)
	}
	return s, nil
}

// Close removes the handler, stops following connections and waits for
// the rounds under way, which it cancels.
func (s *Service) Close() error {
	s.h.RemoveStreamHandler(ID)
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	err := s.sub.Close()
	s.wg.Wait()
	if err != nil {
		return fmt.Errorf("closing listings sync: %w", err)
	}
	return nil
}

// follow starts a round on every identified connection to a peer that
// speaks the protocol, from the side with the lower peer id.
func (s *Service) follow(ctx context.Context) {
	defer s.wg.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case e, ok := <-s.sub.Out():
			if !ok {
				return
			}
			var p peer.ID
			var protos []protocol.ID
			switch ev := e.(type) {
			case event.EvtPeerIdentificationCompleted:
				p, protos = ev.Peer, ev.Protocols
			case event.EvtPeerProtocolsUpdated:
				p, protos = ev.Peer, ev.Added
			default:
				continue
			}
			if p >= s.h.ID() || !speaks(protos) {
				continue
			}
			s.spawn(ctx, p)
		}
	}
}

func speaks(protos []protocol.ID) bool {
	for _, p := range protos {
		if p == ID {
			return true
		}
	}
	return false
}

// periodic runs a round with a random connected peer every Interval.
func (s *Service) periodic(ctx context.Context) {
	defer s.wg.Done()
	t := time.NewTicker(s.opts.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		var candidates []peer.ID
		for _, p := range s.h.Network().Peers() {
			if protos, err := s.h.Peerstore().SupportsProtocols(p, ID); err == nil && len(protos) > 0 {
				candidates = append(candidates, p)
			}
		}
		if len(candidates) > 0 {
			s.spawn(ctx, candidates[rand.IntN(len(candidates))])
		}
	}
}

// spawn starts a round with p unless one is under way or ran within
// MinGap.
func (s *Service) spawn(ctx context.Context, p peer.ID) {
	s.mu.Lock()
	if s.closed || s.inflight[p] || time.Since(s.last[p]) < s.opts.MinGap {
		s.mu.Unlock()
		return
	}
	s.inflight[p] = true
	s.wg.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.wg.Done()
		_, _ = s.SyncWith(ctx, p)
		s.mu.Lock()
		delete(s.inflight, p)
		s.last[p] = time.Now()
		s.mu.Unlock()
	}()
}

// SyncWith runs one round with p as the initiator.
func (s *Service) SyncWith(ctx context.Context, p peer.ID) (Stats, error) {
	select {
	case s.outSem <- struct{}{}:
		defer func() { <-s.outSem }()
	case <-ctx.Done():
		return Stats{}, ctx.Err()
	}
	start := time.Now()
	st := Stats{Peer: p, Initiator: true}
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	str, err := s.h.NewStream(network.WithAllowLimitedConn(ctx, "listings sync"), p, ID)
	if err != nil {
		err = fmt.Errorf("opening listings sync stream to %s: %w", p, err)
		s.finish(&st, start, err)
		return st, err
	}
	err = s.initiate(ctx, str, &st)
	s.finish(&st, start, err)
	return st, err
}

func (s *Service) finish(st *Stats, start time.Time, err error) {
	st.Duration = time.Since(start)
	s.m.observe(st, err)
	log := s.log.With(zap.Stringer("peer", st.Peer), zap.Bool("initiator", st.Initiator),
		zap.Int("sent", st.Sent), zap.Int("received", st.Received), zap.Int("accepted", st.Accepted),
		zap.Int("rejected", st.Rejected), zap.Int64("bytes_read", st.BytesRead), zap.Duration("took", st.Duration))
	switch {
	case err != nil:
		log.Debug("listings sync round failed", zap.Error(err))
	case st.Sent > 0 || st.Received > 0:
		log.Info("listings sync round")
	default:
		log.Debug("listings sync round: in sync")
	}
}

// round is one side of a round on a stream.
type round struct {
	s   *Service
	str network.Stream
	r   *bufio.Reader
	lr  *limitedReader
	w   *bufio.Writer
	st  *Stats
	n   int // entries, wants and records read
}

func (s *Service) newRound(ctx context.Context, str network.Stream, st *Stats) (*round, error) {
	deadline := time.Now().Add(s.opts.Timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	if err := str.SetDeadline(deadline); err != nil {
		return nil, fmt.Errorf("setting the stream deadline: %w", err)
	}
	lr := &limitedReader{r: str, left: s.opts.MaxRoundBytes}
	return &round{s: s, str: str, lr: lr, r: bufio.NewReaderSize(lr, 64<<10), w: bufio.NewWriterSize(str, 64<<10), st: st}, nil
}

// initiate is the initiator's side: digest, then wants and records in,
// then the wanted records out.
func (s *Service) initiate(ctx context.Context, str network.Stream, st *Stats) (err error) {
	rd, err := s.newRound(ctx, str, st)
	if err != nil {
		_ = str.Reset()
		return err
	}
	defer func() { rd.close(err) }()
	stop := context.AfterFunc(ctx, func() { _ = str.Reset() })
	defer stop()

	digest := s.store.Digest()
	entries := make([]Entry, len(digest))
	for i, e := range digest {
		entries[i] = Entry{Provider: e.Provider, Seq: e.Seq}
	}
	if err := rd.writeDigest(entries); err != nil {
		return err
	}
	var want []common.Address
	if err := rd.readPhase(ctx, true, FrameWant, func(f Frame) { want = append(want, f.Want...) }); err != nil {
		return err
	}
	if err := rd.writeRecords(want); err != nil {
		return err
	}
	if err := rd.w.Flush(); err != nil {
		return fmt.Errorf("writing: %w", err)
	}
	if err := str.CloseWrite(); err != nil {
		return fmt.Errorf("closing the stream for writing: %w", err)
	}
	return nil
}

// handle is the responder's side.
func (s *Service) handle(ctx context.Context, str network.Stream) {
	select {
	case s.inSem <- struct{}{}:
		defer func() { <-s.inSem }()
	default:
		_ = str.Reset() // too many rounds at once; the peer tries later
		return
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = str.Reset()
		return
	}
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()
	start := time.Now()
	st := Stats{Peer: str.Conn().RemotePeer()}
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	err := s.respond(ctx, str, &st)
	s.finish(&st, start, err)
}

func (s *Service) respond(ctx context.Context, str network.Stream, st *Stats) (err error) {
	rd, err := s.newRound(ctx, str, st)
	if err != nil {
		_ = str.Reset()
		return err
	}
	defer func() { rd.close(err) }()
	stop := context.AfterFunc(ctx, func() { _ = str.Reset() })
	defer stop()

	theirs := make(map[common.Address]uint64)
	if err := rd.readPhase(ctx, false, FrameDigest, func(f Frame) {
		for _, e := range f.Digest {
			theirs[e.Provider] = e.Seq
		}
	}); err != nil {
		return err
	}
	// What they lack or hold stale goes to them; what we lack or hold
	// stale we want.
	var give []common.Address
	for _, e := range s.store.Digest() {
		seq, ok := theirs[e.Provider]
		if !ok || seq < e.Seq {
			give = append(give, e.Provider)
		}
		if ok && seq <= e.Seq {
			delete(theirs, e.Provider)
		}
	}
	want := make([]common.Address, 0, len(theirs))
	for p := range theirs {
		want = append(want, p)
	}
	for len(want) > 0 {
		n := min(len(want), MaxFrameSize/common.AddressLength)
		if err := rd.write(Frame{Type: FrameWant, Want: want[:n]}); err != nil {
			return err
		}
		want = want[n:]
	}
	if err := rd.writeRecords(give); err != nil {
		return err
	}
	if err := rd.w.Flush(); err != nil {
		return fmt.Errorf("writing: %w", err)
	}
	if err := rd.readPhase(ctx, true, 0, nil); err != nil {
		return err
	}
	// The initiator closed its side: one more read sees EOF.
	if _, err := rd.r.ReadByte(); err != io.EOF {
		return malformed("data after the last phase")
	}
	return nil
}

func (rd *round) close(err error) {
	rd.st.BytesRead = rd.s.opts.MaxRoundBytes - rd.lr.left
	if err != nil {
		_ = rd.str.Reset()
		return
	}
	_ = rd.str.Close()
}

func (rd *round) write(f Frame) error {
	b, err := AppendFrame(make([]byte, 0, maxHeader), f)
	if err != nil {
		return err
	}
	if _, err := rd.w.Write(b); err != nil {
		return fmt.Errorf("writing: %w", err)
	}
	return nil
}

func (rd *round) writeDigest(entries []Entry) error {
	for len(entries) > 0 {
		n := min(len(entries), MaxFrameSize/entrySize)
		if err := rd.write(Frame{Type: FrameDigest, Digest: entries[:n]}); err != nil {
			return err
		}
		entries = entries[n:]
	}
	if err := rd.write(Frame{Type: FrameEnd}); err != nil {
		return err
	}
	return rd.w.Flush()
}

// writeRecords sends the records held for providers, as many per frame as
// fit, then the end of the phase.
func (rd *round) writeRecords(providers []common.Address) error {
	var batch [][]byte
	size := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := rd.write(Frame{Type: FrameRecords, Records: batch})
		batch, size = batch[:0], 0
		return err
	}
	for _, p := range providers {
		raw, ok := rd.s.store.Raw(p)
		if !ok {
			continue // swept meanwhile
		}
		if size+len(raw)+binaryLen(len(raw)) > MaxFrameSize {
			if err := flush(); err != nil {
				return err
			}
		}
		batch = append(batch, raw)
		size += len(raw) + binaryLen(len(raw))
		rd.st.Sent++
	}
	if err := flush(); err != nil {
		return err
	}
	return rd.write(Frame{Type: FrameEnd})
}

func binaryLen(n int) int { return uvarintLen(uint64(n)) }

// readPhase reads frames until FrameEnd: records frames are ingested if
// records is set, frames of type other are handed to fn, anything else is
// a protocol error.
func (rd *round) readPhase(ctx context.Context, records bool, other FrameType, fn func(Frame)) error {
	for {
		f, err := ReadFrame(rd.r)
		if err != nil {
			if errors.Is(err, errRoundTooLarge) || errors.Is(err, ErrMalformed) {
				return err
			}
			return fmt.Errorf("reading: %w", err)
		}
		rd.n += len(f.Digest) + len(f.Want) + len(f.Records)
		if rd.n > rd.s.opts.MaxEntries {
			return fmt.Errorf("more than %d entries in a round", rd.s.opts.MaxEntries)
		}
		switch {
		case f.Type == FrameEnd:
			return nil
		case f.Type == FrameRecords && records:
			if err := rd.ingest(ctx, f.Records); err != nil {
				return err
			}
		case f.Type == other && fn != nil:
			fn(f)
		default:
			return malformed("unexpected frame type %d", f.Type)
		}
	}
}

func (rd *round) ingest(ctx context.Context, raws [][]byte) error {
	rd.st.Received += len(raws)
	results := rd.s.in.VerifyBatch(ctx, ingest.SourceSync, raws)
	items := make([]directory.Item, 0, len(raws))
	offences := 0
	for i, r := range results {
		if r.Err != nil {
			rd.st.Rejected++
			if ingest.Offence(r.Err) {
				offences++
			}
			continue
		}
		items = append(items, directory.Item{Record: r.Record, Raw: raws[i]})
	}
	changed, err := rd.s.in.Store(ingest.SourceSync, items)
	if err != nil {
		return err
	}
	for i, c := range changed {
		if c {
			rd.st.Accepted++
			if rd.s.opts.OnStored != nil {
				rd.s.opts.OnStored(items[i].Record)
			}
		}
	}
	// A peer that sends mostly bad records is not worth the rest.
	if offences > 0 && offences*2 > len(raws) {
		return fmt.Errorf("%d of %d records in a frame rejected", offences, len(raws))
	}
	return ctx.Err()
}

var errRoundTooLarge = errors.New("listings sync round over its byte limit")

// limitedReader fails once more than left bytes are read.
type limitedReader struct {
	r    io.Reader
	left int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, errRoundTooLarge
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}
