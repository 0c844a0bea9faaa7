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
	run_retry $sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive run_retry $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# jq_dir reads `go mod download -json` output and prints its Dir, without jq
# (setup may run before jq is installed).
jq_dir() {
	sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' | head -1
}
