#!/usr/bin/env bash
# Tier 2: run the app's Frappe integration tests on an existing bench.
#
# Links the checkout this script lives in into the bench (replacing any earlier link or
# copy), installs it into a dedicated test site (created when missing), and runs
#   CI=1 bench --site <site> run-tests --app verenigingen
# It never builds or downloads Frappe: the bench must already exist.
#
# Environment:
#   VERENIGINGEN_BENCH      bench directory                  (default /opt/frappe-bench)
#   VERENIGINGEN_TEST_SITE  test site name                   (default verenigingen-test.localhost)
#   (a bench with apps/erpnext: a new test site gets ERPNext installed before verenigingen)
#   VERENIGINGEN_REINSTALL  1 = drop and recreate the site   (default 0)
#   DB_ROOT_USER / DB_ROOT_PASSWORD  MariaDB admin for new-site (default root / empty)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="${VERENIGINGEN_BENCH:-/opt/frappe-bench}"
SITE="${VERENIGINGEN_TEST_SITE:-verenigingen-test.localhost}"
DB_ROOT_USER="${DB_ROOT_USER:-root}"
DB_ROOT_PASSWORD="${DB_ROOT_PASSWORD:-}"

if [ ! -d "$BENCH/apps/frappe" ] || [ ! -x "$BENCH/env/bin/python" ]; then
	echo "no Frappe bench at $BENCH (set VERENIGINGEN_BENCH)" >&2
	exit 3
fi
cd "$BENCH"
export PATH="$BENCH/env/bin:$PATH"
BENCH_CMD=(bench)
command -v bench >/dev/null 2>&1 || { echo "the bench CLI is not installed (pip install frappe-bench)" >&2; exit 3; }

echo "== linking $REPO into $BENCH/apps/verenigingen"
if [ -L apps/verenigingen ] || [ -e apps/verenigingen ]; then
	[ "$(readlink -f apps/verenigingen)" = "$REPO" ] || rm -rf apps/verenigingen
fi
[ -e apps/verenigingen ] || ln -s "$REPO" apps/verenigingen
env/bin/python -m pip install --quiet --disable-pip-version-check -e "$REPO"
grep -qx verenigingen sites/apps.txt || printf '\nverenigingen\n' >> sites/apps.txt
sed -i '/^$/d' sites/apps.txt

if [ "${VERENIGINGEN_REINSTALL:-0}" = "1" ] && [ -d "sites/$SITE" ]; then
	echo "== dropping $SITE for a clean reinstall"
	printf '%s\n' "$DB_ROOT_PASSWORD" | "${BENCH_CMD[@]}" drop-site "$SITE" --force --no-backup \
		--db-root-username "$DB_ROOT_USER" ${DB_ROOT_PASSWORD:+--db-root-password "$DB_ROOT_PASSWORD"}
fi
if [ -d "sites/$SITE" ] && ! "${BENCH_CMD[@]}" --site "$SITE" list-apps >/dev/null 2>&1; then
	echo "== $SITE is left over from an aborted run and unusable: recreating it"
	printf '%s\n' "$DB_ROOT_PASSWORD" | "${BENCH_CMD[@]}" drop-site "$SITE" --force --no-backup \
		--db-root-username "$DB_ROOT_USER" ${DB_ROOT_PASSWORD:+--db-root-password "$DB_ROOT_PASSWORD"} || true
	rm -rf "sites/$SITE"
fi
if [ ! -d "sites/$SITE" ]; then
	# A bench with ERPNext in apps/ gets it on the new site first: the app's ERPNext tier then runs.
	EXTRA_APPS=()
	[ -d apps/erpnext ] && EXTRA_APPS=(--install-app erpnext)
	echo "== creating test site $SITE ${EXTRA_APPS[*]:-}"
	# Frappe prompts for an empty root password instead of using it: answer the prompt on stdin.
	printf '%s\n' "$DB_ROOT_PASSWORD" | "${BENCH_CMD[@]}" new-site "$SITE" --admin-password admin --no-mariadb-socket \
		--db-host 127.0.0.1 --db-root-username "$DB_ROOT_USER" ${DB_ROOT_PASSWORD:+--db-root-password "$DB_ROOT_PASSWORD"} \
		"${EXTRA_APPS[@]}" \
		> "$BENCH/logs/verenigingen-new-site.log" 2>&1 \
		|| { tail -n 40 "$BENCH/logs/verenigingen-new-site.log"; exit 1; }
fi
"${BENCH_CMD[@]}" --site "$SITE" set-config allow_tests true >/dev/null
# Frappe refuses a User once more than 60 were made in the last hour (throttle_user_limit). Its own
# test records include Users, made on the first full run of a site: after a module's run made
# hundreds of members' accounts, that first full run failed with "Throttled" for an hour. The
# tests that need the throttle set it themselves.
"${BENCH_CMD[@]}" --site "$SITE" set-config --parse throttle_user_limit 1000000 >/dev/null

if "${BENCH_CMD[@]}" --site "$SITE" list-apps 2>/dev/null | grep -q '^verenigingen'; then
	echo "== migrating $SITE"
	"${BENCH_CMD[@]}" --site "$SITE" migrate > "$BENCH/logs/verenigingen-setup.log" 2>&1 \
		|| { tail -n 40 "$BENCH/logs/verenigingen-setup.log"; exit 1; }
else
	echo "== installing verenigingen into $SITE"
	"${BENCH_CMD[@]}" --site "$SITE" install-app verenigingen > "$BENCH/logs/verenigingen-setup.log" 2>&1 \
		|| { tail -n 40 "$BENCH/logs/verenigingen-setup.log"; exit 1; }
fi

# The browser test drives Debian's Chromium through Playwright (never a browser of its own);
# without them it is skipped with a loud message.
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
	echo "== installing Debian's chromium for the browser test"
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1 \
		|| echo "could not install chromium: the browser test will be skipped"
fi
env/bin/python -c "import playwright" 2>/dev/null \
	|| env/bin/python -m pip install --quiet --disable-pip-version-check playwright \
	|| echo "could not install playwright: the browser test will be skipped"

echo "== running integration tests"
CI=1 "${BENCH_CMD[@]}" --site "$SITE" run-tests --app verenigingen "$@"
