# gridnode — run `make` for the list of targets.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

ROLES   := carrier admin gateway via
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
LDFLAGS := -X github.com/gridnode/gridnode/pkg/service.version=$(VERSION) \
           -X github.com/gridnode/gridnode/pkg/service.commit=$(COMMIT)
GO_TEST ?= go test -count=1 -timeout 30m

.PHONY: help
help: ## show this help
	@printf 'gridnode — a federated compute market node. Targets:\n\n'
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'
	@printf '\nNewcomers: `make demo` to see it run, `make test` to check everything.\n'

.PHONY: setup
setup: ## install and cache every tool the demo and tests need (idempotent)
	hack/setup

.PHONY: build
build: ## build the four daemons and the devnet (the dev chain) into bin/
	@mkdir -p bin
	@for r in $(ROLES); do echo "==> go build $$r"; go build -trimpath -ldflags "$(LDFLAGS)" -o bin/$$r ./$$r/cmd/$$r; done
	@echo "==> go build devnet"; go build -trimpath -ldflags "$(LDFLAGS)" -o bin/devnet ./hack/devnet

.PHONY: demo demo-down
demo: setup build ## set everything up, then run the two-org market demo (Ctrl-C or make demo-down stops it)
	go run ./hack/demo -bin bin $(DEMO_FLAGS)

demo-down: ## stop a running demo (from another terminal) and make sure nothing is left
	hack/demo-down

.PHONY: test
test: ## set up, then run every test tier (setup lint test-unit test-e2e, then test-browser alongside test-ansible), timing each
	@MAKE="$(MAKE)" hack/tiers setup lint test-unit test-e2e test-browser+test-ansible

.PHONY: test-unit
test-unit: ## unit and integration tests (contracts on the simulated chain, lifecycle, devnet)
	@echo "==> unit and integration tests"
	$(GO_TEST) -parallel 4 $$(go list ./... | grep -v /test/e2e)

.PHONY: test-e2e
test-e2e: ## end-to-end tests on the built daemon binaries (the settlement crash trials run alongside the rest)
	@echo "==> end-to-end tests; the settlement crash trials run alongside, their log follows the rest"
	@log=$$(mktemp); \
	  $(GO_TEST) -v -run '^TestChainSettlementCrash$$' ./test/e2e/ >"$$log" 2>&1 & crash=$$!; \
	  rc=0; $(GO_TEST) -v -skip 'TestAdminBrowser|TestChainSettlementCrash' ./test/e2e/... || rc=$$?; \
	  crc=0; wait $$crash || crc=$$?; echo "==> settlement crash trials (exit $$crc):"; cat "$$log"; rm -f "$$log"; \
	  [ $$rc -eq 0 ] && [ $$crc -eq 0 ]

.PHONY: soak
soak: setup ## run the e2e tier N times in a row (make soak N=10; default 10), stopping at the first failure with its output
	@MAKE="$(MAKE)" hack/soak $(or $(N),10)

.PHONY: test-browser
test-browser: ## the admin console in Chromium on a two-org stack; screenshots in test/browser/out
	@echo "==> browser tests (playwright-core, Debian chromium)"
	@mkdir -p test/browser/out
	$(GO_TEST) -v -run TestAdminBrowser -artifacts -outputdir $(CURDIR)/test/browser/out ./test/e2e/

.PHONY: web
web: ## rebuild the admin console app (admin/web/dist, embedded in admin; commit it)
	hack/setup web
	cd admin/web && ./node_modules/.bin/vite build

.PHONY: test-ansible
test-ansible: build ## lint the playbooks, then deploy two orgs on systemd-nspawn hosts (root; see docs/operations.md)
	hack/setup ansible
	@echo "==> ansible: role variables match the flags, yamllint, ansible-lint (production profile)"
	go run ./hack/ansible-flags -check
	yamllint -s -c ansible/.yamllint ansible inventories
	cd ansible && ansible-lint --offline -q
	@echo "==> ansible: real run on systemd-nspawn hosts"
	GRIDNODE_LAB_DIR=$${GRIDNODE_LAB_DIR:-/tmp/gridnode-ansible-lab}; \
	  $(GO_TEST) -tags ansible -v -run TestAnsibleDeploy ./test/ansible/ || rc=$$?; \
	  hack/nspawn-hosts down "$$GRIDNODE_LAB_DIR" >/dev/null; exit $${rc:-0}

.PHONY: lint
lint: ## gofmt, go vet, pinned deps build, binding and config-doc drift checks
	@echo "==> gofmt"
	@out=$$(gofmt -l $$(git ls-files '*.go') $$(git ls-files --others --exclude-standard '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	@echo "==> go vet"
	go vet ./...
	go vet -tags benchgw ./gateway/internal/api
	@echo "==> pinned dependencies build together"
	go build -tags pins ./hack/pins
	@echo "==> contract bindings match the sources"
	hack/check-contracts
	@echo "==> embedded console app matches its sources"
	hack/check-web
	@echo "==> configuration reference matches the flags"
	go run ./hack/configdoc -check
	@echo "==> ansible role variables match the flags"
	go run ./hack/ansible-flags -check

.PHONY: contracts
contracts: ## recompile the contracts and regenerate their Go bindings
	hack/setup npm
	go generate ./contracts

.PHONY: docs
docs: ## regenerate the configuration reference (docs/config) from the daemons' flags
	go run ./hack/configdoc
	go run ./hack/ansible-flags

.PHONY: bench
bench: setup build ## run every benchmark and write docs/benchmarks.md, one table (method: docs/benchmarking.md)
	hack/setup bench
	go run ./hack/benchtable

.PHONY: kube-up kube-status kube-down
kube-up: ## start the local real Kubernetes node (root; prints its kubeconfig; see docs/kubernetes.md)
	hack/setup k8s node
	go run ./hack/kube-node up

kube-status: ## show the local Kubernetes node's components and readiness
	go run ./hack/kube-node status

kube-down: ## stop the local Kubernetes node and remove everything it created
	go run ./hack/kube-node down

.PHONY: clean
clean: ## remove build outputs (the tool cache in ~/.cache/gridnode stays)
	rm -rf bin
