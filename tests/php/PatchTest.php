<?php

declare(strict_types=1);

namespace Scim\Tests;

use Scim\Patch;
use Scim\Resource;

/**
 * Scim\Patch (RFC 7644 section 3.5.2).
 */
final class PatchTest extends ScimTestCase {

  private function fixture(string $name): string {
    return file_get_contents(__DIR__ . '/../fixtures/' . $name);
  }

  public function testRemoveMemberByFilter(): void {
    $group = Resource::validateJson($this->fixture('rfc7643-8.4-group.json'), 'Group');
    $out = Patch::applyJson($group, $this->fixture('rfc7644-3.5.2.2-remove-member.json'), 'Group');
    $this->assertTrue($out['changed']);
    $this->assertSame(['members'], $out['changedAttributes']);
    $this->assertSame(['902c246b-6245-4190-8e05-00816be7344a'], array_column($out['resource']['members'], 'value'));
  }

  public function testMiniOrangeDeactivatesWithoutSchemas(): void {
    $user = Resource::validate(['userName' => 'bjensen', 'active' => TRUE]);
    $out = Patch::apply($user, ['Operations' => [['op' => 'Replace', 'path' => 'active', 'value' => FALSE]]]);
    $this->assertFalse($out['resource']['active']);
    $this->assertSame(['active'], $out['changedAttributes']);
  }

  public function testUnchangedResourceReportsNoChange(): void {
    $user = Resource::validate(['userName' => 'bjensen']);
    $out = Patch::apply($user, ['Operations' => [['op' => 'replace', 'path' => 'userName', 'value' => 'bjensen']]], 'User');
    $this->assertFalse($out['changed']);
    $this->assertSame([], $out['changedAttributes']);
  }

  public function testErrors(): void {
    $user = Resource::validate(['userName' => 'bjensen']);
    $this->assertScimError(fn() => Patch::apply($user, []), \Scim\InvalidSyntaxException::class, 400, 'invalidSyntax', 'patch request has no "Operations"');
    $this->assertScimError(fn() => Patch::apply($user, ['Operations' => [['op' => 'replace', 'path' => 'userName[', 'value' => 'x']]]), \Scim\InvalidPathException::class, 400, 'invalidPath');
    $this->assertScimError(fn() => Patch::apply($user, ['Operations' => [['op' => 'replace', 'path' => 'foo', 'value' => 'x']]]), \Scim\InvalidPathException::class, 400, 'invalidPath');
    $this->assertScimError(fn() => Patch::apply($user, ['Operations' => [['op' => 'remove', 'path' => 'userName']]]), \Scim\MutabilityException::class, 400, 'mutability');
    $this->assertScimError(fn() => Patch::applyJson($user, '{"Operations":[{"op":"remove"}]}'), \Scim\NoTargetException::class, 400, 'noTarget');
    $this->assertScimError(fn() => Patch::applyJson($user, 'nope'), \Scim\InvalidSyntaxException::class, 400, 'invalidSyntax');
  }

}
