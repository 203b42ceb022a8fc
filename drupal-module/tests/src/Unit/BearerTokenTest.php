<?php

namespace Drupal\Tests\scim_provisioning\Unit;

use Drupal\scim_provisioning\Token\BearerToken;
use PHPUnit\Framework\TestCase;

/**
 * Tests token generation, digests, header parsing and matching.
 *
 * @coversDefaultClass \Drupal\scim_provisioning\Token\BearerToken
 * @group scim_provisioning
 */
class BearerTokenTest extends TestCase {

  /**
   * Tests that generated tokens have the documented form and differ.
   *
   * @covers ::generate
   */
  public function testGeneratedTokensArePrefixedBase64UrlAndUnique(): void {
    $tokens = [];
    for ($i = 0; $i < 50; $i++) {
      $token = BearerToken::generate();
      $this->assertMatchesRegularExpression('/^scim_[A-Za-z0-9_-]{43}$/D', $token);
      $this->assertSame($token, BearerToken::fromAuthorizationHeader('Bearer ' . $token));
      $tokens[$token] = TRUE;
    }
    $this->assertCount(50, $tokens);
  }

  /**
   * Tests that the digest is lowercase hexadecimal SHA-256.
   *
   * @covers ::digest
   * @covers ::isDigest
   */
  public function testDigestIsSha256Hex(): void {
    // SHA-256 of "abc", FIPS 180-2 appendix B.1.
    $this->assertSame('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', BearerToken::digest('abc'));
    $this->assertTrue(BearerToken::isDigest(BearerToken::digest(BearerToken::generate())));
    $this->assertFalse(BearerToken::isDigest('BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD'));
    $this->assertFalse(BearerToken::isDigest('ba7816bf'));
    $this->assertFalse(BearerToken::isDigest("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n"));
  }

  /**
   * Tests reading tokens from Authorization headers.
   *
   * @param string|null $header
   *   The header value.
   * @param string|null $expected
   *   The token expected, or NULL.
   *
   * @covers ::fromAuthorizationHeader
   * @dataProvider providerAuthorizationHeaders
   */
  public function testAuthorizationHeaderParsing(?string $header, ?string $expected): void {
    $this->assertSame($expected, BearerToken::fromAuthorizationHeader($header));
  }

  /**
   * Provides Authorization headers and the token each carries.
   *
   * @return array
   *   Cases of header and expected token.
   */
  public function providerAuthorizationHeaders(): array {
    return [
      'plain' => ['Bearer scim_abc-DEF_123', 'scim_abc-DEF_123'],
      'scheme in lower case' => ['bearer abc', 'abc'],
      'scheme in upper case' => ['BEARER abc', 'abc'],
      'several spaces' => ['Bearer   abc', 'abc'],
      'trailing space' => ['Bearer abc ', 'abc'],
      'b64token punctuation' => ['Bearer a.b~c+d/e==', 'a.b~c+d/e=='],
      'no header' => [NULL, NULL],
      'empty' => ['', NULL],
      'scheme alone' => ['Bearer', NULL],
      'scheme and space' => ['Bearer ', NULL],
      'basic' => ['Basic dXNlcjpwYXNz', NULL],
      'no space' => ['Bearerabc', NULL],
      'two tokens' => ['Bearer abc def', NULL],
      'padding inside' => ['Bearer ab=c', NULL],
      'quote' => ['Bearer "abc"', NULL],
      'newline' => ["Bearer abc\n", NULL],
      'tab' => ["Bearer\tabc", NULL],
    ];
  }

  /**
   * Tests the cheap scheme check used by applies().
   *
   * @covers ::isBearerHeader
   */
  public function testBearerSchemeCheck(): void {
    $this->assertTrue(BearerToken::isBearerHeader('Bearer x'));
    $this->assertTrue(BearerToken::isBearerHeader('bearer x'));
    $this->assertTrue(BearerToken::isBearerHeader('Bearer '));
    $this->assertFalse(BearerToken::isBearerHeader('Bearer'));
    $this->assertFalse(BearerToken::isBearerHeader('Basic x'));
    $this->assertFalse(BearerToken::isBearerHeader(NULL));
  }

  /**
   * Tests finding the stored digest a token matches.
   *
   * @covers ::match
   */
  public function testMatchFindsTheTokenAmongSeveral(): void {
    $first = BearerToken::generate();
    $second = BearerToken::generate();
    $digests = [
      'Okta' => BearerToken::digest($first),
      7 => BearerToken::digest($second),
    ];
    $this->assertSame('Okta', BearerToken::match($first, $digests));
    $this->assertSame(7, BearerToken::match($second, $digests));
    $this->assertNull(BearerToken::match(BearerToken::generate(), $digests));
    $this->assertNull(BearerToken::match($first, []));
    $this->assertNull(BearerToken::match($first, ['bad' => NULL]));
    $this->assertSame('Okta', BearerToken::match($first, new \ArrayIterator($digests)));
  }

}
