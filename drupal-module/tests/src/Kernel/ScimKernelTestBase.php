<?php

namespace Drupal\Tests\scim_provisioning\Kernel;

use Drupal\Core\Session\AnonymousUserSession;
use Drupal\KernelTests\KernelTestBase;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;
use Symfony\Component\HttpKernel\HttpKernelInterface;

/**
 * Installs the module with its tables and config for Kernel tests.
 */
abstract class ScimKernelTestBase extends KernelTestBase {

  /**
   * {@inheritdoc}
   */
  protected static $modules = ['system', 'user', 'scim_provisioning'];

  /**
   * {@inheritdoc}
   */
  protected function setUp(): void {
    parent::setUp();
    $this->installEntitySchema('user');
    $this->installSchema('user', ['users_data']);
    $this->installSchema('scim_provisioning', [
      'scim_provisioning_token',
      'scim_provisioning_log',
      'scim_provisioning_resource',
      'scim_provisioning_member',
      'scim_provisioning_value',
    ]);
    $this->installConfig(['system', 'user', 'scim_provisioning']);
  }

  /**
   * Sends a request through the site's HTTP kernel as a main request.
   *
   * @param string $method
   *   The HTTP method.
   * @param string $path
   *   The path, with its query string.
   * @param array $headers
   *   Request headers, by name.
   * @param string|null $body
   *   The request body, or NULL for none.
   *
   * @return \Symfony\Component\HttpFoundation\Response
   *   The response.
   */
  protected function request(string $method, string $path, array $headers = [], ?string $body = NULL): Response {
    $server = [];
    foreach ($headers as $name => $value) {
      $server['HTTP_' . strtoupper(str_replace('-', '_', $name))] = $value;
    }
    $request = Request::create($path, $method, [], [], [], $server, $body);
    // Each real request starts anonymous; in one test process the current
    // user would otherwise carry over from the previous request.
    $this->container->get('current_user')->setAccount(new AnonymousUserSession());
    return $this->container->get('http_kernel')->handle($request, HttpKernelInterface::MAIN_REQUEST);
  }

  /**
   * Decodes a SCIM response body.
   *
   * @param \Symfony\Component\HttpFoundation\Response $response
   *   The response.
   *
   * @return array
   *   The decoded JSON document.
   */
  protected function document(Response $response): array {
    $this->assertSame('application/scim+json', $response->headers->get('Content-Type'));
    return json_decode((string) $response->getContent(), TRUE, 32, JSON_THROW_ON_ERROR);
  }

}
