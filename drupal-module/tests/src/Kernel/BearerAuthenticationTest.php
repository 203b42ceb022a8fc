<?php

namespace Drupal\Tests\scim_provisioning\Kernel;

use Drupal\Core\PageCache\RequestPolicyInterface;
use Drupal\scim_provisioning\PageCache\DisallowScimRequests;
use Drupal\scim_provisioning\Token\BearerToken;
use Symfony\Component\HttpFoundation\Request;

/**
 * Tests bearer authentication on the SCIM routes, end to end.
 *
 * @coversDefaultClass \Drupal\scim_provisioning\Authentication\Provider\ScimBearerAuthentication
 * @group scim_provisioning
 */
class BearerAuthenticationTest extends ScimKernelTestBase {

  /**
   * A valid token, labelled "Okta".
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
   * The status a request that passed authentication ends with.
   *
   * @param int $status
   *   The status the scim extension answers with.
   *
   * @return int
   *   The status, or 503 when the extension is not loaded.
   */
  protected static function handledStatus(int $status): int {
    return extension_loaded('scim') ? $status : 503;
  }

  /**
   * Tests that a request without a token gets a challenge.
   */
  public function testMissingTokenIsChallenged(): void {
    $response = $this->request('GET', '/scim/v2/Users?filter=userName%20eq%20%22bjensen%22');
    $this->assertSame(401, $response->getStatusCode());
    $this->assertSame('Bearer realm="SCIM"', $response->headers->get('WWW-Authenticate'));
    $this->assertSame([
      'schemas' => ['urn:ietf:params:scim:api:messages:2.0:Error'],
      'status' => '401',
      'detail' => 'a bearer token is required',
    ], $this->document($response));
  }

  /**
   * Tests that a wrong token gets 401 with error="invalid_token".
   */
  public function testWrongTokenIsRejected(): void {
    foreach (['Bearer ' . BearerToken::generate(), 'Bearer ' . $this->token . 'x', 'Bearer "quoted"'] as $header) {
      $response = $this->request('GET', '/scim/v2/Users', ['Authorization' => $header]);
      $this->assertSame(401, $response->getStatusCode(), $header);
      $this->assertSame('Bearer realm="SCIM", error="invalid_token"', $response->headers->get('WWW-Authenticate'));
      $this->assertSame('the bearer token is not valid', $this->document($response)['detail']);
    }
  }

  /**
   * Tests that a valid token reaches the SCIM controller for every method.
   */
  public function testValidTokenReachesTheScimController(): void {
    // Empty bodies are malformed; unknown ids are not found.
    $cases = [
      ['GET', '/scim/v2/ServiceProviderConfig', 200],
      ['GET', '/scim/v2/Users', 200],
      ['POST', '/scim/v2/Users', 400],
      ['GET', '/scim/v2/Users/2819c223', 404],
      ['PUT', '/scim/v2/Users/2819c223', 400],
      ['PATCH', '/scim/v2/Groups/e9e30dba', 400],
      ['DELETE', '/scim/v2/Users/2819c223', 404],
    ];
    foreach ($cases as [$method, $path, $status]) {
      $response = $this->request($method, $path, ['Authorization' => 'bearer ' . $this->token]);
      $this->assertSame(static::handledStatus($status), $response->getStatusCode(), "$method $path");
      $document = $this->document($response);
      if ($response->getStatusCode() >= 400) {
        $this->assertSame((string) static::handledStatus($status), $document['status']);
      }
      $this->assertNull($response->headers->get('WWW-Authenticate'));
    }
  }

  /**
   * Tests that every SCIM request leaves a log entry naming its token.
   */
  public function testRequestsAreLoggedWithTheirToken(): void {
    $this->request('DELETE', '/scim/v2/Users/2819c223', ['Authorization' => 'Bearer ' . $this->token]);
    $this->request('GET', '/scim/v2/Users', ['Authorization' => 'Bearer wrong']);

    $entries = $this->container->get('scim_provisioning.log')->entries();
    $this->assertCount(2, $entries);
    $this->assertSame(['', '401', 'GET', '/scim/v2/Users', 'the bearer token is not valid'], [
      $entries[0]->token,
      (string) $entries[0]->status,
      $entries[0]->method,
      $entries[0]->path,
      $entries[0]->detail,
    ]);
    $type = extension_loaded('scim') ? 'User' : 'Users';
    $this->assertSame(['Okta', (string) static::handledStatus(404), 'DELETE', $type, '2819c223'], [
      $entries[1]->token,
      (string) $entries[1]->status,
      $entries[1]->method,
      $entries[1]->resource_type,
      $entries[1]->resource_id,
    ]);
  }

  /**
   * Tests that a revoked token stops working at once.
   */
  public function testRevokedTokenIsRejected(): void {
    $tokens = $this->container->get('scim_provisioning.token_repository');
    $tokens->revoke($tokens->listTokens()[0]['id']);
    $response = $this->request('GET', '/scim/v2/Users', ['Authorization' => 'Bearer ' . $this->token]);
    $this->assertSame(401, $response->getStatusCode());
  }

  /**
   * Tests that unknown SCIM paths answer with a SCIM 404 document.
   */
  public function testUnknownPathIsScimNotFound(): void {
    $response = $this->request('GET', '/scim/v2/Users/1/extra', ['Authorization' => 'Bearer ' . $this->token]);
    $this->assertSame(404, $response->getStatusCode());
    $this->assertSame('no such SCIM endpoint', $this->document($response)['detail']);
  }

  /**
   * Tests discovery without a token, with public discovery off and on.
   */
  public function testPublicDiscovery(): void {
    $this->assertSame(401, $this->request('GET', '/scim/v2/Schemas')->getStatusCode());

    $this->config('scim_provisioning.settings')->set('public_discovery', TRUE)->save();
    $this->assertSame(static::handledStatus(200), $this->request('GET', '/scim/v2/Schemas')->getStatusCode());
    $this->assertSame(static::handledStatus(200), $this->request('GET', '/scim/v2/ResourceTypes/User')->getStatusCode());
    $this->assertSame(401, $this->request('GET', '/scim/v2/Users')->getStatusCode());
    $this->assertSame(401, $this->request('POST', '/scim/v2/Schemas')->getStatusCode());
  }

  /**
   * Tests that applies() looks only at bearer headers on SCIM paths.
   *
   * @covers ::applies
   */
  public function testAppliesOnlyToBearerRequestsOnScimPaths(): void {
    $provider = $this->container->get('scim_provisioning.authentication.scim_bearer');
    $request = static function (string $path, ?string $authorization): Request {
      $server = $authorization === NULL ? [] : ['HTTP_AUTHORIZATION' => $authorization];
      return Request::create($path, 'GET', [], [], [], $server);
    };
    $this->assertTrue($provider->applies($request('/scim/v2/Users', 'Bearer x')));
    $this->assertTrue($provider->applies($request('/scim/v2', 'bearer x')));
    $this->assertFalse($provider->applies($request('/scim/v2/Users', NULL)));
    $this->assertFalse($provider->applies($request('/scim/v2/Users', 'Basic eDp5')));
    $this->assertFalse($provider->applies($request('/node/1', 'Bearer x')));
    $this->assertFalse($provider->applies($request('/jsonapi/user/user', 'Bearer x')));
  }

  /**
   * Tests that bearer and SCIM requests stay out of the page cache.
   *
   * The policy is tested on its own: in a Kernel test core's command line
   * policy denies every request anyway.
   *
   * @covers \Drupal\scim_provisioning\PageCache\DisallowScimRequests::check
   */
  public function testPageCachePolicy(): void {
    $policy = new DisallowScimRequests();
    $request = Request::create('/scim/v2/Users', 'GET', [], [], [], ['HTTP_AUTHORIZATION' => 'Bearer ' . $this->token]);
    $this->assertSame(RequestPolicyInterface::DENY, $policy->check($request));
    $this->assertSame(RequestPolicyInterface::DENY, $policy->check(Request::create('/scim/v2/Schemas')));
    $this->assertSame(RequestPolicyInterface::DENY, $policy->check(Request::create('/node/1', 'GET', [], [], [], ['HTTP_AUTHORIZATION' => 'Bearer x'])));
    $this->assertNull($policy->check(Request::create('/node/1')));
    $this->assertNull($policy->check(Request::create('/node/1', 'GET', [], [], [], ['HTTP_AUTHORIZATION' => 'Basic eDp5'])));
  }

}
