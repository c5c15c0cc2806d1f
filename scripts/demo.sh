#!/usr/bin/env bash
# The local demo: two systemd containers on a private docker network as the web box and the db
# box, then playbooks/site.yml against them with the example project. Re-running is quick and
# changes nothing. `scripts/demo.sh down` removes the containers (the generated secrets stay).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
network=djangoops-demo
web=djangoops-demo-web
db=djangoops-demo-db
port=${DJANGOOPS_DEMO_PORT:-8443}
tracker_port=${DJANGOOPS_DEMO_TRACKER_PORT:-8444}

if [ "${1:-}" = down ]; then
  docker rm -f "$web" "$db" >/dev/null 2>&1 || true
  docker network rm "$network" >/dev/null 2>&1 || true
  echo "demo removed"
  exit 0
fi

scripts/venv.sh
scripts/docker-engine.sh
scripts/apt-cache.sh
scripts/base-image.sh
# shellcheck source=env.sh
. scripts/env.sh

docker network inspect "$network" >/dev/null 2>&1 || docker network create "$network" >/dev/null
start_box() {  # name [docker run options...]
  local name=$1
  shift
  if [ -z "$(docker ps -q -f name="^${name}$")" ]; then
    docker rm -f "$name" >/dev/null 2>&1 || true
    echo ">> starting container $name"
    docker run -d --name "$name" --hostname "$name" --network "$network" \
      --cap-add SYS_ADMIN --cap-add NET_ADMIN --security-opt seccomp=unconfined --cgroupns host \
      -v /sys/fs/cgroup:/sys/fs/cgroup:rw --tmpfs /run --tmpfs /run/lock --tmpfs /tmp:exec,mode=1777 \
      "$@" "$DJANGOOPS_BASE_IMAGE" /lib/systemd/systemd >/dev/null
  fi
}
start_box "$db" -p "127.0.0.1:${tracker_port}:443"
start_box "$web" -p "127.0.0.1:${port}:443"
for box in "$web" "$db"; do
  for _ in $(seq 1 30); do
    state=$(docker exec "$box" systemctl is-system-running 2>/dev/null || true)
    case $state in running|degraded) break ;; esac
    sleep 1
  done
done

ANSIBLE_CONFIG=$root/ansible.cfg ansible-playbook -i inventories/demo playbooks/site.yml "$@"

health() {  # NAME PORT PATH: the HTTP status, asked from this machine through the published port
  python3 - "$@" <<'PY'
import socket, ssl, sys
name, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ctx = ssl._create_unverified_context()  # the demo's certificates are self-signed
try:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname=name) as tls:
            tls.sendall(f"GET {path} HTTP/1.1\r\nHost: {name}\r\nConnection: close\r\n\r\n".encode())
            print(tls.recv(64).split()[1].decode())
except Exception as exc:  # any failure is reported, not raised
    print(f"no answer ({exc.__class__.__name__})")
PY
}
cat <<MSG

The demo is up.
  site:           https://demo.localhost:${port}/   (health: HTTP $(health demo.localhost "$port" /health/))
                  admin at /admin/: user admin, password in inventories/demo/.secrets/site_admin_password
  error tracker:  https://errors.demo.localhost:${tracker_port}/   (Bugsink: HTTP $(health errors.demo.localhost "$tracker_port" /accounts/login/))
                  user admin, password in inventories/demo/.secrets/bugsink_admin_password
  (self-signed certificates; browsers resolve *.localhost to 127.0.0.1, other clients may need
   "127.0.0.1 demo.localhost errors.demo.localhost" in /etc/hosts)
  boxes:  docker exec -it $web bash  /  docker exec -it $db bash
  again:  scripts/demo.sh   (changes nothing)      remove: scripts/demo.sh down
  day 2:  . scripts/env.sh && ansible-playbook -i inventories/demo playbooks/status.yml
MSG
