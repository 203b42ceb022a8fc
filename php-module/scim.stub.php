<?php

/**
 * @file
 * IDE stubs for the scim PHP extension: every class, function and constant
 * it exports, with their signatures. The extension itself is written in
 * Rust; this file is never executed. tests/php/stubs_test.php fails when it
 * and the loaded extension disagree.
 */

namespace Scim {

  /**
   * The extension's version.
   */
  const VERSION = '0.1.0';

  /**
   * The extension's version, as Scim\VERSION gives it.
   */
  function version(): string {}

  /**
   * A SCIM failure, as RFC 7644 section 3.12 reports it.
   *
   * Every error of the extension is thrown as a subclass chosen by HTTP
   * status and scimType. The message is the document's "detail"; when thrown
   * by the extension, getCode() is the HTTP status as well. A subclass may be
   * thrown from PHP too: new NotFoundException('...') carries status 404.
   */
  class Exception extends \Exception {

    /**
     * The HTTP status.
     *
     * @var int
     */
    protected $status = 500;

    /**
     * The scimType keyword (RFC 7644 section 3.12, table 9), if any.
     *
     * @var string|null
     */
    protected $scimType = NULL;

    /**
     * The HTTP status of the failure.
     */
    public function getStatus(): int {}

    /**
     * The scimType keyword, such as "invalidFilter", or NULL.
     */
    public function getScimType(): ?string {}

    /**
     * The error document of RFC 7644 section 3.12.
     *
     * @return array{schemas: string[], status: string, scimType?: string, detail: string}
     *   The status is a string, as in the RFC's examples.
     */
    public function getDocument(): array {}

  }

  /**
   * 400 without a scimType; parent of the 400 keyword errors.
   */
  class BadRequestException extends Exception {
    protected $status = 400;
    protected $scimType = NULL;
  }

  /**
   * 400 invalidFilter: the filter syntax is invalid or names an unsupported
   * attribute.
   */
  class InvalidFilterException extends BadRequestException {
    protected $status = 400;
    protected $scimType = 'invalidFilter';
  }

  /**
   * 400 tooMany: the filter would yield more results than the server allows.
   */
  class TooManyException extends BadRequestException {
    protected $status = 400;
    protected $scimType = 'tooMany';
  }

  /**
   * 400 invalidSyntax: the request body is not parsable or violates the
   * schema.
   */
  class InvalidSyntaxException extends BadRequestException {
    protected $status = 400;
    protected $scimType = 'invalidSyntax';
  }

  /**
   * 400 invalidPath: the PATCH path is invalid or malformed.
   */
  class InvalidPathException extends BadRequestException {
    protected $status = 400;
    protected $scimType = 'invalidPath';
  }

  /**
   * 400 noTarget: the PATCH path matched no attribute or value.
   */
  class NoTargetException extends BadRequestException {
    protected $status = 400;
    protected $scimType = 'noTarget';
  }

  /**
   * 400 invalidValue: a value does not fit its attribute's type or rules.
   */
  class InvalidValueException extends BadRequestException {
    protected $status = 400;
    protected $scimType = 'invalidValue';
  }

  /**
   * 400 invalidVers: the protocol version is not supported.
   */
  class InvalidVersException extends BadRequestException {
    protected $status = 400;
    protected $scimType = 'invalidVers';
  }

  /**
   * 400 sensitive: the request holds data that must not travel that way.
   */
  class SensitiveException extends BadRequestException {
    protected $status = 400;
    protected $scimType = 'sensitive';
  }

  /**
   * 400 mutability: the change conflicts with an attribute's mutability.
   */
  class MutabilityException extends BadRequestException {
    protected $status = 400;
    protected $scimType = 'mutability';
  }

  /**
   * 401: no valid credentials.
   */
  class UnauthorizedException extends Exception {
    protected $status = 401;
    protected $scimType = NULL;
  }

  /**
   * 403: the credentials do not allow the operation.
   */
  class ForbiddenException extends Exception {
    protected $status = 403;
    protected $scimType = NULL;
  }

  /**
   * 404: the resource or endpoint does not exist.
   */
  class NotFoundException extends Exception {
    protected $status = 404;
    protected $scimType = NULL;
  }

  /**
   * 405: the endpoint does not take the method.
   */
  class MethodNotAllowedException extends Exception {
    protected $status = 405;
    protected $scimType = NULL;
  }

  /**
   * 409 without a scimType; parent of UniquenessException.
   */
  class ConflictException extends Exception {
    protected $status = 409;
    protected $scimType = NULL;
  }

  /**
   * 409 uniqueness: a unique value is already in use.
   */
  class UniquenessException extends ConflictException {
    protected $status = 409;
    protected $scimType = 'uniqueness';
  }

  /**
   * 412: an If-Match precondition failed (RFC 7644 section 3.14).
   */
  class PreconditionFailedException extends Exception {
    protected $status = 412;
    protected $scimType = NULL;
  }

  /**
   * 413: the body is larger than the server accepts.
   */
  class PayloadTooLargeException extends Exception {
    protected $status = 413;
    protected $scimType = NULL;
  }

  /**
   * 415: the body is not JSON.
   */
  class UnsupportedMediaTypeException extends Exception {
    protected $status = 415;
    protected $scimType = NULL;
  }

  /**
   * 500: the server failed, including a caught panic inside the extension.
   */
  class InternalException extends Exception {
    protected $status = 500;
    protected $scimType = NULL;
  }

  /**
   * 501: the operation is not supported.
   */
  class NotImplementedException extends Exception {
    protected $status = 501;
    protected $scimType = NULL;
  }

  /**
   * The schemas the server supports (RFC 7643 section 7), for /Schemas.
   */
  final class Schemas {

    private function __construct() {}

    /**
     * Every schema document, without meta.location.
     *
     * @return array[]
     */
    public static function list(): array {}

    /**
     * The schema document with this URN, matched without regard to case.
     *
     * @throws \Scim\NotFoundException
     */
    public static function get(string $id): array {}

  }

  /**
   * The resource types the server serves (RFC 7643 section 6), for
   * /ResourceTypes.
   */
  final class ResourceTypes {

    private function __construct() {}

    /**
     * Every resource type document, without meta.location.
     *
     * @return array[]
     */
    public static function list(): array {}

    /**
     * The resource type with this name ("User", "Group"), matched without
     * regard to case.
     *
     * @throws \Scim\NotFoundException
     */
    public static function get(string $name): array {}

  }

  /**
   * A whole SCIM 2.0 service provider over the embedded SQLite store. A
   * process keeps one server per set of options, so constructing it on every
   * request opens the database once per worker.
   */
  final class Server {

    /**
     * Options: base_url (required; meta.location and $ref start with it),
     * database (required; the SQLite file, created when missing), tokens
     * (label => SHA-256 hex digest of a bearer token), public_discovery,
     * keep_password, reject_unknown_attributes (bools), max_page_size,
     * max_body_bytes (ints).
     *
     * @throws \Scim\InvalidValueException
     *   For an unknown or malformed option.
     */
    public function __construct(array $options) {}

    /**
     * Creates many resources of a type ("User", "Group") in one transaction,
     * each validated as a POST would be (an array or a JSON string); none is
     * stored when one is invalid.
     *
     * @return string[]
     *   The new ids, in order.
     *
     * @throws \Scim\Exception
     *   The first invalid resource, its index in the message.
     */
    public function import(string $type, array $resources): array {}

    /**
     * Answers one HTTP request; never throws for a bad request.
     *
     * @param string $method
     *   The HTTP method.
     * @param string $path
     *   The path below the base URL, such as "/Users/2819c223".
     * @param string|null $query
     *   The raw query string, without "?".
     * @param array|null $headers
     *   Header name => value (or list of values).
     * @param string|null $body
     *   The raw request body.
     *
     * @return array
     *   "status" (int), "headers" (name => value), "body" (string or NULL) and
     *   "event" (operation, resource_type, resource_id, token_label,
     *   scim_type, detail) for the caller's log.
     */
    public function handle(string $method, string $path, ?string $query = NULL, ?array $headers = NULL, mixed $body = NULL): array {}

  }

  /**
   * Hooks that test the extension itself. Each throws ForbiddenException
   * unless php.ini sets scim.enable_test_hooks=1.
   */
  final class Testing {

    private function __construct() {}

    /**
     * Panics inside Rust; arrives as InternalException (500).
     */
    public static function panic(?string $message = NULL): void {}

    /**
     * The value converted to JSON and back, as every binding converts it.
     */
    public static function roundTrip(mixed $value): mixed {}

    /**
     * The value converted to JSON, as the core sees it, serialized.
     */
    public static function toJson(mixed $value): string {}

  }

}
