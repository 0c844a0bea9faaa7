// Package via is the via daemon: the organization's single public entry: an
// HTTP(S) edge that routes /gw/{provider}/… to the org's healthy gateways
// (and /admin/… to admin, if enabled) as found in Consul, and a libp2p
// circuit relay for the org's carriers. docs/via.md describes both.
package via
