<?php

declare(strict_types=1);

namespace Scim\Tests;

use Scim\Testing;

/**
 * PHP values to JSON and back, as every binding converts them.
 */
final class ConvertTest extends ScimTestCase {

  /**
   * PHP values and the JSON the core sees.
   */
  public function jsonProvider(): array {
    $a = [1];
    return [
      'null' => [NULL, 'null'],
      'true' => [TRUE, 'true'],
      'false' => [FALSE, 'false'],
      'int' => [42, '42'],
      'largest int' => [PHP_INT_MAX, '9223372036854775807'],
      'float' => [1.5, '1.5'],
      'integral float stays a float' => [2.0, '2.0'],
      'string' => ['Barbara Jensen', '"Barbara Jensen"'],
      'unicode' => ['Zoë 🙂', '"Zoë 🙂"'],
      'empty array is a list' => [[], '[]'],
      'list' => [[1, 'a', NULL], '[1,"a",null]'],
      'map keeps its order' => [['b' => 1, 'a' => 2], '{"b":1,"a":2}'],
      'list with a hole is a map' => [[0 => 'a', 2 => 'b'], '{"0":"a","2":"b"}'],
      'keys out of order are a map' => [[1 => 'x', 0 => 'y'], '{"1":"x","0":"y"}'],
      'list then string key' => [[0 => 'a', 'k' => 'b'], '{"0":"a","k":"b"}'],
      'stdClass' => [(object) ['givenName' => 'Barbara'], '{"givenName":"Barbara"}'],
      'empty stdClass' => [new \stdClass(), '{}'],
      'reference' => [['r' => &$a], '{"r":[1]}'],
      'nested' => [['emails' => [['value' => 'b@example.com', 'primary' => TRUE]]], '{"emails":[{"value":"b@example.com","primary":true}]}'],
    ];
  }

  /**
   * @dataProvider jsonProvider
   */
  public function testToJsonFollowsJsonEncode($value, string $json): void {
    $this->assertSame($json, Testing::toJson($value));
  }

  public function testRoundTripKeepsTypes(): void {
    $value = ['a' => 1, 'b' => 1.0, 'c' => '1', 'd' => TRUE, 'e' => NULL, 'f' => [1, 2], 'g' => ['x' => []]];
    $this->assertSame($value, Testing::roundTrip($value));
    $this->assertSame(2.0, Testing::roundTrip(2.0));
    $this->assertSame('x', Testing::roundTrip('x'));
  }

  public function testRoundTripTurnsObjectsIntoArrays(): void {
    $this->assertSame(['name' => ['givenName' => 'Barbara']], Testing::roundTrip((object) ['name' => (object) ['givenName' => 'Barbara']]));
  }

  public function testJsonKeysThatSpellIntegersBecomeIntegerKeys(): void {
    $back = Testing::roundTrip([0 => 'a', 12 => 'b', '-3' => 'c', '012' => 'd']);
    $this->assertSame('b', $back[12] ?? NULL);
    $this->assertSame('c', $back[-3] ?? NULL);
    $this->assertSame('d', $back['012'] ?? NULL);
  }

  public function testNestingUpToTheLimitIsAccepted(): void {
    $value = [];
    for ($i = 1; $i < 64; $i++) {
      $value = [$value];
    }
    $this->assertSame($value, Testing::roundTrip($value));
  }

  /**
   * Values that have no JSON form, with the exact error.
   */
  public function rejectedProvider(): array {
    $deep = [];
    for ($i = 0; $i < 64; $i++) {
      $deep = [$deep];
    }
    return [
      'NAN' => [NAN, \Scim\InvalidValueException::class, 'invalidValue', 'the number NaN at the top level is not finite'],
      'INF in a map' => [['x' => INF], \Scim\InvalidValueException::class, 'invalidValue', 'the number inf at "x" is not finite'],
      'bad UTF-8' => [['name' => ['givenName' => "\xff"]], \Scim\InvalidSyntaxException::class, 'invalidSyntax', 'the string at "name.givenName" is not valid UTF-8 (byte 0)'],
      'bad UTF-8 in a list' => [['emails' => [['value' => 'ok'], ['value' => "a\xffb"]]], \Scim\InvalidSyntaxException::class, 'invalidSyntax', 'the string at "emails[1].value" is not valid UTF-8 (byte 1)'],
      'bad UTF-8 key' => [['ok' => ["\xfe" => 1]], \Scim\InvalidSyntaxException::class, 'invalidSyntax', 'a key at "ok" is not valid UTF-8 (byte 0)'],
      'too deep' => [$deep, \Scim\InvalidSyntaxException::class, 'invalidSyntax', 'the value at "' . str_repeat('[0]', 64) . '" nests deeper than 64 levels'],
      'object' => [['x' => new \DateTimeImmutable('2024-01-01')], \Scim\InvalidValueException::class, 'invalidValue', 'an object of class DateTimeImmutable at "x" has no JSON form'],
      'closure' => [[fn() => 1], \Scim\InvalidValueException::class, 'invalidValue', 'an object of class Closure at "[0]" has no JSON form'],
      'resource' => [['f' => STDERR], \Scim\InvalidValueException::class, 'invalidValue', 'a value of type resource at "f" has no JSON form'],
    ];
  }

  /**
   * @dataProvider rejectedProvider
   */
  public function testRejectsValuesWithoutJsonForm($value, string $class, string $scimType, string $message): void {
    $this->assertScimError(fn() => Testing::toJson($value), $class, 400, $scimType, $message);
  }

  /**
   * The arrays among the values without JSON form.
   */
  public function rejectedArrayProvider(): array {
    return array_filter($this->rejectedProvider(), fn($case) => is_array($case[0]));
  }

  /**
   * Validation reads a PHP array through its own conversion (one that
   * borrows the strings); an array without JSON form fails it alike.
   *
   * @dataProvider rejectedArrayProvider
   */
  public function testValidationRejectsArraysWithoutJsonFormAlike(array $value, string $class, string $scimType, string $message): void {
    $this->assertScimError(fn() => \Scim\Resource::validate($value), $class, 400, $scimType, $message);
    $this->assertScimError(fn() => \Scim\validate($value), $class, 400, $scimType, $message);
  }

  public function testSelfReferenceHitsTheDepthLimit(): void {
    $a = ['x' => 1];
    $a['self'] = &$a;
    $e = $this->assertScimError(fn() => Testing::toJson($a), \Scim\InvalidSyntaxException::class, 400, 'invalidSyntax');
    $this->assertStringEndsWith('nests deeper than 64 levels', $e->getMessage());
  }

}
