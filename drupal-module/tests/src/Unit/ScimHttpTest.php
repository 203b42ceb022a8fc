<?php

namespace Drupal\Tests\scim_provisioning\Unit;

use Drupal\scim_provisioning\Http\ScimErrorDocument;
use Drupal\scim_provisioning\Http\ScimPath;
use PHPUnit\Framework\TestCase;

/**
 * Tests SCIM path recognition and error documents.
 *
 * @coversDefaultClass \Drupal\scim_provisioning\Http\ScimPath
 * @group scim_provisioning
 */
class ScimHttpTest extends TestCase {

  /**
   * Tests which paths belong to the SCIM service.
   *
   * @covers ::isScimPath
   */
  public function testScimPaths(): void {
    foreach (['/scim/v2', '/scim/v2/', '/scim/v2/Users', '/SCIM/V2/Users/1', '/scim/v2/Users/.search'] as $path) {
      $this->assertTrue(ScimPath::isScimPath($path), $path);
    }
    foreach (['', '/', '/scim', '/scim/v1/Users', '/scim/v20', '/scim/v2x/Users', '/user/login', '/en/scim/v2/Users'] as $path) {
      $this->assertFalse(ScimPath::isScimPath($path), $path);
    }
  }

  /**
   * Tests which segments name a discovery endpoint.
   *
   * @covers ::isDiscovery
   */
  public function testDiscoverySegments(): void {
    $this->assertTrue(ScimPath::isDiscovery('ServiceProviderConfig'));
    $this->assertTrue(ScimPath::isDiscovery('schemas'));
    $this->assertTrue(ScimPath::isDiscovery('RESOURCETYPES'));
    $this->assertFalse(ScimPath::isDiscovery('Users'));
    $this->assertFalse(ScimPath::isDiscovery(NULL));
  }

  /**
   * Tests error documents against RFC 7644 section 3.12.
   *
   * @covers \Drupal\scim_provisioning\Http\ScimErrorDocument::build
   * @covers \Drupal\scim_provisioning\Http\ScimErrorDocument::json
   */
  public function testErrorDocuments(): void {
    $this->assertSame([
      'schemas' => ['urn:ietf:params:scim:api:messages:2.0:Error'],
      'status' => '409',
      'scimType' => 'uniqueness',
      'detail' => 'userName "bjensen" is taken',
    ], ScimErrorDocument::build(409, 'userName "bjensen" is taken', 'uniqueness'));
    $this->assertSame('{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"401","detail":"a bearer token is required"}', ScimErrorDocument::json(401, 'a bearer token is required'));
  }

}
