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

  public function testServiceProviderConfigAnnouncesFeatures(): void {
    $config = \Scim\Discovery::serviceProviderConfig('https://example.com/scim/v2/', ['maxResults' => 50, 'sort' => FALSE, 'documentationUri' => 'https://example.com/help']);
    $this->assertSame(['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'], $config['schemas']);
    $this->assertSame(['supported' => TRUE, 'maxResults' => 50], $config['filter']);
    $this->assertSame(['supported' => FALSE], $config['sort']);
    $this->assertSame('https://example.com/help', $config['documentationUri']);
    $this->assertSame('https://example.com/scim/v2/ServiceProviderConfig', $config['meta']['location']);
    $this->assertSame('oauthbearertoken', $config['authenticationSchemes'][0]['type']);
    $this->assertSame(\Scim\Discovery::serviceProviderConfig('https://x'), \Scim\Discovery::serviceProviderConfig('https://x', []));
  }

  public function testServiceProviderConfigRejectsUnknownFeatures(): void {
    $this->assertScimError(fn() => \Scim\Discovery::serviceProviderConfig('https://x', ['bulk' => TRUE]), \Scim\InvalidValueException::class, 400, 'invalidValue', 'unknown feature "bulk"');
    $this->assertScimError(fn() => \Scim\Discovery::serviceProviderConfig('https://x', ['sort' => 'yes']), \Scim\InvalidValueException::class, 400, 'invalidValue', 'feature "sort" must be a boolean');
  }

  public function testDiscoveryListsAndItems(): void {
    $base = 'https://example.com/scim/v2';
    $schemas = \Scim\Discovery::schemas($base);
    $this->assertSame(3, $schemas['totalResults']);
    $this->assertSame("$base/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", $schemas['Resources'][0]['meta']['location']);
    $this->assertSame('Group', \Scim\Discovery::schema($base, 'urn:ietf:params:scim:schemas:core:2.0:group')['name']);
    $types = \Scim\Discovery::resourceTypes($base);
    $this->assertSame(['User', 'Group'], array_column($types['Resources'], 'id'));
    $this->assertSame("$base/ResourceTypes/User", \Scim\Discovery::resourceType($base, 'user')['meta']['location']);
    $this->assertScimError(fn() => \Scim\Discovery::schema($base, 'urn:nope'), \Scim\NotFoundException::class, 404, NULL, 'schema "urn:nope" not found');
    $this->assertScimError(fn() => \Scim\Discovery::resourceType($base, 'Device'), \Scim\NotFoundException::class, 404, NULL, 'resource type "Device" not found');
  }

  public function testDiscoveryClassesCannotBeInstantiated(): void {
    $this->expectException(\Error::class);
    new \Scim\Schemas();
  }

}
