<?php

/**
 * @file
 * Loads COUNT users into a fresh SQLite database through
 * Scim\Server::import(), and writes their ids, one a line, to IDS_FILE.
 *
 * Usage: php -d extension=libscim.so load.php DATABASE COUNT IDS_FILE
 *
 * The users are bench/server/user.json with @N@ replaced by 0 .. COUNT-1
 * (userName "user<N>"), handed over as JSON strings: import() validates each
 * as a POST would. Prints one line: "import users=.. seconds=.. per_second=..".
 */

declare(strict_types=1);

if ($argc !== 4) {
  fwrite(STDERR, "usage: load.php DATABASE COUNT IDS_FILE\n");
  exit(2);
}
[, $database, $count, $idsFile] = $argv;
$count = (int) $count;

$template = trim((string) file_get_contents(__DIR__ . '/user.json'));
$users = [];
for ($n = 0; $n < $count; $n++) {
  $users[] = str_replace('@N@', (string) $n, $template);
}

$server = new Scim\Server([
  'base_url' => 'http://127.0.0.1/scim/v2',
  'database' => $database,
]);

$start = hrtime(TRUE);
$ids = $server->import('User', $users);
$seconds = (hrtime(TRUE) - $start) / 1e9;

file_put_contents($idsFile, implode("\n", $ids) . "\n");
printf(
  "import users=%d seconds=%.2f per_second=%.0f\n",
  count($ids),
  $seconds,
  count($ids) / $seconds,
);
