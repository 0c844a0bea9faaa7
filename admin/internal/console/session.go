package console

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/admin/internal/auth"
	"github.com/gridnode/gridnode/pkg/carrierapi"
)

// SessionView is what the console knows of its session.
type SessionView struct {
	User       string    `json:"user"`
	Role       auth.Role `json:"role"`
	Kind       string    `json:"kind"`
	Address    string    `json:"address,omitempty"`
	MustChange bool      `json:"mustChange"`
	// CSRF goes back in the X-CSRF-Token header of every mutating request.
	CSRF    string    `json:"csrf"`
	Expires time.Time `json:"expires"`
	Org     string    `json:"org"`
}

func (c *Console) view(s auth.Session) SessionView {
	return SessionView{User: s.User, Role: s.Role, Kind: s.Kind, Address: s.Address, MustChange: s.MustChange,
		CSRF: s.CSRF, Expires: s.Expires, Org: c.opts.Org}
}

// LoginOptions tells the sign-in page what it can offer.
type LoginOptions struct {
	Org     string `json:"org"`
	OrgName string `json:"orgName,omitempty"`
	Version string `json:"version"`
	Wallet  bool   `json:"wallet"`
	// NoAccounts: the organization has no operator account yet (admin runs
	// without --bootstrap-password-file): nobody can sign in.
	NoAccounts bool `json:"noAccounts,omitempty"`
}

func (c *Console) loginOptions(_ http.ResponseWriter, r *http.Request, _ *reqCtx) (any, error) {
	o := LoginOptions{Org: c.opts.Org, Version: c.opts.Version, Wallet: c.auth.WalletEnabled()}
	if s, err := c.org.Settings(r.Context()); err == nil {
		o.OrgName = s.OrgName
	}
	if ok, err := c.auth.HasAccounts(r.Context()); err == nil && !ok {
		o.NoAccounts = true
	}
	return o, nil
}

func (c *Console) rateLimit(rc *reqCtx) error {
	if ok, wait := c.limiter.allow(rc.peer.ip); !ok {
		return &apiError{Status: http.StatusTooManyRequests, Code: "rate_limited",
			Message: "too many sign-in attempts from your address; wait " + strconv.Itoa(int(wait/time.Second)+1) + " s", RetryAfter: wait}
	}
	return nil
}

func clipName(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

func (c *Console) login(w http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return nil, err
	}
	rc.actor = clipName(in.Username)
	if err := c.rateLimit(rc); err != nil {
		return nil, err
	}
	token, sess, err := c.auth.Login(r.Context(), in.Username, in.Password)
	if err != nil {
		return nil, err
	}
	rc.sess = &sess
	c.setSessionCookie(w, rc.peer, token, sess.Expires)
	return c.view(sess), nil
}

func (c *Console) walletChallenge(_ http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	var in struct {
		Address string `json:"address"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return nil, err
	}
	if !common.IsHexAddress(in.Address) {
		return nil, badRequest("address %q: want 0x and 40 hex digits", in.Address)
	}
	addr := common.HexToAddress(in.Address)
	rc.actor, rc.target = "wallet:"+addr.Hex(), addr.Hex()
	if err := c.rateLimit(rc); err != nil {
		return nil, err
	}
	return c.auth.WalletChallenge(r.Context(), auth.ChallengeRequest{
		Address: addr, Domain: rc.peer.host, URI: rc.peer.proto + "://" + rc.peer.host + rc.peer.prefix + "/",
		ChainID: c.chainID(r.Context()),
	})
}

// chainID is the chain's id for wallet messages: the carrier's, else the
// chain RPC's, else 1.
func (c *Console) chainID(ctx context.Context) uint64 {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if resp, err := c.carrier.Do(ctx, "GET", "chain", nil, nil, ""); err == nil && resp.Status == http.StatusOK {
		var s carrierapi.ChainStatus
		if json.Unmarshal(resp.Body, &s) == nil {
			if id, err := strconv.ParseUint(s.ChainID, 10, 64); err == nil && id > 0 {
				return id
			}
		}
	}
	if h, err := c.org.ChainHead(ctx); err == nil && h.ChainID > 0 {
		return h.ChainID
	}
	return 1
}

func (c *Console) walletLogin(w http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	var in struct {
		Message   string `json:"message"`
		Signature string `json:"signature"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return nil, err
	}
	rc.actor = "(wallet)"
	if err := c.rateLimit(rc); err != nil {
		return nil, err
	}
	token, sess, err := c.auth.WalletLogin(r.Context(), in.Message, in.Signature)
	if err != nil {
		return nil, err
	}
	rc.sess = &sess
	c.setSessionCookie(w, rc.peer, token, sess.Expires)
	return c.view(sess), nil
}

func (c *Console) session(_ http.ResponseWriter, _ *http.Request, rc *reqCtx) (any, error) {
	return c.view(*rc.sess), nil
}

func (c *Console) logout(w http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	if err := c.auth.Logout(r.Context(), *rc.sess); err != nil {
		return nil, err
	}
	c.clearSessionCookie(w, rc.peer)
	return map[string]bool{"ok": true}, nil
}

func (c *Console) changePassword(_ http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	var in struct {
		Current string `json:"current"`
		New     string `json:"new"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return nil, err
	}
	rc.target = rc.sess.User
	if err := c.rateLimit(rc); err != nil {
		return nil, err
	}
	sess, err := c.auth.ChangePassword(r.Context(), *rc.sess, in.Current, in.New)
	if err != nil {
		return nil, err
	}
	return c.view(sess), nil
}
