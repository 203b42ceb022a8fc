<?php

declare(strict_types=1);

namespace Scim\Tests;

use Scim\Filter;

/**
 * Scim\Filter (RFC 7644 section 3.4.2.2).
 */
final class FilterTest extends ScimTestCase {

  private function user(): array {
    return \Scim\Resource::validateJson(file_get_contents(__DIR__ . '/../fixtures/rfc7643-8.2-full-user.json'));
  }

  public function testRfcExamplesParseAndPrintBackToTheSameTree(): void {
    $lines = file(__DIR__ . '/../fixtures/rfc7644-3.4.2.2-filters.txt', FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES);
    $this->assertNotEmpty($lines);
    foreach ($lines as $text) {
      $filter = Filter::parse($text);
      $again = Filter::parse((string) $filter);
      $this->assertSame((string) $filter, (string) $again, $text);
      $this->assertSame($filter->toArray(), $again->toArray(), $text);
    }
  }

  public function testConstructorParsesLikeParse(): void {
    $this->assertSame((string) Filter::parse('userName EQ "bjensen"'), (string) new Filter('userName EQ "bjensen"'));
    $this->assertSame('userName eq "bjensen"', (string) new Filter('userName EQ "bjensen"'));
    $this->assertInstanceOf(\Stringable::class, new Filter('title pr'));
  }

  public function testParseRejectsMalformedFilters(): void {
    $this->assertScimError(fn() => Filter::parse('userName eq'), \Scim\InvalidFilterException::class, 400, 'invalidFilter', 'unexpected end of filter at byte 11, expected a string, number, true, false or null');
    $this->assertScimError(fn() => new Filter(''), \Scim\InvalidFilterException::class, 400, 'invalidFilter');
    $this->assertScimError(fn() => Filter::parse("userName eq \"\xff\""), \Scim\InvalidFilterException::class, 400, 'invalidFilter', 'filter is not valid UTF-8 at byte 13');
  }

  public function testMatchesEvaluatesAgainstACanonicalResource(): void {
    $user = $this->user();
    $this->assertTrue(Filter::parse('userName eq "BJENSEN@example.com"')->matches($user));
    $this->assertTrue(Filter::parse('emails[type eq "work" and value co "@example.com"]')->matches($user, 'User'));
    $this->assertFalse(Filter::parse('userType eq "Intern"')->matches($user));
    $this->assertTrue(Filter::parse('not (userType eq "Intern")')->matches($user));
  }

  public function testMatchesRejectsAnUnknownResourceType(): void {
    $this->assertScimError(fn() => Filter::parse('title pr')->matches([], 'Device'), \Scim\NotFoundException::class, 404, NULL, 'resource type "Device" not found');
  }

  public function testCheckAcceptsKnownAttributes(): void {
    Filter::parse('userName eq "x" and emails[type eq "work"]')->check();
    Filter::parse('displayName eq "Tour Guides"')->check('Group');
    $this->addToAssertionCount(1);
  }

  public function testCheckRejectsUnknownAttributesAndOrderingOnBooleans(): void {
    $this->assertScimError(fn() => Filter::parse('foo eq "x"')->check(), \Scim\InvalidFilterException::class, 400, 'invalidFilter', 'unknown attribute "foo" in filter');
    $this->assertScimError(fn() => Filter::parse('active gt true')->check('User'), \Scim\InvalidFilterException::class, 400, 'invalidFilter', 'operator "gt" does not apply to boolean attribute "active"');
    $this->assertScimError(fn() => Filter::parse('userName pr')->check('Group'), \Scim\InvalidFilterException::class, 400, 'invalidFilter');
  }

  public function testToArrayGivesTheTree(): void {
    $this->assertSame([
      'op' => 'and',
      'left' => [
        'op' => 'eq',
        'path' => ['uri' => NULL, 'name' => 'userName', 'subAttr' => NULL, 'text' => 'userName'],
        'value' => 'bjensen',
      ],
      'right' => [
        'op' => 'not',
        'filter' => [
          'op' => '[]',
          'path' => ['uri' => NULL, 'name' => 'emails', 'subAttr' => NULL, 'text' => 'emails'],
          'filter' => [
            'op' => 'pr',
            'path' => ['uri' => NULL, 'name' => 'type', 'subAttr' => NULL, 'text' => 'type'],
          ],
        ],
      ],
    ], Filter::parse('userName eq "bjensen" and not (emails[type pr])')->toArray());
    $this->assertSame([
      'op' => 'ge',
      'path' => [
        'uri' => 'urn:ietf:params:scim:schemas:core:2.0:User',
        'name' => 'meta',
        'subAttr' => 'lastModified',
        'text' => 'urn:ietf:params:scim:schemas:core:2.0:User:meta.lastModified',
      ],
      'value' => '2011-05-13T04:42:34Z',
    ], Filter::parse('urn:ietf:params:scim:schemas:core:2.0:User:meta.lastModified ge "2011-05-13T04:42:34Z"')->toArray());
    $this->assertSame([1.5, TRUE, NULL], [
      Filter::parse('x eq 1.5')->toArray()['value'],
      Filter::parse('x eq true')->toArray()['value'],
      Filter::parse('x eq null')->toArray()['value'],
    ]);
  }

}
