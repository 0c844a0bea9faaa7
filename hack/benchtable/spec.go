package main

// commands is what `make bench` runs, in order, and the figures of the
// table: the one place that says which benchmark gives which figure and
// what its target is. docs/benchmarking.md explains each of them.
//
// The first ten are the commands the Makefile ran before this table
// existed, with the same settings; the last two are cheap Go benchmarks
// whose figures docs/benchmarks.md kept by hand (the app path's checks, the
// admin console's costs).
var commands = []command{
	{
		name: "gas", title: "Contract gas", area: "Contract gas",
		run: `go test -run '^$' -bench Gas -benchtime 10x ./contracts/`,
		figures: []figure{
			{label: "`settle`, payee has credit", src: bench("BenchmarkSettleGas/settle", "gas/op"), unit: "gas", target: atMost(40000, "≤ 40,000 gas")},
			{label: "`settle`, payee at zero (first payment: a fresh storage slot)", src: bench("BenchmarkSettleGas/settle-payee-zero", "gas/op"), unit: "gas", target: atMost(60000, "≤ 60,000 gas")},
			{label: "`settleBatch` of 1", src: bench("BenchmarkSettleGas/batch1", "gas/op"), unit: "gas"},
			{label: "`settleBatch` of 5, per order", src: bench("BenchmarkSettleGas/batch5", "gas/order"), unit: "gas"},
			{label: "`settleBatch` of 20, per order", src: bench("BenchmarkSettleGas/batch20", "gas/order"), unit: "gas", target: atMost(12000, "≤ 12,000 gas")},
			{label: "`settleBatch` of 20, payee at zero, per order", src: bench("BenchmarkSettleGas/batch20-payee-zero", "gas/order"), unit: "gas", target: atMost(20000, "≤ 20,000 gas")},
			{label: "`deposit`, account has credit", src: bench("BenchmarkMarketGas/deposit", "gas/op"), unit: "gas"},
			{label: "`deposit`, an account's first", src: bench("BenchmarkMarketGas/deposit-first", "gas/op"), unit: "gas"},
			{label: "`createOrder`", src: bench("BenchmarkMarketGas/createOrder", "gas/op"), unit: "gas"},
			{label: "`cancel` mid-way", src: bench("BenchmarkMarketGas/cancel", "gas/op"), unit: "gas"},
			{label: "`extend` by an hour", src: bench("BenchmarkMarketGas/extend", "gas/op"), unit: "gas"},
			{label: "`close` mid-way (by the payee)", src: bench("BenchmarkMarketGas/close", "gas/op"), unit: "gas"},
			{label: "`updateManifest`", src: bench("BenchmarkMarketGas/updateManifest", "gas/op"), unit: "gas"},
			{label: "`withdraw`, partial", src: bench("BenchmarkMarketGas/withdraw", "gas/op"), unit: "gas"},
			{label: "`Registry.register`, with the provider's proof", src: bench("BenchmarkRegistryGas/register", "gas/op"), unit: "gas"},
			{label: "`Registry.transfer`, with the provider's proof", src: bench("BenchmarkRegistryGas/transfer", "gas/op"), unit: "gas"},
		},
	},
	{
		name: "directory", title: "Directory", area: "Directory",
		run:     `go test -run '^$' -bench . -benchtime 3s ./carrier/internal/directory/`,
		figures: directoryFigures(),
	},
	{
		name: "federation-publish", title: "Federation publish", area: "Federation",
		run: `go test -run '^$' -bench BenchmarkPublishAllReceived -benchtime 200x ./carrier/internal/p2p/`,
		figures: []figure{
			{label: "publish → stored by all 50 carriers, p50", src: bench("BenchmarkPublishAllReceived", "p50-ms"), unit: "ms"},
			{label: "publish → stored by all 50 carriers, p99", src: bench("BenchmarkPublishAllReceived", "p99-ms"), unit: "ms", target: atMost(100, "≤ 100 ms")},
		},
	},
	{
		name: "federation-sync", title: "Federation late joiner", area: "Federation",
		run: `go test -run '^$' -bench BenchmarkLateJoinerSync -benchtime 5x ./carrier/internal/p2p/`,
		figures: []figure{
			{label: "late joiner holds 10,000 listings (mean)", src: bench("BenchmarkLateJoinerSync", "ms/sync"), unit: "ms", target: atMost(1000, "≤ 1 s")},
		},
	},
	{
		name: "discovery", title: "Discovery", area: "Discovery (Consul)",
		run: `go test -run '^$' -bench 'WatchLatency|Takeover' ./pkg/consul/`,
		figures: []figure{
			{label: "registration → watcher update, no check, p50", src: bench("BenchmarkWatchLatency/no-check", "appear-p50-ms"), unit: "ms"},
			{label: "registration → watcher update, no check, p99", src: bench("BenchmarkWatchLatency/no-check", "appear-p99-ms"), unit: "ms"},
			{label: "deregistration → watcher update, p50", src: bench("BenchmarkWatchLatency/no-check", "leave-p50-ms"), unit: "ms"},
			{label: "deregistration → watcher update, p99", src: bench("BenchmarkWatchLatency/no-check", "leave-p99-ms"), unit: "ms"},
			{label: "registration → watcher update, with the HTTP check (1 s interval), p50", src: bench("BenchmarkWatchLatency/http-check", "appear-p50-ms"), unit: "ms"},
			{label: "registration → watcher update, with the HTTP check (1 s interval), p99", src: bench("BenchmarkWatchLatency/http-check", "appear-p99-ms"), unit: "ms"},
			{label: "takeover after the leader stops cleanly, p50", src: bench("BenchmarkTakeover/clean-stop", "takeover-p50-ms"), unit: "ms"},
			{label: "takeover after the leader dies hard (no health check: 2×TTL + lock delay), p50", src: bench("BenchmarkTakeover/hard-death", "takeover-p50-ms"), scale: 1e-3, unit: "s"},
		},
	},
	{
		name: "deploy", title: "Gateway deploy", area: "Gateway deploy",
		run: `go test -run '^$' -bench ManifestToReady -benchtime 30x ./gateway/internal/deploy/`,
		figures: []figure{
			{label: "manifest URL → Ready (kwok), p50", src: bench("BenchmarkManifestToReady", "ready-p50-ms"), unit: "ms", target: atMost(1000, "≤ 1 s")},
			{label: "manifest URL → Ready (kwok), p99", src: bench("BenchmarkManifestToReady", "ready-p99-ms"), unit: "ms"},
			{label: "the Deploy call (fetch to apply), p50", src: bench("BenchmarkManifestToReady", "deploy-p50-ms"), unit: "ms"},
			{label: "the Deploy call (fetch to apply), p99", src: bench("BenchmarkManifestToReady", "deploy-p99-ms"), unit: "ms"},
		},
	},
	{
		name: "via-edge", title: "Via in-process", area: "Via (in-process)",
		run: `go test -run '^$' -bench Proxy -benchmem -benchtime 3s ./via/internal/edge/`,
		figures: []figure{
			{label: "proxied GET, bare edge (no rate limit, no access log)", src: bench("BenchmarkProxy/bare", "ns/op"), scale: 1e-3, unit: "µs"},
			{label: "proxied GET, bare edge, allocations", src: bench("BenchmarkProxy/bare", "allocs/op"), unit: "allocs"},
			{label: "proxied GET, defaults (rate limiter, access log)", src: bench("BenchmarkProxy/defaults", "ns/op"), scale: 1e-3, unit: "µs"},
			{label: "proxied GET, defaults, allocations", src: bench("BenchmarkProxy/defaults", "allocs/op"), unit: "allocs"},
		},
	},
	{
		name: "settlement", title: "Settlement crash trials", area: "Settlement",
		run: `GRIDNODE_CRASH_TRIALS=100 go test -count=1 -timeout 30m -run TestChainSettlementCrash -v ./test/e2e/`,
		figures: []figure{
			{label: "trials (kill -9 of the carrier + restart)", src: fig("trials")},
			{label: "orders", src: fig("orders")},
			{label: "**double payments** (orders with more than one `OrderSettled`)", src: fig("double_payments"), target: exactly(0, "0")},
			{label: "**ended orders left unsettled**", src: fig("unsettled"), target: exactly(0, "0")},
			{label: "provider paid − Σ escrows", src: fig("paid_minus_escrows"), unit: "base units", target: exactly(0, "0")},
			{label: "journal intents not confirmed, or whose receipt disagrees with the journal", src: fig("journal_disagreements"), target: exactly(0, "0")},
			{label: "settlements on chain not sent by a journaled intent", src: fig("unjournaled_settlements"), target: exactly(0, "0")},
			{label: "settlement transactions", src: fig("settle_txs")},
			{label: "orders per settlement transaction", src: fig("orders_per_tx")},
			{label: "settlement transactions that settled nothing", src: fig("txs_settled_nothing")},
			{label: "batches written but found unnecessary before sending", src: fig("batches_not_sent")},
			{label: "settlement gas per order", src: fig("gas_per_order"), unit: "gas"},
			{label: "catch-up after the last restart (every ended order settled)", src: fig("catch_up_s"), unit: "s"},
			{label: "crash phase (all trials)", src: fig("crash_phase_s"), unit: "s"},
		},
	},
	{
		name: "via", title: "Via", area: "Via",
		run: `hack/bench-via`,
		figures: []figure{
			{label: "throughput, access logs on (wrk, median round)", src: fig("via.rps"), unit: "rps",
				target: atLeast(1, "≥ 1.0× nginx").of(fig("via.rps_ratio")),
				cmp:    &comparison{label: "nginx", src: fig("nginx.rps"), unit: "rps", ratio: true, ratioSrc: ptr(fig("via.rps_ratio"))}},
			{label: "throughput, access logs off", src: fig("via_nolog.rps"), unit: "rps",
				target: atLeast(1, "≥ 1.0× nginx").of(fig("via_nolog.rps_ratio")),
				cmp:    &comparison{label: "nginx", src: fig("nginx_nolog.rps"), unit: "rps", ratio: true, ratioSrc: ptr(fig("via_nolog.rps_ratio"))}},
			{label: "the upstream alone (direct), for scale", src: fig("direct.rps"), unit: "rps"},
			{label: "the floor: a Go proxy that only copies bytes (no HTTP, no log; `hack/loadgen floor`)", src: fig("floor.rps"), unit: "rps",
				cmp: &comparison{label: "nginx, logs off", src: fig("nginx_nolog.rps"), unit: "rps", ratio: true, ratioSrc: ptr(fig("floor.rps_ratio"))}},
			{label: "the floor's CPU per request", src: fig("floor.cpu"), unit: "µs",
				cmp: &comparison{label: "nginx, logs off", src: fig("nginx_nolog.cpu"), unit: "µs", ratio: true, ratioSrc: ptr(fig("floor.cpu_ratio"))}},
			{label: "proxy CPU per request, access logs on", src: fig("via.cpu"), unit: "µs",
				cmp: &comparison{label: "nginx", src: fig("nginx.cpu"), unit: "µs", ratio: true, ratioSrc: ptr(fig("via.cpu_ratio"))}},
			{label: "proxy CPU per request, access logs off", src: fig("via_nolog.cpu"), unit: "µs",
				cmp: &comparison{label: "nginx", src: fig("nginx_nolog.cpu"), unit: "µs", ratio: true, ratioSrc: ptr(fig("via_nolog.cpu_ratio"))}},
			{label: "p99 at saturation (wrk; mostly queueing), access logs on", src: fig("via.p99"), unit: "ms",
				cmp: &comparison{label: "nginx", src: fig("nginx.p99"), unit: "ms"}},
			{label: "fixed rate of the latency runs (open loop, below saturation)", src: fig("rate.rps"), unit: "req/s"},
			{label: "p50 added over the upstream alone, fixed rate", src: fig("rate.via.p50_added"), unit: "ms",
				cmp: &comparison{label: "nginx", src: fig("rate.nginx.p50_added"), unit: "ms"}},
			{label: "p99 added over the upstream alone, fixed rate", src: fig("rate.via.p99_added"), unit: "ms",
				target: atMost(1, "≤ 1 ms"),
				cmp:    &comparison{label: "nginx", src: fig("rate.nginx.p99_added"), unit: "ms"}},
			{label: "the floor's p99 added over the upstream alone, fixed rate", src: fig("rate.floor.p99_added"), unit: "ms"},
			{label: "load run against via (access log on): connections", src: fig("load.conns")},
			{label: "load run: errors (non-2xx + socket)", src: fig("load.errors"), target: exactly(0, "0")},
			{label: "load run: requests", src: fig("load.requests")},
			{label: "load run: p99 (queueing)", src: fig("load.p99"), unit: "ms"},
			{label: "load run: via's CPU per request", src: fig("load.cpu"), unit: "µs"},
			{label: "via's RSS peak before the load run", src: fig("load.rss_peak_before_mib"), unit: "MiB"},
			{label: "via's RSS peak after the load run", src: fig("load.rss_peak_after_mib"), unit: "MiB"},
		},
	},
	{
		name: "gateway", title: "Gateway", area: "Gateway",
		run: `hack/bench-gateway`,
		figures: []figure{
			{label: "app proxy throughput (session + order check + proxy; wrk, median round)", src: fig("gateway.rps"), unit: "rps",
				target: atLeast(1, "≥ 1.0× nginx").of(fig("gateway.rps_ratio")),
				cmp:    &comparison{label: "nginx", src: fig("nginx.rps"), unit: "rps", ratio: true, ratioSrc: ptr(fig("gateway.rps_ratio"))}},
			{label: "the upstream alone (direct), for scale", src: fig("direct.rps"), unit: "rps"},
			{label: "app proxy p99 at saturation", src: fig("gateway.p99"), unit: "ms",
				cmp: &comparison{label: "nginx", src: fig("nginx.p99"), unit: "ms", ratio: true}},
			{label: "app proxy CPU per request", src: fig("gateway.cpu"), unit: "µs",
				cmp: &comparison{label: "nginx", src: fig("nginx.cpu"), unit: "µs", ratio: true}},
			{label: "session check per request, a token seen before (one core)", src: bench("BenchmarkSessionVerify", "ns/op"), unit: "ns", target: atMost(5000, "≤ 5 µs")},
			{label: "session check, a token's first sight on a replica (one core)", src: bench("BenchmarkSessionVerifyCold", "ns/op"), scale: 1e-3, unit: "µs"},
			{label: "login verifications per second per core", src: bench("BenchmarkLoginVerify", "verifications/s"), unit: "per s", target: atLeast(20000, "≥ 20,000 per s")},
		},
	},
	{
		name: "gateway-app", title: "Gateway app path", area: "Gateway",
		run: `go test -run '^$' -bench AppRequestCheck -benchtime 2s ./gateway/internal/api`,
		figures: []figure{
			{label: "everything the app path adds before proxying, bearer token", src: bench("BenchmarkAppRequestCheck/bearer", "ns/op"), scale: 1e-3, unit: "µs"},
			{label: "everything the app path adds before proxying, cookie", src: bench("BenchmarkAppRequestCheck/cookie", "ns/op"), scale: 1e-3, unit: "µs"},
		},
	},
	{
		name: "admin", title: "Admin console", area: "Admin console",
		run: `go test -run '^$' -bench . -benchtime 2s ./admin/internal/auth ./admin/internal/audit`,
		figures: []figure{
			{label: "argon2id check of one password", src: bench("BenchmarkVerifyPassword", "ns/op"), scale: 1e-6, unit: "ms"},
			{label: "a whole password sign-in", src: bench("BenchmarkLogin", "ns/op"), scale: 1e-6, unit: "ms"},
			{label: "session check of an API request (one KV read)", src: bench("BenchmarkAuthenticate", "ns/op"), scale: 1e-6, unit: "ms"},
			{label: "one audit entry appended", src: bench("BenchmarkAppend", "ns/op"), scale: 1e-6, unit: "ms"},
			{label: "a page of 100 audit entries from a full ring", src: bench("BenchmarkList", "ns/op"), scale: 1e-6, unit: "ms"},
		},
	},
}

// directoryFigures: p50 and p99 of each query shape, then the memory.
func directoryFigures() []figure {
	shapes := []struct{ name, what string }{
		{"all-by-price", "every listing priced"},
		{"request-by-price", "a request of 2 cores, 4 GiB, 20 GiB"},
		{"request-max-price", "the request and a maximum price"},
		{"labels-region-by-price", "2 labels and a region"},
		{"gpu-by-price", "2 × nvidia-h100"},
		{"request-by-freshness", "the request, newest first"},
	}
	var fs []figure
	for _, s := range shapes {
		b := "BenchmarkQueryTop10/" + s.name
		fs = append(fs,
			figure{label: "top-10 of 100k, `" + s.name + "` (" + s.what + "), p50", src: bench(b, "p50-µs"), unit: "µs"},
			figure{label: "top-10 of 100k, `" + s.name + "`, p99", src: bench(b, "p99-µs"), unit: "µs", target: atMost(2000, "≤ 2 ms")},
		)
	}
	return append(fs, figure{label: "memory per listing (100k listings held)", src: bench("BenchmarkMemoryPerListing", "B/listing"), unit: "B"})
}

func ptr[T any](v T) *T { return &v }
