package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"go.uber.org/zap"

	"github.com/gridnode/gridnode/pkg/consul"
)

// KV is the part of Consul's KV the package uses; *consul.KV is the real
// one.
type KV interface {
	Get(ctx context.Context, key string) ([]byte, uint64, bool, error)
	Put(ctx context.Context, key string, value []byte) error
	CAS(ctx context.Context, key string, value []byte, index uint64) error
	List(ctx context.Context, prefix string) ([]consul.Entry, error)
	Delete(ctx context.Context, key string) error
	DeleteCAS(ctx context.Context, key string, index uint64) error
}

// Role is an operator's role.
type Role string

// Roles: an admin may do everything; a viewer sees everything but changes
// nothing (but its own password).
const (
	RoleAdmin  Role = "admin"
	RoleViewer Role = "viewer"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleViewer }

// Session kinds.
const (
	KindPassword = "password"
	KindWallet   = "wallet"
)

// Errors callers test with errors.Is.
var (
	// ErrBadCredentials: wrong user name, password, signature or nonce.
	// The message never says which.
	ErrBadCredentials = errors.New("wrong user name or password")
	// ErrNoSession: the session token is unknown, expired or revoked.
	ErrNoSession = errors.New("no valid session")
	// ErrNotFound: no such account.
	ErrNotFound = errors.New("no such account")
	// ErrExists: the account exists already.
	ErrExists = errors.New("account exists already")
	// ErrLastAdmin: the change would leave no admin account.
	ErrLastAdmin = errors.New("the last admin account cannot be removed or demoted")
	// ErrBadInput: the request cannot be carried out as stated.
	ErrBadInput = errors.New("bad input")
	// ErrBusy: too many outstanding wallet challenges; retry later.
	ErrBusy = errors.New("too many sign-in attempts in progress")
	// ErrConflict: concurrent updates kept winning; retry.
	ErrConflict = errors.New("concurrent update, retry")
)

// LockedError: the account is locked after too many failed logins.
type LockedError struct{ Until time.Time }

func (e *LockedError) Error() string {
	return fmt.Sprintf("account locked after too many failed logins until %s", e.Until.UTC().Format(time.RFC3339))
}

// Options tune the service; zero values take the defaults.
type Options struct {
	// Org is the organization: keys live under gridnode/<org>/admin/.
	Org string
	// SessionTTL is a session's lifetime from login (default 8 h).
	SessionTTL time.Duration
	// MaxFailures consecutive wrong passwords lock an account (default 5)
	// for Lockout (default 15 min).
	MaxFailures int
	Lockout     time.Duration
	// MaxSessions bounds the sessions kept in KV (default 1000);
	// MaxSessionsPerUser a user's (default 10). The oldest go first.
	MaxSessions        int
	MaxSessionsPerUser int
	// Owners may sign in with their wallet, as admins.
	Owners []common.Address
	// NonceTTL is how long a wallet challenge stays valid (default 5 min).
	NonceTTL time.Duration
	// Now is the clock (tests).
	Now func() time.Time
}

// Limits.
const (
	maxNonces    = 200
	hashWorkers  = 2
	maxCASTrials = 20
)

var nameRE = regexp.MustCompile(`^[a-z][a-z0-9._-]{0,31}$`)

// ValidName reports whether name is an acceptable account name: a
// lowercase letter, then up to 31 lowercase letters, digits, '.', '_' or
// '-'.
func ValidName(name string) bool { return nameRE.MatchString(name) }

// Service is the accounts and sessions of one organization's console.
type Service struct {
	kv     KV
	opts   Options
	log    *zap.Logger
	prefix string
	hashes chan struct{}
	dummy  string
}

// New returns the service of opts.Org.
func New(kv KV, opts Options, log *zap.Logger) (*Service, error) {
	p, err := consul.OrgPrefix(opts.Org)
	if err != nil {
		return nil, err
	}
	if opts.SessionTTL <= 0 {
		opts.SessionTTL = 8 * time.Hour
	}
	if opts.MaxFailures <= 0 {
		opts.MaxFailures = 5
	}
	if opts.Lockout <= 0 {
		opts.Lockout = 15 * time.Minute
	}
	if opts.MaxSessions <= 0 {
		opts.MaxSessions = 1000
	}
	if opts.MaxSessionsPerUser <= 0 {
		opts.MaxSessionsPerUser = 10
	}
	if opts.NonceTTL <= 0 {
		opts.NonceTTL = 5 * time.Minute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	dummy, err := hashPassword("gridnode timing equaliser")
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = zap.NewNop()
	}
	return &Service{kv: kv, opts: opts, log: log, prefix: p + "admin/", hashes: make(chan struct{}, hashWorkers), dummy: dummy}, nil
}

// Prefix is the KV prefix the service keeps its state under.
func (s *Service) Prefix() string { return s.prefix }

func (s *Service) now() time.Time { return s.opts.Now().UTC() }

// hash and verify bound the argon2id computations running at once (each
// takes ~20 MiB and tens of milliseconds).
func (s *Service) hash(ctx context.Context, pw string) (string, error) {
	if err := s.acquire(ctx); err != nil {
		return "", err
	}
	defer func() { <-s.hashes }()
	return hashPassword(pw)
}

func (s *Service) verify(ctx context.Context, phc, pw string) (bool, error) {
	if err := s.acquire(ctx); err != nil {
		return false, err
	}
	defer func() { <-s.hashes }()
	return verifyPassword(phc, pw), nil
}

func (s *Service) acquire(ctx context.Context) error {
	select {
	case s.hashes <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ---- accounts ----

// Account is an operator account as stored.
type Account struct {
	Name        string    `json:"name"`
	Role        Role      `json:"role"`
	Hash        string    `json:"hash"`
	MustChange  bool      `json:"mustChange"`
	Failures    int       `json:"failures"`
	LockedUntil time.Time `json:"lockedUntil,omitzero"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
	LastLogin   time.Time `json:"lastLogin,omitzero"`
}

// AccountInfo is what the API shows of an account (never the hash).
type AccountInfo struct {
	Name        string    `json:"name"`
	Role        Role      `json:"role"`
	MustChange  bool      `json:"mustChange"`
	Locked      bool      `json:"locked"`
	LockedUntil time.Time `json:"lockedUntil,omitzero"`
	Failures    int       `json:"failures"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
	LastLogin   time.Time `json:"lastLogin,omitzero"`
	Sessions    int       `json:"sessions"`
}

func (s *Service) accountKey(name string) string { return s.prefix + "accounts/" + name }

func (s *Service) getAccount(ctx context.Context, name string) (Account, uint64, error) {
	if !ValidName(name) {
		return Account{}, 0, ErrNotFound
	}
	b, idx, found, err := s.kv.Get(ctx, s.accountKey(name))
	if err != nil {
		return Account{}, 0, err
	}
	if !found {
		return Account{}, 0, ErrNotFound
	}
	var a Account
	if err := json.Unmarshal(b, &a); err != nil {
		return Account{}, 0, fmt.Errorf("account %s: decoding: %w", name, err)
	}
	return a, idx, nil
}

func (s *Service) putAccount(ctx context.Context, a Account, idx uint64) error {
	b, err := json.Marshal(a)
	if err != nil {
		return err
	}
	return s.kv.CAS(ctx, s.accountKey(a.Name), b, idx)
}

// updateAccount applies fn to the account under CAS, reading it again
// after a lost race.
func (s *Service) updateAccount(ctx context.Context, name string, fn func(*Account) error) (Account, error) {
	for range maxCASTrials {
		a, idx, err := s.getAccount(ctx, name)
		if err != nil {
			return Account{}, err
		}
		if err := fn(&a); err != nil {
			return Account{}, err
		}
		err = s.putAccount(ctx, a, idx)
		if errors.Is(err, consul.ErrCASConflict) {
			continue
		}
		return a, err
	}
	return Account{}, ErrConflict
}

func (s *Service) listAccounts(ctx context.Context) ([]Account, error) {
	entries, err := s.kv.List(ctx, s.prefix+"accounts/")
	if err != nil {
		return nil, err
	}
	out := make([]Account, 0, len(entries))
	for _, e := range entries {
		var a Account
		if err := json.Unmarshal(e.Value, &a); err != nil {
			s.log.Warn("skipping an undecodable account record", zap.String("key", e.Key), zap.Error(err))
			continue
		}
		out = append(out, a)
	}
	return out, nil
}

// Bootstrap creates the first admin, user, with password pw, who must
// change it at the first login, if no account exists yet. It reports
// whether it created one; a replica that loses the race creates nothing.
func (s *Service) Bootstrap(ctx context.Context, user, pw string) (bool, error) {
	if !ValidName(user) {
		return false, fmt.Errorf("%w: bootstrap user %q: want a lowercase letter, then up to 31 of a-z 0-9 . _ -", ErrBadInput, user)
	}
	accounts, err := s.listAccounts(ctx)
	if err != nil {
		return false, err
	}
	if len(accounts) > 0 {
		return false, nil
	}
	if err := CheckPassword(user, pw); err != nil {
		return false, fmt.Errorf("bootstrap password: %w", err)
	}
	h, err := s.hash(ctx, pw)
	if err != nil {
		return false, err
	}
	now := s.now()
	err = s.putAccount(ctx, Account{Name: user, Role: RoleAdmin, Hash: h, MustChange: true, Created: now, Updated: now}, 0)
	if errors.Is(err, consul.ErrCASConflict) {
		return false, nil
	}
	return err == nil, err
}

// HasAccounts reports whether any account exists.
func (s *Service) HasAccounts(ctx context.Context) (bool, error) {
	a, err := s.listAccounts(ctx)
	return len(a) > 0, err
}

// Accounts lists the accounts, by name, with their session counts.
func (s *Service) Accounts(ctx context.Context) ([]AccountInfo, error) {
	accounts, err := s.listAccounts(ctx)
	if err != nil {
		return nil, err
	}
	sessions, err := s.listSessions(ctx)
	if err != nil {
		return nil, err
	}
	count := map[string]int{}
	now := s.now()
	for _, ss := range sessions {
		if ss.Expires.After(now) {
			count[ss.User]++
		}
	}
	out := make([]AccountInfo, 0, len(accounts))
	for _, a := range accounts {
		out = append(out, s.info(a, count[a.Name]))
	}
	return out, nil
}

func (s *Service) info(a Account, sessions int) AccountInfo {
	locked := a.LockedUntil.After(s.now())
	i := AccountInfo{Name: a.Name, Role: a.Role, MustChange: a.MustChange, Locked: locked, Failures: a.Failures,
		Created: a.Created, Updated: a.Updated, LastLogin: a.LastLogin, Sessions: sessions}
	if locked {
		i.LockedUntil = a.LockedUntil
	}
	return i
}

// CreateAccount adds an account with a temporary password: its owner must
// change it at the first login.
func (s *Service) CreateAccount(ctx context.Context, name string, role Role, pw string) (AccountInfo, error) {
	if !ValidName(name) {
		return AccountInfo{}, fmt.Errorf("%w: name %q: want a lowercase letter, then up to 31 of a-z 0-9 . _ -", ErrBadInput, name)
	}
	if !role.Valid() {
		return AccountInfo{}, fmt.Errorf("%w: role %q: want admin or viewer", ErrBadInput, role)
	}
	if err := CheckPassword(name, pw); err != nil {
		return AccountInfo{}, err
	}
	h, err := s.hash(ctx, pw)
	if err != nil {
		return AccountInfo{}, err
	}
	now := s.now()
	a := Account{Name: name, Role: role, Hash: h, MustChange: true, Created: now, Updated: now}
	if err := s.putAccount(ctx, a, 0); err != nil {
		if errors.Is(err, consul.ErrCASConflict) {
			return AccountInfo{}, ErrExists
		}
		return AccountInfo{}, err
	}
	return s.info(a, 0), nil
}

// AccountUpdate is a change to an account; nil fields stay.
type AccountUpdate struct {
	Role *Role
	// Password is a new temporary password (the owner must change it).
	Password *string
	// Unlock clears a lockout and the failure count.
	Unlock bool
}

// UpdateAccount changes an account. A new role or password revokes the
// account's sessions.
func (s *Service) UpdateAccount(ctx context.Context, name string, u AccountUpdate) (AccountInfo, error) {
	if u.Role != nil && !u.Role.Valid() {
		return AccountInfo{}, fmt.Errorf("%w: role %q: want admin or viewer", ErrBadInput, *u.Role)
	}
	var hash string
	if u.Password != nil {
		if err := CheckPassword(name, *u.Password); err != nil {
			return AccountInfo{}, err
		}
		var err error
		if hash, err = s.hash(ctx, *u.Password); err != nil {
			return AccountInfo{}, err
		}
	}
	revoke := false
	a, err := s.updateAccount(ctx, name, func(a *Account) error {
		revoke = false
		if u.Role != nil && *u.Role != a.Role {
			if a.Role == RoleAdmin {
				if err := s.otherAdmin(ctx, a.Name); err != nil {
					return err
				}
			}
			a.Role, revoke = *u.Role, true
		}
		if u.Password != nil {
			a.Hash, a.MustChange, revoke = hash, true, true
		}
		if u.Unlock {
			a.Failures, a.LockedUntil = 0, time.Time{}
		}
		a.Updated = s.now()
		return nil
	})
	if err != nil {
		return AccountInfo{}, err
	}
	if revoke {
		if err := s.RevokeUser(ctx, name, ""); err != nil {
			return AccountInfo{}, err
		}
	}
	return s.info(a, 0), nil
}

// otherAdmin fails with ErrLastAdmin unless an admin other than name
// exists.
func (s *Service) otherAdmin(ctx context.Context, name string) error {
	accounts, err := s.listAccounts(ctx)
	if err != nil {
		return err
	}
	for _, o := range accounts {
		if o.Name != name && o.Role == RoleAdmin {
			return nil
		}
	}
	return ErrLastAdmin
}

// DeleteAccount removes an account and revokes its sessions; the last
// admin cannot be removed.
func (s *Service) DeleteAccount(ctx context.Context, name string) error {
	for range maxCASTrials {
		a, idx, err := s.getAccount(ctx, name)
		if err != nil {
			return err
		}
		if a.Role == RoleAdmin {
			if err := s.otherAdmin(ctx, name); err != nil {
				return err
			}
		}
		err = s.kv.DeleteCAS(ctx, s.accountKey(name), idx)
		if errors.Is(err, consul.ErrCASConflict) {
			continue
		}
		if err != nil {
			return err
		}
		return s.RevokeUser(ctx, name, "")
	}
	return ErrConflict
}

// ---- login ----

// Login checks a user's password and opens a session. Wrong names and
// passwords are ErrBadCredentials (after the same work, so that timing does
// not tell a known name); MaxFailures consecutive wrong passwords lock the
// account for Lockout (*LockedError), during which even the right password
// is refused.
func (s *Service) Login(ctx context.Context, user, pw string) (string, Session, error) {
	a, _, err := s.getAccount(ctx, user)
	if errors.Is(err, ErrNotFound) {
		_, _ = s.verify(ctx, s.dummy, pw)
		return "", Session{}, ErrBadCredentials
	}
	if err != nil {
		return "", Session{}, err
	}
	if a.LockedUntil.After(s.now()) {
		return "", Session{}, &LockedError{Until: a.LockedUntil}
	}
	ok, err := s.verify(ctx, a.Hash, pw)
	if err != nil {
		return "", Session{}, err
	}
	if !ok {
		return "", Session{}, s.failed(ctx, user)
	}
	a, err = s.updateAccount(ctx, user, func(a *Account) error {
		if a.LockedUntil.After(s.now()) {
			return &LockedError{Until: a.LockedUntil}
		}
		a.Failures, a.LockedUntil, a.LastLogin = 0, time.Time{}, s.now()
		return nil
	})
	if err != nil {
		return "", Session{}, err
	}
	return s.open(ctx, Session{User: a.Name, Role: a.Role, Kind: KindPassword, MustChange: a.MustChange})
}

// failed counts a wrong password; it returns ErrBadCredentials, or a
// *LockedError when this failure locked the account.
func (s *Service) failed(ctx context.Context, user string) error {
	var locked *LockedError
	_, err := s.updateAccount(ctx, user, func(a *Account) error {
		locked = nil
		now := s.now()
		if a.LockedUntil.After(now) {
			locked = &LockedError{Until: a.LockedUntil}
			return nil
		}
		a.Failures++
		if a.Failures >= s.opts.MaxFailures {
			a.Failures, a.LockedUntil = 0, now.Add(s.opts.Lockout)
			locked = &LockedError{Until: a.LockedUntil}
			s.log.Warn("account locked after failed logins", zap.String("user", user), zap.Time("until", a.LockedUntil))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if locked != nil {
		return locked
	}
	return ErrBadCredentials
}

// ChangePassword sets a new password for the session's user after
// checking the current one (a wrong one counts as a failed login), clears
// the forced change, revokes the user's other sessions and returns the
// updated session.
func (s *Service) ChangePassword(ctx context.Context, sess Session, current, next string) (Session, error) {
	if sess.Kind != KindPassword {
		return Session{}, fmt.Errorf("%w: a wallet sign-in has no password", ErrBadInput)
	}
	if current == next {
		return Session{}, fmt.Errorf("%w: the new password must differ from the current one", ErrWeakPassword)
	}
	if err := CheckPassword(sess.User, next); err != nil {
		return Session{}, err
	}
	a, _, err := s.getAccount(ctx, sess.User)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return Session{}, ErrNoSession
		}
		return Session{}, err
	}
	if a.LockedUntil.After(s.now()) {
		return Session{}, &LockedError{Until: a.LockedUntil}
	}
	ok, err := s.verify(ctx, a.Hash, current)
	if err != nil {
		return Session{}, err
	}
	if !ok {
		if err := s.failed(ctx, sess.User); !errors.Is(err, ErrBadCredentials) {
			return Session{}, err
		}
		return Session{}, fmt.Errorf("%w: the current password is wrong", ErrBadCredentials)
	}
	h, err := s.hash(ctx, next)
	if err != nil {
		return Session{}, err
	}
	a, err = s.updateAccount(ctx, sess.User, func(a *Account) error {
		a.Hash, a.MustChange, a.Failures, a.Updated = h, false, 0, s.now()
		return nil
	})
	if err != nil {
		return Session{}, err
	}
	if err := s.RevokeUser(ctx, sess.User, sess.id); err != nil {
		return Session{}, err
	}
	sess.MustChange, sess.Role = false, a.Role
	if err := s.saveSession(ctx, sess, false); err != nil {
		return Session{}, err
	}
	return sess, nil
}

// ---- sessions ----

// Session is a signed-in operator. The token that names it is only in
// the operator's cookie; KV holds its SHA-256.
type Session struct {
	User       string    `json:"user"`
	Role       Role      `json:"role"`
	Kind       string    `json:"kind"`
	Address    string    `json:"address,omitempty"`
	CSRF       string    `json:"csrf"`
	MustChange bool      `json:"mustChange"`
	Created    time.Time `json:"created"`
	Expires    time.Time `json:"expires"`

	id string
}

// ID is the session's public id (a hash of its token), for logs and
// audit; it does not let anyone use the session.
func (s Session) ID() string {
	if len(s.id) < 12 {
		return s.id
	}
	return s.id[:12]
}

const tokenBytes = 32

func randomToken() (string, error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("making a token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func sessionID(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

func (s *Service) sessionKey(id string) string { return s.prefix + "sessions/" + id }

// open stores a new session and prunes expired and surplus ones.
func (s *Service) open(ctx context.Context, sess Session) (string, Session, error) {
	token, err := randomToken()
	if err != nil {
		return "", Session{}, err
	}
	if sess.CSRF, err = randomToken(); err != nil {
		return "", Session{}, err
	}
	sess.id = sessionID(token)
	sess.Created = s.now()
	sess.Expires = sess.Created.Add(s.opts.SessionTTL)
	if err := s.saveSession(ctx, sess, true); err != nil {
		return "", Session{}, err
	}
	if err := s.prune(ctx, sess.User, sess.id); err != nil {
		s.log.Warn("pruning sessions", zap.Error(err))
	}
	return token, sess, nil
}

func (s *Service) saveSession(ctx context.Context, sess Session, create bool) error {
	b, err := json.Marshal(sess)
	if err != nil {
		return err
	}
	if create {
		return s.kv.CAS(ctx, s.sessionKey(sess.id), b, 0)
	}
	return s.kv.Put(ctx, s.sessionKey(sess.id), b)
}

// Authenticate returns the session a token names.
func (s *Service) Authenticate(ctx context.Context, token string) (Session, error) {
	if len(token) != base64.RawURLEncoding.EncodedLen(tokenBytes) {
		return Session{}, ErrNoSession
	}
	if _, err := base64.RawURLEncoding.DecodeString(token); err != nil {
		return Session{}, ErrNoSession
	}
	id := sessionID(token)
	b, _, found, err := s.kv.Get(ctx, s.sessionKey(id))
	if err != nil {
		return Session{}, err
	}
	if !found {
		return Session{}, ErrNoSession
	}
	var sess Session
	if err := json.Unmarshal(b, &sess); err != nil {
		return Session{}, ErrNoSession
	}
	sess.id = id
	if !sess.Expires.After(s.now()) {
		_ = s.kv.Delete(ctx, s.sessionKey(id))
		return Session{}, ErrNoSession
	}
	return sess, nil
}

// Logout revokes a session on every replica.
func (s *Service) Logout(ctx context.Context, sess Session) error {
	if sess.id == "" {
		return ErrNoSession
	}
	return s.kv.Delete(ctx, s.sessionKey(sess.id))
}

type storedSession struct {
	Session
	key string
}

func (s *Service) listSessions(ctx context.Context) ([]storedSession, error) {
	entries, err := s.kv.List(ctx, s.prefix+"sessions/")
	if err != nil {
		return nil, err
	}
	out := make([]storedSession, 0, len(entries))
	for _, e := range entries {
		var ss storedSession
		if err := json.Unmarshal(e.Value, &ss.Session); err != nil {
			ss.Expires = time.Time{} // undecodable: pruned as expired
		}
		ss.key = e.Key
		ss.id = strings.TrimPrefix(e.Key, s.prefix+"sessions/")
		out = append(out, ss)
	}
	return out, nil
}

// RevokeUser deletes every session of user but the one with id keep.
func (s *Service) RevokeUser(ctx context.Context, user, keep string) error {
	sessions, err := s.listSessions(ctx)
	if err != nil {
		return err
	}
	for _, ss := range sessions {
		if ss.User == user && ss.id != keep {
			if err := s.kv.Delete(ctx, ss.key); err != nil {
				return err
			}
		}
	}
	return nil
}

// prune deletes expired sessions, then the oldest of user beyond
// MaxSessionsPerUser, then the oldest of all beyond MaxSessions, never the
// one just opened (keep).
func (s *Service) prune(ctx context.Context, user, keep string) error {
	sessions, err := s.listSessions(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	live := sessions[:0]
	for _, ss := range sessions {
		if !ss.Expires.After(now) {
			if err := s.kv.Delete(ctx, ss.key); err != nil {
				return err
			}
			continue
		}
		live = append(live, ss)
	}
	slices.SortFunc(live, func(a, b storedSession) int { return a.Created.Compare(b.Created) })
	var mine int
	for _, ss := range live {
		if ss.User == user {
			mine++
		}
	}
	kept := live[:0]
	for _, ss := range live {
		if ss.User == user && mine > s.opts.MaxSessionsPerUser && ss.id != keep {
			mine--
			if err := s.kv.Delete(ctx, ss.key); err != nil {
				return err
			}
			continue
		}
		kept = append(kept, ss)
	}
	excess := len(kept) - s.opts.MaxSessions
	for _, ss := range kept {
		if excess <= 0 {
			break
		}
		if ss.id == keep {
			continue
		}
		if err := s.kv.Delete(ctx, ss.key); err != nil {
			return err
		}
		excess--
	}
	return nil
}

// Sweep deletes expired sessions and wallet challenges; the daemon runs
// it now and then (any replica may: deletions are idempotent).
func (s *Service) Sweep(ctx context.Context) error {
	if err := s.prune(ctx, "", ""); err != nil {
		return err
	}
	_, err := s.pruneNonces(ctx)
	return err
}
