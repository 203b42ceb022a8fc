<?php

declare(strict_types=1);

namespace Scim\Tests;

use PHPUnit\Framework\TestCase;

/**
 * Base class of the PHP tests: asserts on thrown SCIM errors.
 */
abstract class ScimTestCase extends TestCase {

  /**
   * Asserts that $call throws a Scim\Exception of exactly $class.
   *
   * @param callable $call
   *   The code that must throw.
   * @param string $class
   *   The exception class, such as \Scim\InvalidFilterException::class.
   * @param int $status
   *   The expected HTTP status.
   * @param string|null $scimType
   *   The expected scimType keyword.
   * @param string|null $message
   *   The expected message (the document's detail), exactly.
   *
   * @return \Scim\Exception
   *   The exception, for further assertions.
   */
  protected function assertScimError(callable $call, string $class, int $status, ?string $scimType, ?string $message = NULL): \Scim\Exception {
    try {
      $call();
    }
    catch (\Scim\Exception $e) {
      $this->assertSame($class, get_class($e));
      $this->assertSame($status, $e->getStatus());
      $this->assertSame($scimType, $e->getScimType());
      if ($message !== NULL) {
        $this->assertSame($message, $e->getMessage());
      }
      return $e;
    }
    $this->fail("expected $class");
  }

  /**
   * Runs PHP code in a child process with the extension but without the test
   * hooks, and returns what it printed.
   */
  protected function runWithoutHooks(string $code): string {
    $so = getenv('SCIM_EXTENSION');
    if (!$so) {
      $this->markTestSkipped('SCIM_EXTENSION names no library');
    }
    $cmd = [PHP_BINARY, '-n', '-d', "extension=$so", '-r', $code];
    $proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = stream_get_contents($pipes[1]);
    stream_get_contents($pipes[2]);
    proc_close($proc);
    return (string) $out;
  }

}
