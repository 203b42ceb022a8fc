<?php

namespace Drupal\Tests\scim_provisioning\Functional;

use Drupal\Tests\BrowserTestBase;

/**
 * Tests the SCIM provisioning settings page and the log page.
 *
 * @group scim_provisioning
 */
class SettingsFormTest extends BrowserTestBase {

  /**
   * {@inheritdoc}
   */
  protected static $modules = ['scim_provisioning'];

  /**
   * {@inheritdoc}
   */
  protected $defaultTheme = 'stark';

  /**
   * Sends a SCIM request to the site under test.
   *
   * @param string $path
   *   The path below the site.
   * @param string|null $token
   *   The bearer token, or NULL for none.
   *
   * @return int
   *   The response status.
   */
  protected function scimStatus(string $path, ?string $token): int {
    $headers = $token === NULL ? [] : ['Authorization' => 'Bearer ' . $token];
    $response = $this->getHttpClient()->request('GET', $this->buildUrl($path), [
      'headers' => $headers,
      'http_errors' => FALSE,
    ]);
    return $response->getStatusCode();
  }

  /**
   * Tests who reaches the pages and where the menu link is.
   */
  public function testAccessAndMenuLink(): void {
    $this->drupalGet('admin/config/people/scim');
    $this->assertSession()->statusCodeEquals(403);

    $this->drupalLogin($this->drupalCreateUser(['administer users', 'access administration pages']));
    $this->drupalGet('admin/config/people/scim');
    $this->assertSession()->statusCodeEquals(403);
    $this->drupalGet('admin/config/people/scim/log');
    $this->assertSession()->statusCodeEquals(403);

    $this->drupalLogin($this->drupalCreateUser(['administer scim provisioning', 'access administration pages']));
    $this->drupalGet('admin/config/people');
    $this->assertSession()->linkExists('SCIM provisioning');
    $this->clickLink('SCIM provisioning');
    $this->assertSession()->statusCodeEquals(200);
    $this->assertSession()->addressEquals('admin/config/people/scim');
    $this->assertSession()->fieldValueEquals('base_url', $this->buildUrl('/scim/v2'));
    $this->assertSession()->pageTextContains('No token yet');
    $this->assertSession()->pageTextContains('Also protected, though the site has no such role yet: administrator.');

    // Saving keeps a protected role the site does not have.
    $this->submitForm([], 'Save configuration');
    $this->assertSession()->pageTextContains('The configuration options have been saved.');
    $this->assertSame(['administrator'], $this->config('scim_provisioning.settings')->get('protected_roles'));

    // A session cookie is no way into the SCIM routes, not even for an admin.
    $this->drupalGet('scim/v2/Users');
    $this->assertSession()->statusCodeEquals(403);
    $this->assertSession()->responseHeaderEquals('Content-Type', 'application/scim+json');
  }

  /**
   * Tests generating, using, listing and revoking a token.
   */
  public function testTokenLifecycle(): void {
    $this->drupalLogin($this->drupalCreateUser(['administer scim provisioning']));
    $this->drupalGet('admin/config/people/scim');

    $this->submitForm(['new_token_label' => ''], 'Generate token');
    $this->assertSession()->pageTextContains('Give the new token a label.');

    $this->submitForm(['new_token_label' => 'miniOrange'], 'Generate token');
    $this->assertSession()->pageTextContains('Token miniOrange generated.');
    $token = $this->getSession()->getPage()->findField('new_token')->getValue();
    $this->assertMatchesRegularExpression('/^scim_[A-Za-z0-9_-]{43}$/', $token);

    // Shown once: the next visit lists the token without it.
    $this->drupalGet('admin/config/people/scim');
    $this->assertSession()->fieldNotExists('new_token');
    $this->assertSession()->responseNotContains($token);
    $this->assertSession()->elementTextContains('css', 'table', 'miniOrange');

    $this->submitForm(['new_token_label' => 'MINIORANGE'], 'Generate token');
    $this->assertSession()->pageTextContains('A token labelled miniOrange already exists.');

    // The token opens the SCIM endpoint (503 without the scim extension),
    // and nothing else does.
    $handled = extension_loaded('scim') ? 200 : 503;
    $this->assertSame($handled, $this->scimStatus('/scim/v2/Users', $token));
    $this->assertSame(401, $this->scimStatus('/scim/v2/Users', 'scim_wrong'));

    $this->drupalGet('admin/config/people/scim/log');
    $this->assertSession()->statusCodeEquals(200);
    $this->assertSession()->pageTextContains('the bearer token is not valid');
    $this->assertSession()->responseNotContains($token);
    $this->submitForm(['token' => 'miniOrange'], 'Filter');
    $this->assertSession()->addressEquals('admin/config/people/scim/log');
    $this->assertSession()->pageTextNotContains('the bearer token is not valid');
    $this->assertSession()->pageTextContains((string) $handled);

    $this->drupalGet('admin/config/people/scim');
    $this->submitForm([], 'Revoke');
    $this->assertSession()->pageTextContains('Token miniOrange revoked.');
    $this->assertSession()->pageTextContains('No token yet');
    $this->assertSame(401, $this->scimStatus('/scim/v2/Users', $token));
  }

  /**
   * Tests saving settings, with errors shown where they belong.
   */
  public function testSettingsAreValidatedAndSaved(): void {
    $this->drupalCreateRole([], 'editor', 'Editor');
    $this->drupalCreateRole([], 'administrator', 'Administrator');
    $this->drupalLogin($this->drupalCreateUser(['administer scim provisioning']));
    $this->drupalGet('admin/config/people/scim');

    $this->submitForm([
      'role_map[0][group]' => 'Engineering',
      'role_map[0][role]' => 'editor',
    ], 'Save configuration');
    $this->assertSession()->pageTextContains('mapping.role_map.0.role: "editor" is not among the roles SCIM may grant');

    $this->submitForm([
      'allowed_roles[administrator]' => TRUE,
      'role_map[0][group]' => '',
      'role_map[0][role]' => '',
    ], 'Save configuration');
    $this->assertSession()->pageTextContains('mapping.allowed_roles.0: "administrator" is a protected role; SCIM cannot grant it');

    $this->submitForm([
      'allowed_roles[administrator]' => FALSE,
      'allowed_roles[editor]' => TRUE,
      'role_map[0][group]' => 'Engineering',
      'role_map[0][role]' => 'editor',
      'operations[delete]' => FALSE,
      'deprovision[deactivate]' => 'user_cancel_block_unpublish',
      'deprovision[delete]' => 'user_cancel_reassign',
      'takeover' => 'email',
      'rules[5][scim]' => 'name.givenName',
      'rules[5][field]' => 'timezone',
      'rules[5][absent]' => 'keep',
      'log_retention_days' => 90,
    ], 'Save configuration');
    $this->assertSession()->pageTextContains('The configuration options have been saved.');

    $config = $this->config('scim_provisioning.settings');
    $this->assertSame(['editor'], $config->get('mapping.allowed_roles'));
    $this->assertSame([['group' => 'Engineering', 'role' => 'editor']], $config->get('mapping.role_map'));
    $this->assertFalse($config->get('operations.delete'));
    $this->assertTrue($config->get('operations.create'));
    $this->assertSame('user_cancel_block_unpublish', $config->get('deprovision.deactivate'));
    $this->assertSame('user_cancel_reassign', $config->get('deprovision.delete'));
    $this->assertSame('email', $config->get('takeover'));
    $this->assertSame(90, $config->get('log_retention_days'));
    $this->assertSame(['administrator'], $config->get('protected_roles'));
    $this->assertCount(6, $config->get('mapping.rules'));
    $this->assertSame(['scim' => 'name.givenName', 'field' => 'timezone', 'convert' => 'none', 'absent' => 'keep'], $config->get('mapping.rules.5'));
  }

}
