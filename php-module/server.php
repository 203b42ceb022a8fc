<?php

/**
 * @file
 * Standalone SCIM 2.0 server: a front controller for PHP's built-in server
 * or php-fpm, serving /scim/v2 from the extension's embedded SQLite store.
 *
 * Environment:
 * - SCIM_DB: the SQLite file (default: var/scim.sqlite beside this folder).
 * - SCIM_TOKEN: the bearer token; or SCIM_TOKEN_SHA256: its SHA-256 hex
 *   digest, so the secret need not be in the server's environment.
 * - SCIM_BASE_PATH: where SCIM is mounted (default /scim/v2).
 * - SCIM_PUBLIC_DISCOVERY=1: discovery documents without a token.
 * - SCIM_DURABILITY: "normal" (default; the log is synced at checkpoints, at
 *   most a second after a write: a write survives a crash of PHP at once and
 *   a power loss a second later) or "full" (every write synced to disk
 *   before it is acknowledged; half the writes per second where a sync is
 *   slow). See docs/benchmarks-server.md.
 */

declare(strict_types=1);

$basePath = rtrim(getenv('SCIM_BASE_PATH') ?: '/scim/v2', '/');
$database = getenv('SCIM_DB') ?: dirname(__DIR__) . '/var/scim.sqlite';

$uri = $_SERVER['REQUEST_URI'] ?? '/';
$path = (string) parse_url($uri, PHP_URL_PATH);
$query = (string) ($_SERVER['QUERY_STRING'] ?? '');

$tokens = [];
$digest = getenv('SCIM_TOKEN_SHA256');
$secret = getenv('SCIM_TOKEN');
if (is_string($digest) && $digest !== '') {
  $tokens['default'] = strtolower($digest);
}
elseif (is_string($secret) && $secret !== '') {
  $tokens['default'] = hash('sha256', $secret);
}

$scheme = (!empty($_SERVER['HTTPS']) && $_SERVER['HTTPS'] !== 'off') ? 'https' : 'http';
$host = $_SERVER['HTTP_HOST'] ?? ($_SERVER['SERVER_NAME'] ?? '127.0.0.1');

/**
 * Sends one response array of Scim\Server::handle().
 */
function scim_send(array $response): void {
  http_response_code($response['status']);
  foreach ($response['headers'] as $name => $value) {
    header($name . ': ' . $value);
  }
  if ($response['body'] !== NULL) {
    echo $response['body'];
  }
}

if (!extension_loaded('scim')) {
  http_response_code(500);
  header('Content-Type: application/scim+json');
  echo json_encode([
    'schemas' => ['urn:ietf:params:scim:api:messages:2.0:Error'],
    'status' => '500',
    'detail' => 'the scim PHP extension is not loaded',
  ]);
  return;
}

$server = new Scim\Server([
  'base_url' => $scheme . '://' . $host . $basePath,
  'database' => $database,
  'tokens' => $tokens,
  'public_discovery' => getenv('SCIM_PUBLIC_DISCOVERY') === '1',
  'durability' => getenv('SCIM_DURABILITY') ?: NULL,
]);

// Below the mount point, the handler answers; elsewhere, a SCIM 404 too, so
// that a client with a wrong base URL reads why.
if ($path === $basePath || str_starts_with($path, $basePath . '/')) {
  $below = substr($path, strlen($basePath));
}
else {
  $below = '/not-under-' . ltrim($basePath, '/') . $path;
}

$headers = function_exists('getallheaders') ? getallheaders() : [];
// Some FastCGI set-ups pass the Authorization header only as this variable.
if (!isset($headers['Authorization']) && isset($_SERVER['HTTP_AUTHORIZATION'])) {
  $headers['Authorization'] = $_SERVER['HTTP_AUTHORIZATION'];
}

scim_send($server->handle(
  $_SERVER['REQUEST_METHOD'] ?? 'GET',
  rawurldecode($below),
  $query,
  $headers,
  (string) file_get_contents('php://input'),
));
