# Shared by bench/server/run.sh and bench/drupal/serve.sh (sourced, not run):
# the php-fpm pool and the nginx front of a benchmark, configured in a
# temporary folder, running as the current user (root included).

# As root, php-fpm needs -R and both servers a user line.
bench_fpm_args=()
bench_fpm_user=""
bench_nginx_user=""
if [[ $EUID -eq 0 ]]; then
  bench_fpm_args=(-R)
  bench_fpm_user=$'user = root\ngroup = root'
  bench_nginx_user="user root root;"
fi

# bench_fpm_conf DIR POOL WORKERS [POOL_LINES]: DIR/php-fpm.conf, one pool of
# exactly WORKERS static workers on DIR/php-fpm.sock, in the foreground, with
# POOL_LINES (env[...] and the like) added to the pool.
bench_fpm_conf() {
  local dir=$1 pool=$2 workers=$3 extra=${4:-}
  cat >"$dir/php-fpm.conf" <<CONF
[global]
pid = $dir/php-fpm.pid
error_log = $dir/php-fpm.log
daemonize = no

[$pool]
$bench_fpm_user
listen = $dir/php-fpm.sock
listen.mode = 0600
pm = static
pm.max_children = $workers
pm.max_requests = 0
php_admin_value[display_errors] = 0
php_admin_value[log_errors] = 1
catch_workers_output = yes
$extra
CONF
}

# bench_nginx_conf DIR SERVERS: DIR/nginx.conf, one worker, no access log,
# long keep-alive, temporary files under DIR/nginx, with the server blocks
# SERVERS.
bench_nginx_conf() {
  local dir=$1 servers=$2
  mkdir -p "$dir/nginx"
  cat >"$dir/nginx.conf" <<CONF
$bench_nginx_user
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/nginx/body;
  fastcgi_temp_path $dir/nginx/fastcgi;
  proxy_temp_path $dir/nginx/proxy;
  uwsgi_temp_path $dir/nginx/uwsgi;
  scgi_temp_path $dir/nginx/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
$servers
}
CONF
}
