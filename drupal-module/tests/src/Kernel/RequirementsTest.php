<?php

namespace Drupal\Tests\scim_provisioning\Kernel;

/**
 * Tests what the module reports on the status report.
 *
 * @group scim_provisioning
 */
class RequirementsTest extends ScimKernelTestBase {

  /**
   * Returns the module's runtime requirements.
   *
   * @return array
   *   The requirements, keyed by name.
   */
  protected function requirements(): array {
    $this->container->get('module_handler')->loadInclude('scim_provisioning', 'install');
    return scim_provisioning_requirements('runtime');
  }

  /**
   * Tests the extension, token, HTTPS and Authorization header entries.
   */
  public function testRuntimeRequirements(): void {
    $this->container->get('router.builder')->rebuild();
    $requirements = $this->requirements();
    $this->assertSame([
      'scim_provisioning_extension',
      'scim_provisioning_tokens',
      'scim_provisioning_https',
      'scim_provisioning_authorization_header',
    ], array_keys($requirements));

    $extension = $requirements['scim_provisioning_extension'];
    if (extension_loaded('scim')) {
      $this->assertSame(REQUIREMENT_OK, $extension['severity']);
      $this->assertSame(phpversion('scim'), (string) $extension['value']);
    }
    else {
      $this->assertSame(REQUIREMENT_ERROR, $extension['severity']);
      $this->assertSame('Not loaded', (string) $extension['value']);
    }

    $this->assertSame(REQUIREMENT_WARNING, $requirements['scim_provisioning_tokens']['severity']);
    $this->assertSame('0 tokens', (string) $requirements['scim_provisioning_tokens']['value']);
    $this->assertSame(REQUIREMENT_WARNING, $requirements['scim_provisioning_https']['severity']);
    $this->assertSame('http://localhost/scim/v2', $requirements['scim_provisioning_https']['value']);
    $this->assertSame(REQUIREMENT_INFO, $requirements['scim_provisioning_authorization_header']['severity']);

    $this->container->get('scim_provisioning.token_repository')->generate('Okta');
    $requirements = $this->requirements();
    $this->assertSame(REQUIREMENT_OK, $requirements['scim_provisioning_tokens']['severity']);
    $this->assertSame('1 token', (string) $requirements['scim_provisioning_tokens']['value']);

    $this->setSetting('scim_provisioning_tokens', ['Typo' => 'abc']);
    $requirements = $this->requirements();
    $this->assertSame(REQUIREMENT_WARNING, $requirements['scim_provisioning_tokens']['severity']);
    $this->assertStringContainsString('Typo', (string) $requirements['scim_provisioning_tokens']['description']);
  }

  /**
   * Tests that SCIM requests without an Authorization header are reported.
   */
  public function testStrippedAuthorizationHeaderIsReported(): void {
    $token = $this->container->get('scim_provisioning.token_repository')->generate('Okta');
    $this->assertSame('No SCIM request yet', (string) $this->requirements()['scim_provisioning_authorization_header']['value']);

    // Requests arrive without the header, as behind a CGI set-up that
    // drops it, and none arrives with it.
    $this->assertSame(401, $this->request('GET', '/scim/v2/Users')->getStatusCode());
    $requirement = $this->requirements()['scim_provisioning_authorization_header'];
    $this->assertSame(REQUIREMENT_WARNING, $requirement['severity']);
    $this->assertSame('Probably removed by the web server', (string) $requirement['value']);
    $this->assertStringContainsString('CGIPassAuth On', (string) $requirement['description']);
    $this->assertStringContainsString('SetEnvIf Authorization "(.*)" HTTP_AUTHORIZATION=$1', (string) $requirement['description']);

    // Once a request with the header arrives, the header gets through.
    $this->request('GET', '/scim/v2/Users', ['Authorization' => 'Bearer ' . $token]);
    $requirement = $this->requirements()['scim_provisioning_authorization_header'];
    $this->assertSame(REQUIREMENT_OK, $requirement['severity']);
    $this->assertSame('Received', (string) $requirement['value']);
  }

}
