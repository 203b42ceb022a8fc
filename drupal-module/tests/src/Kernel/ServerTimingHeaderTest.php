<?php

namespace Drupal\Tests\scim_provisioning\Kernel;

use Symfony\Component\HttpFoundation\Response;

/**
 * Tests the opt-in Server-Timing header of SCIM responses.
 *
 * @coversDefaultClass \Drupal\scim_provisioning\Http\ServerTiming
 * @group scim_provisioning
 * @requires extension scim
 */
class ServerTimingHeaderTest extends ScimKernelTestBase {

  /**
   * A valid token.
   *
   * @var string
   */
  protected string $token;

  /**
   * {@inheritdoc}
   */
  protected function setUp(): void {
    parent::setUp();
    $this->token = $this->container->get('scim_provisioning.token_repository')->generate('Okta');
  }

  /**
   * Sends a SCIM request with the token.
   *
   * @param string $method
   *   The HTTP method.
   * @param string $path
   *   The path below /scim/v2.
   * @param array|null $body
   *   The JSON body, or NULL for none.
   *
   * @return \Symfony\Component\HttpFoundation\Response
   *   The response.
   */
  protected function scim(string $method, string $path, ?array $body = NULL): Response {
    return $this->request($method, '/scim/v2' . $path, [
      'Authorization' => 'Bearer ' . $this->token,
      'Content-Type' => 'application/scim+json',
    ], $body === NULL ? NULL : json_encode($body));
  }

  /**
   * Tests that responses carry no Server-Timing header by default.
   */
  public function testNoHeaderByDefault(): void {
    $response = $this->scim('GET', '/Users');
    $this->assertSame(200, $response->getStatusCode());
    $this->assertFalse($response->headers->has('Server-Timing'));
  }

  /**
   * Tests the phases the header gives when the setting turns it on.
   */
  public function testHeaderSplitsTheTimeWhenEnabled(): void {
    $this->setSetting('scim_provisioning_server_timing', TRUE);
    $response = $this->scim('POST', '/Users', [
      'schemas' => ['urn:ietf:params:scim:schemas:core:2.0:User'],
      'userName' => 'bjensen',
      'emails' => [['value' => 'bjensen@example.com', 'type' => 'work']],
    ]);
    $this->assertSame(201, $response->getStatusCode());
    $phases = $this->phases((string) $response->headers->get('Server-Timing'));
    $this->assertSame(['total', 'scim', 'store', 'entity', 'log'], array_keys($phases));
    $this->assertGreaterThan(0.0, $phases['entity'], 'Saving the account is entity work.');
    $this->assertGreaterThan(0.0, $phases['scim']);
    $this->assertGreaterThan(0.0, $phases['log']);
    $this->assertLessThanOrEqual($phases['store'], $phases['entity']);
    $this->assertLessThanOrEqual($phases['total'], $phases['scim'] + $phases['store'] + $phases['log']);

    // Each request is measured alone.
    $response = $this->scim('GET', '/ServiceProviderConfig');
    $phases = $this->phases((string) $response->headers->get('Server-Timing'));
    $this->assertSame(0.0, $phases['store']);
    $this->assertSame(0.0, $phases['entity']);
  }

  /**
   * Reads a Server-Timing header.
   *
   * @param string $header
   *   The header value.
   *
   * @return float[]
   *   Milliseconds by phase, in the header's order.
   */
  protected function phases(string $header): array {
    $phases = [];
    foreach (explode(', ', $header) as $part) {
      $this->assertMatchesRegularExpression('/^[a-z]+;dur=\d+\.\d\d$/', $part);
      [$name, $duration] = explode(';dur=', $part);
      $phases[$name] = (float) $duration;
    }
    return $phases;
  }

}
