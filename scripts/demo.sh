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
start_box "$db"
start_box "$web" -p "127.0.0.1:${port}:443"
for box in "$web" "$db"; do
  for _ in $(seq 1 30); do
    state=$(docker exec "$box" systemctl is-system-running 2>/dev/null || true)
    case $state in running|degraded) break ;; esac
    sleep 1
  done
done

ANSIBLE_CONFIG=$root/ansible.cfg ansible-playbook -i inventories/demo playbooks/site.yml "$@"

site=$(docker exec "$web" curl -sk -o /dev/null -w '%{http_code}' --resolve demo.localhost:443:127.0.0.1 https://demo.localhost/health/ || true)
cat <<MSG

The demo is up (health check through nginx: HTTP $site).
  site:   https://demo.localhost:${port}/   (self-signed certificate; demo.localhost resolves to 127.0.0.1)
  boxes:  docker exec -it $web bash  /  docker exec -it $db bash
  again:  scripts/demo.sh   (changes nothing)      remove: scripts/demo.sh down
  day 2:  . scripts/env.sh && ansible-playbook -i inventories/demo playbooks/status.yml
MSG
