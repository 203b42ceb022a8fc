<?php

namespace Drupal\Tests\scim_provisioning\Unit;

use Drupal\scim_provisioning\Log\LogRedactor;
use PHPUnit\Framework\TestCase;

/**
 * Tests that secrets never reach the provisioning log.
 *
 * @coversDefaultClass \Drupal\scim_provisioning\Log\LogRedactor
 * @group scim_provisioning
 */
class LogRedactorTest extends TestCase {

  /**
   * Tests body redaction.
   *
   * @param string $body
   *   The body as received.
   * @param string $expected
   *   The body as logged.
   *
   * @covers ::redactBody
   * @dataProvider providerBodies
   */
  public function testBodyRedaction(string $body, string $expected): void {
    $this->assertSame($expected, (new LogRedactor())->redactBody($body));
  }

  /**
   * Provides bodies and what the log keeps of them.
   *
   * @return array
   *   Cases of body and redacted body.
   */
  public function providerBodies(): array {
    return [
      'empty' => ['', ''],
      'blank' => [" \n", ''],
      'not json' => ['userName=alice&password=x', '[body of 25 bytes that is not JSON]'],
      'truncated json' => ['{"userName":', '[body of 12 bytes that is not JSON]'],
      'okta create with placeholder password' => [
        '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"alice@example.com","password":"Pl4ceholder!","active":true}',
        '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"alice@example.com","password":"[redacted]","active":true}',
      ],
      'member names in any case' => [
        '{"Password":"x","TOKEN":"y","nested":{"client_secret":"z"}}',
        '{"Password":"[redacted]","TOKEN":"[redacted]","nested":{"client_secret":"[redacted]"}}',
      ],
      'patch with a password path' => [
        '{"Operations":[{"op":"Replace","path":"password","value":"n3w"},{"op":"Replace","path":"active","value":false}]}',
        '{"Operations":[{"op":"Replace","path":"password","value":"[redacted]"},{"op":"Replace","path":"active","value":false}]}',
      ],
      'patch with a urn password path' => [
        '{"Operations":[{"op":"add","path":"urn:ietf:params:scim:schemas:core:2.0:User:password","value":"n3w"}]}',
        '{"Operations":[{"op":"add","path":"urn:ietf:params:scim:schemas:core:2.0:User:password","value":"[redacted]"}]}',
      ],
      'patch without a path' => [
        '{"Operations":[{"op":"replace","value":{"active":false,"password":"x"}}]}',
        '{"Operations":[{"op":"replace","value":{"active":false,"password":"[redacted]"}}]}',
      ],
      'email filter path is no secret' => [
        '{"Operations":[{"op":"Replace","path":"emails[type eq \"work\"].value","value":"a@example.com"}]}',
        '{"Operations":[{"op":"Replace","path":"emails[type eq \"work\"].value","value":"a@example.com"}]}',
      ],
      'unicode and slashes kept readable' => [
        '{"displayName":"Zoë","$ref":"https://example.com/scim/v2/Users/1"}',
        '{"displayName":"Zoë","$ref":"https://example.com/scim/v2/Users/1"}',
      ],
      'top level list' => ['[{"token":"t"},1]', '[{"token":"[redacted]"},1]'],
    ];
  }

  /**
   * Tests that long bodies are cut and the cut is marked.
   *
   * @covers ::redactBody
   */
  public function testLongBodiesAreCut(): void {
    $redactor = new LogRedactor(20);
    $this->assertSame('{"displayName":"ëëë…', $redactor->redactBody('{"displayName":"ëëëëëëëëëëëëëëëë"}'));
    $this->assertSame(20, mb_strlen($redactor->redactBody('{"displayName":"ëëëëëëëëëëëëëëëë"}')));
    $this->assertSame('{"a":1}', $redactor->redactBody('{"a":1}'));
  }

  /**
   * Tests free text redaction.
   *
   * @covers ::redactText
   */
  public function testTextRedaction(): void {
    $redactor = new LogRedactor();
    $this->assertSame('got Bearer [redacted] from client', $redactor->redactText('got Bearer abc.def-123= from client'));
    $this->assertSame('token [redacted] is unknown', $redactor->redactText('token scim_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA is unknown'));
    $this->assertSame('scim_short stays', $redactor->redactText('scim_short stays'));
    $this->assertSame('the bearer token is not valid', $redactor->redactText('the bearer token is not valid'));
    $this->assertSame('Bearer authentication failed', $redactor->redactText('Bearer authentication failed'));
    $this->assertSame('bearer [redacted]', $redactor->redactText('bearer 0123456789abcdefghijXYZ'));
    $this->assertSame('no "userName" given', $redactor->redactText('no "userName" given'));
  }

  /**
   * Tests header redaction.
   *
   * @covers ::redactHeaders
   */
  public function testHeaderRedaction(): void {
    $headers = [
      'Authorization' => 'Bearer scim_secret',
      'content-type' => ['application/scim+json'],
      'cookie' => ['SESS1=a', 'SESS2=b'],
      'proxy-authorization' => 'nonsense',
      'X-Api-Key' => 'k',
    ];
    $this->assertSame([
      'Authorization' => 'Bearer [redacted]',
      'content-type' => ['application/scim+json'],
      'cookie' => ['[redacted]', '[redacted]'],
      'proxy-authorization' => '[redacted]',
      'X-Api-Key' => '[redacted]',
    ], (new LogRedactor())->redactHeaders($headers));
  }

  /**
   * Tests which names count as secrets.
   *
   * @covers ::isSecretName
   */
  public function testSecretNames(): void {
    $this->assertTrue(LogRedactor::isSecretName('password'));
    $this->assertTrue(LogRedactor::isSecretName('PASSWORD'));
    $this->assertTrue(LogRedactor::isSecretName('urn:ietf:params:scim:schemas:core:2.0:User:password'));
    $this->assertTrue(LogRedactor::isSecretName('credentials.apiKey'));
    $this->assertFalse(LogRedactor::isSecretName('passwordHint'));
    $this->assertFalse(LogRedactor::isSecretName('userName'));
    $this->assertFalse(LogRedactor::isSecretName('emails[type eq "work"].value'));
  }

}
