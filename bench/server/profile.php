<?php

/**
 * @file
 * Where a request's time goes, without HTTP: times Scim\Server::handle() in
 * one PHP process for each operation the load benchmark runs, and the parts
 * of server.php around it. For the investigation in
 * docs/benchmarks-server.md; run.sh does not call it.
 *
 * Usage: php -d extension=libscim.so profile.php DATABASE IDS_FILE [N [DURABILITY]]
 * (a database that load.php filled; its users are changed by the PATCH and
 * POST rounds).
 */

declare(strict_types=1);

if ($argc < 3) {
  fwrite(STDERR, "usage: profile.php DATABASE IDS_FILE [N [DURABILITY]]\n");
  exit(2);
}
$database = $argv[1];
$ids = file($argv[2], FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES);
$rounds = (int) ($argv[3] ?? 2000);
$token = 'profile-token';
$options = [
  'base_url' => 'http://127.0.0.1/scim/v2',
  'database' => $database,
  'tokens' => ['default' => hash('sha256', $token)],
  'public_discovery' => FALSE,
  'durability' => $argv[4] ?? 'full',
];
$headers = [
  'Host' => '127.0.0.1',
  'Authorization' => 'Bearer ' . $token,
  'Accept' => 'application/scim+json',
  'Content-Type' => 'application/scim+json',
];
$template = trim((string) file_get_contents(__DIR__ . '/user.json'));
$run = (string) hrtime(TRUE);

/**
 * CPU time (user + system) this process has used, in µs.
 */
function cpu_us(): float {
  $usage = getrusage();
  return $usage['ru_utime.tv_sec'] * 1e6 + $usage['ru_utime.tv_usec']
    + $usage['ru_stime.tv_sec'] * 1e6 + $usage['ru_stime.tv_usec'];
}

/**
 * Runs $fn $rounds times; prints the CPU time per call (steadier than the
 * wall time on a busy machine) and the wall time's p50 and p99, in µs.
 */
function measure(string $name, int $rounds, callable $fn): void {
  $times = [];
  $cpu = cpu_us();
  for ($i = 0; $i < $rounds; $i++) {
    $start = hrtime(TRUE);
    $status = $fn($i);
    $times[] = (hrtime(TRUE) - $start) / 1e3;
    if (is_int($status) && ($status < 200 || $status > 299)) {
      fwrite(STDERR, "$name: status $status\n");
      exit(1);
    }
  }
  $cpu = (cpu_us() - $cpu) / $rounds;
  sort($times);
  printf(
    "%-34s cpu %7.1f µs  wall p50 %7.1f µs  p99 %8.1f µs\n",
    $name,
    $cpu,
    $times[intdiv(count($times), 2)],
    $times[(int) (count($times) * 0.99)],
  );
}

$server = new Scim\Server($options);
$count = count($ids);

measure('new Scim\Server (cached)', $rounds, fn() => (new Scim\Server($options)) ? 200 : 500);
measure('getenv x4 + hash (server.php)', $rounds, function () use ($token) {
  getenv('SCIM_BASE_PATH');
  getenv('SCIM_DB');
  getenv('SCIM_TOKEN_SHA256');
  getenv('SCIM_TOKEN');
  return hash('sha256', $token) !== '' ? 200 : 500;
});
measure('GET /ServiceProviderConfig', $rounds, fn() => $server->handle('GET', '/ServiceProviderConfig', '', $headers, '')['status']);
measure('GET /Users/{id}', $rounds, fn() => $server->handle('GET', '/Users/' . $ids[mt_rand(0, $count - 1)], '', $headers, '')['status']);
measure('GET /Users?filter=userName eq', $rounds, fn() => $server->handle(
  'GET', '/Users', 'filter=userName%20eq%20%22user' . mt_rand(0, $count - 1) . '%22', $headers, '')['status']);
measure('POST /Users', $rounds, fn($i) => $server->handle(
  'POST', '/Users', '', $headers, str_replace('@N@', "x{$run}c$i", $template))['status']);
measure('PATCH /Users/{id}', $rounds, fn($i) => $server->handle(
  'PATCH', '/Users/' . $ids[mt_rand(0, $count - 1)], '', $headers,
  '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"name.givenName","value":"P' . $i . '"},{"op":"replace","path":"active","value":' . ($i % 2 ? 'true' : 'false') . '}]}')['status']);
