#!/bin/sh
# Serve the built site the production way: nginx (deploy/nginx.conf.template) in front, gunicorn
# started as the Procfile says behind it on loopback. Builds nothing: run `make build` first
# (`make serve-nginx` does). Stops gunicorn when nginx exits; Ctrl-C or SIGTERM stops both.
#
#   PORT               where nginx listens (default 8080)
#   MAI_HOST           nginx's listen address (default 127.0.0.1; 0.0.0.0 on a server)
#   MAI_UPSTREAM_PORT  gunicorn's port, always on 127.0.0.1 (default PORT+1)
#   MAI_NGINX_PREFIX   nginx's folder: config, pid, temp files, logs (default instance/nginx)
#   MAI_DATABASE, MAI_PDF_CACHE, MAI_AUDIO_CACHE, WEB_CONCURRENCY, ...  passed on to gunicorn as
#                      usual; nginx reads the kept site and the spoken phrases from the same places
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
port=${PORT:-8080}
listen_host=${MAI_HOST:-127.0.0.1}
upstream_port=${MAI_UPSTREAM_PORT:-$((port + 1))}
prefix=${MAI_NGINX_PREFIX:-$root/instance/nginx}
nginx=$(command -v nginx || echo /usr/sbin/nginx)   # /usr/sbin is not on a normal user's PATH
[ -x "$nginx" ] || { echo "nginx is not installed: run make deps" >&2; exit 1; }

database=${MAI_DATABASE:-$root/instance/mai.db}
case "$database" in /*) ;; *) database="$root/$database" ;; esac
site="$database.releases/current/site"   # the live release's kept pages (mai_guides/site_files.py)
pdf_cache=${MAI_PDF_CACHE:-$root/instance/pdf}
case "$pdf_cache" in /*) ;; *) pdf_cache="$root/$pdf_cache" ;; esac
audio=${MAI_AUDIO_CACHE:-$(dirname "$pdf_cache")/audio}   # as the app's default: beside the PDF cache
case "$audio" in /*) ;; *) audio="$root/$audio" ;; esac

mkdir -p "$prefix/logs" "$prefix/temp"
prefix=$(cd "$prefix" && pwd)
esc() { printf '%s' "$1" | sed 's/[|&\\]/\\&/g'; }   # a path as a sed replacement
fill() {
  sed -e "s|@LISTEN@|$(esc "$listen_host:$port")|g" \
      -e "s|@UPSTREAM@|127.0.0.1:$upstream_port|g" \
      -e "s|@STATIC@|$(esc "$root/static")|g" \
      -e "s|@SITE@|$(esc "$site")|g" \
      -e "s|@AUDIO@|$(esc "$audio")|g" \
      -e "s|@DEPLOY@|$(esc "$prefix")|g" \
      -e "s|@PREFIX@|$(esc "$prefix")|g" "$1"
}
fill deploy/nginx.conf.template > "$prefix/nginx.conf"
fill deploy/nginx-headers.conf > "$prefix/nginx-headers.conf"
fill deploy/nginx-pdf-headers.conf > "$prefix/nginx-pdf-headers.conf"
"$nginx" -t -q -p "$prefix/" -c nginx.conf   # a broken config fails here, before gunicorn starts

gunicorn_pid=""
nginx_pid=""
stop() {
  trap - EXIT INT TERM
  for pid in $nginx_pid $gunicorn_pid; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in $nginx_pid $gunicorn_pid; do wait "$pid" 2>/dev/null || true; done
  rm -f "$prefix/gunicorn.pid"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# gunicorn exactly as the Procfile says, on loopback only (exec: $! is gunicorn itself).
MAI_HOST=127.0.0.1 PORT=$upstream_port PATH="$root/.venv/bin:$PATH" \
  sh -c "exec $(sed -n 's/^web: //p' Procfile)" &
gunicorn_pid=$!
echo "$gunicorn_pid" > "$prefix/gunicorn.pid"

echo "nginx on http://$listen_host:$port/ -> gunicorn on 127.0.0.1:$upstream_port (logs in $prefix/logs)" >&2
# nginx in the foreground (daemon off); the shell waits for it so that a signal to this script
# alone still stops both servers.
# Started as root, nginx's workers would drop to `nobody`, who cannot read a checkout in a private
# folder (a 0700 temp dir, a home directory): they read static/ as the checkout's owner instead.
# Run as another user (the usual deployment), nginx keeps that user and this adds nothing.
directives='daemon off;'
[ "$(id -u)" -eq 0 ] && directives="$directives user $(stat -c %U "$root/static") $(stat -c %G "$root/static");"
"$nginx" -p "$prefix/" -c nginx.conf -g "$directives" &
nginx_pid=$!
status=0
wait "$nginx_pid" || status=$?
nginx_pid=""
exit "$status"
