<?php

namespace Drupal\Tests\scim_provisioning\Unit;

use Drupal\scim_provisioning\Store\ProvisioningPolicy;
use PHPUnit\Framework\TestCase;

/**
 * Tests the answers the provisioning policy gives the store.
 *
 * @coversDefaultClass \Drupal\scim_provisioning\Store\ProvisioningPolicy
 * @group scim_provisioning
 */
class ProvisioningPolicyTest extends TestCase {

  /**
   * The settings the module installs with.
   */
  protected const DEFAULTS = [
    'operations' => ['create' => TRUE, 'update' => TRUE, 'deactivate' => TRUE, 'delete' => TRUE],
    'deprovision' => ['deactivate' => 'user_cancel_block', 'delete' => 'user_cancel_block'],
    'mapping' => ['sync_password' => FALSE],
    'create_roles' => FALSE,
    'protected_roles' => ['administrator'],
    'takeover' => 'none',
    'welcome_email' => FALSE,
  ];

  /**
   * Tests the operations gate and how refusals read.
   */
  public function testOperations(): void {
    $policy = new ProvisioningPolicy(['operations' => ['create' => TRUE, 'delete' => FALSE]] + self::DEFAULTS);
    $this->assertTrue($policy->allows('create'));
    $this->assertFalse($policy->allows('delete'));
    $this->assertFalse($policy->allows('update'), 'An operation the settings do not name is not allowed.');
    $this->assertSame('deleting accounts is not allowed by the SCIM settings of this site', ProvisioningPolicy::refusal('delete'));
    $this->assertSame('deactivating accounts is not allowed by the SCIM settings of this site', ProvisioningPolicy::refusal('deactivate'));
    $this->assertSame('creating groups is not allowed by the SCIM settings of this site', ProvisioningPolicy::refusal('create', 'Group'));
    $this->assertSame('updating groups is not allowed by the SCIM settings of this site', ProvisioningPolicy::refusal('update', 'Group'));
  }

  /**
   * Tests the privilege firewall.
   */
  public function testProtection(): void {
    $policy = new ProvisioningPolicy(['protected_roles' => ['administrator', 'site_owner']] + self::DEFAULTS);
    $cases = [
      [1, [], "it is user 1, the site's first administrator"],
      [1, ['authenticated'], "it is user 1, the site's first administrator"],
      [7, ['authenticated', 'site_owner'], 'it holds the protected role "site_owner"'],
      [7, ['authenticated', 'editor'], NULL],
      [7, [], NULL],
    ];
    foreach ($cases as [$uid, $roles, $why]) {
      $this->assertSame($why, $policy->protection($uid, $roles), "uid $uid");
    }
  }

  /**
   * Tests cancellation methods, take-over, passwords and the welcome email.
   */
  public function testSettingsReadSafely(): void {
    $policy = new ProvisioningPolicy(self::DEFAULTS);
    $this->assertSame('user_cancel_block', $policy->cancelMethod('deactivate'));
    $this->assertSame('none', $policy->takeover());
    $this->assertFalse($policy->syncsPassword());
    $this->assertFalse($policy->sendsWelcomeEmail());
    $this->assertFalse($policy->createsRoles());

    $policy = new ProvisioningPolicy([
      'deprovision' => ['deactivate' => 'user_cancel_block_unpublish', 'delete' => 'user_cancel_delete'],
      'takeover' => 'email',
      'mapping' => ['sync_password' => TRUE],
      'welcome_email' => TRUE,
      'create_roles' => TRUE,
    ] + self::DEFAULTS);
    $this->assertSame('user_cancel_block_unpublish', $policy->cancelMethod('deactivate'));
    $this->assertSame('user_cancel_delete', $policy->cancelMethod('delete'));
    $this->assertSame('email', $policy->takeover());
    $this->assertTrue($policy->syncsPassword());
    $this->assertTrue($policy->sendsWelcomeEmail());
    $this->assertTrue($policy->createsRoles());

    $policy = new ProvisioningPolicy(['deprovision' => [], 'takeover' => 'everything']);
    $this->assertSame('user_cancel_block', $policy->cancelMethod('delete'), 'A missing method blocks.');
    $this->assertSame('none', $policy->takeover(), 'An unknown take-over rule takes nothing over.');
  }

  /**
   * Tests which cancellation methods delete the account.
   */
  public function testDeletingMethods(): void {
    $this->assertFalse(ProvisioningPolicy::deletes('user_cancel_block'));
    $this->assertFalse(ProvisioningPolicy::deletes('user_cancel_block_unpublish'));
    $this->assertTrue(ProvisioningPolicy::deletes('user_cancel_reassign'));
    $this->assertTrue(ProvisioningPolicy::deletes('user_cancel_delete'));
  }

}
