<?php

namespace Drupal\Tests\scim_provisioning\Kernel;

use Drupal\Tests\SchemaCheckTestTrait;

/**
 * Tests what installing the module sets up.
 *
 * @group scim_provisioning
 */
class ModuleInstallTest extends ScimKernelTestBase {

  use SchemaCheckTestTrait;

  /**
   * Tests that the default settings match their schema and constraints.
   */
  public function testDefaultSettingsMatchSchema(): void {
    $this->assertConfigSchemaByName('scim_provisioning.settings');

    $data = $this->config('scim_provisioning.settings')->getRawData();
    $typed = $this->container->get('config.typed')->createFromNameAndData('scim_provisioning.settings', $data);
    $violations = [];
    foreach ($typed->validate() as $violation) {
      $violations[] = $violation->getPropertyPath() . ': ' . $violation->getMessage();
    }
    $this->assertSame([], $violations);

    $config = $this->config('scim_provisioning.settings');
    $this->assertSame(['create' => TRUE, 'update' => TRUE, 'deactivate' => TRUE, 'delete' => TRUE], $config->get('operations'));
    $this->assertSame('user_cancel_block', $config->get('deprovision.deactivate'));
    $this->assertSame('user_cancel_block', $config->get('deprovision.delete'));
    $this->assertSame(['administrator'], $config->get('protected_roles'));
    $this->assertFalse($config->get('create_roles'));
    $this->assertFalse($config->get('public_discovery'));
    $this->assertSame('none', $config->get('takeover'));
    $this->assertSame(30, $config->get('log_retention_days'));
  }

  /**
   * Tests that the mapping has the shape the scim extension reads.
   */
  public function testMappingHasTheExtensionShape(): void {
    $mapping = $this->config('scim_provisioning.settings')->get('mapping');
    $this->assertSame(['rules', 'sync_password', 'role_map', 'allowed_roles'], array_keys($mapping));
    $this->assertSame([
      ['scim' => 'userName', 'field' => 'name', 'convert' => 'none', 'absent' => 'clear'],
      ['scim' => 'emails.value', 'field' => 'mail', 'convert' => 'none', 'absent' => 'clear'],
      ['scim' => 'active', 'field' => 'status', 'convert' => 'boolean_to_integer', 'absent' => 'keep'],
      ['scim' => 'externalId', 'field' => 'scim_external_id', 'convert' => 'none', 'absent' => 'clear'],
      ['scim' => 'password', 'field' => 'pass', 'convert' => 'none', 'absent' => 'keep'],
    ], $mapping['rules']);
    $this->assertFalse($mapping['sync_password']);
    $this->assertSame([], $mapping['role_map']);
    $this->assertSame([], $mapping['allowed_roles']);
    $this->assertSame(
      '{"rules":[{"scim":"userName","field":"name","convert":"none","absent":"clear"},{"scim":"emails.value","field":"mail","convert":"none","absent":"clear"},{"scim":"active","field":"status","convert":"boolean_to_integer","absent":"keep"},{"scim":"externalId","field":"scim_external_id","convert":"none","absent":"clear"},{"scim":"password","field":"pass","convert":"none","absent":"keep"}],"sync_password":false,"role_map":[],"allowed_roles":[]}',
      json_encode($mapping)
    );
  }

  /**
   * Tests that an invalid cancel method violates the schema's constraint.
   */
  public function testInvalidCancelMethodViolatesConstraint(): void {
    $data = $this->config('scim_provisioning.settings')->getRawData();
    $data['deprovision']['delete'] = 'user_cancel_purge';
    $typed = $this->container->get('config.typed')->createFromNameAndData('scim_provisioning.settings', $data);
    $paths = [];
    foreach ($typed->validate() as $violation) {
      $paths[] = $violation->getPropertyPath();
    }
    $this->assertSame(['deprovision.delete'], $paths);
  }

  /**
   * Tests the module's tables and the user field it adds.
   */
  public function testTablesAndExternalIdField(): void {
    $schema = $this->container->get('database')->schema();
    $this->assertTrue($schema->tableExists('scim_provisioning_token'));
    $this->assertTrue($schema->tableExists('scim_provisioning_log'));
    $this->assertTrue($schema->tableExists('scim_provisioning_resource'));
    $this->assertTrue($schema->tableExists('scim_provisioning_member'));
    $this->assertTrue($schema->tableExists('scim_provisioning_value'));
    $this->assertFalse($schema->fieldExists('scim_provisioning_token', 'token'), 'No column can hold a token in the clear.');

    $definitions = $this->container->get('entity_field.manager')->getFieldStorageDefinitions('user');
    $this->assertArrayHasKey('scim_external_id', $definitions);
    $this->assertSame('scim_provisioning', $definitions['scim_external_id']->getProvider());

    $account = $this->container->get('entity_type.manager')->getStorage('user')->create([
      'name' => 'bjensen',
      'scim_external_id' => 'bjensen@example.com',
    ]);
    $account->save();
    $this->assertSame('bjensen@example.com', $account->get('scim_external_id')->value);
  }

  /**
   * Tests that uninstalling removes the tables, the field and the settings.
   */
  public function testUninstallRemovesEverything(): void {
    $this->container->get('entity_type.manager')->getStorage('user')->create([
      'name' => 'bjensen',
      'scim_external_id' => 'bjensen@example.com',
    ])->save();
    $this->container->get('scim_provisioning.token_repository')->generate('Okta');

    $this->container->get('module_installer')->uninstall(['scim_provisioning']);

    $schema = $this->container->get('database')->schema();
    $this->assertFalse($schema->tableExists('scim_provisioning_token'));
    $this->assertFalse($schema->tableExists('scim_provisioning_log'));
    $this->assertFalse($schema->tableExists('scim_provisioning_resource'));
    $this->assertFalse($schema->tableExists('scim_provisioning_member'));
    $this->assertFalse($schema->tableExists('scim_provisioning_value'));
    $this->assertFalse($schema->fieldExists('users_field_data', 'scim_external_id'));
    $this->assertArrayNotHasKey('scim_external_id', $this->container->get('entity_field.manager')->getFieldStorageDefinitions('user'));
    $this->assertTrue($this->config('scim_provisioning.settings')->isNew());
  }

}
