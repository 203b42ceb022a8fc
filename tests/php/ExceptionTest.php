<?php

declare(strict_types=1);

namespace Scim\Tests;

/**
 * The Scim\Exception hierarchy (RFC 7644 section 3.12).
 */
final class ExceptionTest extends ScimTestCase {

  /**
   * Each class, its parent, status and scimType.
   */
  public function classProvider(): array {
    return [
      [\Scim\Exception::class, \Exception::class, 500, NULL],
      [\Scim\BadRequestException::class, \Scim\Exception::class, 400, NULL],
      [\Scim\InvalidFilterException::class, \Scim\BadRequestException::class, 400, 'invalidFilter'],
      [\Scim\TooManyException::class, \Scim\BadRequestException::class, 400, 'tooMany'],
      [\Scim\InvalidSyntaxException::class, \Scim\BadRequestException::class, 400, 'invalidSyntax'],
      [\Scim\InvalidPathException::class, \Scim\BadRequestException::class, 400, 'invalidPath'],
      [\Scim\NoTargetException::class, \Scim\BadRequestException::class, 400, 'noTarget'],
      [\Scim\InvalidValueException::class, \Scim\BadRequestException::class, 400, 'invalidValue'],
      [\Scim\InvalidVersException::class, \Scim\BadRequestException::class, 400, 'invalidVers'],
      [\Scim\SensitiveException::class, \Scim\BadRequestException::class, 400, 'sensitive'],
      [\Scim\MutabilityException::class, \Scim\BadRequestException::class, 400, 'mutability'],
      [\Scim\UnauthorizedException::class, \Scim\Exception::class, 401, NULL],
      [\Scim\ForbiddenException::class, \Scim\Exception::class, 403, NULL],
      [\Scim\NotFoundException::class, \Scim\Exception::class, 404, NULL],
      [\Scim\MethodNotAllowedException::class, \Scim\Exception::class, 405, NULL],
      [\Scim\ConflictException::class, \Scim\Exception::class, 409, NULL],
      [\Scim\UniquenessException::class, \Scim\ConflictException::class, 409, 'uniqueness'],
      [\Scim\PreconditionFailedException::class, \Scim\Exception::class, 412, NULL],
      [\Scim\PayloadTooLargeException::class, \Scim\Exception::class, 413, NULL],
      [\Scim\UnsupportedMediaTypeException::class, \Scim\Exception::class, 415, NULL],
      [\Scim\InternalException::class, \Scim\Exception::class, 500, NULL],
      [\Scim\NotImplementedException::class, \Scim\Exception::class, 501, NULL],
    ];
  }

  /**
   * @dataProvider classProvider
   */
  public function testClassCarriesItsStatusAndKeyword(string $class, string $parent, int $status, ?string $scimType): void {
    $this->assertSame($parent, get_parent_class($class));
    $e = new $class('userName "bjensen" is already in use');
    $this->assertInstanceOf(\Exception::class, $e);
    $this->assertSame($status, $e->getStatus());
    $this->assertSame($scimType, $e->getScimType());
  }

  /**
   * @dataProvider classProvider
   */
  public function testGetDocumentRendersTheErrorDocument(string $class, string $parent, int $status, ?string $scimType): void {
    $e = new $class('the detail');
    $expected = [
      'schemas' => ['urn:ietf:params:scim:api:messages:2.0:Error'],
      'status' => (string) $status,
    ];
    if ($scimType !== NULL) {
      $expected['scimType'] = $scimType;
    }
    $expected['detail'] = 'the detail';
    $this->assertSame($expected, $e->getDocument());
  }

  public function testThrownErrorCarriesStatusAsCodeAndThePhpCallSite(): void {
    $line = __LINE__ + 2;
    try {
      \Scim\Schemas::get('urn:example:nope');
    }
    catch (\Scim\NotFoundException $e) {
      $this->assertSame(404, $e->getCode());
      $this->assertSame(__FILE__, $e->getFile());
      $this->assertSame($line, $e->getLine());
      $this->assertSame('schema "urn:example:nope" not found', $e->getMessage());
      return;
    }
    $this->fail('expected NotFoundException');
  }

  public function testMethodsTakeNoArguments(): void {
    $this->expectException(\ArgumentCountError::class);
    (new \Scim\NotFoundException('x'))->getStatus(1);
  }

  public function testPhpSubclassCanOverrideTheStatus(): void {
    $e = new class('teapot') extends \Scim\Exception {
      protected $status = 418;
    };
    $this->assertSame(418, $e->getStatus());
    $this->assertSame('418', $e->getDocument()['status']);
  }

}
