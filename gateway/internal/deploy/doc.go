// Package deploy turns a buyer's manifest URL into a running app in the
// provider's Kubernetes cluster: it fetches the manifest safely
// (pkg/manifest), checks its hash against the order, decodes it with
// Kubernetes' universal decoder, refuses what the provider must not run,
// fills restricted Pod Security defaults, checks that it fits the order and
// applies it with server-side apply into a namespace of its own per order,
// fenced by a ResourceQuota, a LimitRange and a default-deny NetworkPolicy.
// It also reports status, events, logs, the app's entrypoint and the
// cluster's free capacity. docs/gateway-deploy.md describes the rules.
package deploy
