<?php

/**
 * @file
 * Times the hot paths of the extension from PHP, in microseconds per call,
 * against json_decode() of the same body as a yardstick. Not a test: run it
 * with `make bench`, on a quiet machine.
 *
 * With a case name and a count (`bench.php 'Mapping::accountFromJson' 1100`)
 * it runs that case alone, silently, for counting instructions under
 * callgrind (docs/benchmarks.md).
 *
 * The goal (see the brief of the project): a typical 1.5 KB user validated
 * and mapped in under 10 microseconds.
 */

declare(strict_types=1);

if (!extension_loaded('scim')) {
  fwrite(STDERR, "load the extension: php -d extension=/path/to/libscim.so bench.php\n");
  exit(1);
}

// A typical provisioned user (core, enterprise extension, emails, phones,
// an address) as a client sends it: compact JSON.
$array = json_decode(file_get_contents(__DIR__ . '/../fixtures/bench-user-1.5k.json'), TRUE);
$json = json_encode($array, JSON_UNESCAPED_SLASHES);
$user = Scim\Resource::validateJson($json);
$mapping = Scim\Mapping::drupalDefault();
$deactivate = ['Operations' => [['op' => 'Replace', 'path' => 'active', 'value' => FALSE]]];
$filter = 'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]';

$cases = [
  'json_decode (yardstick)' => fn() => json_decode($json, TRUE),
  'Resource::validateJson' => fn() => Scim\Resource::validateJson($json),
  'Resource::validate (array)' => fn() => Scim\Resource::validate($array),
  'Mapping::toAccount' => fn() => $mapping->toAccount($user),
  'validateJson + toAccount' => fn() => $mapping->toAccount(Scim\Resource::validateJson($json)),
  'Mapping::accountFromJson' => fn() => $mapping->accountFromJson($json),
  'Filter::parse' => fn() => Scim\Filter::parse($filter),
  'Patch::apply (deactivate)' => fn() => Scim\Patch::apply($user, $deactivate),
  'Mapping::changes' => fn() => $mapping->changes($user, $user),
];

if (isset($argv[1])) {
  $case = $cases[$argv[1]] ?? NULL;
  if ($case === NULL) {
    fwrite(STDERR, 'cases: ' . implode(', ', array_keys($cases)) . "\n");
    exit(1);
  }
  for ($i = (int) ($argv[2] ?? 1000); $i > 0; $i--) {
    $case();
  }
  exit(0);
}

printf("%d-byte user (bench-user-1.5k.json, compact)\n", strlen($json));
foreach ($cases as $name => $case) {
  $best = INF;
  for ($round = 0; $round < 15; $round++) {
    $n = 2000;
    $start = hrtime(TRUE);
    for ($i = 0; $i < $n; $i++) {
      $case();
    }
    $best = min($best, (hrtime(TRUE) - $start) / $n / 1000);
  }
  printf("%-28s %8.2f us\n", $name, $best);
}
