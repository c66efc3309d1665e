# Shared by .ci/run and .ci/test (sourced): install system packages the tests need, or say exactly
# what is missing. A capability can be left out only explicitly: ADOPTSCORE_TEST_SKIP="browser
# libreoffice postgres spark snowflake" (space or comma separated); the tests of a skipped capability skip,
# saying so; every other missing piece is a failure, never a silent skip.
export DEBIAN_FRONTEND=noninteractive
APT_UPDATED="${APT_UPDATED:-}"

skipping() {
  # skipping NAME: true when the user opted out of NAME's tests.
  local skip="${ADOPTSCORE_TEST_SKIP:-}"
  case " ${skip//,/ } " in *" $1 "*) echo "test setup: $1 tests skipped (ADOPTSCORE_TEST_SKIP)"; return 0 ;; esac
  return 1
}

can_install() {
  [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1
}

apt_install() {
  # apt_install CAPABILITY PACKAGE...: installs the Debian packages not yet installed (one
  # `apt-get update` per run at most); where it cannot install, fails naming what is missing.
  local capability="$1"; shift
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! can_install; then
    echo "test setup: the $capability tests need the Debian package(s) ${missing[*]}, which are not installed" \
         "and this user cannot install them (needs root and apt-get)." >&2
    echo "  fix: run 'sudo make test' once (it installs them), install them yourself, or opt out:" \
         "ADOPTSCORE_TEST_SKIP=$capability make test" >&2
    exit 1
  fi
  if [ -z "$APT_UPDATED" ]; then apt-get update -qq; APT_UPDATED=1; fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

run_setup_scripts() {
  # Each system dependency has its own script in .ci/setup.d/, run in name order; a script may
  # start a service and register its stop with on_exit.
  for script in .ci/setup.d/*.sh; do
    [ -e "$script" ] || continue
    # shellcheck source=/dev/null
    source "$script"
  done
}

EXIT_HOOKS=()
on_exit() { EXIT_HOOKS+=("$*"); }
run_exit_hooks() { local hook; for hook in "${EXIT_HOOKS[@]}"; do eval "$hook" || true; done; }
trap run_exit_hooks EXIT
