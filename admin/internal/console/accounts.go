package console

import (
	"net/http"
	"strconv"

	"github.com/gridnode/gridnode/admin/internal/audit"
	"github.com/gridnode/gridnode/admin/internal/auth"
)

func (c *Console) accounts(_ http.ResponseWriter, r *http.Request, _ *reqCtx) (any, error) {
	return c.auth.Accounts(r.Context())
}

func (c *Console) createAccount(_ http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	var in struct {
		Name     string    `json:"name"`
		Role     auth.Role `json:"role"`
		Password string    `json:"password"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return nil, err
	}
	rc.target, rc.detail = in.Name, map[string]string{"role": string(in.Role)}
	return c.auth.CreateAccount(r.Context(), in.Name, in.Role, in.Password)
}

func (c *Console) updateAccount(_ http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	var in struct {
		Role     *auth.Role `json:"role"`
		Password *string    `json:"password"`
		Unlock   bool       `json:"unlock"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return nil, err
	}
	name := r.PathValue("name")
	rc.target, rc.detail = name, map[string]string{}
	if in.Role != nil {
		rc.detail["role"] = string(*in.Role)
	}
	if in.Password != nil {
		rc.detail["password"] = "reset"
	}
	if in.Unlock {
		rc.detail["unlock"] = "true"
	}
	return c.auth.UpdateAccount(r.Context(), name, auth.AccountUpdate{Role: in.Role, Password: in.Password, Unlock: in.Unlock})
}

func (c *Console) deleteAccount(_ http.ResponseWriter, r *http.Request, rc *reqCtx) (any, error) {
	name := r.PathValue("name")
	rc.target = name
	if name == rc.sess.User {
		return nil, errorf(http.StatusConflict, "conflict", "you cannot delete your own account")
	}
	if err := c.auth.DeleteAccount(r.Context(), name); err != nil {
		return nil, err
	}
	return map[string]bool{"ok": true}, nil
}

func (c *Console) auditLog(_ http.ResponseWriter, r *http.Request, _ *reqCtx) (any, error) {
	q := r.URL.Query()
	var query audit.Query
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return nil, badRequest("before %q: want a sequence number", v)
		}
		query.Before = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1000 {
			return nil, badRequest("limit %q: want 0 to 1000", v)
		}
		query.Limit = n
	}
	query.Actor, query.Result, query.Text = q.Get("actor"), q.Get("result"), q.Get("q")
	return c.audit.List(r.Context(), query)
}
