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
   * Validates a resource and returns its canonical form.
   *
   * The same as Resource::validate() for an array and Resource::validateJson()
   * for a JSON string.
   *
   * @param array|string $resource
   *   The resource as an array, or its JSON text.
   *
   * @throws \Scim\Exception
   *   See Resource::validate().
   */
  function validate(mixed $resource, string $type = 'User', ?array $existing = NULL, bool $strict = TRUE): array {}

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
   * The discovery endpoints (RFC 7644 section 4), with meta.location under
   * the SCIM base URL, such as "https://example.com/scim/v2".
   */
  final class Discovery {

    private function __construct() {}

    /**
     * GET /ServiceProviderConfig (RFC 7643 section 5).
     *
     * @param string $baseUrl
     *   The SCIM base URL.
     * @param array|null $features
     *   Overrides of the defaults: documentationUri (string), patch,
     *   changePassword, sort, etag, filter (bool), maxResults (int).
     *
     * @throws \Scim\InvalidValueException
     *   For an unknown feature or a value of the wrong type.
     */
    public static function serviceProviderConfig(string $baseUrl, ?array $features = NULL): array {}

    /**
     * GET /Schemas: a ListResponse of every schema.
     */
    public static function schemas(string $baseUrl): array {}

    /**
     * GET /Schemas/{id}.
     *
     * @throws \Scim\NotFoundException
     */
    public static function schema(string $baseUrl, string $id): array {}

    /**
     * GET /ResourceTypes: a ListResponse of every resource type.
     */
    public static function resourceTypes(string $baseUrl): array {}

    /**
     * GET /ResourceTypes/{id}.
     *
     * @throws \Scim\NotFoundException
     */
    public static function resourceType(string $baseUrl, string $id): array {}

  }

  /**
   * Request bodies and resources (RFC 7643 sections 2-4, RFC 7644 sections
   * 3.3 and 3.5.1).
   */
  final class Resource {

    private function __construct() {}

    /**
     * Reads a request body as a JSON object, within 1 MiB and 32 levels.
     *
     * @throws \Scim\PayloadTooLargeException
     * @throws \Scim\InvalidSyntaxException
     */
    public static function parseJson(string $body): array {}

    /**
     * Validates a resource and returns its canonical form.
     *
     * Attribute names take the schema's case, extension attributes sit under
     * their URN, "schemas" lists what is present, read-only attributes are
     * dropped.
     *
     * @param array $resource
     *   The resource as the client sent it (json_decode($body, TRUE)).
     * @param string $type
     *   The resource type: "User" or "Group".
     * @param array|null $existing
     *   For a replace (PUT): the stored canonical resource, whose immutable
     *   attributes must keep their values. NULL for a create (POST).
     * @param bool $strict
     *   FALSE drops attributes no schema defines instead of rejecting them.
     *
     * @throws \Scim\InvalidSyntaxException
     * @throws \Scim\InvalidValueException
     * @throws \Scim\MutabilityException
     * @throws \Scim\NotFoundException
     *   For an unknown resource type.
     */
    public static function validate(array $resource, string $type = 'User', ?array $existing = NULL, bool $strict = TRUE): array {}

    /**
     * As validate(), for a JSON request body (faster than json_decode first).
     *
     * @throws \Scim\PayloadTooLargeException
     * @throws \Scim\InvalidSyntaxException
     * @throws \Scim\InvalidValueException
     * @throws \Scim\MutabilityException
     */
    public static function validateJson(string $json, string $type = 'User', ?array $existing = NULL, bool $strict = TRUE): array {}

  }

  /**
   * Resource versions and preconditions (RFC 7644 section 3.14).
   */
  final class Version {

    private function __construct() {}

    /**
     * The weak entity tag of a resource by its content: W/"<hash>".
     *
     * "meta" is left out and member order does not matter.
     */
    public static function of(array $resource): string {}

    /**
     * The weak entity tag of a change counter: W/"<counter>".
     *
     * @throws \Scim\InvalidValueException
     *   For a negative counter.
     */
    public static function fromCounter(int $counter): string {}

    /**
     * Checks If-Match and If-None-Match against the current entity tag.
     *
     * @return bool
     *   TRUE to go on; FALSE when a GET should answer 304 Not Modified.
     *
     * @throws \Scim\PreconditionFailedException
     *   When If-Match names another version, or, with $write, when
     *   If-None-Match matches.
     */
    public static function check(?string $ifMatch, ?string $ifNoneMatch, string $current, bool $write = FALSE): bool {}

  }

  /**
   * A parsed filter (RFC 7644 section 3.4.2.2).
   *
   * Immutable and neither clonable nor serializable, like every object of
   * the extension: keep the text ((string) $filter) to store or compare.
   */
  final class Filter {

    /**
     * Parses a filter; the same as Filter::parse().
     *
     * @throws \Scim\InvalidFilterException
     */
    public function __construct(string $filter) {}

    /**
     * Parses a filter. Operators and keywords are read in any case.
     *
     * @throws \Scim\InvalidFilterException
     *   Naming the byte offset and the offending token.
     */
    public static function parse(string $filter): Filter {}

    /**
     * Checks the attribute names against a resource type, and that no
     * ordering operator applies to a boolean or binary attribute.
     *
     * @throws \Scim\InvalidFilterException
     */
    public function check(string $type = 'User'): void {}

    /**
     * Whether a canonical resource of the type matches.
     */
    public function matches(array $resource, string $type = 'User'): bool {}

    /**
     * The filter as a tree of arrays, for translation into another query.
     *
     * Each node has an "op": "and"/"or" with "left" and "right"; "not" with
     * "filter"; "pr" and the comparisons ("eq", "ne", "co", "sw", "ew", "gt",
     * "ge", "lt", "le") with "path" and, for comparisons, "value"; "[]" (a
     * value filter such as emails[type eq "work"]) with "path" and "filter".
     * A path is ["uri" => ?string, "name" => string, "subAttr" => ?string,
     * "text" => string].
     */
    public function toArray(): array {}

    /**
     * The filter as text that parses to the same tree.
     */
    public function __toString(): string {}

  }

  /**
   * PATCH requests (RFC 7644 section 3.5.2), applied all or none.
   */
  final class Patch {

    private function __construct() {}

    /**
     * Applies a PatchOp request to a canonical resource.
     *
     * @return array
     *   "resource" (the patched canonical resource), "changed" (bool) and
     *   "changedAttributes" (the top-level attributes that differ).
     *
     * @throws \Scim\InvalidSyntaxException
     * @throws \Scim\InvalidPathException
     * @throws \Scim\InvalidValueException
     * @throws \Scim\MutabilityException
     * @throws \Scim\NoTargetException
     */
    public static function apply(array $resource, array $request, string $type = 'User'): array {}

    /**
     * As apply(), for a JSON request body.
     */
    public static function applyJson(array $resource, string $request, string $type = 'User'): array {}

  }

  /**
   * A list or search request (RFC 7644 sections 3.4.2 and 3.4.3), resolved
   * against a resource type.
   */
  final class Query {

    private function __construct() {}

    /**
     * Reads the query parameters of GET /Users or GET /Groups.
     *
     * @param array $params
     *   As $_GET or $request->query->all() give them.
     *
     * @throws \Scim\InvalidValueException
     * @throws \Scim\InvalidFilterException
     */
    public static function fromQuery(array $params, string $type = 'User', int $maxPageSize = 200): Query {}

    /**
     * Reads the body of POST /.search.
     *
     * @throws \Scim\InvalidSyntaxException
     * @throws \Scim\InvalidValueException
     * @throws \Scim\InvalidFilterException
     */
    public static function fromSearchRequest(array $body, string $type = 'User', int $maxPageSize = 200): Query {}

    /**
     * The resource type's name.
     */
    public function getType(): string {}

    /**
     * The filter, checked against the resource type, or NULL.
     */
    public function getFilter(): ?Filter {}

    /**
     * The 1-based index of the page's first resource.
     */
    public function getStartIndex(): int {}

    /**
     * The page size, after the server's limit.
     */
    public function getCount(): int {}

    /**
     * The sortBy attribute as sent, or NULL.
     */
    public function getSortBy(): ?string {}

    /**
     * "ascending" or "descending".
     */
    public function getSortOrder(): string {}

    /**
     * Whether a canonical resource matches the filter (TRUE without one).
     */
    public function matches(array $resource): bool {}

    /**
     * The resource with only what attributes and excludedAttributes let
     * through (RFC 7644 section 3.4.2.5).
     */
    public function project(array $resource): array {}

    /**
     * The ListResponse for every matching resource: sorted, paged,
     * projected.
     */
    public function respond(array $matched): array {}

    /**
     * The ListResponse for a page the caller already sorted and cut, out of
     * $totalResults matches; each resource is projected.
     */
    public function respondPage(array $page, int $totalResults): array {}

  }

  /**
   * SCIM User attributes to Drupal account fields and back, and groups to
   * roles.
   */
  final class Mapping {

    /**
     * Reads, checks and compiles a mapping configuration.
     *
     * @param array $config
     *   "rules" (each "scim", "field", optional "convert" and "absent"),
     *   "sync_password", "role_map" (each "group" and "role"),
     *   "allowed_roles".
     *
     * @throws \Scim\InvalidValueException
     *   Naming the entry at fault.
     */
    public function __construct(array $config) {}

    /**
     * The mapping a Drupal site starts with.
     */
    public static function drupalDefault(): Mapping {}

    /**
     * The rules of drupalDefault().
     */
    public static function defaultRules(): array {}

    /**
     * Rules an admin form may offer beyond the default.
     */
    public static function suggestedRules(): array {}

    /**
     * The configuration array.
     */
    public function toArray(): array {}

    /**
     * The account fields a canonical User sets, for a create.
     *
     * @throws \Scim\InvalidValueException
     */
    public function toAccount(array $user): array {}

    /**
     * Validates a User sent as JSON, as a POST would, and returns the account
     * fields it sets, in one call.
     *
     * @throws \Scim\Exception
     *   The validation error, as for a POST.
     */
    public function accountFromJson(string $json): array {}

    /**
     * The fields that change from the account of $before to that of $after;
     * NULL empties a field.
     *
     * @throws \Scim\InvalidValueException
     */
    public function changes(array $before, array $after): array {}

    /**
     * The SCIM User an account shows.
     *
     * @param array $fields
     *   Field names to values.
     * @param string $id
     *   The resource id.
     * @param array|null $meta
     *   "created", "lastModified", "location", "version", each optional.
     */
    public function fromAccount(array $fields, string $id, ?array $meta = NULL): array {}

    /**
     * The stored User as the account shows it: each listed field's value
     * written where its rule reads it (mail into the primary, else the work,
     * else the first address, added when there is none; status as active),
     * an empty field removing the attribute where the rule clears on absence.
     *
     * @param array $user
     *   A canonical SCIM User, as stored.
     * @param array $fields
     *   The account's field names to values.
     *
     * @throws \Scim\InvalidValueException
     */
    public function overlay(array $user, array $fields): array {}

    /**
     * The roles the groups grant, sorted.
     *
     * @param array $groups
     *   A list of ["id" => string, "displayName" => string].
     */
    public function grantedRoles(array $groups): array {}

    /**
     * The roles to grant ("add") and take away ("remove").
     *
     * @param array $groups
     *   A list of ["id" => string, "displayName" => string].
     * @param string[] $currentRoles
     *   The roles the account holds.
     */
    public function roleChanges(array $groups, array $currentRoles): array {}

    /**
     * Whether SCIM may grant or take away the role.
     */
    public function isAllowedRole(string $role): bool {}

  }

  /**
   * The whole SCIM service provider behind one handle() call, over the
   * embedded SQLite store or a Store. A process keeps one SQLite server per
   * set of options, so a PHP worker opens its database once.
   */
  final class Server {

    /**
     * A server for the options, over SQLite or over a store.
     *
     * Without $store, the server keeps resources in SQLite and is reused
     * within this process for the same options. With one, the store keeps
     * them, and the server is never reused.
     *
     * @param array $options
     *   "base_url" (required; meta.location starts with it), "database" (the
     *   SQLite file, created when missing; required without $store, refused
     *   with one), "tokens" (label => SHA-256 hex digest of the bearer
     *   token, or a list of ["label" => ..., "digest" => ...]), "public_discovery" (bool), "keep_password" (bool),
     *   "reject_unknown_attributes" (bool, default TRUE), "max_page_size"
     *   (int), "max_body_bytes" (int), "extensions" (site-defined extension
     *   schemas: a list of ["resource_type" => "User", "schema" => an RFC
     *   7643 section 7 schema document, "required" => FALSE]), "durability"
     *   (SQLite only: "normal", the default, syncs the log at checkpoints,
     *   at most a second after a write, so a write survives a crash of PHP
     *   at once and a power loss a second later; "full" syncs each write to
     *   disk before it is acknowledged).
     * @param \Scim\Store|null $store
     *   Where resources live, such as the Drupal module's accounts.
     *
     * @throws \Scim\InvalidValueException
     *   For an unknown or malformed option.
     */
    public function __construct(array $options, ?Store $store = NULL) {}

    /**
     * Creates many resources of a type ("User", "Group") in one transaction,
     * each validated as a POST would be (an array or a JSON string); none is
     * stored when one is invalid. SQLite only.
     *
     * @return string[]
     *   The new ids, in order.
     *
     * @throws \Scim\NotImplementedException
     *   When the server was given a Store.
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
     *   Name => value (or list of values).
     * @param string|null $body
     *   The request body.
     *
     * @return array
     *   "status" (int), "headers" (name => value), "body" (string or NULL:
     *   a SCIM document, an error document on failure) and "event" (what
     *   happened, for the caller's log: "operation", "resource_type",
     *   "resource_id", "token_label", "scim_type", "detail").
     */
    public function handle(string $method, string $path, ?string $query = NULL, ?array $headers = NULL, ?string $body = NULL): array {}

  }

  /**
   * Where a Server keeps its resources, when not in its own SQLite database.
   *
   * $type is "User" or "Group". Resources arrive validated and canonical
   * (attribute names in the schema's case, extension attributes under their
   * URN, multi-valued attributes as lists). A store keeps them, stamps "id"
   * and "meta" (resourceType, created, lastModified), keeps userName (Users)
   * and displayName (Groups) unique without regard to case, and keeps group
   * membership consistent both ways (Group "members", User "groups"). Each
   * resource has a version: 1 when created, one more with every change.
   *
   * Failures are thrown as Exception subclasses constructed with just a
   * message; the class gives status and scimType. Any other \Throwable
   * becomes a 500 whose detail for the client is "the store failed"; its
   * class and message reach only the "event" of Server::handle().
   */
  interface Store {

    /**
     * The resource $id.
     *
     * @return array{resource: array, version: int}
     *
     * @throws \Scim\NotFoundException
     *   'User "<id>" not found'.
     */
    public function get(string $type, string $id): array;

    /**
     * Stores a new resource, with a fresh id and version 1.
     *
     * @return array{resource: array, version: int}
     *
     * @throws \Scim\UniquenessException
     *   'userName "<value>" is already in use'.
     * @throws \Scim\InvalidValueException
     *   'members: no User or Group has id "<id>"'.
     */
    public function create(string $type, array $resource): array;

    /**
     * Replaces resource $id, keeping its id and created time.
     *
     * When $expectedVersion is not NULL, only if the stored version still
     * equals it, checked and written atomically (compare-and-swap): PATCH and
     * PUT read, modify and replace with the version read, and retry when
     * another writer came in between.
     *
     * @return array{resource: array, version: int}
     *
     * @throws \Scim\NotFoundException
     * @throws \Scim\PreconditionFailedException
     *   'User "<id>" is at version <N>, not <M>'.
     * @throws \Scim\UniquenessException
     * @throws \Scim\InvalidValueException
     */
    public function replace(string $type, string $id, array $resource, ?int $expectedVersion): array;

    /**
     * Deletes resource $id and its memberships; when $expectedVersion is not
     * NULL, only if the stored version still equals it.
     *
     * @throws \Scim\NotFoundException
     * @throws \Scim\PreconditionFailedException
     */
    public function delete(string $type, string $id, ?int $expectedVersion): void;

    /**
     * Searches resources of $type.
     *
     * @param array{filter: ?string, start_index: int, count: ?int, memberships: bool} $query
     *   The SCIM filter text (already validated), the 1-based start index,
     *   the page size, and whether "members" and "groups" are wanted.
     *
     * @return array{total: int, resources: list<array{resource: array, version: int}>, exact: bool}
     *   exact: TRUE when the store applied filter and paging exactly as SCIM
     *   defines them (total counts every match). FALSE when "resources" is
     *   every resource that might match, unpaged, in creation order, with
     *   their memberships; the extension then filters and pages them itself.
     */
    public function query(string $type, array $query): array;

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
