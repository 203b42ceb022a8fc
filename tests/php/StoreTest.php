<?php

declare(strict_types=1);

namespace Scim\Tests;

require_once __DIR__ . '/ArrayStore.php';

/**
 * Scim\Server over a PHP Scim\Store: the bridge between the two.
 */
final class StoreTest extends ScimTestCase {

  /**
   * The bearer header of the test token.
   */
  private const AUTH = ['Authorization' => 'Bearer secret'];

  /**
   * The PatchOp message URN (RFC 7644 section 3.5.2).
   */
  private const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

  /**
   * A server over $store with one token, "secret".
   */
  private function server(\Scim\Store $store, array $extra = []): \Scim\Server {
    return new \Scim\Server($extra + [
      'base_url' => 'https://example.com/scim/v2',
      'tokens' => ['test' => hash('sha256', 'secret')],
    ], $store);
  }

  /**
   * Sends a request with the test token; $body is JSON-encoded.
   */
  private function send(\Scim\Server $server, string $method, string $path, ?string $query = NULL, ?array $body = NULL, array $headers = []): array {
    return $server->handle($method, $path, $query, $headers + self::AUTH, $body === NULL ? NULL : json_encode($body));
  }

  /**
   * The decoded body of a response.
   */
  private function body(array $response): array {
    return json_decode((string) $response['body'], TRUE);
  }

  public function testCreatesReadsListsReplacesPatchesAndDeletes(): void {
    $store = new ArrayStore();
    $server = $this->server($store);

    $created = $this->send($server, 'POST', '/Users', NULL, ['userName' => 'bjensen', 'name' => ['givenName' => 'Barbara'], 'emails' => [['value' => 'bjensen@example.com', 'primary' => TRUE]]]);
    $this->assertSame(201, $created['status']);
    $this->assertSame('W/"1"', $created['headers']['ETag']);
    $this->assertSame('https://example.com/scim/v2/Users/user-1', $created['headers']['Location']);
    $user = $this->body($created);
    $this->assertSame('user-1', $user['id']);
    $this->assertSame(['givenName' => 'Barbara'], $user['name']);
    $this->assertSame('User', $user['meta']['resourceType']);
    $this->assertSame('https://example.com/scim/v2/Users/user-1', $user['meta']['location']);
    $this->assertSame(['operation' => 'create', 'resource_type' => 'User', 'resource_id' => 'user-1', 'token_label' => 'test', 'scim_type' => NULL, 'detail' => NULL], $created['event']);
    // The store receives the validated, canonical resource.
    $this->assertSame(['create', 'User', ['schemas' => ['urn:ietf:params:scim:schemas:core:2.0:User'], 'userName' => 'bjensen', 'name' => ['givenName' => 'Barbara'], 'emails' => [['value' => 'bjensen@example.com', 'primary' => TRUE]]]], $store->calls[0]);

    $read = $this->send($server, 'GET', '/Users/user-1');
    $this->assertSame(200, $read['status']);
    $this->assertSame($user, $this->body($read));
    $this->assertSame(304, $this->send($server, 'GET', '/Users/user-1', NULL, NULL, ['If-None-Match' => 'W/"1"'])['status']);

    $this->send($server, 'POST', '/Users', NULL, ['userName' => 'jsmith']);
    $store->calls = [];
    $list = $this->send($server, 'GET', '/Users', 'filter=' . rawurlencode('emails[primary eq true].value co "@example"') . '&count=5');
    $this->assertSame(200, $list['status']);
    $page = $this->body($list);
    $this->assertSame(1, $page['totalResults']);
    $this->assertSame(['bjensen'], array_column($page['Resources'], 'userName'));
    // The store gets the parsed filter as the extension prints it.
    $this->assertSame([['query', 'User', ['filter' => 'emails[primary eq true and value co "@example"]', 'start_index' => 1, 'count' => 5, 'memberships' => TRUE]]], $store->calls);

    $sorted = $this->body($this->send($server, 'GET', '/Users', 'sortBy=userName&sortOrder=descending&startIndex=2&count=1'));
    $this->assertSame(2, $sorted['totalResults']);
    $this->assertSame(['bjensen'], array_column($sorted['Resources'], 'userName'));

    $replaced = $this->send($server, 'PUT', '/Users/user-1', NULL, ['userName' => 'bjensen', 'displayName' => 'Babs']);
    $this->assertSame(200, $replaced['status']);
    $this->assertSame('W/"2"', $replaced['headers']['ETag']);
    $this->assertArrayNotHasKey('name', $this->body($replaced));
    $this->assertSame($user['meta']['created'], $this->body($replaced)['meta']['created']);

    $patched = $this->send($server, 'PATCH', '/Users/user-1', NULL, ['schemas' => [self::PATCH_OP], 'Operations' => [['op' => 'replace', 'path' => 'displayName', 'value' => 'Barbara J.']]]);
    $this->assertSame(200, $patched['status']);
    $this->assertSame('Barbara J.', $this->body($patched)['displayName']);
    $this->assertSame('W/"3"', $patched['headers']['ETag']);

    $stale = $this->send($server, 'DELETE', '/Users/user-1', NULL, NULL, ['If-Match' => 'W/"2"']);
    $this->assertSame(412, $stale['status']);
    $this->assertSame(204, $this->send($server, 'DELETE', '/Users/user-1', NULL, NULL, ['If-Match' => 'W/"3"'])['status']);
    $gone = $this->send($server, 'GET', '/Users/user-1');
    $this->assertSame(404, $gone['status']);
    $this->assertSame('User "user-1" not found', $this->body($gone)['detail']);
  }

  public function testGroupsCarryMembersBothWays(): void {
    $store = new ArrayStore();
    $server = $this->server($store);
    $this->send($server, 'POST', '/Users', NULL, ['userName' => 'bjensen']);
    $group = $this->send($server, 'POST', '/Groups', NULL, ['displayName' => 'Tour Guides', 'members' => [['value' => 'user-1']]]);
    $this->assertSame(201, $group['status']);
    $this->assertSame([['value' => 'user-1', 'display' => 'bjensen', 'type' => 'User', '$ref' => 'https://example.com/scim/v2/Users/user-1']], $this->body($group)['members']);

    $user = $this->body($this->send($server, 'GET', '/Users/user-1'));
    $this->assertSame([['value' => 'group-2', 'display' => 'Tour Guides', 'type' => 'direct', '$ref' => 'https://example.com/scim/v2/Groups/group-2']], $user['groups']);

    $unknown = $this->send($server, 'POST', '/Groups', NULL, ['displayName' => 'Ghosts', 'members' => [['value' => 'nobody']]]);
    $this->assertSame(400, $unknown['status']);
    $this->assertSame(['schemas' => ['urn:ietf:params:scim:api:messages:2.0:Error'], 'status' => '400', 'scimType' => 'invalidValue', 'detail' => 'members: no User or Group has id "nobody"'], $this->body($unknown));

    // Entra ID reads groups without their members.
    $store->calls = [];
    $this->send($server, 'GET', '/Groups', 'excludedAttributes=members');
    $this->assertFalse($store->calls[0][2]['memberships']);
    $this->assertNull($store->calls[0][2]['filter']);
  }

  public function testExactAnswerIsThePage(): void {
    $store = new class() extends ArrayStore {

      /**
       * {@inheritdoc}
       */
      public function query(string $type, array $query): array {
        parent::query($type, $query);
        // Page 2 of 7 matches, which the extension must not filter again.
        $resource = ['id' => 'user-9', 'userName' => 'zed', 'meta' => ['resourceType' => 'User']];
        return ['total' => 7, 'resources' => [['resource' => $resource, 'version' => 4]], 'exact' => TRUE];
      }

    };
    $page = $this->body($this->send($this->server($store), 'GET', '/Users', 'filter=' . rawurlencode('userName sw "b"') . '&startIndex=2&count=1'));
    $this->assertSame(7, $page['totalResults']);
    $this->assertSame(2, $page['startIndex']);
    $this->assertSame(1, $page['itemsPerPage']);
    $this->assertSame('zed', $page['Resources'][0]['userName']);
    $this->assertSame('W/"4"', $page['Resources'][0]['meta']['version']);
    $this->assertSame(['filter' => 'userName sw "b"', 'start_index' => 2, 'count' => 1, 'memberships' => TRUE], $store->calls[0][2]);
  }

  public function testUniquenessExceptionBecomesA409Document(): void {
    $server = $this->server(new ArrayStore());
    $this->send($server, 'POST', '/Users', NULL, ['userName' => 'bjensen']);
    $conflict = $this->send($server, 'POST', '/Users', NULL, ['userName' => 'BJensen']);
    $this->assertSame(409, $conflict['status']);
    $this->assertSame(['schemas' => ['urn:ietf:params:scim:api:messages:2.0:Error'], 'status' => '409', 'scimType' => 'uniqueness', 'detail' => 'userName "BJensen" is already in use'], $this->body($conflict));
    $this->assertSame('uniqueness', $conflict['event']['scim_type']);
    $this->assertSame('userName "BJensen" is already in use', $conflict['event']['detail']);
  }

  public function testScimExceptionsFromPhpKeepTheirStatus(): void {
    $store = new class() extends ArrayStore {

      /**
       * {@inheritdoc}
       */
      public function get(string $type, string $id): array {
        if ($id === 'locked') {
          throw new class('user "locked" is not yours') extends \Scim\Exception {

            /**
             * A status without a class of its own.
             *
             * @var int
             */
            protected $status = 403;

          };
        }
        throw new \Scim\InternalException('the directory is in maintenance');
      }

    };
    $server = $this->server($store);
    $forbidden = $this->send($server, 'GET', '/Users/locked');
    $this->assertSame(403, $forbidden['status']);
    $this->assertSame('user "locked" is not yours', $this->body($forbidden)['detail']);

    $internal = $this->send($server, 'GET', '/Users/other');
    $this->assertSame(500, $internal['status']);
    $this->assertSame('the directory is in maintenance', $this->body($internal)['detail']);
    $this->assertSame('the directory is in maintenance', $internal['event']['detail']);
  }

  public function testOtherThrowablesBecomeAGeneric500(): void {
    $store = new class() extends ArrayStore {

      /**
       * {@inheritdoc}
       */
      public function create(string $type, array $resource): array {
        throw new \RuntimeException('disk full at /var/lib/secret');
      }

      /**
       * {@inheritdoc}
       */
      public function delete(string $type, string $id, ?int $expectedVersion): void {
        // A \TypeError, as a bug in a store would raise it.
        strlen($expectedVersion);
      }

    };
    $server = $this->server($store);
    $failed = $this->send($server, 'POST', '/Users', NULL, ['userName' => 'bjensen']);
    $this->assertSame(500, $failed['status']);
    $this->assertSame(['schemas' => ['urn:ietf:params:scim:api:messages:2.0:Error'], 'status' => '500', 'detail' => 'the store failed'], $this->body($failed));
    $this->assertStringNotContainsString('secret', $failed['body']);
    $this->assertSame('create', $failed['event']['operation']);
    $this->assertStringStartsWith('Scim\Store::create() threw RuntimeException: disk full at /var/lib/secret (' . __FILE__ . ':', $failed['event']['detail']);

    $broken = $this->send($server, 'DELETE', '/Users/anyone');
    $this->assertSame(500, $broken['status']);
    $this->assertSame('the store failed', $this->body($broken)['detail']);
    $this->assertStringStartsWith('Scim\Store::delete() threw TypeError: strlen(): Argument #1 ($string) must be of type string, null given (', $broken['event']['detail']);

    // The exception stayed inside the extension: the next request is served.
    $this->assertSame(200, $this->send($server, 'GET', '/Users')['status']);
  }

  /**
   * Malformed answers, with the detail naming the method and the fault.
   */
  public function malformedProvider(): array {
    $user = ['id' => 'user-1', 'userName' => 'bjensen'];
    return [
      'resource not an array' => ['get', ['resource' => 'bjensen', 'version' => 1], 'Scim\Store::get() returned a malformed answer: "resource" must be an array, not string'],
      'version missing' => ['get', ['resource' => $user], 'Scim\Store::get() returned a malformed answer: "version" is missing'],
      'version a string' => ['get', ['resource' => $user, 'version' => '1'], 'Scim\Store::get() returned a malformed answer: "version" must be an int, not string'],
      'version negative' => ['get', ['resource' => $user, 'version' => -1], 'Scim\Store::get() returned a malformed answer: "version" must not be negative, got -1'],
      'no id' => ['get', ['resource' => ['userName' => 'bjensen'], 'version' => 1], 'Scim\Store::get() returned a malformed answer: "resource" has no "id" string'],
      'resource a list' => ['get', ['resource' => ['bjensen'], 'version' => 1], 'Scim\Store::get() returned a malformed answer: "resource" must be keyed by attribute name, not a list'],
      'resource not UTF-8' => ['get', ['resource' => ['id' => "\xff"], 'version' => 1], 'Scim\Store::get() returned a malformed answer: "resource": the string at "id" is not valid UTF-8 (byte 0)'],
      'query without exact' => ['query', ['total' => 0, 'resources' => []], 'Scim\Store::query() returned a malformed answer: "exact" is missing'],
      'query exact an int' => ['query', ['total' => 0, 'resources' => [], 'exact' => 0], 'Scim\Store::query() returned a malformed answer: "exact" must be a bool, not int'],
      'query resources not a list' => ['query', ['total' => 1, 'resources' => ['a' => ['resource' => $user, 'version' => 1]], 'exact' => TRUE], 'Scim\Store::query() returned a malformed answer: "resources" must be a list, keyed 0, 1, 2, …'],
      'query bad entry' => ['query', ['total' => 2, 'resources' => [['resource' => $user, 'version' => 1], ['resource' => $user, 'version' => 'x']], 'exact' => TRUE], 'Scim\Store::query() returned a malformed answer: resources[1]: "version" must be an int, not string'],
      'query total a float' => ['query', ['total' => 1.0, 'resources' => [], 'exact' => TRUE], 'Scim\Store::query() returned a malformed answer: "total" must be an int, not float'],
    ];
  }

  /**
   * @dataProvider malformedProvider
   */
  public function testMalformedAnswerIsA500NamingTheMethod(string $method, array $answer, string $detail): void {
    $store = new class($answer) extends ArrayStore {

      /**
       * What get() and query() answer.
       */
      private array $answer;

      /**
       * Answers $answer to get() and query().
       */
      public function __construct(array $answer) {
        $this->answer = $answer;
      }

      /**
       * {@inheritdoc}
       */
      public function get(string $type, string $id): array {
        return $this->answer;
      }

      /**
       * {@inheritdoc}
       */
      public function query(string $type, array $query): array {
        return $this->answer;
      }

    };
    $response = $this->send($this->server($store), 'GET', $method === 'get' ? '/Users/user-1' : '/Users');
    $this->assertSame(500, $response['status']);
    $this->assertSame($detail, $this->body($response)['detail']);
    $this->assertSame($detail, $response['event']['detail']);
  }

  public function testPatchRetriesWhenAnotherWriterWins(): void {
    $store = new class() extends ArrayStore {

      /**
       * Whether another writer already came in between.
       */
      private bool $raced = FALSE;

      /**
       * {@inheritdoc}
       */
      public function replace(string $type, string $id, array $resource, ?int $expectedVersion): array {
        if (!$this->raced && $expectedVersion !== NULL) {
          // Another request changes the title between our read and write.
          $this->raced = TRUE;
          $this->rows[$type][$id]['resource']['title'] = 'Tour Guide';
          $this->rows[$type][$id]['version']++;
        }
        return parent::replace($type, $id, $resource, $expectedVersion);
      }

    };
    $server = $this->server($store);
    $this->send($server, 'POST', '/Users', NULL, ['userName' => 'bjensen']);
    $store->calls = [];

    $patched = $this->send($server, 'PATCH', '/Users/user-1', NULL, ['schemas' => [self::PATCH_OP], 'Operations' => [['op' => 'add', 'path' => 'displayName', 'value' => 'Babs']]]);
    $this->assertSame(200, $patched['status']);
    $body = $this->body($patched);
    $this->assertSame('Babs', $body['displayName']);
    $this->assertSame('Tour Guide', $body['title'], 'the concurrent change is kept');
    $this->assertSame('W/"3"', $patched['headers']['ETag']);
    $this->assertSame(['get', 'replace', 'get', 'replace'], $store->methods());
    $this->assertSame([1, 2], [$store->calls[1][3], $store->calls[3][3]]);
  }

  public function testPatchWithIfMatchDoesNotRetry(): void {
    $store = new class() extends ArrayStore {

      /**
       * {@inheritdoc}
       */
      public function replace(string $type, string $id, array $resource, ?int $expectedVersion): array {
        $this->rows[$type][$id]['version']++;
        return parent::replace($type, $id, $resource, $expectedVersion);
      }

    };
    $server = $this->server($store);
    $this->send($server, 'POST', '/Users', NULL, ['userName' => 'bjensen']);
    $patched = $this->send($server, 'PATCH', '/Users/user-1', NULL, ['schemas' => [self::PATCH_OP], 'Operations' => [['op' => 'add', 'path' => 'displayName', 'value' => 'Babs']]], ['If-Match' => 'W/"1"']);
    $this->assertSame(412, $patched['status']);
    $this->assertSame('User "user-1" is at version 2, not 1', $this->body($patched)['detail']);
  }

  public function testConstructorTakesAStoreInsteadOfADatabase(): void {
    $options = ['base_url' => 'https://example.com/scim/v2', 'database' => '/tmp/never-created.sqlite'];
    $this->assertScimError(fn() => new \Scim\Server($options, new ArrayStore()), \Scim\InvalidValueException::class, 400, 'invalidValue', 'option "database" must be absent when a Scim\Store is given');
    $this->assertFileDoesNotExist('/tmp/never-created.sqlite');
    $this->assertScimError(fn() => new \Scim\Server(['database' => 'x.sqlite']), \Scim\InvalidValueException::class, 400, 'invalidValue', 'option "base_url" is required');
    $this->assertScimError(fn() => new \Scim\Server(['base_url' => 'https://example.com/scim/v2']), \Scim\InvalidValueException::class, 400, 'invalidValue', 'option "database" is required');

    $this->expectException(\TypeError::class);
    new \Scim\Server(['base_url' => 'https://example.com/scim/v2'], new \stdClass());
  }

  public function testServersOverStoresAreNotShared(): void {
    $first = new ArrayStore();
    $second = new ArrayStore();
    $a = $this->server($first);
    $b = $this->server($second);
    $this->assertSame(201, $this->send($a, 'POST', '/Users', NULL, ['userName' => 'bjensen'])['status']);
    $this->assertSame(201, $this->send($b, 'POST', '/Users', NULL, ['userName' => 'bjensen'])['status']);
    $this->assertSame(['create'], $first->methods());
    $this->assertSame(['create'], $second->methods());
  }

  public function testServerKeepsItsStoreAlive(): void {
    $server = $this->server(new ArrayStore());
    gc_collect_cycles();
    $this->assertSame(201, $this->send($server, 'POST', '/Users', NULL, ['userName' => 'bjensen'])['status']);
    $this->assertSame(200, $this->send($server, 'GET', '/Users/user-1')['status']);
  }

  public function testExitInAStoreEndsTheRequest(): void {
    $out = $this->runWithoutHooks('
      require ' . var_export(__DIR__ . '/ArrayStore.php', TRUE) . ';
      $store = new class() extends Scim\Tests\ArrayStore {
        public function get(string $type, string $id): array {
          echo "exiting\n";
          exit(0);
        }
      };
      $server = new Scim\Server(["base_url" => "https://example.com/scim/v2", "tokens" => ["test" => hash("sha256", "secret")]], $store);
      register_shutdown_function(function () { echo "shut down\n"; });
      $response = $server->handle("GET", "/Users/user-1", NULL, ["Authorization" => "Bearer secret"]);
      echo "answered ", $response["status"], "\n";
    ');
    $this->assertSame("exiting\nshut down\n", $out);
  }

  public function testImportNeedsSqlite(): void {
    $server = $this->server(new ArrayStore());
    $this->assertScimError(fn() => $server->import('User', [['userName' => 'a']]), \Scim\NotImplementedException::class, 501, NULL, 'import() needs the SQLite store; give a Scim\Store its resources through handle()');
  }

}
