<?php

declare(strict_types=1);

namespace Scim\Tests;

use Scim\Mapping;
use Scim\Resource;

/**
 * Scim\Mapping: SCIM Users to Drupal accounts and back, groups to roles.
 */
final class MappingTest extends ScimTestCase {

  private function config(): array {
    return [
      'rules' => array_merge(Mapping::defaultRules(), [
        ['scim' => 'name.givenName', 'field' => 'field_first_name'],
      ]),
      'sync_password' => FALSE,
      'role_map' => [['group' => 'Editors', 'role' => 'editor']],
      'allowed_roles' => ['editor'],
    ];
  }

  public function testDefaultMapsMiniOrangesUser(): void {
    $user = Resource::validate([
      'userName' => 'bjensen@example.com',
      'name' => ['givenName' => 'Barbara', 'familyName' => 'Jensen'],
      'emails' => [['type' => 'work', 'value' => 'bjensen@example.com']],
      'displayName' => 'Babs',
      'active' => TRUE,
      'password' => 'placeholder',
    ]);
    $this->assertSame(['name' => 'bjensen@example.com', 'mail' => 'bjensen@example.com', 'status' => 1], Mapping::drupalDefault()->toAccount($user));
  }

  public function testValidatesAndMapsJsonInOneCall(): void {
    $json = json_encode([
      'schemas' => ['urn:ietf:params:scim:schemas:core:2.0:User'],
      'userName' => 'bjensen@example.com',
      'emails' => [['type' => 'work', 'value' => 'bjensen@example.com']],
      'active' => 'False',
    ]);
    $this->assertSame(['name' => 'bjensen@example.com', 'mail' => 'bjensen@example.com', 'status' => 0], Mapping::drupalDefault()->accountFromJson($json));
    $this->assertScimError(fn() => Mapping::drupalDefault()->accountFromJson('{"emails":[]}'), \Scim\InvalidValueException::class, 400, 'invalidValue', 'attribute "userName" is required');
    $this->assertScimError(fn() => Mapping::drupalDefault()->accountFromJson('{'), \Scim\InvalidSyntaxException::class, 400, 'invalidSyntax');
  }

  public function testConfigRoundTrips(): void {
    $mapping = new Mapping($this->config());
    $again = new Mapping($mapping->toArray());
    $this->assertSame($mapping->toArray(), $again->toArray());
    $this->assertSame('field_first_name', $mapping->toArray()['rules'][5]['field']);
    $this->assertSame(['scim', 'field', 'convert', 'absent'], array_keys(Mapping::suggestedRules()[0]));
  }

  public function testChangesListOnlyWhatChanged(): void {
    $mapping = new Mapping($this->config());
    $before = Resource::validate(['userName' => 'b', 'name' => ['givenName' => 'Barbara'], 'active' => TRUE]);
    $after = Resource::validate(['userName' => 'b', 'active' => FALSE]);
    $this->assertSame(['status' => 0, 'field_first_name' => NULL], $mapping->changes($before, $after));
  }

  public function testFromAccountRendersTheUser(): void {
    $user = Mapping::drupalDefault()->fromAccount(['name' => 'bjensen', 'mail' => 'b@example.com', 'status' => 1], '7', [
      'created' => '2010-01-23T04:56:22Z',
      'location' => 'https://example.com/scim/v2/Users/7',
      'version' => 'W/"3"',
    ]);
    $this->assertSame('7', $user['id']);
    $this->assertSame('bjensen', $user['userName']);
    $this->assertTrue($user['active']);
    $this->assertSame([['value' => 'b@example.com']], array_map(fn($e) => array_intersect_key($e, ['value' => 1]), $user['emails']));
    $this->assertSame('User', $user['meta']['resourceType']);
    $this->assertSame('W/"3"', $user['meta']['version']);
    $this->assertSame(Mapping::drupalDefault()->fromAccount([], '8')['id'], '8');
  }

  public function testOverlayLaysTheAccountOverTheStoredUser(): void {
    $mapping = new Mapping($this->config());
    $user = Resource::validateJson(file_get_contents(__DIR__ . '/../fixtures/rfc7643-8.2-full-user.json'));
    $this->assertEquals($user, $mapping->overlay($user, $mapping->toAccount($user)));

    $out = $mapping->overlay($user, ['mail' => 'barbara@example.org', 'status' => '0', 'field_first_name' => NULL, 'scim_external_id' => '']);
    $this->assertSame('barbara@example.org', $out['emails'][0]['value']);
    $this->assertSame($user['emails'][1], $out['emails'][1]);
    $this->assertFalse($out['active']);
    $this->assertArrayNotHasKey('givenName', $out['name']);
    $this->assertArrayNotHasKey('externalId', $out);
    $this->assertSame($user['addresses'], $out['addresses']);

    $bare = Resource::validate(['userName' => 'b']);
    $this->assertSame([['value' => 'b@example.com', 'type' => 'work', 'primary' => TRUE]], $mapping->overlay($bare, ['mail' => 'b@example.com'])['emails']);
    $this->assertScimError(fn() => $mapping->overlay($bare, ['x']), \Scim\InvalidValueException::class, 400, 'invalidValue', 'account fields must be an array keyed by field name');
  }

  public function testRolesFollowGroupsWithinTheAllowList(): void {
    $mapping = new Mapping($this->config());
    $groups = [['id' => 'g-1', 'displayName' => 'editors']];
    $this->assertSame(['editor'], $mapping->grantedRoles($groups));
    $this->assertSame(['add' => ['editor'], 'remove' => []], $mapping->roleChanges($groups, ['administrator']));
    $this->assertSame(['add' => [], 'remove' => ['editor']], $mapping->roleChanges([], ['editor', 'administrator']));
    $this->assertTrue($mapping->isAllowedRole('editor'));
    $this->assertFalse($mapping->isAllowedRole('administrator'));
  }

  public function testRulesReadQualifiedAndExtensionAttributes(): void {
    $mapping = new Mapping(['rules' => [
      ['scim' => 'urn:ietf:params:scim:schemas:core:2.0:User:userName', 'field' => 'name'],
      ['scim' => 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', 'field' => 'field_department'],
      ['scim' => 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value', 'field' => 'field_manager'],
      ['scim' => 'emails[type eq "work"].value', 'field' => 'mail'],
    ]]);
    $user = Resource::validateJson(file_get_contents(__DIR__ . '/../fixtures/rfc7643-8.3-enterprise-user.json'));
    $this->assertSame([
      'name' => 'bjensen@example.com',
      'field_department' => 'Tour Operations',
      'field_manager' => '26118915-6090-4610-87e4-49d8ca9f808d',
      'mail' => 'bjensen@example.com',
    ], $mapping->toAccount($user));
    $this->assertSame(['name' => 'x'], $mapping->toAccount(['USERNAME' => 'x', 'title' => NAN]));
    $after = $user;
    $after['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']['department'] = 'Rides';
    $this->assertSame(['field_department' => 'Rides'], $mapping->changes($user, $after));
  }

  public function testErrors(): void {
    $this->assertScimError(fn() => new Mapping(['rules' => [['scim' => 'nope', 'field' => 'x']]]), \Scim\InvalidValueException::class, 400, 'invalidValue');
    $this->assertScimError(fn() => new Mapping(['rules' => [['scim' => 'userName', 'field' => 'uid']]]), \Scim\InvalidValueException::class, 400, 'invalidValue');
    $mapping = Mapping::drupalDefault();
    $this->assertScimError(fn() => $mapping->grantedRoles([['id' => 1]]), \Scim\InvalidValueException::class, 400, 'invalidValue', 'groups[0] must have a string "id"');
    $this->assertScimError(fn() => $mapping->roleChanges([], [1]), \Scim\InvalidValueException::class, 400, 'invalidValue', 'current roles must hold strings');
    $this->assertScimError(fn() => $mapping->fromAccount(['x'], '1'), \Scim\InvalidValueException::class, 400, 'invalidValue', 'account fields must be an array keyed by field name');
  }

}
