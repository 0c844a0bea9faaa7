# Shared shell helpers for hack/ scripts. Source it; do not run it.

GRIDNODE_CACHE=${GRIDNODE_CACHE:-$HOME/.cache/gridnode}
export GRIDNODE_CACHE

progress() { printf '==> %s\n' "$*" >&2; }
die() {
	printf 'error: %s\n' "$*" >&2
	exit 1
}

# run_retry runs a command, and once more if it fails (registries and dpkg
# have transient faults).
run_retry() {
	"$@" && return 0
	progress "retrying once: $*"
	sleep 2
	"$@"
}

# ensure_apt installs the Debian packages that are missing, with one retry.
ensure_apt() {
	local missing=()
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		progress "apt packages present: $*"
		return 0
	fi
	progress "apt: installing ${missing[*]}"
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	# Packages such as nginx start their service on install; the project
	# starts what it needs itself, on its own ports, and stops it again.
	# A policy-rc.d that says "no" keeps installs from starting services.
	local policy=/usr/sbin/policy-rc.d own_policy=""
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
		$sudo chmod 755 "$policy"
		own_policy=1
	fi
	run_retry $sudo apt-get update -qq
	local rc=0
	DEBIAN_FRONTEND=noninteractive run_retry $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" || rc=$?
	[ -z "$own_policy" ] || $sudo rm -f "$policy"
	return $rc
}

# jq_dir reads `go mod download -json` output and prints its Dir, without jq
# (setup may run before jq is installed).
jq_dir() {
	sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' | head -1
}
