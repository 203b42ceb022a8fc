<?php

declare(strict_types=1);

namespace Scim\Tests;

/**
 * Scim\Schemas and Scim\ResourceTypes (RFC 7644 section 4).
 */
final class DiscoveryTest extends ScimTestCase {

  public function testSchemasListsUserGroupAndEnterpriseUser(): void {
    $ids = array_column(\Scim\Schemas::list(), 'id');
    $this->assertSame([
      'urn:ietf:params:scim:schemas:core:2.0:User',
      'urn:ietf:params:scim:schemas:core:2.0:Group',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
    ], $ids);
  }

  public function testSchemasGetFindsASchemaWithoutRegardToCase(): void {
    $schema = \Scim\Schemas::get('URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER');
    $this->assertSame('urn:ietf:params:scim:schemas:core:2.0:User', $schema['id']);
    $this->assertSame(['urn:ietf:params:scim:schemas:core:2.0:Schema'], $schema['schemas']);
    $this->assertSame('userName', $schema['attributes'][0]['name']);
    $this->assertSame('Schema', $schema['meta']['resourceType']);
  }

  public function testSchemasGetRejectsAnUnknownSchema(): void {
    $this->assertScimError(fn() => \Scim\Schemas::get('urn:example:nope'), \Scim\NotFoundException::class, 404, NULL, 'schema "urn:example:nope" not found');
  }

  public function testResourceTypesListsUserAndGroup(): void {
    $types = \Scim\ResourceTypes::list();
    $this->assertSame(['User', 'Group'], array_column($types, 'id'));
    $this->assertSame(['/Users', '/Groups'], array_column($types, 'endpoint'));
  }

  public function testResourceTypesGetFindsATypeWithoutRegardToCase(): void {
    $user = \Scim\ResourceTypes::get('user');
    $this->assertSame('User', $user['name']);
    $this->assertSame([
      [
        'schema' => 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
        'required' => FALSE,
      ],
    ], $user['schemaExtensions']);
  }

  public function testResourceTypesGetRejectsAnUnknownType(): void {
    $this->assertScimError(fn() => \Scim\ResourceTypes::get('Device'), \Scim\NotFoundException::class, 404, NULL, 'resource type "Device" not found');
  }

  public function testDiscoveryClassesCannotBeInstantiated(): void {
    $this->expectException(\Error::class);
    new \Scim\Schemas();
  }

}
