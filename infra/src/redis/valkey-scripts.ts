/**
 * Start scripts of the Valkey nodes and their Sentinels (POSIX sh, run by the valkey image's /bin/sh).
 *
 * Sentinel knows the master after a failover; Kubernetes does not. So a starting node asks the Sentinels which
 * node is master and replicates it; when no Sentinel answers (the set starts for the first time, or every
 * Sentinel restarted and lost its in-memory view) the first pod is master. Nodes announce their stable DNS names
 * (`<pod>.<headless service>`), not pod IPs, so a restarted pod with a new IP keeps its identity
 * (Sentinel `resolve-hostnames` / `announce-hostnames`, Redis 6.2+ and every Valkey).
 *
 * Environment every script gets: REDIS_PASSWORD, SET_NAME, NODES_DOMAIN, NODE_COUNT, MASTER_NAME,
 * SENTINEL_QUORUM, and the paths VALKEY_CONFIG (the mounted valkey.conf) and RUN_DIR (a writable directory).
 * The scripts find each other next to themselves.
 */

/**
 * Prints the master's host: what most answering Sentinels report, else the set's first pod. Asking one
 * Sentinel is not enough: right after a failover a Sentinel that did not lead it reports the old master until
 * the others' hello messages reach it, and a node restarting then would come up as a second master.
 */
export const findMasterScript = `#!/bin/sh
set -u
answers=""
i=0
while [ "$i" -lt "$NODE_COUNT" ]; do
  answer="$(timeout 3 valkey-cli -h "$SET_NAME-$i.$NODES_DOMAIN" -p 26379 --raw \\
    sentinel get-master-addr-by-name "$MASTER_NAME" 2>/dev/null | head -n 1)"
  case "$answer" in
    "" | ERR* | NOAUTH* | *" "*) ;;
    *) answers="$answers$answer
" ;;
  esac
  i=$((i + 1))
done
if [ -n "$answers" ]; then
  printf '%s' "$answers" | sort | uniq -c | sort -rn | head -n 1 | sed 's/^ *[0-9]* //'
  exit 0
fi
echo "$SET_NAME-0.$NODES_DOMAIN"
`;

/** A node: the mounted config plus the password, and `replicaof` unless this node is the master. */
export const startValkeyScript = `#!/bin/sh
set -eu
conf="$RUN_DIR/valkey.conf"
cp "$VALKEY_CONFIG" "$conf"
printf 'requirepass "%s"\\nmasterauth "%s"\\n' "$REDIS_PASSWORD" "$REDIS_PASSWORD" >> "$conf"
if [ "$NODE_COUNT" -gt 1 ]; then
  self="$(hostname).$NODES_DOMAIN"
  printf 'replica-announce-ip %s\\n' "$self" >> "$conf"
  master="$("$(dirname "$0")/find-master.sh")"
  if [ "$master" != "$self" ]; then
    printf 'replicaof %s 6379\\n' "$master" >> "$conf"
  fi
fi
exec valkey-server "$conf"
`;

/**
 * The Sentinel beside each node: monitors the master the local node follows (or the local node, if it is the
 * master). Its config lives in a writable directory because Sentinel rewrites it as it learns the topology.
 * A master is down after 5 s without answers; a failover whose leader election split is retried after twice the
 * failover timeout (Sentinel's rule), so 20 s keeps the worst case under a minute for a small cache.
 */
export const startSentinelScript = `#!/bin/sh
set -eu
self="$(hostname).$NODES_DOMAIN"
cli() { valkey-cli -h 127.0.0.1 -p 6379 -a "$REDIS_PASSWORD" --no-auth-warning "$@"; }
until cli ping 2>/dev/null | grep -q PONG; do sleep 1; done
master="$(cli info replication | tr -d '\\r' | sed -n 's/^master_host://p')"
[ -n "$master" ] || master="$self"
conf="$RUN_DIR/sentinel.conf"
{
  echo "port 26379"
  echo "sentinel resolve-hostnames yes"
  echo "sentinel announce-hostnames yes"
  echo "sentinel announce-ip $self"
  echo "sentinel monitor $MASTER_NAME $master 6379 $SENTINEL_QUORUM"
  echo "sentinel auth-pass $MASTER_NAME $REDIS_PASSWORD"
  echo "sentinel down-after-milliseconds $MASTER_NAME 5000"
  echo "sentinel failover-timeout $MASTER_NAME 20000"
  echo "sentinel parallel-syncs $MASTER_NAME 1"
} > "$conf"
exec valkey-sentinel "$conf"
`;

/** Server settings shared by every node; persistence is the stage's choice. */
export function valkeyConf(persistent: boolean): string {
  const lines = ['port 6379', 'bind * -::*', 'dir /data'];
  lines.push(...(persistent ? ['appendonly yes'] : ['appendonly no', 'save ""']));
  return `${lines.join('\n')}\n`;
}
