/**
 * HAProxy in front of the Valkey nodes: it sends each client to the one node that reports `role:master`, so the
 * contract's `redis-master` Service keeps pointing at the master across Sentinel failovers without the client
 * knowing Sentinel. The health check authenticates with the password HAProxy reads from its environment
 * (HAProxy expands `${VAR}` inside double quotes), and `on-marked-down shutdown-sessions` closes clients still
 * connected to a demoted master so they reconnect to the new one. `balance first` keeps every client on one
 * node even in the seconds two nodes might both claim to be master.
 */
export function haproxyConfig(nodes: readonly `${string}:${number}`[], listenPort: number): string {
  const servers = nodes.map((address, i) => `  server node-${i} ${address}`);
  return [
    'global',
    '  log stdout format raw local0 warning',
    'defaults',
    '  mode tcp',
    '  log global',
    '  timeout connect 5s',
    '  timeout client 1h',
    '  timeout server 1h',
    '  timeout check 3s',
    'resolvers cluster',
    '  parse-resolv-conf',
    '  hold valid 5s',
    'frontend master',
    `  bind :${listenPort}`,
    '  default_backend master',
    'backend master',
    '  balance first',
    '  option tcp-check',
    '  tcp-check connect',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: HAProxy, not JavaScript, expands this variable.
    '  tcp-check send "AUTH ${REDIS_PASSWORD}\\r\\n"',
    '  tcp-check expect string +OK',
    '  tcp-check send "INFO replication\\r\\n"',
    '  tcp-check expect string role:master',
    '  tcp-check send "QUIT\\r\\n"',
    '  tcp-check expect string +OK',
    '  default-server check inter 1s fall 2 rise 2 resolvers cluster init-addr none on-marked-down shutdown-sessions',
    ...servers,
    '',
  ].join('\n');
}
