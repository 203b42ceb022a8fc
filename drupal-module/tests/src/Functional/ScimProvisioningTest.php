<?php

namespace Drupal\Tests\scim_provisioning\Functional;

use Drupal\Tests\BrowserTestBase;

/**
 * Tests provisioning over real HTTP, as an identity provider does it.
 *
 * The web server that serves the site under test must load the scim
 * extension, as must the PHP that runs this test.
 *
 * @group scim_provisioning
 * @requires extension scim
 */
class ScimProvisioningTest extends BrowserTestBase {

  /**
   * {@inheritdoc}
   */
  protected static $modules = ['scim_provisioning', 'views'];

  /**
   * {@inheritdoc}
   */
  protected $defaultTheme = 'stark';

  /**
   * The bearer token of the identity provider.
   *
   * @var string
   */
  protected string $token;

  /**
   * {@inheritdoc}
   */
  protected function setUp(): void {
    parent::setUp();
    $this->token = $this->container->get('scim_provisioning.token_repository')->generate('miniOrange');
  }

  /**
   * Sends a SCIM request to the site under test.
   *
   * @param string $method
   *   The HTTP method.
   * @param string $path
   *   The path below /scim/v2, with its query string.
   * @param array|null $body
   *   The JSON body, or NULL for none.
   *
   * @return array
   *   The status, the headers and the decoded body (NULL when empty).
   */
  protected function scim(string $method, string $path, ?array $body = NULL): array {
    $options = [
      'headers' => [
        'Authorization' => 'Bearer ' . $this->token,
        'Content-Type' => 'application/json',
      ],
      'http_errors' => FALSE,
    ];
    if ($body !== NULL) {
      $options['body'] = json_encode($body);
    }
    $response = $this->getHttpClient()->request($method, $this->baseUrl . '/scim/v2' . $path, $options);
    $content = (string) $response->getBody();
    return [
      $response->getStatusCode(),
      $response->getHeaders(),
      $content === '' ? NULL : json_decode($content, TRUE),
    ];
  }

  /**
   * Tests miniOrange's provisioning of a user into the People page.
   */
  public function testProvisionedUsersAppearOnThePeoplePage(): void {
    // Test Connection, then the search before a create.
    [$status] = $this->scim('GET', '/ServiceProviderConfig');
    $this->assertSame(200, $status);
    [$status, , $found] = $this->scim('GET', '/Users?filter=' . rawurlencode('userName eq "alice.w"'));
    $this->assertSame(200, $status);
    $this->assertSame(0, $found['totalResults']);

    [$status, $headers, $alice] = $this->scim('POST', '/Users', [
      'schemas' => ['urn:ietf:params:scim:schemas:core:2.0:User'],
      'userName' => 'alice.w',
      'name' => ['givenName' => 'Alice', 'familyName' => 'Walker'],
      'displayName' => 'Alice Walker',
      'emails' => [['value' => 'alice.w@example.com', 'type' => 'work', 'primary' => TRUE]],
      'active' => TRUE,
    ]);
    $this->assertSame(201, $status);
    $this->assertSame(['application/scim+json'], $headers['Content-Type']);
    $this->assertSame([$this->buildUrl('/scim/v2/Users/' . $alice['id'])], $headers['Location']);
    [, , $bob] = $this->scim('POST', '/Users', [
      'schemas' => ['urn:ietf:params:scim:schemas:core:2.0:User'],
      'userName' => 'bob.k',
      'emails' => [['value' => 'bob.k@example.com', 'type' => 'work', 'primary' => TRUE]],
      'active' => TRUE,
    ]);
    [$status, , $group] = $this->scim('POST', '/Groups', [
      'schemas' => ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      'displayName' => 'Drupal users',
      'members' => [['value' => $alice['id']], ['value' => $bob['id']]],
    ]);
    $this->assertSame(201, $status);
    $this->assertCount(2, $group['members']);

    // miniOrange deactivates Bob.
    [$status, , $patched] = $this->scim('PATCH', '/Users/' . $bob['id'], [
      'Operations' => [['op' => 'Replace', 'path' => 'active', 'value' => FALSE]],
    ]);
    $this->assertSame(200, $status);
    $this->assertFalse($patched['active']);

    $this->drupalLogin($this->drupalCreateUser(['administer users', 'administer scim provisioning']));
    $this->drupalGet('admin/people');
    $this->assertSession()->statusCodeEquals(200);
    $this->assertSession()->elementTextContains('css', 'table', 'alice.w');
    $this->assertSession()->elementTextContains('css', 'table', 'bob.k');
    $rows = $this->getSession()->getPage()->findAll('css', 'table tbody tr');
    $status_of = [];
    foreach ($rows as $row) {
      $text = $row->getText();
      foreach (['alice.w', 'bob.k'] as $name) {
        if (str_contains($text, $name)) {
          $status_of[$name] = str_contains($text, 'Blocked') ? 'Blocked' : 'Active';
        }
      }
    }
    ksort($status_of);
    $this->assertSame(['alice.w' => 'Active', 'bob.k' => 'Blocked'], $status_of);

    $this->drupalGet('admin/config/people/scim/log');
    $this->assertSession()->pageTextContains('deactivate');
    $this->assertSession()->pageTextContains('user_cancel_block: account "bob.k"');

    // DELETE: gone from SCIM, blocked in Drupal.
    [$status] = $this->scim('DELETE', '/Users/' . $alice['id']);
    $this->assertSame(204, $status);
    [$status, , $error] = $this->scim('GET', '/Users/' . $alice['id']);
    $this->assertSame(404, $status);
    $this->assertSame('404', $error['status']);
  }

}
