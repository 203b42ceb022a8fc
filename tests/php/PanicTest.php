<?php

declare(strict_types=1);

namespace Scim\Tests;

/**
 * A Rust panic reaches PHP as a 500, and the worker lives on.
 */
final class PanicTest extends ScimTestCase {

  public function testPanicBecomesAnInternalException(): void {
    $e = $this->assertScimError(fn() => \Scim\Testing::panic('index out of bounds'), \Scim\InternalException::class, 500, NULL, 'the scim extension panicked: index out of bounds');
    $this->assertSame(500, $e->getCode());
    $this->assertSame('500', $e->getDocument()['status']);
  }

  public function testPanicWithoutMessageUsesTheDefault(): void {
    $this->assertScimError(fn() => \Scim\Testing::panic(), \Scim\InternalException::class, 500, NULL, 'the scim extension panicked: deliberate panic');
  }

  public function testWorkerSurvivesRepeatedPanics(): void {
    for ($i = 0; $i < 10; $i++) {
      try {
        \Scim\Testing::panic("panic $i");
      }
      catch (\Scim\InternalException $e) {
        $this->assertSame("the scim extension panicked: panic $i", $e->getMessage());
      }
    }
    $this->assertSame('User', \Scim\ResourceTypes::get('User')['id']);
  }

  public function testHooksRefuseToRunWhenDisabled(): void {
    $out = $this->runWithoutHooks(<<<'PHP'
      try { \Scim\Testing::panic(); echo "ran"; }
      catch (\Scim\Exception $e) { echo get_class($e), ' ', $e->getStatus(), ' ', $e->getMessage(); }
      PHP);
    $this->assertSame('Scim\ForbiddenException 403 test hooks are disabled; set scim.enable_test_hooks=1 in php.ini', $out);
  }

}
