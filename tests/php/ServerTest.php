<?php

declare(strict_types=1);

namespace Scim\Tests;

use Scim\Server;

/**
 * Scim\Server: the request handler over SQLite, as PHP reaches it.
 */
final class ServerTest extends ScimTestCase {

  private string $database;

  protected function setUp(): void {
    $this->database = tempnam(sys_get_temp_dir(), 'scim-test-');
    unlink($this->database);
  }

  protected function tearDown(): void {
    foreach (glob($this->database . '*') as $file) {
      unlink($file);
    }
  }

  private function server(array $options = []): Server {
    return new Server($options + [
      'base_url' => 'https://example.com/scim/v2',
      'database' => $this->database,
      'tokens' => ['miniorange' => hash('sha256', 'secret')],
    ]);
  }

  private const AUTH = ['Authorization' => 'Bearer secret'];

  public function testCreateThenFindByFilter(): void {
    $server = $this->server();
    $created = $server->handle('POST', '/Users', NULL, self::AUTH + ['Content-Type' => 'application/scim+json'], '{"userName":"bjensen","active":true}');
    $this->assertSame(201, $created['status']);
    $user = json_decode($created['body'], TRUE);
    $this->assertSame('bjensen', $user['userName']);
    $this->assertSame('create', $created['event']['operation']);
    $this->assertSame('miniorange', $created['event']['token_label']);

    $found = $server->handle('GET', '/Users', 'filter=' . rawurlencode('userName eq "BJENSEN"'), self::AUTH);
    $this->assertSame(200, $found['status']);
    $list = json_decode($found['body'], TRUE);
    $this->assertSame(1, $list['totalResults']);
    $this->assertSame($user['id'], $list['Resources'][0]['id']);
  }

  public function testFailuresAreErrorDocumentsNotExceptions(): void {
    $server = $this->server();
    $denied = $server->handle('GET', '/Users', NULL, ['Authorization' => 'Bearer wrong']);
    $this->assertSame(401, $denied['status']);
    $this->assertSame('401', json_decode($denied['body'], TRUE)['status']);

    $bad = $server->handle('POST', '/Users', NULL, self::AUTH, '{"userName":3}');
    $this->assertSame(400, $bad['status']);
    $this->assertSame('invalidValue', json_decode($bad['body'], TRUE)['scimType']);
    $this->assertSame('invalidValue', $bad['event']['scim_type']);

    $odd = $server->handle('GET', '/Users', NULL, ["\xff" => "\xfe"] + self::AUTH);
    $this->assertSame(200, $odd['status']);
  }

  public function testOptionsAreChecked(): void {
    $this->assertScimError(fn() => new Server(['database' => $this->database]), \Scim\InvalidValueException::class, 400, 'invalidValue', 'option "base_url" is required');
    $this->assertScimError(fn() => $this->server(['colour' => 'blue']), \Scim\InvalidValueException::class, 400, 'invalidValue', 'unknown option "colour"');
    $this->assertScimError(fn() => new Server([]), \Scim\InvalidValueException::class, 400, 'invalidValue');
  }

}
