// Package audit keeps the admin console's audit log: one entry per
// mutating request (who, what, when, from where, and the result), in the
// organization's Consul KV so that every admin replica writes to and reads
// from the same log. The log is a ring of a fixed number of slots; an entry
// and the sequence counter are written in one transaction.
package audit

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/consul/api"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/consul"
)

// KV is the part of Consul's KV API the log uses; *api.KV is the real one.
type KV interface {
	Get(key string, q *api.QueryOptions) (*api.KVPair, *api.QueryMeta, error)
	List(prefix string, q *api.QueryOptions) (api.KVPairs, *api.QueryMeta, error)
	Txn(ops api.KVTxnOps, q *api.QueryOptions) (bool, *api.KVTxnResponse, *api.QueryMeta, error)
}

// Results of an audited action.
const (
	ResultOK     = "ok"     // carried out
	ResultDenied = "denied" // refused before anything was done: no session, role, CSRF, lockout
	ResultFailed = "failed" // tried, and it failed (bad input, the carrier refused, an error)
)

// Entry is one audited action.
type Entry struct {
	Seq  uint64    `json:"seq"`
	Time time.Time `json:"time"`
	// Actor is the signed-in user, or the name tried at a login; Role the
	// actor's role when known.
	Actor string `json:"actor"`
	Role  string `json:"role,omitempty"`
	// Session is the public id of the session (a prefix of its hash).
	Session string `json:"session,omitempty"`
	IP      string `json:"ip,omitempty"`
	// Action is "METHOD /api/route" (the route pattern); Target what it
	// acted on (an order id, an account name, a provider).
	Action string `json:"action"`
	Target string `json:"target,omitempty"`
	// Detail holds the request's parameters that matter (amounts,
	// resources); never a password or a token.
	Detail    map[string]string `json:"detail,omitempty"`
	Result    string            `json:"result"`
	Status    int               `json:"status"`
	Message   string            `json:"message,omitempty"`
	RequestID string            `json:"requestId,omitempty"`
}

// Field limits keep an entry small.
const (
	maxField      = 200
	maxMessage    = 500
	maxDetailKeys = 16
	// DefaultMax is the default ring size.
	DefaultMax = 5000
	maxTrials  = 50
	callTime   = 10 * time.Second
)

// Log is an organization's audit log.
type Log struct {
	kv     KV
	prefix string
	max    uint64
	log    *zap.Logger
}

// New returns the log of org, keeping the newest max entries.
func New(kv KV, org string, max int, log *zap.Logger) (*Log, error) {
	p, err := consul.OrgPrefix(org)
	if err != nil {
		return nil, err
	}
	if max <= 0 {
		return nil, fmt.Errorf("audit log size %d: want at least 1", max)
	}
	if log == nil {
		log = zap.NewNop()
	}
	return &Log{kv: kv, prefix: p + "admin/audit/", max: uint64(max), log: log.Named("audit")}, nil
}

func (l *Log) counterKey() string { return l.prefix + "seq" }

func (l *Log) slotKey(seq uint64) string {
	return l.prefix + "entries/" + fmt.Sprintf("%07d", (seq-1)%l.max)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "…"
}

func (e *Entry) bound() {
	e.Actor, e.Role, e.IP = clip(e.Actor, maxField), clip(e.Role, maxField), clip(e.IP, maxField)
	e.Action, e.Target, e.Message = clip(e.Action, maxField), clip(e.Target, maxField), clip(e.Message, maxMessage)
	e.RequestID, e.Session = clip(e.RequestID, 64), clip(e.Session, 64)
	if len(e.Detail) > maxDetailKeys {
		keys := slices.Sorted(func(yield func(string) bool) {
			for k := range e.Detail {
				if !yield(k) {
					return
				}
			}
		})
		for _, k := range keys[maxDetailKeys:] {
			delete(e.Detail, k)
		}
	}
	for k, v := range e.Detail {
		e.Detail[k] = clip(v, maxField)
	}
}

// Append writes e with the next sequence number, which it returns. The
// entry is also logged (at info), so that a Consul outage loses no trace.
func (l *Log) Append(ctx context.Context, e Entry) (uint64, error) {
	if e.Time.IsZero() {
		e.Time = time.Now().UTC()
	}
	e.bound()
	fields := []zap.Field{zap.String("actor", e.Actor), zap.String("action", e.Action), zap.String("target", e.Target),
		zap.String("result", e.Result), zap.Int("status", e.Status), zap.String("ip", e.IP), zap.String("request_id", e.RequestID)}
	ctx, cancel := context.WithTimeout(ctx, callTime)
	defer cancel()
	for range maxTrials {
		cur, _, err := l.kv.Get(l.counterKey(), (&api.QueryOptions{}).WithContext(ctx))
		if err != nil {
			l.log.Error("audit entry not stored", append(fields, zap.Error(err))...)
			return 0, fmt.Errorf("reading the audit sequence: %w", err)
		}
		var n, idx uint64
		if cur != nil {
			if n, err = strconv.ParseUint(string(cur.Value), 10, 64); err != nil {
				return 0, fmt.Errorf("audit sequence %q: %w", cur.Value, err)
			}
			idx = cur.ModifyIndex
		}
		e.Seq = n + 1
		val, err := json.Marshal(e)
		if err != nil {
			return 0, err
		}
		seq := []byte(strconv.FormatUint(e.Seq, 10))
		ops := api.KVTxnOps{{Verb: api.KVCAS, Key: l.counterKey(), Value: seq, Index: idx}}
		if cur == nil {
			ops = api.KVTxnOps{{Verb: api.KVCheckNotExists, Key: l.counterKey()}, {Verb: api.KVSet, Key: l.counterKey(), Value: seq}}
		}
		ops = append(ops, &api.KVTxnOp{Verb: api.KVSet, Key: l.slotKey(e.Seq), Value: val})
		ok, _, _, err := l.kv.Txn(ops, (&api.QueryOptions{}).WithContext(ctx))
		if err != nil {
			l.log.Error("audit entry not stored", append(fields, zap.Error(err))...)
			return 0, fmt.Errorf("writing the audit entry: %w", err)
		}
		if ok {
			l.log.Info("audit", append(fields, zap.Uint64("seq", e.Seq))...)
			return e.Seq, nil
		}
		// Another replica appended first: take the next number.
	}
	l.log.Error("audit entry not stored: too many concurrent appends", fields...)
	return 0, errors.New("writing the audit entry: too many concurrent appends")
}

// Query selects entries.
type Query struct {
	// Before: only entries with a smaller sequence number (0: from the
	// newest).
	Before uint64
	// Limit: at most this many (0: 100; at most 1000).
	Limit int
	// Actor and Result filter when set; Text matches action or target.
	Actor, Result, Text string
}

// Page is a page of entries, newest first, and the total held.
type Page struct {
	Entries []Entry `json:"entries"`
	// Held is how many entries the ring holds; Max its size.
	Held int    `json:"held"`
	Max  uint64 `json:"max"`
	// Next is the Before of the next page, 0 at the end.
	Next uint64 `json:"next,omitempty"`
}

// List returns entries newest first.
func (l *Log) List(ctx context.Context, q Query) (Page, error) {
	if q.Limit <= 0 {
		q.Limit = 100
	}
	q.Limit = min(q.Limit, 1000)
	ctx, cancel := context.WithTimeout(ctx, callTime)
	defer cancel()
	if q.Actor == "" && q.Result == "" && q.Text == "" {
		return l.page(ctx, q)
	}
	pairs, _, err := l.kv.List(l.prefix+"entries/", (&api.QueryOptions{}).WithContext(ctx))
	if err != nil {
		return Page{}, fmt.Errorf("reading the audit log: %w", err)
	}
	var all []Entry
	var newest uint64
	for _, p := range pairs {
		var e Entry
		if json.Unmarshal(p.Value, &e) != nil || l.slotKey(e.Seq) != p.Key {
			continue
		}
		newest = max(newest, e.Seq)
		all = append(all, e)
	}
	slices.SortFunc(all, func(a, b Entry) int { return cmp.Compare(b.Seq, a.Seq) })
	page := Page{Max: l.max, Entries: []Entry{}}
	for _, e := range all {
		// Slots of a larger ring configured before are not part of this one.
		if newest >= l.max && e.Seq <= newest-l.max {
			continue
		}
		page.Held++
		if q.Before != 0 && e.Seq >= q.Before {
			continue
		}
		if q.Actor != "" && e.Actor != q.Actor || q.Result != "" && e.Result != q.Result {
			continue
		}
		if q.Text != "" && !strings.Contains(strings.ToLower(e.Action+" "+e.Target), strings.ToLower(q.Text)) {
			continue
		}
		if len(page.Entries) == q.Limit {
			page.Next = page.Entries[len(page.Entries)-1].Seq
			continue
		}
		page.Entries = append(page.Entries, e)
	}
	return page, nil
}

// txnOps is Consul's limit on operations in one transaction.
const txnOps = 64

// page reads an unfiltered page by slot: the sequence counter says which
// slots hold the newest entries, and they are read in transactions of
// txnOps gets, instead of listing the whole ring.
func (l *Log) page(ctx context.Context, q Query) (Page, error) {
	cur, _, err := l.kv.Get(l.counterKey(), (&api.QueryOptions{}).WithContext(ctx))
	if err != nil {
		return Page{}, fmt.Errorf("reading the audit sequence: %w", err)
	}
	page := Page{Max: l.max, Entries: []Entry{}}
	if cur == nil {
		return page, nil
	}
	n, err := strconv.ParseUint(string(cur.Value), 10, 64)
	if err != nil {
		return Page{}, fmt.Errorf("audit sequence %q: %w", cur.Value, err)
	}
	oldest := uint64(1)
	if n > l.max {
		oldest = n - l.max + 1
	}
	page.Held = int(n - oldest + 1)
	top := n
	if q.Before != 0 {
		if q.Before <= oldest {
			return page, nil
		}
		top = min(n, q.Before-1)
	}
	var seqs []uint64
	for s := top; s >= oldest && len(seqs) < q.Limit; s-- {
		seqs = append(seqs, s)
	}
	for i := 0; i < len(seqs); i += txnOps {
		var ops api.KVTxnOps
		for _, s := range seqs[i:min(i+txnOps, len(seqs))] {
			ops = append(ops, &api.KVTxnOp{Verb: api.KVGet, Key: l.slotKey(s)})
		}
		ok, resp, _, err := l.kv.Txn(ops, (&api.QueryOptions{}).WithContext(ctx))
		if err != nil {
			return Page{}, fmt.Errorf("reading the audit log: %w", err)
		}
		if !ok {
			return Page{}, errors.New("reading the audit log: an entry slot is missing")
		}
		for _, r := range resp.Results {
			var e Entry
			if r != nil && json.Unmarshal(r.Value, &e) == nil && l.slotKey(e.Seq) == r.Key {
				page.Entries = append(page.Entries, e)
			}
		}
	}
	if last := seqs[len(seqs)-1]; last > oldest && len(seqs) == q.Limit {
		page.Next = last
	}
	return page, nil
}
