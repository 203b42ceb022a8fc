<?php

declare(strict_types=1);

namespace Scim\Tests;

require_once __DIR__ . '/ArrayStore.php';

/**
 * Scim\Server: options, handle() and import() over a temporary database.
 */
final class ServerTest extends ScimTestCase {

  /**
   * The temporary database file.
   */
  private string $database;

  /**
   * {@inheritdoc}
   */
  protected function setUp(): void {
    $this->database = tempnam(sys_get_temp_dir(), 'scim-test-') . '.sqlite';
  }

  /**
   * {@inheritdoc}
   */
  protected function tearDown(): void {
    foreach (['', '-wal', '-shm'] as $suffix) {
      @unlink($this->database . $suffix);
    }
  }

  /**
   * A server with one token, "secret".
   */
  private function server(array $extra = []): \Scim\Server {
    return new \Scim\Server($extra + [
      'base_url' => 'https://example.com/scim/v2',
      'database' => $this->database,
      'tokens' => ['test' => hash('sha256', 'secret')],
    ]);
  }

  /**
   * The bearer header of the test token.
   */
  private const AUTH = ['Authorization' => 'Bearer secret'];

  public function testCreatesReadsAndLogsAUser(): void {
    $server = $this->server();
    $created = $server->handle('POST', '/Users', '', self::AUTH + ['Content-Type' => 'application/scim+json'], json_encode([
      'schemas' => ['urn:ietf:params:scim:schemas:core:2.0:User'],
      'userName' => 'bjensen',
      'password' => 'placeholder',
    ]));
    $this->assertSame(201, $created['status']);
    $this->assertSame('application/scim+json', $created['headers']['Content-Type']);
    $body = json_decode($created['body'], TRUE);
    $this->assertSame('bjensen', $body['userName']);
    $this->assertArrayNotHasKey('password', $body);
    $this->assertSame('https://example.com/scim/v2/Users/' . $body['id'], $created['headers']['Location']);
    $this->assertSame(['operation' => 'create', 'resource_type' => 'User', 'resource_id' => $body['id'], 'token_label' => 'test', 'scim_type' => NULL, 'detail' => NULL], $created['event']);

    $read = $server->handle('GET', '/Users/' . $body['id'], NULL, self::AUTH);
    $this->assertSame(200, $read['status']);
    $this->assertSame($created['headers']['ETag'], $read['headers']['ETag']);
  }

  public function testAnswersEveryFailureWithAnErrorDocument(): void {
    $server = $this->server();
    $unauthorized = $server->handle('GET', '/Users');
    $this->assertSame(401, $unauthorized['status']);
    $this->assertSame('Bearer realm="SCIM"', $unauthorized['headers']['WWW-Authenticate']);
    $this->assertSame('a bearer token is required in the Authorization header', $unauthorized['event']['detail']);

    $duplicate = ['userName' => 'Dup'];
    $server->handle('POST', '/Users', NULL, self::AUTH, json_encode($duplicate));
    $conflict = $server->handle('POST', '/Users', NULL, self::AUTH, json_encode(['userName' => 'dup']));
    $this->assertSame(409, $conflict['status']);
    $this->assertSame('uniqueness', json_decode($conflict['body'], TRUE)['scimType']);

    $this->assertSame(404, $server->handle('GET', '/Widgets', NULL, self::AUTH)['status']);
    $this->assertSame(405, $server->handle('DELETE', '/Users', NULL, self::AUTH)['status']);
    $this->assertSame(501, $server->handle('GET', '/Me', NULL, self::AUTH)['status']);
  }

  public function testReadsHeadersThatAreNotUtf8WithoutFailing(): void {
    $server = $this->server();
    $odd = $server->handle('GET', '/Users', NULL, ["X-\xff" => "\xfe", 'X-List' => ['a', 1]] + self::AUTH);
    $this->assertSame(200, $odd['status']);
    $this->assertSame(0, json_decode($odd['body'], TRUE)['totalResults']);
  }

  public function testImportsAllOrNothing(): void {
    $server = $this->server();
    $ids = $server->import('User', [['userName' => 'a'], json_encode(['userName' => 'b'])]);
    $this->assertCount(2, $ids);

    $this->assertScimError(fn() => $server->import('User', [['userName' => 'c'], ['nope' => 1]]), \Scim\InvalidSyntaxException::class, 400, 'invalidSyntax', 'resource 1: unknown attribute "nope"');
    $this->assertScimError(fn() => $server->import('User', [['userName' => 'd'], ['userName' => 'A']]), \Scim\UniquenessException::class, 409, 'uniqueness', 'userName "A" is already in use');
    $list = json_decode($server->handle('GET', '/Users', 'count=10', self::AUTH)['body'], TRUE);
    $this->assertSame(2, $list['totalResults']);
  }

  public function testServesSiteDefinedExtensions(): void {
    $urn = 'urn:example:params:scim:schemas:extension:site:2.0:User';
    $server = $this->server(['extensions' => [[
      'resource_type' => 'User',
      'schema' => [
        'id' => $urn,
        'name' => 'SiteUser',
        'description' => 'Fields of this site',
        'attributes' => [[
          'name' => 'badge',
          'type' => 'string',
          'multiValued' => FALSE,
          'required' => FALSE,
          'caseExact' => FALSE,
          'mutability' => 'readWrite',
          'returned' => 'default',
          'uniqueness' => 'none',
        ]],
      ],
    ]]]);
    $created = $server->handle('POST', '/Users', NULL, self::AUTH, json_encode([
      'schemas' => ['urn:ietf:params:scim:schemas:core:2.0:User', $urn],
      'userName' => 'badged',
      $urn => ['badge' => 'B-17'],
    ]));
    $this->assertSame(201, $created['status']);
    $this->assertSame('B-17', json_decode($created['body'], TRUE)[$urn]['badge']);

    $found = $server->handle('GET', '/Users', 'filter=' . rawurlencode($urn . ':badge eq "b-17"'), self::AUTH);
    $this->assertSame(1, json_decode($found['body'], TRUE)['totalResults']);

    $schema = json_decode($server->handle('GET', '/Schemas/' . $urn, NULL, self::AUTH)['body'], TRUE);
    $this->assertSame('badge', $schema['attributes'][0]['name']);

    $this->assertScimError(fn() => $this->server(['extensions' => [['schema' => ['id' => 'nope']]]]), \Scim\InvalidValueException::class, 400, 'invalidValue');
    $this->assertScimError(fn() => $this->server(['extensions' => [['resource_type' => 'Device', 'schema' => ['id' => $urn, 'attributes' => []]]]]), \Scim\InvalidValueException::class, 400, 'invalidValue', 'extensions[0]: unknown resource type "Device"');
  }

  public function testTakesTokensAsAListToo(): void {
    $digest = hash('sha256', 'secret');
    foreach ([[['label' => 'okta', 'digest' => $digest]], ['0' => $digest]] as $i => $tokens) {
      $server = $this->server(['tokens' => $tokens]);
      $answer = $server->handle('GET', '/Users', NULL, self::AUTH);
      $this->assertSame(200, $answer['status']);
      $this->assertSame($i === 0 ? 'okta' : '0', $answer['event']['token_label']);
    }
    $this->assertScimError(fn() => $this->server(['tokens' => [['label' => 'x']]]), \Scim\InvalidValueException::class, 400, 'invalidValue', 'tokens[0]: "digest" must be a string');
  }

  public function testRefusesBadOptions(): void {
    $this->assertScimError(fn() => new \Scim\Server([]), \Scim\InvalidValueException::class, 400, 'invalidValue', 'option "base_url" is required');
    $this->assertScimError(fn() => $this->server(['colour' => 'blue']), \Scim\InvalidValueException::class, 400, 'invalidValue', 'unknown option "colour"');
    $this->assertScimError(fn() => $this->server(['tokens' => ['x' => 'abc']]), \Scim\InvalidValueException::class, 400, 'invalidValue', 'token "x": digest must be 64 hexadecimal digits (SHA-256)');
    $this->assertScimError(fn() => $this->server(['max_page_size' => 0]), \Scim\InvalidValueException::class, 400, 'invalidValue', 'option "max_page_size" must be a positive integer');
  }

  public function testTakesADurability(): void {
    foreach (['full', 'normal', 'NORMAL'] as $i => $durability) {
      $server = $this->server(['durability' => $durability]);
      $this->assertSame(201, $server->handle('POST', '/Users', NULL, self::AUTH, json_encode(['userName' => "user$i"]))['status']);
    }
    $this->assertScimError(fn() => $this->server(['durability' => 'off']), \Scim\InvalidValueException::class, 400, 'invalidValue', 'option "durability" must be "full" or "normal"');
    $this->assertScimError(fn() => $this->server(['durability' => TRUE]), \Scim\InvalidValueException::class, 400, 'invalidValue', 'option "durability" must be "full" or "normal"');
    // A Scim\Store decides its own durability.
    $options = ['base_url' => 'https://example.com/scim/v2', 'durability' => 'normal'];
    $this->assertScimError(fn() => new \Scim\Server($options, new ArrayStore()), \Scim\InvalidValueException::class, 400, 'invalidValue', 'option "durability" must be absent when a Scim\Store is given');
  }

}
