#!/usr/bin/env bash
# nginx as HttpPlaintext's peer: Debian's nginx-light, GET /plaintext -> 200 "Hello, World!", one worker per loop that
# HttpPlaintext runs, no access log. Everything (config, pid, temp files) lives in one directory of its own, so the
# machine's nginx configuration and service are neither read nor touched.

# compare_nginx_config PORT WORKERS DIR: prints the nginx.conf.
compare_nginx_config() {
    local port=$1 workers=$2 dir=$3
    cat <<CONF
worker_processes $workers;
daemon off;
pid $dir/nginx.pid;
error_log stderr warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path $dir/body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    server {
        listen 127.0.0.1:$port reuseport;
        location = /plaintext {
            default_type text/plain;
            return 200 "Hello, World!";
        }
    }
}
CONF
}

# compare_run_nginx PORT WORKERS: writes the config into a fresh directory and replaces the shell with nginx.
compare_run_nginx() {
    local port=$1 workers=$2 dir
    dir=$(mktemp -d /tmp/compare-nginx.XXXXXX)
    compare_nginx_config "$port" "$workers" "$dir" >"$dir/nginx.conf"
    exec nginx -p "$dir" -c "$dir/nginx.conf" -e stderr
}
