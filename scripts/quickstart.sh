#!/usr/bin/env bash
# Quickstart: from a fresh Debian/Ubuntu machine to a running demo of verenigingen.
#
#   scripts/quickstart.sh            install what is missing, bench + demo site + app, start, demo data
#   scripts/quickstart.sh --no-start the same, but leave no process running (workers run only
#                                    while the demo data is made)
#   scripts/quickstart.sh --stop     stop the processes this script started
#
# Needs: root (or sudo, then it re-runs itself with sudo), apt-get for what is missing, MariaDB
# root access (socket as root, or DB_ROOT_USER/DB_ROOT_PASSWORD), free ports WEB_PORT (8000) and
# the bench's socketio_port (9000). It downloads Frappe only for a new bench without FRAPPE_PATH.
# A second run changes nothing: the bench, site, data and running processes are reused.
#
# Environment (defaults in brackets):
#   BENCH_DIR         the bench, reused when it exists, else `bench init` there  [/opt/frappe-bench]
#   FRAPPE_PATH       a local Frappe checkout (with a version-15 branch) for `bench init`
#   FRAPPE_BRANCH     [version-15]
#   DEMO_SITE         [verenigingen-demo.localhost]
#   DEMO_MEMBERS      members in the generated demo export [300]
#   ADMIN_PASSWORD    Administrator's password on a new demo site [generated, kept in
#                     $BENCH_DIR/config/quickstart/<site>.login]
#   WEB_PORT          [8000]
#   SOCKETIO_PORT     written into the bench's config when given [the bench's socketio_port, 9000]
#   DB_ROOT_USER, DB_ROOT_PASSWORD, DB_HOST   MariaDB admin login for new-site [root, empty, socket
#                     or the bench's db_host]
#   QUICKSTART_START  0 = as --no-start [1]
#   QUICKSTART_MIGRATE 1 = migrate the site even when this checkout's commit was migrated before [0]
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-/opt/frappe-bench}"
FRAPPE_PATH="${FRAPPE_PATH:-}"
FRAPPE_BRANCH="${FRAPPE_BRANCH:-version-15}"
DEMO_SITE="${DEMO_SITE:-verenigingen-demo.localhost}"
DEMO_MEMBERS="${DEMO_MEMBERS:-300}"
WEB_PORT="${WEB_PORT:-8000}"
DB_ROOT_USER="${DB_ROOT_USER:-root}"
DB_ROOT_PASSWORD="${DB_ROOT_PASSWORD:-}"
DB_HOST="${DB_HOST:-}"
START="${QUICKSTART_START:-1}"
RUN_DIR="$BENCH_DIR/config/quickstart"
PASS_ENV="BENCH_DIR,FRAPPE_PATH,FRAPPE_BRANCH,DEMO_SITE,DEMO_MEMBERS,ADMIN_PASSWORD,WEB_PORT,SOCKETIO_PORT,DB_ROOT_USER,DB_ROOT_PASSWORD,DB_HOST,QUICKSTART_START,QUICKSTART_MIGRATE"
# The processes a real deployment runs (one line each: name, working folder, command).
PROCESSES=(web socketio schedule worker bulk-1 bulk-2)

say() { printf '\033[1m== %s\033[0m\n' "$*"; }
die() { printf '\033[31mquickstart: %s\033[0m\n' "$*" >&2; exit 1; }

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

# --- processes --------------------------------------------------------------------------------

pid_of() { cat "$RUN_DIR/$1.pid" 2>/dev/null || true; }

# A pid file counts only while its process lives and still runs from this bench (pids are reused).
is_running() {
	local pid; pid="$(pid_of "$1")"
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$BENCH_DIR"
}

command_of() {
	local frappe=("$BENCH_DIR/env/bin/python" -m frappe.utils.bench_helper frappe)
	case "$1" in
		web) echo "sites|env DEV_SERVER=1 ${frappe[*]} serve --port $WEB_PORT --noreload" ;;
		socketio) echo ".|node $BENCH_DIR/apps/frappe/socketio.js" ;;
		schedule) echo "sites|${frappe[*]} schedule" ;;
		worker | demo-worker) echo "sites|${frappe[*]} worker --queue long,default,short" ;;
		bulk-* | demo-bulk-*) echo "sites|${frappe[*]} worker --queue bulk" ;;
	esac
}

start_process() {
	local name="$1" spec folder cmd
	if is_running "$name"; then echo "   $name: already running (pid $(pid_of "$name"))"; return; fi
	spec="$(command_of "$name")"; folder="${spec%%|*}"; cmd="${spec#*|}"
	# A process group of its own (setsid), so --stop ends it with its children; no CI variable, so
	# workers behave as in production (Frappe treats CI as a test run).
	(cd "$BENCH_DIR/$folder" && exec env -u CI setsid $cmd >>"$BENCH_DIR/logs/quickstart-$name.log" 2>&1 </dev/null) &
	echo $! > "$RUN_DIR/$name.pid"
	echo "   $name: started (pid $!, log logs/quickstart-$name.log)"
}

stop_process() {
	local name="$1" pid
	pid="$(pid_of "$name")"
	if is_running "$name"; then
		kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
		# a worker finishes its current job first (rq's warm shutdown)
		for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
		kill -KILL -- "-$pid" 2>/dev/null || true
		echo "   $name: stopped (pid $pid)"
	fi
	rm -f "$RUN_DIR/$name.pid"
}

stop_all() {
	[ -d "$RUN_DIR" ] || { echo "nothing to stop: no $RUN_DIR"; return; }
	say "stopping the processes started by the quickstart in $BENCH_DIR"
	for name in "${PROCESSES[@]}" demo-worker demo-bulk-1 demo-bulk-2; do stop_process "$name"; done
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

check_port() { # port, the process that should own it
	if port_taken "$1" && ! is_running "$2"; then
		die "port $1 is taken by another program ($(ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'users:.*' || echo unknown)); stop it or choose another port (WEB_PORT, or socketio_port in sites/common_site_config.json)"
	fi
}

# --- machine ----------------------------------------------------------------------------------

become_root() {
	[ "$(id -u)" = 0 ] && return
	command -v sudo >/dev/null || die "run as root, or install sudo: packages, MariaDB and the bench in $BENCH_DIR need root"
	echo "quickstart needs root for apt-get, MariaDB and $BENCH_DIR: re-running with sudo"
	exec sudo --preserve-env="$PASS_ENV" "$0" "$@"
}

apt_install() {
	[ "$#" -gt 0 ] || return 0
	command -v apt-get >/dev/null || die "missing: $* (this script installs with apt-get, Debian/Ubuntu only; install them yourself)"
	say "installing with apt-get: $*"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

missing_packages() { # packages whose command or dpkg entry is missing
	local missing=() pair
	for pair in "$@"; do
		local probe="${pair%%=*}" package="${pair#*=}"
		if [[ "$probe" == dpkg:* ]]; then
			dpkg -s "${probe#dpkg:}" >/dev/null 2>&1 || missing+=("$package")
		else
			command -v "$probe" >/dev/null 2>&1 || missing+=("$package")
		fi
	done
	echo "${missing[@]:-}"
}

install_system_packages() {
	local needed=(mariadb=mariadb-client mariadbd=mariadb-server redis-server=redis-server redis-cli=redis-tools
		node=nodejs curl=curl)
	if ! bench_exists; then
		needed+=(git=git npm=npm dpkg:python3-dev=python3-dev dpkg:python3-venv=python3-venv
			dpkg:python3-pip=python3-pip dpkg:pkg-config=pkg-config dpkg:libmariadb-dev=libmariadb-dev
			dpkg:build-essential=build-essential)
	fi
	# mariadbd lives in /usr/sbin, which a sudo PATH may lack
	PATH="$PATH:/usr/sbin:/sbin"
	# shellcheck disable=SC2046
	apt_install $(missing_packages "${needed[@]}")
	local major; major="$(node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/')"
	[ -n "$major" ] && [ "$major" -ge 18 ] \
		|| die "Frappe v15 needs Node.js 18 or newer; this machine has $(node --version 2>/dev/null || echo none). Install Node 18+ (e.g. Debian 12's nodejs, or NodeSource) and run again"
	if ! bench_exists; then
		command -v yarn >/dev/null || { say "installing yarn (npm)"; npm install -g --silent yarn >/dev/null; }
		ensure_bench_cli
	fi
}

ensure_bench_cli() {
	BENCH_CLI="$(command -v bench || true)"
	[ -n "$BENCH_CLI" ] && return
	# Debian 12 and Ubuntu 23.04+ refuse pip installs into the system Python: the CLI gets a venv.
	local venv=/opt/frappe-bench-cli
	say "installing the bench CLI (pip install frappe-bench) into $venv"
	python3 -m venv "$venv" && "$venv/bin/pip" install --quiet frappe-bench \
		|| die "could not install frappe-bench with pip"
	BENCH_CLI="$venv/bin/bench"
}

service_start() { # a system service, by systemd or SysV script
	if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then systemctl start "$1"; else service "$1" start; fi
}

db_root() { # the mariadb client as the database administrator
	local args=(-u "$DB_ROOT_USER")
	[ -n "$DB_ROOT_PASSWORD" ] && args+=("-p$DB_ROOT_PASSWORD")
	[ -n "$DB_HOST" ] && [ "$DB_HOST" != localhost ] && args+=(-h "$DB_HOST")
	mariadb "${args[@]}" "$@"
}

ensure_mariadb() {
	[ -n "$DB_HOST" ] || DB_HOST="$(common_config db_host)"
	if ! db_root -e 'select 1' >/dev/null 2>&1; then
		say "starting MariaDB"
		service_start mariadb || service_start mysql || die "MariaDB is not running and could not be started"
	fi
	db_root -e 'select 1' >/dev/null 2>&1 \
		|| die "cannot log in to MariaDB as '$DB_ROOT_USER'${DB_HOST:+ on $DB_HOST}: set DB_ROOT_USER / DB_ROOT_PASSWORD (new-site needs the administrator)"
	local charset; charset="$(db_root -N -e 'select @@character_set_server')"
	if [ "$charset" != utf8mb4 ]; then
		[ -d /etc/mysql/mariadb.conf.d ] || die "MariaDB's character_set_server is $charset; Frappe needs utf8mb4 (see Frappe's install guide)"
		say "configuring MariaDB for Frappe (utf8mb4) in /etc/mysql/mariadb.conf.d/99-frappe.cnf"
		printf '[mysqld]\ncharacter-set-server = utf8mb4\ncollation-server = utf8mb4_unicode_ci\n\n[mysql]\ndefault-character-set = utf8mb4\n' \
			> /etc/mysql/mariadb.conf.d/99-frappe.cnf
		{ command -v systemctl >/dev/null && [ -d /run/systemd/system ] && systemctl restart mariadb; } || service mariadb restart
	fi
}

ensure_redis() {
	local url
	for key in redis_queue redis_cache; do
		url="$(common_config "$key")"; url="${url:-redis://127.0.0.1:6379}"
		redis-cli -u "$url" ping >/dev/null 2>&1 && continue
		local conf="$BENCH_DIR/config/${key}.conf"
		if [ -f "$conf" ]; then
			say "starting $key (redis-server $conf)"
			(cd "$BENCH_DIR" && redis-server "$conf" --daemonize yes >/dev/null)
		else
			say "starting Redis"
			service_start redis-server || die "Redis at $url is not running and could not be started"
		fi
		for _ in $(seq 1 50); do redis-cli -u "$url" ping >/dev/null 2>&1 && break; sleep 0.2; done
		redis-cli -u "$url" ping >/dev/null 2>&1 || die "Redis at $url does not answer"
	done
}

# --- bench and site -----------------------------------------------------------------------------

bench_exists() { [ -d "$BENCH_DIR/apps/frappe" ] && [ -x "$BENCH_DIR/env/bin/python" ]; }

common_config() { # a key of sites/common_site_config.json, empty when absent
	local file="$BENCH_DIR/sites/common_site_config.json"
	[ -f "$file" ] || return 0
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2]) or "")' "$file" "$1"
}

frappe_cmd() { # a bench command through the bench's own Python (no bench CLI needed)
	(cd "$BENCH_DIR/sites" && env -u CI "$BENCH_DIR/env/bin/python" -m frappe.utils.bench_helper frappe "$@")
}

ensure_bench() {
	if bench_exists; then
		say "using the bench in $BENCH_DIR (Frappe $(cd "$BENCH_DIR/sites" && ../env/bin/python -c 'import frappe; print(frappe.__version__)'))"
		return
	fi
	[ ! -e "$BENCH_DIR" ] || [ -z "$(ls -A "$BENCH_DIR")" ] \
		|| die "$BENCH_DIR exists but is not a Frappe bench: choose another BENCH_DIR"
	if [ -n "$FRAPPE_PATH" ]; then
		[ -d "$FRAPPE_PATH/frappe" ] || die "FRAPPE_PATH=$FRAPPE_PATH is not a Frappe checkout"
		git -C "$FRAPPE_PATH" rev-parse --verify -q "$FRAPPE_BRANCH" >/dev/null \
			|| die "FRAPPE_PATH=$FRAPPE_PATH has no branch $FRAPPE_BRANCH"
	fi
	say "bench init $BENCH_DIR (Frappe $FRAPPE_BRANCH${FRAPPE_PATH:+ from $FRAPPE_PATH}; takes several minutes)"
	mkdir -p "$(dirname "$BENCH_DIR")"
	# The bench CLI refuses to run as root unless the sites/common_site_config.json of the folder it
	# runs in names a frappe_user: init runs in a scratch folder that says so.
	local scratch; scratch="$(mktemp -d)"
	mkdir "$scratch/sites" && echo "{\"frappe_user\": \"$(id -un)\"}" > "$scratch/sites/common_site_config.json"
	(cd "$scratch" && "$BENCH_CLI" init "$(realpath -m "$BENCH_DIR")" --frappe-branch "$FRAPPE_BRANCH" \
		${FRAPPE_PATH:+--frappe-path "$FRAPPE_PATH"} --skip-redis-config-generation --no-backups) \
		|| { rm -rf "$scratch"; die "bench init failed (see the output above)"; }
	rm -rf "$scratch"
	# The system's Redis (apt's redis-server on 6379) serves cache, queue and realtime, in a database
	# of its own (see free_redis_db); the bench CLI, run as this user later (bench --site ...), needs
	# frappe_user as above.
	local db; db="$(free_redis_db)"
	"$BENCH_DIR/env/bin/python" - "$BENCH_DIR/sites/common_site_config.json" "$(id -un)" "$db" <<-'EOF'
		import json, sys
		path, user, db = sys.argv[1:]
		config = json.load(open(path))
		for key in ("redis_cache", "redis_queue", "redis_socketio"):
		    config[key] = "redis://127.0.0.1:6379" + ("" if db == "0" else f"/{db}")
		config.setdefault("frappe_user", user)
		json.dump(config, open(path, "w"), indent=1, sort_keys=True)
	EOF
}

# A Redis database for a new bench: database 0 on a machine without another bench, else the first
# empty one. Benches sharing one database share Frappe's bench-wide cache keys (assets_json: the
# other bench's asset file names, whose pages then load files that do not exist). The database is
# marked with this bench's path, so a re-run or another new bench knows it is taken.
free_redis_db() {
	local count db owner
	count="$(redis-cli config get databases 2>/dev/null | sed -n 2p)"
	for db in $(seq 0 $((${count:-16} - 1))); do
		owner="$(redis-cli -n "$db" get verenigingen-quickstart:bench)"
		if [ "$owner" = "$BENCH_DIR" ] || [ "$(redis-cli -n "$db" dbsize)" = 0 ]; then
			# a bench made again in the same folder: the old one's asset list would name files the
			# new build does not have
			redis-cli -n "$db" del assets_json >/dev/null
			redis-cli -n "$db" set verenigingen-quickstart:bench "$BENCH_DIR" >/dev/null
			[ "$db" = 0 ] || say "Redis database $db for this bench (database 0 is in use by another bench)" >&2
			echo "$db"; return
		fi
	done
	die "every database of the Redis on 127.0.0.1:6379 is in use: set redis_cache, redis_queue and redis_socketio in $BENCH_DIR/sites/common_site_config.json yourself"
}

# Frappe v15's Google integrations import pkg_resources, which setuptools 81 removed; a bench
# env made today (bench init seeds the newest setuptools) lacks it and new-site fails.
ensure_pkg_resources() {
	"$BENCH_DIR/env/bin/python" -c 'import pkg_resources' >/dev/null 2>&1 && return
	say "setuptools<81 into the bench env (Frappe v15 needs pkg_resources, which setuptools 81 removed)"
	"$BENCH_DIR/env/bin/python" -m pip install --quiet --disable-pip-version-check 'setuptools<81' \
		|| die "could not install setuptools<81 into $BENCH_DIR/env"
}

ensure_socketio_port() { # SOCKETIO_PORT, when given, into the bench's config (a second bench on one machine)
	[ -n "${SOCKETIO_PORT:-}" ] && [ "$(common_config socketio_port)" != "$SOCKETIO_PORT" ] || return 0
	say "socketio_port $SOCKETIO_PORT in sites/common_site_config.json"
	"$BENCH_DIR/env/bin/python" - "$BENCH_DIR/sites/common_site_config.json" "$SOCKETIO_PORT" <<-'EOF'
		import json, sys
		path, port = sys.argv[1:]
		config = json.load(open(path))
		config["socketio_port"] = int(port)
		json.dump(config, open(path, "w"), indent=1, sort_keys=True)
	EOF
}

ensure_app() {
	local link="$BENCH_DIR/apps/verenigingen"
	if [ -e "$link" ] || [ -L "$link" ]; then
		[ "$(readlink -f "$link")" = "$REPO" ] \
			|| die "$link is another copy of the app ($(readlink -f "$link")); remove it or use another BENCH_DIR"
	else
		say "linking this checkout into the bench (apps/verenigingen -> $REPO)"
		ln -s "$REPO" "$link"
	fi
	if [ "$(cd "$BENCH_DIR/sites" && ../env/bin/python -c 'import verenigingen, os; print(os.path.dirname(os.path.dirname(os.path.realpath(verenigingen.__file__))))' 2>/dev/null)" != "$REPO" ]; then
		say "pip install -e $REPO into the bench env"
		"$BENCH_DIR/env/bin/python" -m pip install --quiet --disable-pip-version-check -e "$REPO"
	fi
	local apps="$BENCH_DIR/sites/apps.txt"
	if ! grep -qx verenigingen "$apps"; then
		[ -z "$(tail -c1 "$apps")" ] || echo >> "$apps"
		echo verenigingen >> "$apps"
	fi
}

drop_half_made_site() { # what a failed new-site left (its folder, database and database user)
	[ -d "$BENCH_DIR/sites/$DEMO_SITE" ] || return 0
	printf '%s\n' "$DB_ROOT_PASSWORD" | frappe_cmd drop-site "$DEMO_SITE" --force --no-backup \
		--db-root-username "$DB_ROOT_USER" ${DB_ROOT_PASSWORD:+--db-root-password "$DB_ROOT_PASSWORD"} \
		>>"$BENCH_DIR/logs/quickstart-new-site.log" 2>&1 || rm -rf "${BENCH_DIR:?}/sites/$DEMO_SITE"
}

new_login_password() { python3 -c 'import secrets; print("Demo-" + secrets.token_urlsafe(9))'; }

ensure_site() {
	local login="$RUN_DIR/$DEMO_SITE.login"
	if [ -d "$BENCH_DIR/sites/$DEMO_SITE" ]; then
		frappe_cmd --site "$DEMO_SITE" list-apps >/dev/null 2>&1 \
			|| die "sites/$DEMO_SITE exists but does not work (an aborted run?): drop it with 'bench drop-site $DEMO_SITE' and run again"
		say "using the site $DEMO_SITE"
	else
		local password="${ADMIN_PASSWORD:-$(new_login_password)}" socket=()
		[ -n "$DB_HOST" ] && [ "$DB_HOST" != localhost ] && socket=(--no-mariadb-socket)
		say "creating the site $DEMO_SITE"
		printf '%s\n' "$DB_ROOT_PASSWORD" | frappe_cmd new-site "$DEMO_SITE" --admin-password "$password" \
			--db-root-username "$DB_ROOT_USER" ${DB_ROOT_PASSWORD:+--db-root-password "$DB_ROOT_PASSWORD"} \
			${DB_HOST:+--db-host "$DB_HOST"} "${socket[@]}" >"$BENCH_DIR/logs/quickstart-new-site.log" 2>&1 \
			|| { tail -n 30 "$BENCH_DIR/logs/quickstart-new-site.log"; drop_half_made_site
				die "bench new-site failed (log: logs/quickstart-new-site.log); the half-made site was dropped, so a re-run starts afresh"; }
		(umask 077 && printf '%s\n' "$password" > "$login")
	fi
	local commit; commit="$(git -C "$REPO" rev-parse HEAD 2>/dev/null || echo unknown)"
	if ! frappe_cmd --site "$DEMO_SITE" list-apps 2>/dev/null | grep -q '^verenigingen'; then
		say "installing verenigingen into $DEMO_SITE"
		frappe_cmd --site "$DEMO_SITE" install-app verenigingen >"$BENCH_DIR/logs/quickstart-install.log" 2>&1 \
			|| { tail -n 30 "$BENCH_DIR/logs/quickstart-install.log"; die "install-app failed (log: logs/quickstart-install.log)"; }
	elif [ "${QUICKSTART_MIGRATE:-0}" = 1 ] || [ "$(cat "$RUN_DIR/$DEMO_SITE.migrated" 2>/dev/null)" != "$commit" ]; then
		say "migrating $DEMO_SITE (this checkout is at ${commit:0:10})"
		frappe_cmd --site "$DEMO_SITE" migrate >"$BENCH_DIR/logs/quickstart-migrate.log" 2>&1 \
			|| { tail -n 30 "$BENCH_DIR/logs/quickstart-migrate.log"; die "migrate failed (log: logs/quickstart-migrate.log)"; }
	else
		say "verenigingen is installed in $DEMO_SITE and migrated at ${commit:0:10}"
	fi
	echo "$commit" > "$RUN_DIR/$DEMO_SITE.migrated"
	# Scheduled jobs (retries, recovery, alerts) run only on a site whose scheduler is enabled.
	frappe_cmd --site "$DEMO_SITE" enable-scheduler >/dev/null
}

ensure_hosts_entry() {
	# The realtime server checks each browser's session by calling the site back by its name.
	getent hosts "$DEMO_SITE" >/dev/null && return
	say "adding $DEMO_SITE to /etc/hosts (127.0.0.1), as 'bench add-to-hosts' does"
	printf '127.0.0.1\t%s\t# verenigingen quickstart\n' "$DEMO_SITE" >> /etc/hosts
}

start_processes() {
	check_port "$WEB_PORT" web
	local socketio_port; socketio_port="$(common_config socketio_port)"
	check_port "${socketio_port:-9000}" socketio
	ensure_hosts_entry
	say "starting web (port $WEB_PORT), socketio, scheduler, a long/default/short worker and 2 bulk workers"
	for name in "${PROCESSES[@]}"; do start_process "$name"; done
	for _ in $(seq 1 120); do
		curl -fs -o /dev/null -H "Host: $DEMO_SITE" "http://127.0.0.1:$WEB_PORT/api/method/ping" && return
		is_running web || break
		sleep 0.5
	done
	tail -n 20 "$BENCH_DIR/logs/quickstart-web.log" >&2
	die "the web server did not answer on port $WEB_PORT (log: logs/quickstart-web.log)"
}

# Without --start the demo data still needs workers: these run only while it is made.
start_demo_workers() {
	trap 'for n in demo-worker demo-bulk-1 demo-bulk-2; do stop_process $n; done' EXIT
	say "starting workers for the demo data only (stopped when it is done)"
	for name in demo-worker demo-bulk-1 demo-bulk-2; do start_process "$name"; done
}

make_demo_data() {
	say "demo data: $DEMO_MEMBERS members from a generated Mijnrood export, accounts, SEPA mandates, a direct-debit batch"
	frappe_cmd --site "$DEMO_SITE" verenigingen-demo --members "$DEMO_MEMBERS" \
		|| die "the demo data could not be made (see above)"
}

print_summary() {
	local login="$RUN_DIR/$DEMO_SITE.login" password="(as set when $DEMO_SITE was created)"
	[ -f "$login" ] && password="$(cat "$login")"
	cat <<-EOF

	Verenigingen demo is ready.
	  URL:       http://$DEMO_SITE:$WEB_PORT/app/verenigingen  (browsers resolve *.localhost to this machine)
	  Login:     Administrator / $password
	  Look at:   /app/bulk-operations-monitor          runs, queue, workers, alerts
	             /app/mijnrood-csv-import               the demo import and its refused rows
	             /app/query-report/Bulk Operations Performance Report
	             /app/member, /app/sepa-mandate, /app/direct-debit-batch
	             /monitoring_dashboard
	  Processes: $( [ "$START" = 1 ] && echo "pid files in $RUN_DIR, logs in $BENCH_DIR/logs/quickstart-*.log; stop with: $0 --stop" || echo "none left running (--no-start); run again without it to start them" )
	EOF
}

main() {
	case "${1:-}" in
		--help | -h) usage; exit 0 ;;
		--stop) become_root "$@"; stop_all; exit 0 ;;
		--no-start) START=0 ;;
		"") ;;
		*) usage >&2; die "unknown option $1" ;;
	esac
	become_root "$@"
	say "verenigingen quickstart: bench $BENCH_DIR, site $DEMO_SITE"
	install_system_packages
	ensure_mariadb
	ensure_redis
	ensure_bench
	ensure_pkg_resources
	ensure_socketio_port
	mkdir -p "$RUN_DIR" "$BENCH_DIR/logs"
	ensure_redis
	ensure_app
	ensure_site
	if [ "$START" = 1 ]; then start_processes; else start_demo_workers; fi
	make_demo_data
	print_summary
}

main "$@"
