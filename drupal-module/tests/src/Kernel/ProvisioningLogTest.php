<?php

namespace Drupal\Tests\scim_provisioning\Kernel;

use Drupal\scim_provisioning\ProvisioningLog;

/**
 * Tests writing, filtering and pruning the provisioning log.
 *
 * @coversDefaultClass \Drupal\scim_provisioning\ProvisioningLog
 * @group scim_provisioning
 */
class ProvisioningLogTest extends ScimKernelTestBase {

  /**
   * Returns the provisioning log.
   *
   * @return \Drupal\scim_provisioning\ProvisioningLog
   *   The log.
   */
  protected function log(): ProvisioningLog {
    return $this->container->get('scim_provisioning.log');
  }

  /**
   * Tests that entries are written with secrets masked and fields cut.
   *
   * @covers ::record
   */
  public function testEntriesAreRedactedAndCut(): void {
    $this->log()->record([
      'token' => 'Okta',
      'method' => 'POST',
      'path' => '/scim/v2/Users?access=' . str_repeat('a', 300),
      'resource_type' => 'User',
      'status' => 201,
      'operation' => 'create',
      'detail' => 'created bjensen; client sent Bearer scim_0123456789abcdefghijklmnop',
    ]);
    $entry = $this->log()->entries()[0];
    $this->assertSame('Okta', $entry->token);
    $this->assertSame(255, mb_strlen($entry->path));
    $this->assertSame('created bjensen; client sent Bearer [redacted]', $entry->detail);
    $this->assertSame('', $entry->resource_id);
    $this->assertSame('201', (string) $entry->status);
  }

  /**
   * Tests filtering by outcome and token.
   *
   * @covers ::entries
   * @covers ::count
   * @covers ::tokenLabels
   */
  public function testFilterByOutcomeAndToken(): void {
    $this->log()->record(['token' => 'Okta', 'status' => 201]);
    $this->log()->record(['token' => 'Okta', 'status' => 409]);
    $this->log()->record(['token' => 'Entra ID', 'status' => 204]);
    $this->log()->record(['token' => '', 'status' => 401]);

    $this->assertSame(4, $this->log()->count());
    $this->assertSame(2, $this->log()->count(['outcome' => 'failure']));
    $this->assertSame(['204', '201'], array_map(static fn($e): string => (string) $e->status, $this->log()->entries(['outcome' => 'success'])));
    $this->assertSame(2, $this->log()->count(['token' => 'Okta']));
    $this->assertSame(1, $this->log()->count(['token' => 'Okta', 'outcome' => 'failure']));
    $this->assertSame(1, $this->log()->count(['token' => '']));
    $this->assertSame(['', 'Entra ID', 'Okta'], $this->log()->tokenLabels());
    $this->assertCount(2, $this->log()->entries([], 2));
    $this->assertSame('Okta', $this->log()->entries([], 1, 2)[0]->token);
  }

  /**
   * Tests that cron deletes entries older than the retention time.
   *
   * @covers ::prune
   */
  public function testCronPrunesOldEntries(): void {
    $now = $this->container->get('datetime.time')->getRequestTime();
    $database = $this->container->get('database');
    foreach ([40, 8, 0] as $age) {
      $database->insert('scim_provisioning_log')->fields([
        'created' => $now - $age * 86400 - 1,
        'token' => "$age days old",
        'status' => 200,
      ])->execute();
    }

    $this->config('scim_provisioning.settings')->set('log_retention_days', 30)->save();
    $this->container->get('cron')->run();
    $this->assertSame(['0 days old', '8 days old'], $this->log()->tokenLabels());

    $this->config('scim_provisioning.settings')->set('log_retention_days', 7)->save();
    $this->container->get('cron')->run();
    $this->assertSame(['0 days old'], $this->log()->tokenLabels());
  }

}
