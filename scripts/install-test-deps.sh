#!/usr/bin/env bash
# Ensure the Debian packages the test suite needs are installed:
#   postgresql  server binaries /usr/lib/postgresql/<ver>/bin/{initdb,pg_ctl} (tests/support/pg_cluster.py)
#   chromium    /usr/bin/chromium, for the browser tests
#
# Idempotent and fast when everything is present (no apt calls at all).
# Missing + root      -> apt-get update (once) and install.
# Missing + not root  -> explain and exit 0 (the tests that need them skip with a reason),
#                        except with CI=true, where anything still missing is exit 1.
# The packaged PostgreSQL service may be started by the install; nothing relies on it.
set -euo pipefail

APT_PACKAGES=(postgresql chromium)

have_pg() {
    local d
    for d in /usr/lib/postgresql/*/bin; do
        [[ -x "$d/initdb" && -x "$d/pg_ctl" ]] && return 0
    done
    return 1
}

have_chromium() {
    [[ -x /usr/bin/chromium ]] || command -v chromium >/dev/null 2>&1
}

missing() {
    local out=()
    have_pg || out+=(postgresql)
    have_chromium || out+=(chromium)
    echo "${out[@]:-}"
}

is_ci() { [[ "${CI:-}" == "true" || "${CI:-}" == "1" ]]; }

todo="$(missing)"
if [[ -z "$todo" ]]; then
    echo "install-test-deps: postgresql and chromium present"
    exit 0
fi

echo "install-test-deps: missing: $todo"
if [[ "$(id -u)" -ne 0 ]]; then
    msg="install-test-deps: not root, cannot install. Run as root:
    apt-get update && apt-get install -y --no-install-recommends ${APT_PACKAGES[*]}"
    if is_ci; then
        echo "$msg" >&2
        echo "install-test-deps: CI=true and test dependencies are missing: failing" >&2
        exit 1
    fi
    echo "$msg" >&2
    echo "install-test-deps: the tests that need them will be skipped" >&2
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt_opts=(-q -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300)
status=0
apt-get "${apt_opts[@]}" update || status=$?
if [[ $status -eq 0 ]]; then
    apt-get "${apt_opts[@]}" install -y --no-install-recommends "${APT_PACKAGES[@]}" </dev/null || status=$?
fi

todo="$(missing)"
if [[ -n "$todo" ]]; then
    echo "install-test-deps: still missing after apt-get (exit $status): $todo" >&2
    if is_ci; then
        exit 1
    fi
    echo "install-test-deps: the tests that need them will be skipped" >&2
    exit 0
fi
echo "install-test-deps: installed ${APT_PACKAGES[*]}"
