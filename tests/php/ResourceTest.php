<?php

declare(strict_types=1);

namespace Scim\Tests;

use Scim\Resource;

/**
 * Scim\Resource (RFC 7643 sections 2-4, RFC 7644 sections 3.3, 3.5.1).
 */
final class ResourceTest extends ScimTestCase {

  private function fixture(string $name): string {
    return file_get_contents(__DIR__ . '/../fixtures/' . $name);
  }

  public function testParseJsonReadsAnObject(): void {
    $this->assertSame(['a' => [1, 2]], Resource::parseJson('{"a":[1,2]}'));
  }

  public function testParseJsonRejectsWhatIsNotAJsonObject(): void {
    $this->assertScimError(fn() => Resource::parseJson('[1]'), \Scim\InvalidSyntaxException::class, 400, 'invalidSyntax', 'request body must be a JSON object, got an array');
    $this->assertScimError(fn() => Resource::parseJson("{\"a\":\"\xff\"}"), \Scim\InvalidSyntaxException::class, 400, 'invalidSyntax', 'request body is not valid UTF-8 at byte 6');
    $this->assertScimError(fn() => Resource::parseJson(str_repeat(' ', (1 << 20) + 1)), \Scim\PayloadTooLargeException::class, 413, NULL, 'request body is 1048577 bytes, more than the limit of 1048576 bytes');
  }

  public function testValidateJsonGivesTheCanonicalUser(): void {
    $user = Resource::validateJson($this->fixture('rfc7643-8.2-full-user.json'));
    $this->assertSame(['urn:ietf:params:scim:schemas:core:2.0:User'], $user['schemas']);
    $this->assertSame('bjensen@example.com', $user['userName']);
    $this->assertArrayNotHasKey('id', $user);
    $this->assertArrayNotHasKey('meta', $user);
    $this->assertTrue($user['emails'][0]['primary']);
  }

  public function testValidateMatchesValidateJson(): void {
    $json = $this->fixture('rfc7643-8.3-enterprise-user.json');
    $this->assertSame(Resource::validateJson($json, 'User'), Resource::validate(json_decode($json, TRUE), 'User'));
  }

  public function testArraysAndJsonValidateAlikeForEveryFixture(): void {
    $mapping = \Scim\Mapping::drupalDefault();
    foreach ([
      'rfc7643-8.1-minimal-user.json' => 'User',
      'rfc7643-8.2-full-user.json' => 'User',
      'rfc7643-8.3-enterprise-user.json' => 'User',
      'bench-user-1.5k.json' => 'User',
      'rfc7643-8.4-group.json' => 'Group',
    ] as $name => $type) {
      $json = $this->fixture($name);
      $canonical = Resource::validateJson($json, $type);
      $this->assertSame($canonical, Resource::validate(json_decode($json, TRUE), $type), $name);
      $this->assertSame($canonical, \Scim\validate($json, $type), $name);
      $this->assertSame($canonical, Resource::validate($canonical, $type), $name);
      if ($type === 'User') {
        $this->assertSame($mapping->toAccount($canonical), $mapping->accountFromJson($json), $name);
      }
    }
  }

  public function testArraysAndJsonFailAlike(): void {
    foreach ([
      ['userName' => 'a', 'emails' => [['value' => 'x', 'primary' => TRUE], ['value' => 'y', 'primary' => 'True']]],
      ['userName' => 'a', 'USERNAME' => 'b'],
      ['userName' => 'a', 'name' => 'Babs'],
      ['userName' => 'a', 'x509Certificates' => [['value' => 'not base64']]],
      ['userName' => ''],
    ] as $input) {
      $json = json_encode($input);
      try {
        Resource::validateJson($json);
        $this->fail("$json validates");
      }
      catch (\Scim\Exception $e) {
        $this->assertScimError(fn() => Resource::validate($input), get_class($e), $e->getStatus(), $e->getScimType(), $e->getMessage());
      }
    }
  }

  public function testValidateFixesCaseAndQuirks(): void {
    $user = Resource::validate(['USERNAME' => 'bjensen', 'Active' => 'False', 'emails' => ['value' => 'b@example.com']]);
    $this->assertSame([
      'schemas' => ['urn:ietf:params:scim:schemas:core:2.0:User'],
      'userName' => 'bjensen',
      'active' => FALSE,
      'emails' => [['value' => 'b@example.com']],
    ], $user);
  }

  public function testValidateGroup(): void {
    $group = Resource::validateJson($this->fixture('rfc7643-8.4-group.json'), 'Group');
    $this->assertSame('Tour Guides', $group['displayName']);
    $this->assertArrayNotHasKey('display', $group['members'][0]);
  }

  public function testValidateRejectsBadValues(): void {
    $this->assertScimError(fn() => Resource::validate(['userName' => 3]), \Scim\InvalidValueException::class, 400, 'invalidValue', 'attribute "userName" must be a string, got a number');
    $this->assertScimError(fn() => Resource::validate(['userName' => 'x', 'foo' => 1]), \Scim\InvalidSyntaxException::class, 400, 'invalidSyntax', 'unknown attribute "foo"');
    $this->assertScimError(fn() => Resource::validateJson('{"userName":"x"}', 'Device'), \Scim\NotFoundException::class, 404, NULL, 'resource type "Device" not found');
    // The body is read before anything else is looked at.
    $this->assertScimError(fn() => Resource::validateJson('{', 'Device'), \Scim\InvalidSyntaxException::class, 400, 'invalidSyntax', 'request body is not valid JSON at line 1, column 1: EOF while parsing an object');
    $this->assertScimError(fn() => Resource::validate(['x' => NAN], 'Device'), \Scim\InvalidValueException::class, 400, 'invalidValue', 'the number NaN at "x" is not finite');
  }

  public function testValidateFunctionTakesAnArrayOrJson(): void {
    $json = $this->fixture('rfc7643-8.1-minimal-user.json');
    $this->assertSame(Resource::validateJson($json), \Scim\validate($json));
    $this->assertSame(Resource::validate(json_decode($json, TRUE)), \Scim\validate(json_decode($json, TRUE), 'User'));
    $this->assertSame(['schemas' => ['urn:ietf:params:scim:schemas:core:2.0:User'], 'userName' => 'x'], \Scim\validate(['userName' => 'x', 'foo' => 1], strict: FALSE));
    $this->assertScimError(fn() => \Scim\validate(5), \Scim\InvalidSyntaxException::class, 400, 'invalidSyntax', 'resource must be an array or a JSON string, got int');
    $this->assertScimError(fn() => \Scim\validate('{"userName":"x"}', 'Device'), \Scim\NotFoundException::class, 404, NULL);
  }

  public function testLenientValidationDropsUnknownAttributes(): void {
    $this->assertSame(['schemas' => ['urn:ietf:params:scim:schemas:core:2.0:User'], 'userName' => 'x'], Resource::validate(['userName' => 'x', 'foo' => 1], 'User', NULL, FALSE));
    $this->assertSame(['schemas' => ['urn:ietf:params:scim:schemas:core:2.0:User'], 'userName' => 'x'], Resource::validateJson('{"userName":"x","foo":1}', strict: FALSE));
  }

  public function testReplaceHoldsImmutableValues(): void {
    $group = Resource::validate(['displayName' => 'G', 'members' => [['value' => 'u1']]], 'Group');
    $replaced = Resource::validate(['displayName' => 'H'], 'Group', $group);
    $this->assertSame('H', $replaced['displayName']);
    $this->assertSame($replaced, Resource::validateJson('{"displayName":"H"}', 'Group', $group));
  }

}
