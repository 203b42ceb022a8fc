<?php

namespace Drupal\Tests\scim_provisioning\Kernel;

use Drupal\Core\Test\AssertMailTrait;
use Drupal\scim_provisioning\Event\ScimAccountEvent;
use Drupal\scim_provisioning\Event\ScimAccountEvents;
use Drupal\user\Entity\Role;
use Drupal\user\Entity\User;
use Drupal\user\UserInterface;
use Scim\NotFoundException;
use Scim\PreconditionFailedException;

/**
 * Tests provisioning through the SCIM routes into Drupal accounts.
 *
 * Every request goes through the site's HTTP kernel, the bearer provider,
 * the controller, the scim extension's \Scim\Server and the account store,
 * as an identity provider's would.
 *
 * @coversDefaultClass \Drupal\scim_provisioning\Store\DrupalAccountStore
 * @group scim_provisioning
 * @requires extension scim
 */
class DrupalAccountStoreTest extends ScimKernelTestBase {

  use AssertMailTrait;

  /**
   * The SCIM User schema URN.
   */
  protected const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

  /**
   * The SCIM Group schema URN.
   */
  protected const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

  /**
   * A valid token, labelled "miniOrange".
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
    // User 1 exists on every site, and is behind the firewall.
    User::create(['uid' => 1, 'name' => 'admin', 'mail' => 'admin@example.com', 'status' => 1])->save();
  }

  /**
   * Sends a SCIM request with the token.
   *
   * @param string $method
   *   The HTTP method.
   * @param string $path
   *   The path below /scim/v2, with its query string.
   * @param array|null $body
   *   The JSON body, or NULL for none.
   * @param array $headers
   *   More headers.
   *
   * @return array
   *   The status and the decoded body (NULL when empty).
   */
  protected function scim(string $method, string $path, ?array $body = NULL, array $headers = []): array {
    $response = $this->request($method, '/scim/v2' . $path, $headers + [
      'Authorization' => 'Bearer ' . $this->token,
      'Content-Type' => 'application/scim+json',
    ], $body === NULL ? NULL : json_encode($body));
    $content = (string) $response->getContent();
    return [$response->getStatusCode(), $content === '' ? NULL : $this->document($response)];
  }

  /**
   * Sends a PATCH with one operation.
   *
   * @param string $path
   *   The resource path below /scim/v2, such as "/Users/<id>".
   * @param string $op
   *   The operation: add, remove, replace, in any case.
   * @param string|null $attribute
   *   The operation's path, or NULL for none.
   * @param mixed $value
   *   The operation's value.
   *
   * @return array
   *   The status and the decoded body.
   */
  protected function patch(string $path, string $op, ?string $attribute, $value): array {
    $operation = ['op' => $op];
    if ($attribute !== NULL) {
      $operation['path'] = $attribute;
    }
    $operation['value'] = $value;
    return $this->scim('PATCH', $path, ['Operations' => [$operation]]);
  }

  /**
   * Creates a SCIM User and checks that it was created.
   *
   * @param string $name
   *   The userName.
   * @param array $attributes
   *   More attributes.
   *
   * @return array
   *   The User as the server returned it.
   */
  protected function createUser(string $name, array $attributes = []): array {
    [$status, $user] = $this->scim('POST', '/Users', $attributes + [
      'schemas' => [self::USER],
      'userName' => $name,
      'emails' => [['value' => $name . '@example.com', 'type' => 'work', 'primary' => TRUE]],
      'active' => TRUE,
    ]);
    $this->assertSame(201, $status, json_encode($user));
    return $user;
  }

  /**
   * Loads the account of a SCIM User, uncached.
   *
   * @param string $id
   *   The SCIM id: the account's UUID.
   *
   * @return \Drupal\user\UserInterface|null
   *   The account, or NULL.
   */
  protected function account(string $id): ?UserInterface {
    $storage = $this->container->get('entity_type.manager')->getStorage('user');
    $storage->resetCache();
    $accounts = $storage->loadByProperties(['uuid' => $id]);
    return $accounts ? reset($accounts) : NULL;
  }

  /**
   * Changes settings.
   *
   * @param array $values
   *   Setting names (with dots) to values.
   */
  protected function settings(array $values): void {
    $config = $this->config('scim_provisioning.settings');
    foreach ($values as $name => $value) {
      $config->set($name, $value);
    }
    $config->save();
  }

  /**
   * Tests create, read, update, deactivate, activate and delete.
   */
  public function testUserLifecycle(): void {
    $user = $this->createUser('bjensen', [
      'name' => ['givenName' => 'Barbara', 'familyName' => 'Jensen'],
      'externalId' => 'okta-00u1',
      'password' => 'Placeholder-1',
    ]);
    $account = $this->account($user['id']);
    $this->assertNotNull($account, 'The SCIM id is the account UUID.');
    $this->assertSame(['bjensen', 'bjensen@example.com', TRUE, 'okta-00u1'], [
      $account->getAccountName(),
      $account->getEmail(),
      $account->isActive(),
      $account->get('scim_external_id')->value,
    ]);
    $this->assertFalse($this->container->get('password')->check('Placeholder-1', $account->getPassword()), 'Without password sync the password is not used.');
    // Locked, not hashed: no password matches, not even the stored value.
    $stored = $account->getPassword();
    $this->assertMatchesRegularExpression('/^![^$]{20,}$/', $stored);
    $this->assertFalse($this->container->get('password')->check($stored, $stored));
    $this->assertFalse($this->container->get('user.auth')->authenticate('bjensen', $stored));
    $this->assertNotSame($stored, $this->account($this->createUser('other')['id'])->getPassword());
    $this->assertArrayNotHasKey('password', $user);
    $this->assertSame('W/"1"', $user['meta']['version']);

    [$status, $found] = $this->scim('GET', '/Users?filter=' . rawurlencode('userName eq "BJensen"'));
    $this->assertSame(200, $status);
    $this->assertSame(1, $found['totalResults']);
    $this->assertSame($user['id'], $found['Resources'][0]['id']);
    [, $none] = $this->scim('GET', '/Users?filter=' . rawurlencode('userName eq "nobody"'));
    $this->assertSame(0, $none['totalResults']);

    // miniOrange deactivates with a PATCH, sometimes without schemas.
    [$status, $patched] = $this->scim('PATCH', '/Users/' . $user['id'], [
      'Operations' => [['op' => 'Replace', 'path' => 'active', 'value' => FALSE]],
    ]);
    $this->assertSame(200, $status);
    $this->assertFalse($patched['active']);
    $this->assertTrue($this->account($user['id'])->isBlocked());
    [$status, $read] = $this->scim('GET', '/Users/' . $user['id']);
    $this->assertSame(200, $status, 'A blocked account stays readable.');
    $this->assertFalse($read['active']);

    // Okta activates with a PATCH without a path.
    [$status, $patched] = $this->scim('PATCH', '/Users/' . $user['id'], [
      'schemas' => ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      'Operations' => [['op' => 'replace', 'value' => ['active' => TRUE]]],
    ]);
    $this->assertSame(200, $status);
    $this->assertTrue($patched['active']);
    $this->assertTrue($this->account($user['id'])->isActive());

    // A PUT changes the mapped fields.
    [$status, $replaced] = $this->scim('PUT', '/Users/' . $user['id'], [
      'schemas' => [self::USER],
      'userName' => 'barbara.jensen',
      'emails' => [['value' => 'barbara@example.com', 'type' => 'work']],
      'active' => TRUE,
    ]);
    $this->assertSame(200, $status);
    $this->assertSame('barbara.jensen', $replaced['userName']);
    $account = $this->account($user['id']);
    $this->assertSame(['barbara.jensen', 'barbara@example.com'], [$account->getAccountName(), $account->getEmail()]);
    $this->assertNull($account->get('scim_external_id')->value, 'externalId left out of a PUT is cleared.');

    // DELETE blocks by default; the user is gone from SCIM.
    [$status] = $this->scim('DELETE', '/Users/' . $user['id']);
    $this->assertSame(204, $status);
    $this->assertSame(404, $this->scim('GET', '/Users/' . $user['id'])[0]);
    $this->assertTrue($this->account($user['id'])->isBlocked());

    // Creating the user again gives the blocked account back.
    $again = $this->createUser('barbara.jensen');
    $this->assertSame($user['id'], $again['id']);
    $this->assertTrue($this->account($user['id'])->isActive());
  }

  /**
   * Tests that attributes no field holds survive, and fields SCIM does not map.
   */
  public function testUnmappedAttributesAndFieldsSurvive(): void {
    $user = $this->createUser('jsmith', [
      'phoneNumbers' => [['value' => '+1 555 0100', 'type' => 'work']],
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User' => ['department' => 'Sales'],
      'schemas' => [self::USER, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
    ]);
    $account = $this->account($user['id']);
    $account->set('timezone', 'Europe/Paris')->save();

    [, $read] = $this->scim('GET', '/Users/' . $user['id']);
    $this->assertSame([['value' => '+1 555 0100', 'type' => 'work']], $read['phoneNumbers']);
    $this->assertSame('Sales', $read['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']['department']);

    [$status] = $this->scim('PUT', '/Users/' . $user['id'], [
      'schemas' => [self::USER],
      'userName' => 'jsmith',
      'emails' => [['value' => 'jsmith@example.com', 'type' => 'work']],
      'phoneNumbers' => [['value' => '+1 555 0199', 'type' => 'mobile']],
    ]);
    $this->assertSame(200, $status);
    [, $read] = $this->scim('GET', '/Users/' . $user['id']);
    $this->assertSame([['value' => '+1 555 0199', 'type' => 'mobile']], $read['phoneNumbers']);
    $this->assertArrayNotHasKey('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', $read);
    $this->assertSame('Europe/Paris', $this->account($user['id'])->getTimeZone(), 'A PUT leaves fields SCIM does not map alone.');
  }

  /**
   * Tests that mapped fields are read back from the account.
   */
  public function testDrupalIsTheTruthForMappedFields(): void {
    $user = $this->createUser('mmiller');
    $this->account($user['id'])->setEmail('m.miller@example.org')->save();

    [$status, $read] = $this->scim('GET', '/Users/' . $user['id']);
    $this->assertSame(200, $status);
    $this->assertSame('m.miller@example.org', $read['emails'][0]['value']);
    $this->assertSame('W/"2"', $read['meta']['version'], 'An edit in Drupal changes the entity tag.');
    [, $found] = $this->scim('GET', '/Users?filter=' . rawurlencode('emails.value eq "m.miller@example.org"'));
    $this->assertSame(1, $found['totalResults']);

    // Deleting the account in Drupal removes the SCIM user.
    $this->account($user['id'])->delete();
    $this->assertSame(404, $this->scim('GET', '/Users/' . $user['id'])[0]);
  }

  /**
   * Tests that removing active keeps the account's status, unread.
   */
  public function testRemovingActiveKeepsTheStatus(): void {
    [$status, $user] = $this->scim('POST', '/Users', ['schemas' => [self::USER], 'userName' => 'rpatel']);
    $this->assertSame(201, $status);
    $this->assertTrue($user['active'], 'A User created without active is as active as its account.');
    [$status, $patched] = $this->patch('/Users/' . $user['id'], 'remove', 'active', NULL);
    $this->assertSame(200, $status);
    $this->assertArrayNotHasKey('active', $patched, 'RFC 7644 section 3.5.2.2: a removed attribute is gone.');
    $this->assertTrue($this->account($user['id'])->isActive(), 'The rule keeps the status when active is absent.');
    [, $read] = $this->scim('GET', '/Users/' . $user['id']);
    $this->assertArrayNotHasKey('active', $read);

    // Blocking the account in Drupal shows again.
    $this->account($user['id'])->block()->save();
    [, $read] = $this->scim('GET', '/Users/' . $user['id']);
    $this->assertFalse($read['active']);
  }

  /**
   * Tests that operations the settings do not allow are refused with 403.
   */
  public function testOperationsNotAllowedAreRefused(): void {
    $user = $this->createUser('kwong');
    $this->settings([
      'operations.create' => FALSE,
      'operations.update' => FALSE,
      'operations.deactivate' => FALSE,
      'operations.delete' => FALSE,
    ]);

    $path = '/Users/' . $user['id'];
    $refusals = [
      'creating' => $this->scim('POST', '/Users', ['schemas' => [self::USER], 'userName' => 'new']),
      'updating' => $this->patch($path, 'replace', 'userName', 'k.wong'),
      // Entra ID sends booleans as strings.
      'deactivating' => $this->patch($path, 'Replace', 'active', 'False'),
      'deleting' => $this->scim('DELETE', $path),
    ];
    foreach ($refusals as $what => [$status, $error]) {
      $this->assertSame(403, $status, $what);
      $this->assertSame("$what accounts is not allowed by the SCIM settings of this site", $error['detail']);
    }
    $account = $this->account($user['id']);
    $this->assertSame('kwong', $account->getAccountName());
    $this->assertTrue($account->isActive());

    // Deactivation alone needs only its own permission.
    $this->settings(['operations.deactivate' => TRUE]);
    [$status] = $this->patch('/Users/' . $user['id'], 'replace', 'active', FALSE);
    $this->assertSame(200, $status);
    $this->assertTrue($this->account($user['id'])->isBlocked());
  }

  /**
   * Tests that group changes the settings do not allow are refused with 403.
   */
  public function testGroupOperationsNotAllowedAreRefused(): void {
    $ann = $this->createUser('ann');
    $body = ['schemas' => [self::GROUP], 'displayName' => 'Editors', 'members' => [['value' => $ann['id']]]];
    [$status, $group] = $this->scim('POST', '/Groups', $body);
    $this->assertSame(201, $status);
    $this->settings([
      'operations.create' => FALSE,
      'operations.update' => FALSE,
      'operations.delete' => FALSE,
    ]);

    $path = '/Groups/' . $group['id'];
    $refusals = [
      'creating' => $this->scim('POST', '/Groups', ['schemas' => [self::GROUP], 'displayName' => 'Writers']),
      'updating' => $this->scim('PUT', $path, ['displayName' => 'Authors'] + $body),
      // Entra ID removes a member with a PATCH.
      'updating ' => $this->patch($path, 'Remove', 'members', [['value' => $ann['id']]]),
      'deleting' => $this->scim('DELETE', $path),
    ];
    foreach ($refusals as $what => [$status, $error]) {
      $this->assertSame(403, $status, $what);
      $this->assertSame('urn:ietf:params:scim:api:messages:2.0:Error', $error['schemas'][0], $what);
      $this->assertSame(trim($what) . ' groups is not allowed by the SCIM settings of this site', $error['detail']);
    }
    [$status, $read] = $this->scim('GET', $path);
    $this->assertSame(200, $status);
    $this->assertSame('Editors', $read['displayName']);
    $this->assertSame([$ann['id']], array_column($read['members'], 'value'));
    $this->assertSame('W/"1"', $read['meta']['version'], 'A refused change leaves the version alone.');
    [, $found] = $this->scim('GET', '/Groups');
    $this->assertSame(1, $found['totalResults']);

    // A PUT that changes nothing needs no permission.
    [$status] = $this->scim('PUT', $path, $body);
    $this->assertSame(200, $status);

    $this->settings(['operations.update' => TRUE]);
    [$status, $renamed] = $this->patch($path, 'replace', 'displayName', 'Authors');
    $this->assertSame(200, $status);
    $this->assertSame('Authors', $renamed['displayName']);
  }

  /**
   * Tests the cancellation methods of active=false and DELETE.
   */
  public function testDeprovisioningFollowsTheCancelMethods(): void {
    $this->settings([
      'deprovision.deactivate' => 'user_cancel_delete',
      'deprovision.delete' => 'user_cancel_delete',
    ]);
    $user = $this->createUser('tlee');
    [$status, $patched] = $this->patch('/Users/' . $user['id'], 'replace', 'active', FALSE);
    $this->assertSame(200, $status);
    $this->assertFalse($patched['active']);
    $this->assertNull($this->account($user['id']), 'user_cancel_delete deletes the account.');
    [$status, $read] = $this->scim('GET', '/Users/' . $user['id']);
    $this->assertSame(200, $status, 'The SCIM user outlives its account until it is deleted.');
    $this->assertFalse($read['active']);

    [$status, $patched] = $this->patch('/Users/' . $user['id'], 'replace', 'active', TRUE);
    $this->assertSame(200, $status);
    $this->assertTrue($patched['active']);
    $account = $this->account($user['id']);
    $this->assertNotNull($account, 'Activating the user again gives it a new account under the same UUID.');
    $this->assertSame('tlee@example.com', $account->getEmail());

    [$status] = $this->scim('DELETE', '/Users/' . $user['id']);
    $this->assertSame(204, $status);
    $this->assertNull($this->account($user['id']));
    $this->assertSame(404, $this->scim('GET', '/Users/' . $user['id'])[0]);
    $this->assertNotSame($user['id'], $this->createUser('tlee')['id'], 'A user created again after its account was deleted gets a new one.');
  }

  /**
   * Tests that user 1 and holders of protected roles are never touched.
   */
  public function testPrivilegeFirewall(): void {
    Role::create(['id' => 'administrator', 'label' => 'Administrator'])->save();
    $this->settings(['takeover' => 'username']);

    [$status, $error] = $this->scim('POST', '/Users', ['schemas' => [self::USER], 'userName' => 'ADMIN']);
    $this->assertSame(403, $status);
    $this->assertSame('account "admin" is protected from SCIM: it is user 1, the site\'s first administrator', $error['detail']);

    $user = $this->createUser('ops');
    $this->account($user['id'])->addRole('administrator')->save();
    $cases = [
      ['PATCH', ['Operations' => [['op' => 'replace', 'path' => 'active', 'value' => FALSE]]]],
      ['PUT', ['schemas' => [self::USER], 'userName' => 'ops2']],
      ['DELETE', NULL],
    ];
    foreach ($cases as [$method, $body]) {
      [$status, $error] = $this->scim($method, '/Users/' . $user['id'], $body);
      $this->assertSame(403, $status, $method);
      $this->assertSame('account "ops" is protected from SCIM: it holds the protected role "administrator"', $error['detail']);
    }
    $account = $this->account($user['id']);
    $this->assertSame('ops', $account->getAccountName());
    $this->assertTrue($account->isActive());
    $this->assertSame(200, $this->scim('GET', '/Users/' . $user['id'])[0], 'A protected account stays readable.');
  }

  /**
   * Tests taking over accounts that existed before SCIM.
   */
  public function testTakeOverOfExistingAccounts(): void {
    $jdoe = User::create(['name' => 'jdoe', 'mail' => 'jdoe@example.com', 'status' => 1]);
    $jdoe->save();
    $mary = User::create(['name' => 'mary', 'mail' => 'mary@example.com', 'status' => 1]);
    $mary->save();

    [$status, $error] = $this->scim('POST', '/Users', ['schemas' => [self::USER], 'userName' => 'JDoe']);
    $this->assertSame(409, $status);
    $this->assertSame('uniqueness', $error['scimType']);
    $this->assertSame('userName "JDoe" is already in use', $error['detail']);
    [$status, $error] = $this->scim('POST', '/Users', [
      'schemas' => [self::USER],
      'userName' => 'mary.major',
      'emails' => [['value' => 'MARY@example.com']],
    ]);
    $this->assertSame(409, $status);
    $this->assertSame('emails "MARY@example.com" is already in use', $error['detail']);

    $this->settings(['takeover' => 'username']);
    $taken = $this->createUser('JDoe', ['emails' => [['value' => 'john.doe@example.com']]]);
    $this->assertSame($jdoe->uuid(), $taken['id']);
    $account = $this->account($taken['id']);
    $this->assertSame(['JDoe', 'john.doe@example.com'], [$account->getAccountName(), $account->getEmail()]);
    $entry = $this->container->get('scim_provisioning.log')->entries()[0];
    $this->assertSame('takeover', $entry->operation);
    $this->assertStringContainsString('took over the existing account "JDoe" (uid ' . $jdoe->id() . '), matched by username', $entry->detail);

    $this->settings(['takeover' => 'email']);
    $taken = $this->createUser('mary.major', ['emails' => [['value' => 'MARY@example.com']]]);
    $this->assertSame($mary->uuid(), $taken['id']);
    $this->assertSame('mary.major', $this->account($taken['id'])->getAccountName());

    // An account linked to a SCIM user cannot be taken over a second time.
    [$status] = $this->scim('POST', '/Users', [
      'schemas' => [self::USER],
      'userName' => 'other',
      'emails' => [['value' => 'mary@example.com']],
    ]);
    $this->assertSame(409, $status);
  }

  /**
   * Tests that group memberships grant roles within the allow-list only.
   */
  public function testGroupsGrantRolesWithinTheAllowList(): void {
    Role::create(['id' => 'editor', 'label' => 'Editor'])->save();
    Role::create(['id' => 'reviewer', 'label' => 'Reviewer'])->save();
    $this->settings([
      'mapping.allowed_roles' => ['editor', 'publisher'],
      'mapping.role_map' => [
        ['group' => 'Editors', 'role' => 'editor'],
        ['group' => 'Editors', 'role' => 'publisher'],
      ],
    ]);
    $ann = $this->createUser('ann');
    $bob = $this->createUser('bob');
    $this->account($bob['id'])->addRole('reviewer')->save();

    [$status, $group] = $this->scim('POST', '/Groups', [
      'schemas' => [self::GROUP],
      'displayName' => 'editors',
      'members' => [['value' => $ann['id']], ['value' => $bob['id']]],
    ]);
    $this->assertSame(201, $status);
    $this->assertSame(['editor'], $this->account($ann['id'])->getRoles(TRUE));
    $this->assertSame(['reviewer', 'editor'], $this->account($bob['id'])->getRoles(TRUE));
    $this->assertNull(Role::load('publisher'), 'No role is created unless the settings allow it.');
    [, $read] = $this->scim('GET', '/Users/' . $ann['id']);
    $this->assertSame([
      [
        'value' => $group['id'],
        'display' => 'editors',
        'type' => 'direct',
        '$ref' => 'http://localhost/scim/v2/Groups/' . $group['id'],
      ],
    ], $read['groups']);

    // Entra removes one member by value.
    [$status] = $this->patch('/Groups/' . $group['id'], 'Remove', 'members', [['value' => $bob['id']]]);
    $this->assertSame(200, $status);
    $this->assertSame(['reviewer'], $this->account($bob['id'])->getRoles(TRUE), 'Roles the role map does not give stay.');
    $this->assertSame(['editor'], $this->account($ann['id'])->getRoles(TRUE));

    $this->settings(['create_roles' => TRUE]);
    [$status] = $this->patch('/Groups/' . $group['id'], 'add', 'members', [['value' => $bob['id']]]);
    $this->assertSame(200, $status);
    $this->assertNotNull(Role::load('publisher'));
    $this->assertEqualsCanonicalizing(['reviewer', 'editor', 'publisher'], $this->account($bob['id'])->getRoles(TRUE));

    [$status] = $this->scim('DELETE', '/Groups/' . $group['id']);
    $this->assertSame(204, $status);
    $this->assertSame([], $this->account($ann['id'])->getRoles(TRUE));
    $this->assertSame(['reviewer'], $this->account($bob['id'])->getRoles(TRUE));

    [$status, $error] = $this->scim('POST', '/Groups', [
      'schemas' => [self::GROUP],
      'displayName' => 'Ghosts',
      'members' => [['value' => 'nobody']],
    ]);
    $this->assertSame(400, $status);
    $this->assertSame('members: no User or Group has id "nobody"', $error['detail']);
  }

  /**
   * Tests password sync and the welcome email, off and on.
   */
  public function testPasswordSyncAndWelcomeEmail(): void {
    $user = $this->createUser('first', ['password' => 'Secret-123']);
    $this->assertFalse($this->container->get('password')->check('Secret-123', $this->account($user['id'])->getPassword()));
    $this->assertCount(0, $this->getMails());

    $this->settings(['mapping.sync_password' => TRUE, 'welcome_email' => TRUE]);
    $user = $this->createUser('second', ['password' => 'Secret-456']);
    $this->assertTrue($this->container->get('password')->check('Secret-456', $this->account($user['id'])->getPassword()));
    $this->assertCount(1, $this->getMails(['id' => 'user_register_admin_created']));
    $this->assertSame('second@example.com', $this->getMails()[0]['to']);
  }

  /**
   * Tests that replace() with a version is a compare-and-swap.
   *
   * @covers ::replace
   */
  public function testReplaceComparesAndSwaps(): void {
    $user = $this->createUser('cas');
    $store = $this->container->get('scim_provisioning.account_store');
    $stored = $store->get('User', $user['id']);
    $this->assertSame(1, $stored['version']);

    $resource = ['schemas' => [self::USER], 'userName' => 'cas', 'displayName' => 'One'];
    $this->assertSame(2, $store->replace('User', $user['id'], $resource, 1)['version']);
    try {
      $store->replace('User', $user['id'], ['displayName' => 'Two'] + $resource, 1);
      $this->fail('A stale version is refused.');
    }
    catch (PreconditionFailedException $e) {
      $this->assertSame('User "' . $user['id'] . '" is at version 2, not 1', $e->getMessage());
    }
    $this->assertSame('One', $store->get('User', $user['id'])['resource']['displayName']);
    $this->assertSame(3, $store->replace('User', $user['id'], ['displayName' => 'Three'] + $resource, NULL)['version']);

    $this->expectException(NotFoundException::class);
    $this->expectExceptionMessage('User "nobody" not found');
    $store->replace('User', 'nobody', $resource, NULL);
  }

  /**
   * Tests the events around account saves.
   */
  public function testEventsAroundSaves(): void {
    $seen = [];
    $dispatcher = $this->container->get('event_dispatcher');
    $dispatcher->addListener(ScimAccountEvents::PRE_SAVE, static function (ScimAccountEvent $event) use (&$seen): void {
      $seen[] = 'pre:' . $event->getOperation() . ':' . ($event->getAccount()->isNew() ? 'new' : 'old');
      $locale = $event->getResource()['locale'] ?? NULL;
      if ($locale === 'fr-CA') {
        $event->getAccount()->set('timezone', 'America/Toronto');
      }
    });
    $dispatcher->addListener(ScimAccountEvents::POST_SAVE, static function (ScimAccountEvent $event) use (&$seen): void {
      $seen[] = 'post:' . $event->getOperation() . ':' . ($event->getAccount()->isNew() ? 'new' : 'old');
    });

    $user = $this->createUser('events', ['locale' => 'fr-CA']);
    $this->assertSame('America/Toronto', $this->account($user['id'])->getTimeZone());
    $this->patch('/Users/' . $user['id'], 'replace', 'userName', 'events2');
    $this->assertSame(['pre:create:new', 'post:create:old', 'pre:update:old', 'post:update:old'], $seen);
  }

  /**
   * Tests that requests leave log entries without their bodies.
   */
  public function testRequestsAreLoggedWithoutBodies(): void {
    $user = $this->createUser('logged', ['password' => 'Never-Logged-1']);
    $this->scim('POST', '/Users', ['schemas' => [self::USER], 'userName' => 'LOGGED']);
    $this->patch('/Users/' . $user['id'], 'replace', 'active', FALSE);

    $entries = $this->container->get('scim_provisioning.log')->entries();
    $rows = [];
    foreach ($entries as $e) {
      $rows[] = [$e->token, $e->method, (int) $e->status, $e->operation, $e->resource_type];
    }
    $this->assertSame([
      ['miniOrange', 'PATCH', 200, 'deactivate', 'User'],
      ['miniOrange', 'POST', 409, 'create', 'User'],
      ['miniOrange', 'POST', 201, 'create', 'User'],
    ], $rows);
    $this->assertSame($user['id'], $entries[2]->resource_id);
    $this->assertSame('userName "LOGGED" is already in use', $entries[1]->detail);
    $this->assertStringContainsString('user_cancel_block: account "logged"', $entries[0]->detail);
    foreach ($entries as $entry) {
      $this->assertStringNotContainsString('Never-Logged-1', $entry->detail);
    }
  }

}
