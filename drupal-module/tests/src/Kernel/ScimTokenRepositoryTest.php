<?php

namespace Drupal\Tests\scim_provisioning\Kernel;

use Drupal\scim_provisioning\ScimTokenRepository;
use Drupal\scim_provisioning\Token\BearerToken;

/**
 * Tests storing, listing, verifying and revoking bearer tokens.
 *
 * @coversDefaultClass \Drupal\scim_provisioning\ScimTokenRepository
 * @group scim_provisioning
 */
class ScimTokenRepositoryTest extends ScimKernelTestBase {

  /**
   * Returns the token repository.
   *
   * @return \Drupal\scim_provisioning\ScimTokenRepository
   *   The repository.
   */
  protected function tokens(): ScimTokenRepository {
    return $this->container->get('scim_provisioning.token_repository');
  }

  /**
   * Tests that only the digest of a generated token is stored.
   *
   * @covers ::generate
   */
  public function testOnlyTheDigestIsStored(): void {
    $token = $this->tokens()->generate(' miniOrange ');
    $this->assertStringStartsWith('scim_', $token);

    $rows = $this->container->get('database')->select('scim_provisioning_token', 't')->fields('t')->execute()->fetchAll(\PDO::FETCH_ASSOC);
    $this->assertCount(1, $rows);
    $this->assertSame('miniOrange', $rows[0]['label']);
    $this->assertSame(BearerToken::digest($token), $rows[0]['digest']);
    foreach ($rows[0] as $value) {
      $this->assertStringNotContainsString(substr($token, 5), (string) $value);
    }
  }

  /**
   * Tests that several tokens work at once and are told apart.
   *
   * @covers ::verify
   * @covers ::listTokens
   */
  public function testSeveralTokensAreAcceptedAndToldApart(): void {
    $okta = $this->tokens()->generate('Okta');
    $entra = $this->tokens()->generate('Entra ID');
    $this->assertSame('Okta', $this->tokens()->verify($okta));
    $this->assertSame('Entra ID', $this->tokens()->verify($entra));
    $this->assertNull($this->tokens()->verify(BearerToken::generate()));
    $this->assertNull($this->tokens()->verify(''));

    $list = $this->tokens()->listTokens();
    $this->assertSame(['Okta', 'Entra ID'], array_column($list, 'label'));
    $this->assertSame(['database', 'database'], array_column($list, 'source'));
    $this->assertArrayNotHasKey('digest', $list[0]);
  }

  /**
   * Tests that a token's last use is recorded.
   *
   * @covers ::verify
   */
  public function testLastUseIsRecorded(): void {
    $token = $this->tokens()->generate('Okta');
    $this->assertSame(0, $this->tokens()->listTokens()[0]['last_used']);
    $this->tokens()->verify($token);
    $now = $this->container->get('datetime.time')->getRequestTime();
    $this->assertSame($now, $this->tokens()->listTokens()[0]['last_used']);
  }

  /**
   * Tests revoking a token.
   *
   * @covers ::revoke
   */
  public function testRevokedTokensAreRefused(): void {
    $old = $this->tokens()->generate('Okta 2024');
    $new = $this->tokens()->generate('Okta 2025');
    $id = $this->tokens()->listTokens()[0]['id'];
    $this->assertTrue($this->tokens()->revoke($id));
    $this->assertFalse($this->tokens()->revoke($id));
    $this->assertNull($this->tokens()->verify($old));
    $this->assertSame('Okta 2025', $this->tokens()->verify($new));
  }

  /**
   * Tests rejected labels and their messages.
   *
   * @covers ::generate
   */
  public function testLabelsMustBeGivenAndUnique(): void {
    $this->tokens()->generate('Okta');
    $cases = [
      '' => 'the token label is empty',
      '   ' => 'the token label is empty',
      'okta' => 'a token labelled "Okta" already exists',
      str_repeat('x', 129) => 'the token label is longer than 128 characters',
    ];
    foreach ($cases as $label => $message) {
      try {
        $this->tokens()->generate((string) $label);
        $this->fail("Label \"$label\" was accepted.");
      }
      catch (\InvalidArgumentException $e) {
        $this->assertSame($message, $e->getMessage());
      }
    }
  }

  /**
   * Tests tokens declared in settings.php.
   *
   * @covers ::verify
   * @covers ::listTokens
   * @covers ::invalidSettingsTokens
   */
  public function testSettingsTokens(): void {
    $token = BearerToken::generate();
    $this->setSetting('scim_provisioning_tokens', [
      'JumpCloud' => strtoupper(BearerToken::digest($token)),
      'Broken' => 'not-a-digest',
      'Missing' => NULL,
    ]);
    $this->assertSame('JumpCloud', $this->tokens()->verify($token));
    $this->assertSame(['Broken', 'Missing'], $this->tokens()->invalidSettingsTokens());

    $list = $this->tokens()->listTokens();
    $this->assertCount(1, $list);
    $this->assertSame([
      'id' => NULL,
      'label' => 'JumpCloud',
      'created' => NULL,
      'last_used' => NULL,
      'source' => 'settings',
    ], $list[0]);

    $this->expectException(\InvalidArgumentException::class);
    $this->expectExceptionMessage('a token labelled "JumpCloud" already exists');
    $this->tokens()->generate('jumpcloud');
  }

}
