<?php

namespace Drupal\Tests\scim_provisioning\Kernel;

use Drupal\scim_provisioning\Store\FilterTranslator;
use Drupal\scim_provisioning\Store\ResourceTable;
use Scim\Filter;

/**
 * Tests that filters become conditions that select every match.
 *
 * For each filter of a table, the store's candidates must hold every
 * resource the extension's evaluator matches (a translation may select
 * more, never fewer), and must be exactly the listed ones, so that a
 * translation that narrows too little shows as well.
 *
 * @coversDefaultClass \Drupal\scim_provisioning\Store\FilterTranslator
 * @group scim_provisioning
 * @requires extension scim
 */
class FilterTranslatorTest extends ScimKernelTestBase {

  /**
   * {@inheritdoc}
   */
  protected static $modules = ['system', 'user', 'scim_provisioning', 'scim_provisioning_test'];

  /**
   * The SCIM User schema URN.
   */
  protected const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

  /**
   * A valid token.
   *
   * @var string
   */
  protected string $token;

  /**
   * The SCIM ids of the Users and Groups created, by userName or displayName.
   *
   * @var string[]
   */
  protected array $ids = [];

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
   *   The path below /scim/v2, with its query string.
   * @param array|null $body
   *   The JSON body, or NULL for none.
   *
   * @return array
   *   The status and the decoded body.
   */
  protected function scim(string $method, string $path, ?array $body = NULL): array {
    $response = $this->request($method, '/scim/v2' . $path, [
      'Authorization' => 'Bearer ' . $this->token,
      'Content-Type' => 'application/scim+json',
    ], $body === NULL ? NULL : json_encode($body));
    return [$response->getStatusCode(), $this->document($response)];
  }

  /**
   * Creates the Users and Groups the filters run over.
   *
   * Their creation times are set to midnight of the first days of 2024, one
   * day apart, in the order of creation.
   */
  protected function createResources(): void {
    $long = str_repeat('l', 300) . '@example.com';
    $users = [
      'alice' => [
        'externalId' => 'ext-Alice',
        'title' => 'Engineer',
        'emails' => [['value' => 'alice@example.com', 'type' => 'work', 'primary' => TRUE]],
      ],
      'Bob' => [
        'externalId' => 'ext-bob',
        'emails' => [
          ['value' => 'bob@example.com', 'type' => 'work', 'primary' => TRUE],
          ['value' => 'BOB.home@Example.org', 'type' => 'home'],
        ],
      ],
      'carol' => ['emails' => [['value' => 'CAROL@example.com', 'type' => 'work']]],
      'Émile' => ['externalId' => 'ÉXT', 'emails' => [['value' => 'émile@exÄmple.com', 'type' => 'work']]],
      'dave_100' => [
        'emails' => [
          ['value' => 'dave@example.com', 'type' => 'work', 'primary' => TRUE],
          ['value' => $long, 'type' => 'other'],
        ],
      ],
      'alice2' => ['title' => 'Engineer'],
    ];
    $day = 1;
    foreach ($users as $name => $attributes) {
      [$status, $user] = $this->scim('POST', '/Users', ['schemas' => [self::USER], 'userName' => $name] + $attributes);
      $this->assertSame(201, $status, json_encode($user));
      $this->ids[$name] = $user['id'];
      $this->container->get('database')->update(ResourceTable::RESOURCES)
        ->fields(['created' => gmmktime(0, 0, 0, 1, $day++, 2024) * 1000])
        ->condition('id', $user['id'])
        ->execute();
    }
    foreach (['Staff' => 'g-1', 'Admins' => 'g-2'] as $name => $external_id) {
      [$status, $group] = $this->scim('POST', '/Groups', [
        'schemas' => ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        'displayName' => $name,
        'externalId' => $external_id,
        'members' => [['value' => $this->ids['alice']]],
      ]);
      $this->assertSame(201, $status, json_encode($group));
      $this->ids[$name] = $group['id'];
    }
  }

  /**
   * Lists filters of Users and the candidates their translation selects.
   *
   * @return array[]
   *   Each: the filter ("{alice}" stands for alice's id), and the userNames
   *   of the candidates, or NULL for every User (nothing translated).
   */
  public static function userFilters(): array {
    $all = NULL;
    return [
      ['userName eq "alice"', ['alice']],
      ['userName eq "ALICE"', ['alice']],
      ['USERNAME Eq "émile"', ['Émile']],
      ['userName eq "ÉMILE"', ['Émile']],
      ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "Bob"', ['Bob']],
      ['userName sw "ali"', ['alice', 'alice2']],
      ['userName co "LIC"', ['alice', 'alice2']],
      ['userName ew "E"', ['alice', 'Émile']],
      // LIKE wildcards in the value are matched as themselves.
      ['userName co "_"', ['dave_100']],
      ['userName sw "_"', []],
      ['emails sw "%"', []],
      ['userName ne "alice"', $all],
      ['userName gt "b"', $all],
      ['userName pr', $all],
      ['id eq "{alice}"', ['alice']],
      ['externalId eq "ext-Alice"', ['alice']],
      ['externalId eq "ÉXT"', ['Émile']],
      ['externalId eq "nobody"', []],
      ['externalId sw "ext"', $all],
      ['emails eq "bob.home@example.org"', ['Bob']],
      ['emails.value eq "ALICE@example.com"', ['alice']],
      ['emails.value eq "carol@example.com"', ['carol']],
      ['emails[type eq "work" and value eq "bob@example.com"]', ['Bob']],
      ['emails[value eq "bob@example.com" or value eq "carol@example.com"]', ['Bob', 'carol']],
      ['emails[type eq "home"]', $all],
      ['emails[value eq "bob@example.com" or type eq "home"]', $all],
      ['emails.value sw "carol@"', ['carol']],
      // dave_100's long address is cut in the index: co and ew always
      // select it.
      ['emails.value ew "@example.org"', ['Bob', 'dave_100']],
      ['emails.value co "ÄMPLE"', ['Émile', 'dave_100']],
      ['emails co "llll@example.com"', ['dave_100']],
      ['emails ew "@example.com"', ['alice', 'Bob', 'carol', 'dave_100']],
      ['emails.type eq "work"', $all],
      ['emails pr', $all],
      ['not (emails pr)', $all],
      ['userName eq "alice" or userName eq "Bob"', ['alice', 'Bob']],
      ['userName eq "alice" or title eq "Engineer"', $all],
      ['userName eq "Bob" and title eq "Engineer"', ['Bob']],
      ['title eq "Engineer" and (emails eq "alice@example.com" or userName sw "alice")', ['alice', 'alice2']],
      ['not (userName eq "alice")', $all],
      ['not (not (userName eq "alice"))', ['alice']],
      ['not (userName eq "alice" or userName eq "Bob")', $all],
      ['not (userName ne "alice" and title pr)', $all],
      ['not (emails[value eq "bob@example.com"])', $all],
      // Time ranges are one millisecond wider on each side.
      ['meta.created gt "2024-01-03T00:00:00Z"', ['carol', 'Émile', 'dave_100', 'alice2']],
      ['meta.created ge "2024-01-03T00:00:00.000Z"', ['carol', 'Émile', 'dave_100', 'alice2']],
      ['meta.created lt "2024-01-02T00:00:00+00:00"', ['alice', 'Bob']],
      ['meta.created le "2024-01-02T01:00:00+01:00"', ['alice', 'Bob']],
      ['meta.created eq "2024-01-02T00:00:00.000Z"', ['Bob']],
      ['not (meta.created lt "2024-01-05T00:00:00Z")', ['dave_100', 'alice2']],
      ['not (meta.created eq "2024-01-02T00:00:00Z")', $all],
      ['meta.created gt "2024-01-03"', $all],
      ['meta.lastModified lt "2100-01-01T00:00:00Z"', $all],
      ['active eq true', $all],
      ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "1"', $all],
    ];
  }

  /**
   * Tests that User filters select every match and only the listed ones.
   */
  public function testUserFiltersSelectEveryMatch(): void {
    $this->createResources();
    $store = $this->container->get('scim_provisioning.account_store');
    $names = [];
    $everyone = [];
    foreach ($store->query('User', [])['resources'] as $stored) {
      $names[$stored['resource']['id']] = $stored['resource']['userName'];
      $everyone[] = $stored['resource'];
    }
    $this->assertCount(6, $everyone);

    foreach (static::userFilters() as [$text, $expected]) {
      $text = strtr($text, ['{alice}' => $this->ids['alice']]);
      $filter = Filter::parse($text);
      $matches = [];
      foreach ($everyone as $resource) {
        if ($filter->matches($resource, 'User')) {
          $matches[] = $resource['userName'];
        }
      }
      $answer = $store->query('User', ['filter' => $text]);
      $this->assertFalse($answer['exact']);
      $candidates = array_map(static fn (array $stored): string => $names[$stored['resource']['id']], $answer['resources']);

      $this->assertSame([], array_values(array_diff($matches, $candidates)), sprintf('%s: a match is missing from the candidates', $text));
      $this->assertEqualsCanonicalizing($expected ?? array_values($names), $candidates, sprintf('%s: candidates', $text));

      // The extension's answer over HTTP is the evaluator's.
      [$status, $list] = $this->scim('GET', '/Users?filter=' . rawurlencode($text));
      $this->assertSame(200, $status, $text);
      $this->assertSame(count($matches), $list['totalResults'], $text);
      $this->assertEqualsCanonicalizing($matches, array_column($list['Resources'] ?? [], 'userName'), $text);
    }
  }

  /**
   * Tests Group filters on displayName, externalId and id.
   */
  public function testGroupFiltersSelectEveryMatch(): void {
    $this->createResources();
    $store = $this->container->get('scim_provisioning.account_store');
    $cases = [
      ['displayName eq "staff"', ['Staff']],
      ['displayName sw "ADM"', ['Admins']],
      ['externalId eq "g-2"', ['Admins']],
      ['id eq "' . $this->ids['Staff'] . '"', ['Staff']],
      ['members[value eq "' . $this->ids['alice'] . '"]', ['Staff', 'Admins']],
      ['displayName eq "staff" or displayName eq "Admins"', ['Staff', 'Admins']],
      ['emails eq "alice@example.com"', ['Staff', 'Admins']],
    ];
    foreach ($cases as [$text, $expected]) {
      $answer = $store->query('Group', ['filter' => $text]);
      $this->assertEqualsCanonicalizing($expected, array_map(static fn (array $stored): string => $stored['resource']['displayName'], $answer['resources']), $text);
    }
  }

  /**
   * Tests that a filtered list pages its matches and counts them all.
   */
  public function testFilteredListIsPaged(): void {
    $this->createResources();
    [$status, $list] = $this->scim('GET', '/Users?filter=' . rawurlencode('emails ew "@example.com"') . '&startIndex=2&count=2');
    $this->assertSame(200, $status);
    $this->assertSame(4, $list['totalResults']);
    $this->assertSame(2, $list['startIndex']);
    $this->assertSame(2, $list['itemsPerPage']);
    $this->assertSame(['Bob', 'carol'], array_column($list['Resources'], 'userName'));

    [, $list] = $this->scim('GET', '/Users?filter=' . rawurlencode('userName eq "carol"') . '&startIndex=2&count=1');
    $this->assertSame(1, $list['totalResults']);
    $this->assertSame([], $list['Resources'] ?? []);
  }

  /**
   * Tests that a lookup by userName, externalId or email loads one account.
   */
  public function testIndexedLookupLoadsOneAccount(): void {
    for ($i = 1; $i <= 25; $i++) {
      [$status] = $this->scim('POST', '/Users', [
        'schemas' => [self::USER],
        'userName' => 'user' . $i,
        'externalId' => 'okta-' . $i,
        'emails' => [['value' => 'user' . $i . '@example.com', 'type' => 'work', 'primary' => TRUE]],
      ]);
      $this->assertSame(201, $status);
    }
    $uid = (int) user_load_by_name('user7')->id();
    $storage = $this->container->get('entity_type.manager')->getStorage('user');
    $cases = [
      'userName eq "USER7"' => [$uid],
      'externalId eq "okta-7"' => [$uid],
      'emails[type eq "work" and value eq "user7@example.com"]' => [$uid],
      'emails.value eq "user7@example.com" and active eq true' => [$uid],
      // Nothing narrows a filter on title: every account is loaded.
      'title eq "Engineer"' => NULL,
    ];
    foreach ($cases as $text => $expected) {
      $storage->resetCache();
      $loaded = &drupal_static('scim_provisioning_test_loaded', []);
      $loaded = [];
      [$status, $list] = $this->scim('GET', '/Users?filter=' . rawurlencode($text) . '&startIndex=1&count=100');
      $this->assertSame(200, $status);
      $this->assertSame($expected === NULL ? 0 : 1, $list['totalResults'], $text);
      if ($expected === NULL) {
        $this->assertCount(25, array_unique($loaded), $text);
      }
      else {
        $this->assertSame($expected, $loaded, $text);
      }
    }
  }

  /**
   * Tests that the update that adds the email index fills it.
   */
  public function testUpdateFillsEmailIndex(): void {
    $this->createResources();
    $this->container->get('database')->schema()->dropTable(FilterTranslator::VALUES);
    $this->container->get('module_handler')->loadInclude('scim_provisioning', 'install');
    scim_provisioning_update_10002();

    $answer = $this->container->get('scim_provisioning.account_store')->query('User', ['filter' => 'emails eq "bob.home@example.org"']);
    $this->assertSame([$this->ids['Bob']], array_map(static fn (array $stored): string => $stored['resource']['id'], $answer['resources']));
  }

}
