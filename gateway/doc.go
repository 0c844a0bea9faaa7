// Package gateway is the gateway daemon: the provider side of the market.
// It checks a buyer's order on chain (internal/orders), authenticates the
// buyer by an EIP-712 signature and issues a session scoped to the order
// (internal/auth; nonces and revocations shared by replicas in Consul KV),
// deploys the buyer's Kubernetes manifest into a namespace of the order
// (internal/deploy, torn down by internal/reconcile when the order ends),
// reverse-proxies the buyer's traffic to the app (internal/proxy) and
// keeps the provider's signed listing published through the carrier
// (internal/identity). Its HTTP API is internal/api, documented in
// docs/gateway-api.yaml.
//
// The root wires: config.go (Config, Defaults, Validate), flags.go (every
// flag, the deployer's too), chain.go (the order check's source, a session
// of pkg/chain's settings follower), deploy.go (the deployer's adapters and
// error codes).
package gateway
