<?php

declare(strict_types=1);

namespace Scim\Tests;

use Scim\Query;
use Scim\Resource;

/**
 * Scim\Query (RFC 7644 sections 3.4.2, 3.4.3).
 */
final class QueryTest extends ScimTestCase {

  /**
   * Three canonical users.
   */
  private function users(): array {
    $users = [];
    foreach (['carol' => 'Employee', 'alice' => 'Intern', 'bob' => 'Employee'] as $name => $type) {
      $users[] = Resource::validate(['userName' => $name, 'userType' => $type, 'title' => ucfirst($name)]);
    }
    return $users;
  }

  public function testFromQueryReadsEntraIdsLookup(): void {
    $query = Query::fromQuery(['filter' => 'userName eq "alice"']);
    $this->assertSame('User', $query->getType());
    $this->assertSame('userName eq "alice"', (string) $query->getFilter());
    $this->assertSame(1, $query->getStartIndex());
    $this->assertSame(200, $query->getCount());
    $this->assertNull($query->getSortBy());
    $this->assertSame('ascending', $query->getSortOrder());
    $matched = array_values(array_filter($this->users(), [$query, 'matches']));
    $this->assertSame(['alice'], array_column($matched, 'userName'));
  }

  public function testEmptyResultIsAListResponseNotA404(): void {
    $query = Query::fromQuery(['filter' => 'userName eq "nobody"']);
    $this->assertSame([
      'schemas' => ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      'totalResults' => 0,
      'itemsPerPage' => 0,
      'startIndex' => 1,
      'Resources' => [],
    ], $query->respond([]));
  }

  public function testRespondSortsPagesAndProjects(): void {
    $query = Query::fromQuery(['sortBy' => 'userName', 'sortOrder' => 'descending', 'startIndex' => '2', 'count' => '1', 'attributes' => 'userName'], 'User', 100);
    $this->assertSame('userName', $query->getSortBy());
    $this->assertSame('descending', $query->getSortOrder());
    $response = $query->respond($this->users());
    $this->assertSame(3, $response['totalResults']);
    $this->assertSame(1, $response['itemsPerPage']);
    $this->assertSame(2, $response['startIndex']);
    $this->assertSame([['schemas' => ['urn:ietf:params:scim:schemas:core:2.0:User'], 'userName' => 'bob']], $response['Resources']);
  }

  public function testCountIsLoweredToTheMaximumPageSize(): void {
    $this->assertSame(10, Query::fromQuery(['count' => 500], 'User', 10)->getCount());
    $this->assertSame(0, Query::fromQuery(['count' => '0'])->getCount());
    $this->assertNull(Query::fromQuery([])->getFilter());
  }

  public function testRespondPageProjectsACallersPage(): void {
    $query = Query::fromQuery(['excludedAttributes' => 'title,userType', 'startIndex' => 3]);
    $response = $query->respondPage([$this->users()[0]], 3);
    $this->assertSame(3, $response['totalResults']);
    $this->assertSame(3, $response['startIndex']);
    $this->assertSame([['schemas' => ['urn:ietf:params:scim:schemas:core:2.0:User'], 'userName' => 'carol']], $response['Resources']);
  }

  public function testProjectForASingleResource(): void {
    $query = Query::fromQuery(['attributes' => ['title']]);
    $this->assertSame(['schemas' => ['urn:ietf:params:scim:schemas:core:2.0:User'], 'title' => 'Carol'], $query->project($this->users()[0]));
  }

  public function testFromSearchRequest(): void {
    $body = json_decode(file_get_contents(__DIR__ . '/../fixtures/rfc7644-3.4.3-search-request.json'), TRUE);
    $query = Query::fromSearchRequest($body, 'User');
    $this->assertNotNull($query->getFilter());
    $this->assertSame(10, $query->getCount());
    $this->assertScimError(fn() => Query::fromSearchRequest(['schemas' => ['urn:x']]), \Scim\InvalidSyntaxException::class, 400, 'invalidSyntax');
  }

  public function testErrors(): void {
    $this->assertScimError(fn() => Query::fromQuery(['filter' => 'userName eq']), \Scim\InvalidFilterException::class, 400, 'invalidFilter');
    $this->assertScimError(fn() => Query::fromQuery(['filter' => 'nope eq 1']), \Scim\InvalidFilterException::class, 400, 'invalidFilter', 'unknown attribute "nope" in filter');
    $this->assertScimError(fn() => Query::fromQuery(['count' => 'ten']), \Scim\InvalidValueException::class, 400, 'invalidValue');
    $this->assertScimError(fn() => Query::fromQuery(['sortOrder' => 'sideways']), \Scim\InvalidValueException::class, 400, 'invalidValue');
    $this->assertScimError(fn() => Query::fromQuery(['filter' => ['a', 'b']]), \Scim\InvalidValueException::class, 400, 'invalidValue', 'query parameter "filter" is given more than once');
    $this->assertScimError(fn() => Query::fromQuery([], 'Device'), \Scim\NotFoundException::class, 404, NULL);
    $this->assertScimError(fn() => Query::fromQuery([], 'User', 0), \Scim\InvalidValueException::class, 400, 'invalidValue', 'maximum page size 0 is not positive');
  }

}
