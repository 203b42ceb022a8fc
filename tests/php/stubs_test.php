<?php

/**
 * @file
 * Fails when php-module/scim.stub.php and the loaded extension disagree.
 *
 * Both sides are described through Reflection by describe.php: the stub file
 * in a PHP without the extension, the extension in a PHP that loads the
 * library named by the environment variable SCIM_EXTENSION. Each class,
 * function and constant is one test; the closing line counts them.
 */

declare(strict_types=1);

/**
 * Runs describe.php in a fresh PHP and decodes what it prints.
 */
function describe_in_child(array $args): array {
  $cmd = array_merge([PHP_BINARY, '-n'], $args);
  $proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
  $out = stream_get_contents($pipes[1]);
  $err = stream_get_contents($pipes[2]);
  $status = proc_close($proc);
  $decoded = json_decode((string) $out, TRUE);
  if ($status !== 0 || !is_array($decoded)) {
    fwrite(STDERR, "describe.php failed ($status): $err$out\n");
    exit(1);
  }
  return $decoded;
}

$so = getenv('SCIM_EXTENSION');
if (!$so || !is_file($so)) {
  fwrite(STDERR, "set SCIM_EXTENSION to the path of libscim.so\n");
  exit(1);
}
$describe = __DIR__ . '/describe.php';
$stub = describe_in_child([$describe, 'stub', dirname(__DIR__, 2) . '/php-module/scim.stub.php']);
$ext = describe_in_child(['-d', "extension=$so", $describe, 'ext']);

// The stub cannot know the version it will be read with; only the type of
// Scim\VERSION must agree.
foreach (['stub', 'ext'] as $side) {
  if (isset(${$side}['const Scim\\VERSION'])) {
    ${$side}['const Scim\\VERSION'] = gettype(${$side}['const Scim\\VERSION']);
  }
}

$passed = 0;
$failed = 0;
$names = array_unique(array_merge(array_keys($stub), array_keys($ext)));
sort($names);
foreach ($names as $name) {
  if (!array_key_exists($name, $stub)) {
    echo "FAIL $name: exported by the extension, missing from the stub\n";
    $failed++;
  }
  elseif (!array_key_exists($name, $ext)) {
    echo "FAIL $name: in the stub, not exported by the extension\n";
    $failed++;
  }
  elseif ($stub[$name] !== $ext[$name]) {
    $flags = JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES;
    echo "FAIL $name differs\n--- stub\n", json_encode($stub[$name], $flags),
      "\n--- extension\n", json_encode($ext[$name], $flags), "\n";
    $failed++;
  }
  else {
    $passed++;
  }
}
echo "stubs: $passed passed, $failed failed\n";
exit($failed === 0 && $passed > 0 ? 0 : 1);
