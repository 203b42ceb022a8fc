<?php

declare(strict_types=1);

namespace Scim\Tests;

use Scim\Version;

/**
 * Scim\Version (RFC 7644 section 3.14).
 */
final class VersionTest extends ScimTestCase {

  public function testOfHashesContentWithoutMetaOrOrder(): void {
    $a = Version::of(['userName' => 'x', 'active' => TRUE, 'meta' => ['version' => 'W/"1"']]);
    $b = Version::of(['active' => TRUE, 'userName' => 'x']);
    $this->assertSame($a, $b);
    $this->assertMatchesRegularExpression('/^W\/"[0-9a-f]{16}"$/', $a);
    $this->assertNotSame($a, Version::of(['userName' => 'y', 'active' => TRUE]));
  }

  public function testFromCounter(): void {
    $this->assertSame('W/"3"', Version::fromCounter(3));
    $this->assertScimError(fn() => Version::fromCounter(-1), \Scim\InvalidValueException::class, 400, 'invalidValue', 'version counter -1 is negative');
  }

  public function testCheckPreconditions(): void {
    $this->assertTrue(Version::check(NULL, NULL, 'W/"3"'));
    $this->assertTrue(Version::check('W/"3"', NULL, 'W/"3"'));
    $this->assertTrue(Version::check('"3"', NULL, 'W/"3"'));
    $this->assertTrue(Version::check('*', NULL, 'W/"3"'));
    $this->assertFalse(Version::check(NULL, 'W/"3"', 'W/"3"'));
    $this->assertTrue(Version::check(NULL, 'W/"2"', 'W/"3"', TRUE));
  }

  public function testCheckFailsWithPreconditionFailed(): void {
    $this->assertScimError(fn() => Version::check('W/"2"', NULL, 'W/"3"'), \Scim\PreconditionFailedException::class, 412, NULL, 'resource version W/"3" does not match If-Match W/"2"');
    $this->assertScimError(fn() => Version::check(NULL, '*', 'W/"3"', TRUE), \Scim\PreconditionFailedException::class, 412, NULL, 'the current version matches If-None-Match');
  }

}
